"""A brief as a tagged PDF, printed from its HTML by WeasyPrint.

WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0``)
and a font (``fonts-liberation`` or ``fonts-dejavu-core``). :func:`weasyprint_problem` says
why it cannot run here, or returns ``None``.

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> from loopwise.reports.content import build_brief
    >>> pdf = render_pdf(build_brief(load_builtin_map("breaking-the-cycle"),
    ...                               loop="short-sentence-cycle"))  # doctest: +SKIP
    >>> pdf[:5]  # doctest: +SKIP
    b'%PDF-'
"""

from __future__ import annotations

from loopwise.errors import LoopwiseError
from loopwise.reports.content import Brief
from loopwise.reports.html_brief import render_html


class BriefRenderError(LoopwiseError):
    """A brief could not be rendered (a missing library, for example)."""


def weasyprint_problem() -> str | None:
    """Why WeasyPrint cannot run here (missing package or system libraries), else None."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi on import)
    except ImportError as exc:
        return f"WeasyPrint is not installed ({exc})"
    except OSError as exc:  # the system libraries (Pango, HarfBuzz...) are missing
        return f"WeasyPrint cannot load its system libraries ({exc})"
    return None


def render_pdf(brief: Brief) -> bytes:
    """The brief as a PDF (A4, tagged for screen readers, title and language set)."""
    problem = weasyprint_problem()
    if problem:
        raise BriefRenderError(f"cannot write a PDF brief: {problem}")
    import weasyprint

    html = weasyprint.HTML(string=render_html(brief, inline_svg=False), base_url=".")
    document = html.render(pdf_tags=True)
    document.metadata.title = f"{brief.title}: evidence brief"
    document.metadata.authors = [f"loopwise ({brief.map_title})"]
    document.metadata.lang = "en"
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf
