"""Documents made from a map for people outside it: evidence briefs (HTML, PDF, DOCX) and
the funder's portfolio (organisations and funding read from a spreadsheet).

- :mod:`~loopwise.reports.content`: what a brief says (:func:`build_brief`);
- :mod:`~loopwise.reports.diagram`: its small black-and-white SVG diagram;
- :mod:`~loopwise.reports.html_brief`, :mod:`~loopwise.reports.pdf_brief`,
  :mod:`~loopwise.reports.docx_brief`: how it is laid out in each format;
- :mod:`~loopwise.reports.portfolio`: organisations and funding from a CSV / XLSX file.

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> brief = build_brief(load_builtin_map("breaking-the-cycle"), factor="financial-hardship")
    >>> data = render_brief(brief, "html")
    >>> BRIEF_FORMATS["html"].media_type, data[:15]
    ('text/html; charset=utf-8', b'<!DOCTYPE html>')
"""

from __future__ import annotations

from typing import NamedTuple

from loopwise.errors import ValidationError
from loopwise.reports.content import Brief, build_brief, parse_loop_spec


class BriefFormat(NamedTuple):
    name: str
    extension: str
    media_type: str


BRIEF_FORMATS: dict[str, BriefFormat] = {
    "html": BriefFormat("html", ".html", "text/html; charset=utf-8"),
    "pdf": BriefFormat("pdf", ".pdf", "application/pdf"),
    "docx": BriefFormat(
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),  # fmt: skip
}


def brief_format(name: str) -> BriefFormat:
    """The format called ``name`` (html, pdf or docx); ValidationError otherwise."""
    if name not in BRIEF_FORMATS:
        raise ValidationError(
            f"unknown brief format {name!r} (choose from {', '.join(BRIEF_FORMATS)})", "format"
        )
    return BRIEF_FORMATS[name]


def render_brief(brief: Brief, format: str = "html", *, stylesheet: str | None = None) -> bytes:
    """The brief as the bytes of a file in ``format`` (html, pdf or docx); an HTML brief
    links ``stylesheet`` instead of inlining its styles when one is given."""
    brief_format(format)
    if format == "pdf":
        from loopwise.reports.pdf_brief import render_pdf

        return render_pdf(brief)
    if format == "docx":
        from loopwise.reports.docx_brief import render_docx

        return render_docx(brief)
    from loopwise.reports.html_brief import render_html

    return render_html(brief, stylesheet=stylesheet).encode("utf-8")


__all__ = [
    "BRIEF_FORMATS",
    "Brief",
    "BriefFormat",
    "brief_format",
    "build_brief",
    "parse_loop_spec",
    "render_brief",
]
