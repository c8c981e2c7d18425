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
import re

import jinja2

from loopwise.reports.content import NOBODY_HERE, NOTHING_MISSING, Brief, format_score
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


def render_html(brief: Brief, *, inline_svg: bool = True, stylesheet: str | None = None) -> str:
    """The brief as an HTML document (the one-page layout when ``brief.length`` says so).

    ``inline_svg`` puts the diagram in the page as ``<svg role="img">`` (best in browsers);
    otherwise as an ``<img alt=...>`` with an SVG data URI (what the PDF uses, so the
    diagram is tagged as a figure with its alternative text). ``stylesheet``: link this
    stylesheet (:func:`brief_stylesheet` serves it) instead of inlining the styles, as a
    server with a strict Content-Security-Policy must; without it the file stands alone.
    """
    uri = "data:image/svg+xml;base64," + base64.b64encode(brief.diagram.svg.encode()).decode()
    name = "brief_one_page.html" if brief.length == "one-page" else "brief.html"
    template = _environment().get_template(name)
    return template.render(
        brief=brief, inline_svg=inline_svg, diagram_uri=uri, fmt=format_score, minus=MINUS,
        stylesheet=stylesheet, short=short_citation, nothing_missing=NOTHING_MISSING,
        nobody_here=NOBODY_HERE,
    )  # fmt: skip


def brief_stylesheet() -> str:
    """The briefs' stylesheet (both lengths), for a server to send as ``text/css``.

    >>> "body.one-page" in brief_stylesheet()
    True
    """
    env = _environment()
    assert env.loader is not None
    return "\n".join(
        env.loader.get_source(env, name)[0] for name in ("brief.css", "brief_one_page.css")
    )


def short_citation(citation: str) -> str:
    """A citation without its web address (the full brief and the map keep it).

    >>> short_citation("Eaton, G. (2019). Short sentences. MoJ. https://gov.uk/x")
    'Eaton, G. (2019). Short sentences. MoJ'
    """
    return re.sub(r"\s*https?://\S+", "", citation).strip().rstrip(".")
