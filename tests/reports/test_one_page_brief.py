"""The one-page brief for an MP (and the full brief under the same rules): one A4 page, no
analyst jargon, no internal notes, and never "nobody acts" beside an organisation that does."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from loopwise.analysis.coverage import acting_on
from loopwise.cli import app
from loopwise.model import Map
from loopwise.reports import build_brief, render_brief
from loopwise.reports.content import JARGON
from loopwise.store import open_store
from loopwise.web.app import create_app

SHORT_SENTENCES = ("short-custodial-sentences", "reoffending")


def subjects(m: Map) -> list[dict]:
    """Every named loop, the short-sentences path and a few factors."""
    return [
        *({"loop": lp.id} for lp in m.curated_loops),
        {"path": SHORT_SENTENCES},
        *({"factor": f} for f in ("substance-dependency", "fear-of-recall",
                                  "short-custodial-sentences", "settled-accommodation")),
    ]  # fmt: skip


def text_of(html: str) -> str:
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def quoted_evidence(m: Map) -> list[str]:
    """The map's own words (sources' text, curators' descriptions): the brief quotes them;
    the jargon rule is about the brief's own wording."""
    texts = [ev.text for _, _, ev in m.evidence_items()]
    texts += [ev.caveat for _, _, ev in m.evidence_items() if ev.caveat]
    for item in m.interventions:
        texts += [item.description, *(x.text for x in item.measured)]
        texts += [x.caveat for x in item.measured if x.caveat]
    texts += [f.description for f in m.factors] + [lk.mechanism for lk in m.links]
    texts += [lp.narrative for lp in m.curated_loops] + [o.description for o in m.organisations]
    return sorted((t for t in texts if t), key=len, reverse=True)


@pytest.mark.parametrize("length", ["one-page", "full"])
def test_no_jargon_and_no_internal_notes(builtin: Map, length: str) -> None:
    notes = [ev.note for _, _, ev in builtin.evidence_items() if ev.note.strip()]
    assert notes, "the map has internal notes to check against"
    quoted = quoted_evidence(builtin)
    for subject in subjects(builtin):
        html = render_brief(build_brief(builtin, length=length, **subject), "html").decode()
        words = text_of(html)
        for text in quoted:  # what sources say may use any word; the brief's own words not
            words = words.replace(text, " ")
        lowered = words.lower()
        for word in JARGON:
            assert not re.search(rf"\b{re.escape(word)}\b", lowered), (subject, word)
        for note in notes:
            assert note not in html, (subject, note[:60])


def test_nobody_acting_means_no_such_organisation_in_the_brief(builtin: Map) -> None:
    cover = acting_on(builtin.without_inferences())
    said_nobody = 0
    for length in ("one-page", "full"):
        for subject in subjects(builtin):
            brief = build_brief(builtin, length=length, **subject)
            words = text_of(render_brief(brief, "html").decode())
            for fid in brief.nobody:
                said_nobody += 1
                direct = {a for o in builtin.organisations for a in [o] if
                          any(x.factor == fid for x in o.acts_on)}  # fmt: skip
                for org in direct | {builtin.organisation(o) for o in cover[fid].organisations}:
                    assert org.name not in words, (subject, fid, org.name)
                assert fid not in {line.factor_id for line in brief.acting}
    assert said_nobody > 0  # the rule is exercised (fear of recall: nobody works on it)


def test_dependency_is_reached_through_treatment_not_nobody(builtin: Map) -> None:
    brief = build_brief(builtin, loop="drugs-crime-prison-cycle", length="one-page")
    assert "substance-dependency" not in brief.nobody
    line = next(x for x in brief.acting if x.factor_id == "substance-dependency")
    assert line.how == "upstream" and "Change Grow Live" in line.words
    html = render_brief(brief, "html").decode()
    assert "Nobody working on" not in html and "nobody works on Drug and alcohol" not in html


