"""Publish a map as a static web site (no server; works from ``file://``)."""

from loopwise.publish.site import PublishReport, embed_snippet, publish_site

__all__ = ["PublishReport", "embed_snippet", "publish_site"]
