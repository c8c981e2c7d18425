"""A brief as a Word document (python-docx): real headings, list and quote styles, a table
with a header row, and the diagram as a PNG picture with its alternative text.

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> from loopwise.reports.content import build_brief
    >>> data = render_docx(build_brief(load_builtin_map("breaking-the-cycle"),
    ...                                 loop="short-sentence-cycle"))
    >>> data[:2]
    b'PK'
"""

from __future__ import annotations

import io
from typing import Any

from loopwise.reports.content import NOBODY_HERE, NOTHING_MISSING, Brief
from loopwise.reports.diagram import MINUS
from loopwise.reports.html_brief import short_citation

_NO_XML = dict.fromkeys(list(range(0, 9)) + [11, 12] + list(range(14, 32)))


def _clean(text: str) -> str:
    """Drop control characters XML cannot hold (user text is otherwise kept exactly)."""
    return text.translate(_NO_XML)


def _new_document(
    title: str,
    subtitle: str,
    *,
    font_pt: float,
    side_cm: float,
    top_cm: float,
    keywords: str | None = None,
) -> Any:
    """An empty Word document with the brief's properties, body font size and page margins."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    props = document.core_properties
    props.title = _clean(title)
    props.subject = _clean(subtitle)
    props.author = "loopwise"
    if keywords is not None:
        props.keywords = keywords
    props.language = "en-GB"
    style = document.styles["Normal"]
    style.font.name = "Liberation Sans"
    style.font.size = Pt(font_pt)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(side_cm)
        section.top_margin = section.bottom_margin = Cm(top_cm)
    return document


def render_docx(brief: Brief) -> bytes:
    """The brief as a ``.docx`` file (the one-page layout when ``brief.length`` says so)."""
    if brief.length == "one-page":
        return _render_one_page(brief)
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = _new_document(
        f"{brief.title}: evidence brief", brief.subtitle, font_pt=10.5, side_cm=1.8, top_cm=1.6,
        keywords=f"evidence brief; {brief.map_slug}; {brief.kind}",
    )  # fmt: skip

    def para(text: str = "", style: str | None = None, size: float | None = None,
             italic: bool = False) -> Any:  # fmt: skip
        paragraph = document.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(_clean(text))
            run.italic = italic
            if size:
                run.font.size = Pt(size)
        return paragraph

    para(f"EVIDENCE BRIEF · {brief.map_title}", size=8.5)
    document.add_heading(_clean(brief.title), level=0)
    kind = {"R": " (R)", "B": " (B)", "?": " (?)"}.get(brief.loop_kind or "", "")
    para(brief.subtitle + kind, italic=True)
    para(
        f"From the systems map {brief.map_title} ({brief.map_slug}, licence {brief.licence}), "
        f"{brief.generated.isoformat()}. Quotes are copied exactly from their sources; every "
        "figure gives its year and source.",
        size=8.5,
    )

    document.add_heading(f"The {brief.kind} in words", level=1)
    if brief.narrative:
        para(brief.narrative)
    para(brief.summary)
    picture = document.add_picture(io.BytesIO(brief.diagram.png()), width=Cm(15))
    doc_pr = picture._inline.docPr  # the picture's alternative text lives here
    doc_pr.set("descr", _clean(brief.diagram.alt))
    doc_pr.set("title", _clean(brief.diagram.title))
    para(
        f"{brief.diagram.title}. Arrowhead and +: both move the same way; bar head and "
        f"{MINUS}: they move in opposite ways (as on the map).",
        size=8.5,
    )
    document.add_heading("Step by step", level=2)
    for step in brief.steps:
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(_clean(f"{step.from_label} → {step.to_label} ({step.sign})")).bold = True
        if step.delay:
            paragraph.add_run(" (with a delay)").italic = True
        text = f"As {step.from_label} goes up, {step.to_label} {step.effect}."
        if step.mechanism:
            text += f" {step.mechanism}"
        paragraph.add_run(_clean(f"\n{text}\nEvidence: {step.confidence} "
                                 f"({step.evidence_count} item(s))"))  # fmt: skip
    if brief.loops_note:
        para(brief.loops_note)
    if brief.other_paths:
        document.add_heading("Other paths", level=2)
        for text in brief.other_paths:
            para(text, style="List Bullet")

    document.add_heading("Why it matters", level=1)
    if brief.leverage:
        for sentence in brief.why:
            para(sentence)
        for ev in brief.cost:
            para(f"What it costs: {ev.text} (Year: {ev.year or 'not stated'}. Source: "
                 f"{ev.citation})")  # fmt: skip
        header = ["Factor", f"Rank for changing {brief.leverage_target}", "Who works on it",
                  "For a funder or campaigner"]  # fmt: skip
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = _clean(text)
            cell.paragraphs[0].runs[0].bold = True
        row_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # a header row for screen readers and page breaks
        repeat.set(qn("w:val"), "true")
        row_pr.append(repeat)
        for row in brief.leverage:
            values = [
                row.label, f"{row.rank} of {brief.leverage_count}",
                row.who if row.who != "nobody" else "nobody on the map", row.verdict or "–",
            ]  # fmt: skip
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = _clean(text)
                if row.gap:
                    cell.paragraphs[0].runs[0].bold = True
    else:
        para("Leverage is not ranked for this brief.")

    document.add_heading("The evidence", level=1)
    sections = [("In people's own words, and from the literature", brief.quotes),
                ("Figures", brief.figures), ("Findings", brief.findings)]  # fmt: skip
    for heading, items in sections:
        if not items:
            continue
        document.add_heading(heading, level=2)
        for ev in items:
            para(ev.about.upper(), size=8)
            quote = document.add_paragraph(style="Quote")
            if ev.kind == "figure":
                quote.add_run(_clean(ev.text)).bold = True
            else:
                quote.add_run(_clean(f"“{ev.text}”"))
            if ev.kind == "figure":
                credit = f"Year: {ev.year or 'not stated'}. Source: {ev.citation}"
            elif ev.source_kind == "interview":
                who = f" ({ev.attributes})" if ev.attributes else ""
                credit = f"A participant{who}. Source: {ev.citation}"
            else:
                who = f"{ev.attributes[:1].upper()}{ev.attributes[1:]}. " if ev.attributes else ""
                credit = f"{who}Source: {ev.citation}"
            if ev.locator:
                credit += f", {ev.locator}"
            para(credit, size=8.5)
            if ev.note:
                para(f"Caveat: {ev.note}", size=8.5)
    if not brief.evidence:
        para("The map holds no accepted evidence for these links yet.")
    if brief.evidence_omitted:
        para(f"{brief.evidence_omitted} more evidence item(s) on these links are on the map.",
             size=8.5)  # fmt: skip

    document.add_heading("What is being done", level=1)
    for acting in brief.acting:
        para(f"{acting.label}: {acting.words}", style="List Bullet")
    if not brief.organisations and not brief.acting:
        para(NOBODY_HERE)
    for org in brief.organisations:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(_clean(org.name)).bold = True
        where = f", {org.where}" if org.where else ""
        detail = f" ({org.kind}{where})" + (f": {org.description}" if org.description else "")
        paragraph.add_run(_clean(detail))
        if org.url:
            paragraph.add_run(_clean(f" {org.url}"))
        for label, note, citation in org.actions:
            text = f"On {label}" + (f": {note}" if note else "")
            text += f" (Source: {citation})" if citation else ""
            para(text, style="List Bullet 2")
        for line in org.funding:
            para(f"Funding: {line}", style="List Bullet 2")

    if brief.interventions:
        document.add_heading("What has been measured", level=1)
    for item in brief.interventions:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(_clean(item.label)).bold = True
        detail = f" (acts on {', '.join(item.factors)})"
        paragraph.add_run(_clean(detail + (f": {item.description}" if item.description else "")))
        for result, words, citation, caveat in item.measured:
            text = f"{result}: “{words}”" + (f" (Source: {citation})" if citation else "")
            para(text + (f" Caveat: {caveat}" if caveat else ""), style="List Bullet 2")
        if not item.measured:
            para("No measured effect on reoffending in the map.", style="List Bullet 2")

    document.add_heading("What is missing", level=1)
    for text in brief.missing:
        para(text, style="List Bullet")
    if not brief.missing:
        para(NOTHING_MISSING)
    para("Made with loopwise, open-source systems mapping.", size=8)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _render_one_page(brief: Brief) -> bytes:
    """The one-page brief as a ``.docx``: the same sections as its HTML, in narrow margins."""
    from docx.shared import Cm, Pt

    document = _new_document(
        f"{brief.title}: one-page brief", brief.subtitle, font_pt=9, side_cm=1.3, top_cm=1.1
    )

    def para(text: str, style: str | None = None, size: float | None = None,
             bold_lead: str = "") -> None:  # fmt: skip
        paragraph = document.add_paragraph(style=style)
        paragraph.paragraph_format.space_after = Pt(2)
        if bold_lead:
            paragraph.add_run(_clean(bold_lead)).bold = True
        run = paragraph.add_run(_clean(text))
        if size:
            run.font.size = Pt(size)

    para(f"BRIEF · {brief.map_title}", size=7.5)
    document.add_heading(_clean(brief.title), level=1)
    if brief.ask:
        para(brief.ask, bold_lead="The ask: ", size=10.5)
    document.add_heading("Why it matters", level=2)
    picture = document.add_picture(io.BytesIO(brief.diagram.png()), width=Cm(8))
    doc_pr = picture._inline.docPr
    doc_pr.set("descr", _clean(brief.diagram.alt))
    doc_pr.set("title", _clean(brief.diagram.title))
    para(brief.summary)
    for sentence in brief.why:
        para(sentence, size=8.5)
    for ev in brief.cost:
        year = f", {ev.year}" if ev.year else ""
        para(f"{ev.text} ({short_citation(ev.citation)}{year})", bold_lead="What it costs: ")
    document.add_heading("The strongest evidence", level=2)
    for ev in brief.headline:
        text = f"“{ev.text}”" if ev.kind == "quote" else ev.text
        para(text, style="List Bullet")
        year = f", {ev.year}" if ev.year else ""
        caveat = f". Caveat: {ev.note}" if ev.note else ""
        para(f"{ev.about} · {short_citation(ev.citation)}{year}{caveat}", size=7.5)
    document.add_heading("Who already acts", level=2)
    for line in brief.acting:
        para(line.words, style="List Bullet", bold_lead=f"{line.label}: ")
    if not brief.acting:
        para(NOBODY_HERE)
    document.add_heading("What has been measured", level=2)
    for item in brief.interventions:
        for result, _words, citation, caveat in item.measured:
            extra = short_citation(citation) + (f". Caveat: {caveat}" if caveat else "")
            para(f"{result}. {extra}", style="List Bullet", bold_lead=f"{item.label}: ")
    if not brief.interventions:
        para("No measured result on the map for these factors.")
    document.add_heading("What is missing", level=2)
    for text in brief.missing:
        para(text, style="List Bullet")
    if not brief.missing:
        para(NOTHING_MISSING)
    para(
        f"From the systems map {brief.map_title} ({brief.map_slug}, licence {brief.licence}), "
        f"{brief.generated.isoformat()}. Made with loopwise.",
        size=7,
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