def test_small_map_contradiction_case() -> None:
    m = Map.from_dict({
        "slug": "c", "title": "C",
        "factors": [{"id": "help", "label": "Help", "kind": "service"},
                    {"id": "need", "label": "Need"}, {"id": "alone", "label": "Alone"},
                    {"id": "reoffending", "label": "Reoffending", "kind": "outcome"}],
        "links": [{"from": "help", "to": "need", "polarity": "-"},
                  {"from": "need", "to": "reoffending", "polarity": "+"},
                  {"from": "reoffending", "to": "alone", "polarity": "+"},
                  {"from": "alone", "to": "need", "polarity": "+"}],
        "organisations": [{"id": "o", "name": "Helpers", "acts_on": [{"factor": "help"}]}],
    })  # fmt: skip
    brief = build_brief(m, loop="need,reoffending,alone", length="one-page")
    assert brief.nobody == ["alone"]
    assert [x.factor_id for x in brief.acting] == ["need"]
    assert "through Help: Helpers" in brief.acting[0].words


def test_short_sentences_path_headline_and_measured(builtin: Map) -> None:
    brief = build_brief(builtin, path=SHORT_SENTENCES, length="one-page")
    assert brief.ask.startswith("Reduce the use of short custodial sentences")
    first = brief.headline[0]
    assert first.kind == "figure" and first.source_kind == "statistic"
    assert first.year == max(e.year or 0 for e in brief.evidence if e.source_kind == "statistic")
    assert len(brief.headline) == 3
    measured = [m for item in brief.interventions for m in item.measured]
    assert any("matched comparison" in result and caveat for result, _, _, caveat in measured)


def _pages(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_one_page_pdfs_are_one_a4_page(builtin: Map, weasyprint_ok: None) -> None:
    import pypdf

    for subject in subjects(builtin)[: len(builtin.curated_loops) + 1]:  # loops and the path
        pdf = render_brief(build_brief(builtin, length="one-page", **subject), "pdf")
        assert _pages(pdf) == 1, subject
        box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_one_page_docx(builtin: Map) -> None:
    import docx

    data = render_brief(build_brief(builtin, path=SHORT_SENTENCES, length="one-page"), "docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "The ask: Reduce the use of short custodial sentences" in text
    assert "The strongest evidence" in text and "What is missing" in text


def test_bad_length(builtin: Map) -> None:
    from loopwise.errors import ValidationError

    with pytest.raises(ValidationError, match="unknown length 'two-page'"):
        build_brief(builtin, path=SHORT_SENTENCES, length="two-page")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- CLI and API
runner = CliRunner()


def test_cli_length(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["brief", "breaking-the-cycle", "--path", *SHORT_SENTENCES,
                                 "--length", "one-page", "--format", "html"])  # fmt: skip
    assert result.exit_code == 0, result.output
    out = (
        tmp_path
        / "brief-breaking-the-cycle-path-short-custodial-sentences-to-reoffending-one-page.html"
    )
    assert 'body class="one-page"' in out.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["brief", "breaking-the-cycle", "--path", *SHORT_SENTENCES,
                              "--length", "short"])  # fmt: skip
    assert bad.exit_code == 1 and "--length" in bad.output and bad.output.count("\n") == 1


@pytest.fixture
def client(tmp_path: Path, builtin: Map) -> TestClient:
    store = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    store.create_map(builtin, author="test")
    return TestClient(create_app(store))


def test_served_html_brief_is_styled_under_the_csp(client: TestClient) -> None:
    for length in ("one-page", "full"):
        response = client.get(
            "/api/maps/breaking-the-cycle/brief",
            params={"loop": "short-sentence-cycle", "length": length},
        )
        assert response.status_code == 200
        assert "style-src 'self'" in response.headers["content-security-policy"]
        assert "<style" not in response.text and ' style="' not in response.text
        assert '<link rel="stylesheet" href="brief.css">' in response.text
    css = client.get("/api/maps/breaking-the-cycle/brief.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "body.one-page" in css.text and "@page" in css.text
    bad = client.get("/api/maps/breaking-the-cycle/brief", params={"loop": "short-sentence-cycle",
                                                                 "length": "tiny"})  # fmt: skip
    assert bad.status_code == 422


def test_explorer_links_to_one_page_briefs(client: TestClient) -> None:
    loops = client.get("/maps/breaking-the-cycle/loops").text
    assert "length=one-page" in loops and "One-page brief" in loops
    paths = client.get(
        "/maps/breaking-the-cycle/paths",
        params={"from": SHORT_SENTENCES[0], "to": SHORT_SENTENCES[1]},
    ).text
    assert "length=one-page" in paths
