"""A brief as a self-contained HTML page (Jinja2, autoescaped; the stylesheet is inlined).

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> from loopwise.reports.content import build_brief
    >>> page = render_html(build_brief(load_builtin_map("breaking-the-cycle"),
    ...                                 loop="short-sentence-cycle"))
    >>> page.startswith("<!DOCTYPE html>"), 'role="img"' in page
    (True, True)
"""

from __future__ import annotations

import base64
import functools

import jinja2

from loopwise.reports.content import Brief, format_score
from loopwise.reports.diagram import MINUS


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("loopwise.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(brief: Brief, *, inline_svg: bool = True) -> str:
    """The brief as an HTML document.

    ``inline_svg`` puts the diagram in the page as ``<svg role="img">`` (best in browsers);
    otherwise as an ``<img alt=...>`` with an SVG data URI (what the PDF uses, so the
    diagram is tagged as a figure with its alternative text).
    """
    uri = "data:image/svg+xml;base64," + base64.b64encode(brief.diagram.svg.encode()).decode()
    template = _environment().get_template("brief.html")
    return template.render(
        brief=brief, inline_svg=inline_svg, diagram_uri=uri, fmt=format_score, minus=MINUS
    )
