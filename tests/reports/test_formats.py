"""Each brief format for the built-in map, read back: quotes verbatim, citations, diagram."""

from __future__ import annotations

import io
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from loopwise.model import Map
from loopwise.reports import Brief, build_brief, render_brief
from loopwise.reports.html_brief import render_html

SUBJECTS = [
    {"loop": "drugs-crime-prison-cycle"},
    {"loop": "short-sentence-cycle"},
    {"factor": "settled-accommodation"},
    {"path": ("criminal-record-stigma", "short-custodial-sentences")},
]


def _squash(text: str) -> str:
    """Text without any whitespace: PDF extraction breaks lines where the layout did."""
    return "".join(text.split())


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if "style" in self._in:
            return
        self.text.append(data)
        if self._in and self._in[-1] in ("h1", "h2", "h3"):
            self.headings.append(f"{self._in[-1]}:{data.strip()}")


def _check_content(brief: Brief, text: str, squash: bool = False) -> None:
    prepare = _squash if squash else (lambda s: " ".join(s.split()))
    body = prepare(text)
    assert brief.evidence
    for ev in brief.evidence:
        assert prepare(ev.text) in body, ev.text
        assert prepare(ev.citation) in body, ev.citation
    for fig in brief.figures:
        assert prepare(f"Year: {fig.year}") in body
    for step in brief.steps[:8]:
        assert prepare(step.from_label) in body
    for text_ in brief.missing:
        assert prepare(text_) in body


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: "-".join(map(str, s.values())))
def test_html_brief(builtin: Map, subject: dict) -> None:
    brief = build_brief(builtin, **subject)
    page = _Page()
    page.feed(render_brief(brief, "html").decode("utf-8"))
    _check_content(brief, "".join(page.text))
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) == 1 and svgs[0]["role"] == "img"
    assert ("html", {"lang": "en"}) in page.tags
    assert page.headings[0] == f"h1:{brief.title}"
    assert [h for h in page.headings if h.startswith("h2")] == [
        f"h2:The {brief.kind} in words", "h2:Why it matters", "h2:The evidence",
        "h2:What is being done",
        *(["h2:What has been measured"] if brief.interventions else []),
        "h2:What is missing",
    ]  # fmt: skip
    assert any(tag == "th" and attrs.get("scope") == "col" for tag, attrs in page.tags)


def test_html_escapes_user_text(small_map_data: dict) -> None:
    small_map_data["factors"][0]["label"] = "<script>alert(1)</script>"
    small_map_data["links"][2]["evidence"][0]["text"] = "she said <b>no</b> & left"
    brief = build_brief(Map.from_dict(small_map_data), loop="revolving-door")
    page = render_html(brief)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "she said &lt;b&gt;no&lt;/b&gt; &amp; left" in page
    parsed = _Page()
    parsed.feed(page)
    assert "she said <b>no</b> & left" in "".join(parsed.text)  # verbatim once unescaped


def test_pdf_diagram_has_alt_text_in_html_for_print(builtin: Map) -> None:
    brief = build_brief(builtin, loop="short-sentence-cycle")
    page = _Page()
    page.feed(render_html(brief, inline_svg=False))
    (img,) = [attrs for tag, attrs in page.tags if tag == "img"]
    assert img["alt"] == brief.diagram.alt
    assert img["src"].startswith("data:image/svg+xml;base64,")


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: "-".join(map(str, s.values())))
def test_docx_brief(builtin: Map, subject: dict) -> None:
    import docx

    brief = build_brief(builtin, **subject)
    document = docx.Document(io.BytesIO(render_brief(brief, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    _check_content(brief, text)
    (picture,) = document.inline_shapes
    assert picture._inline.docPr.get("descr") == brief.diagram.alt
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:1] == [f"The {brief.kind} in words"]
    assert "What is missing" in headings
    assert document.core_properties.title.startswith(brief.title)
    if brief.leverage:
        header = document.tables[0].rows[0].cells
        assert header[0].text == "Factor"


@pytest.mark.parametrize("subject", SUBJECTS[:3], ids=lambda s: "-".join(map(str, s.values())))
def test_pdf_brief(builtin: Map, subject: dict, weasyprint_ok: None) -> None:
    from pypdf import PdfReader

    brief = build_brief(builtin, **subject)
    data = render_brief(brief, "pdf")
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    _check_content(brief, text, squash=True)
    assert reader.metadata.title == f"{brief.title}: evidence brief"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    assert b"/Alt" in data or b"/Alt" in _uncompressed(reader)


def _uncompressed(reader) -> bytes:
    out = io.BytesIO()
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=reader)
    writer.write(out)
    return out.getvalue()


def test_pdf_first_page_renders_to_png(builtin: Map, tmp_path: Path, weasyprint_ok: None) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    from PIL import Image

    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(render_brief(build_brief(builtin, loop="drugs-crime-prison-cycle"), "pdf"))
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "2", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    with Image.open(pages[0]) as image:
        grey = image.convert("L")
        assert grey.width < grey.height  # portrait A4
        dark = sum(grey.histogram()[:128])
        assert dark > 0.01 * grey.width * grey.height  # text and a diagram, not a blank page
