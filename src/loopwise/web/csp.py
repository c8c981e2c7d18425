"""The Content-Security-Policy of every page loopwise writes: served, published or saved.

Only the site's own scripts and styles run (no inline script, no ``javascript:`` links), so
user text that slipped through as a link still cannot run. The served pages send it as a
header (with ``frame-ancestors``, which only a header can carry); the static site and the
saved pages carry it as a ``<meta http-equiv>`` tag, so they are protected from ``file://``
or any web host too.

Example:
    >>> "script-src 'self'" in PAGE_POLICY, "frame-ancestors" in PAGE_POLICY
    (True, False)
"""

from __future__ import annotations

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)
"""What a page may load: the site's own files (the ``<meta>`` tag of every page)."""

CONTENT_SECURITY_POLICY = PAGE_POLICY + "; frame-ancestors 'none'"
"""The served pages' header: also never framed by another site (clickjacking)."""

EMBED_POLICY = PAGE_POLICY + "; frame-ancestors *"
"""The embeddable canvas (``/maps/{slug}/embed``): made to be framed, and has no actions."""
