from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from loopwise.errors import ImportFormatError
from loopwise.formats.causal_map import read_xlsx, write_xlsx
from loopwise.formats.tables import xlsx_bytes
from loopwise.model import Map


def test_causal_map_quotes_become_evidence(data_dir: Path) -> None:
    m = read_xlsx((data_dir / "causal-map.xlsx").read_bytes(), "causal-map.xlsx")
    assert [f.label for f in m.factors] == ["Debt", "Stress", "Drinking", "Reoffending",
                                            "Housing support"]  # fmt: skip
    debt = m.link("debt--stress")
    assert [ev.text[:20] for ev in debt.evidence] == [
        "I owed the council t",
        "The letters kept com",
    ]
    assert [ev.source for ev in debt.evidence] == ["p01", "p02"]
    assert all(ev.kind == "quote" and ev.status == "accepted" for ev in debt.evidence)
    assert all(lk.tags == ["polarity:unknown"] for lk in m.links)
    assert m.link("housing-support--stress").evidence == []  # an assumption
    p2 = m.source("p02")
    assert p2.title == "Interview with participant 2" and p2.kind == "interview"
    assert p2.attributes == {"gender": "female", "sentence length": "under 12 months"}
    assert m.link_confidence("debt--stress").evidence_count == 2


def test_causal_map_round_trip_keeps_links_evidence_and_sources(small_map: Map) -> None:
    back = read_xlsx(write_xlsx(small_map), "cm.xlsx")
    assert [f.id for f in back.factors] == [f.id for f in small_map.factors]
    assert [(lk.id, lk.polarity, lk.strength, lk.delay) for lk in back.links] == [
        (lk.id, lk.polarity, lk.strength, lk.delay) for lk in small_map.links
    ]
    assert [lk.evidence for lk in back.links] == [lk.evidence for lk in small_map.links]
    assert [(s.id, s.kind, s.title, s.year) for s in back.sources] == [
        (s.id, s.kind, s.title, s.year) for s in small_map.sources
    ]


def test_written_workbook_has_causal_map_sheets(small_map: Map) -> None:
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(small_map)))
    assert book.sheetnames == ["links", "sources"]
    assert [c.value for c in book["links"][1]][:4] == ["cause", "effect", "quote", "source_id"]
    assert book["links"]["C2"].value == "65 per cent"


def test_from_to_columns_and_unattributed_quotes() -> None:
    book = xlsx_bytes({"links": [["from", "to", "quote"], ["A", "B", "A made B worse"]]})
    m = read_xlsx(book, "cm.xlsx")
    assert m.sources[0].id == "unattributed" and m.links[0].evidence[0].source == "unattributed"


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        ({"links": [["cause", "quote"], ["A", "x"]]}, r"sheet 'links': missing column 'effect'"),
        ({"links": [["cause", "effect"], ["A", None]]}, r"sheet 'links' row 2: no effect"),
        (
            {
                "links": [["cause", "effect"], ["A", "B"]],
                "sources": [["source_id"], ["P1"], ["P1"]],
            },
            r"sheet 'sources' row 3: duplicate source_id 'P1'",
        ),
        (
            {"links": [["cause", "effect", "quote", "status"], ["A", "B", "q", "maybe"]]},
            r"row 2: status 'maybe' is not one of accepted, rejected, suggested",
        ),
        ({"Sheet1": [["a"]]}, r"no 'links' sheet \(sheets: sheet1\)"),
    ],
)
def test_bad_causal_map_files_name_sheet_and_row(sheets, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        read_xlsx(xlsx_bytes(sheets), "cm.xlsx")
