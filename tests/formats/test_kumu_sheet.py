from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings

from loopwise.errors import ImportFormatError
from loopwise.formats.kumu_sheet import (
    read_csv,
    read_xlsx,
    write_csv_pair,
    write_csv_zip,
    write_xlsx,
)
from loopwise.formats.tables import xlsx_bytes
from loopwise.model import Map
from strategies import maps


def sheet_clean(map_: Map, clean_for_xml) -> Map:
    """What a spreadsheet cell holds: no control characters, blank cells are empty, numbers
    have 15 significant digits, carriage returns read back as line feeds, and tags are pipe-separated, trimmed words."""
    data = clean_for_xml(map_).to_dict()
    data = json.loads(json.dumps(data).replace("\\r", "\\n"))  # XLSX (XML) line ends
    for item in data["factors"] + data["links"]:
        for key in ("description", "mechanism"):
            if key in item and not item[key].strip():
                item[key] = ""
        item["tags"] = [t.strip() for t in item.get("tags", []) if t.strip() and "|" not in t]
        item.pop("confidence", None)
        if isinstance(item.get("strength"), float):  # Excel keeps 15 significant digits
            item["strength"] = float(f"{item['strength']:.12g}")
    for factor in data["factors"]:
        if not factor["label"].strip():
            factor["label"] = "x"
    return Map.from_dict(data)


def test_xlsx_reads_elements_connections_and_fans_out(data_dir: Path) -> None:
    m = read_xlsx((data_dir / "kumu.xlsx").read_bytes(), "kumu.xlsx")
    assert [f.id for f in m.factors] == ["homelessness", "reoffending", "short-prison-sentences",
                                         "stable-employment"]  # fmt: skip
    home = m.factor("homelessness")
    assert home.tags == ["housing", "release"] and home.theme == "housing"
    assert home.custom == {"kumu_type": "Factor", "Local area": "Leeds"}
    fanned = [lk for lk in m.links if lk.source_factor == "homelessness"]
    assert [lk.target_factor for lk in fanned] == ["reoffending", "short-prison-sentences"]
    assert all(lk.strength == "strong" and lk.tags == ["strong evidence"] for lk in fanned)
    assert m.link("stable-employment--reoffending").strength == -0.6


def test_csv_pair_reads_the_partner_file(data_dir: Path) -> None:
    from_connections = read_csv((data_dir / "kumu-connections.csv").read_bytes(),
                                str(data_dir / "kumu-connections.csv"))  # fmt: skip
    from_xlsx = read_xlsx((data_dir / "kumu.xlsx").read_bytes(), "kumu.xlsx")
    assert from_connections.factors == from_xlsx.factors
    assert from_connections.links == from_xlsx.links


def test_connections_only_csv_creates_factors(tmp_path: Path) -> None:
    m = read_csv(b"From,To,Type\nJobs,Crime|Debt,-\nDebt,Crime,\n", str(tmp_path / "links.csv"))
    assert [f.label for f in m.factors] == ["Jobs", "Crime", "Debt"]
    assert m.link("debt--crime").tags == ["polarity:unknown"]


@pytest.mark.parametrize(
    ("elements", "connections", "message"),
    [
        (
            [["Name"], ["A"]],
            [["From", "To"]],
            r"sheet 'Elements': missing column 'label' \(columns found: 'Name'\)",
        ),
        (
            [["Label"], ["A"], ["B"]],
            [["From", "Target"], ["A", "B"]],
            r"sheet 'Connections': missing column 'to'",
        ),
        (
            [["Label"], ["A"], ["B"]],
            [["From", "To"], ["A", "B|Q"]],
            r"sheet 'Connections' row 2: unknown element 'Q'",
        ),
        (
            [["Label"], ["A"], ["B"], ["a"]],
            [["From", "To"]],
            r"sheet 'Elements' row 4: duplicate label 'a' \(first at row 2\)",
        ),
        (
            [["ID", "Label"], ["x1", "A"], ["x1", "B"]],
            [["From", "To"]],
            r"row 3: duplicate ID 'x1'",
        ),
    ],
)
def test_bad_sheets_name_sheet_row_and_problem(elements, connections, message: str) -> None:
    book = xlsx_bytes({"Elements": elements, "Connections": connections})
    with pytest.raises(ImportFormatError, match=message) as caught:
        read_xlsx(book, "k.xlsx")
    assert str(caught.value).startswith("k.xlsx: ")


def test_written_xlsx_opens_in_openpyxl_with_kumu_columns(small_map: Map) -> None:
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(small_map)))
    assert book.sheetnames == ["Elements", "Connections"]
    header = [c.value for c in book["Connections"][1]]
    assert header[:7] == ["From", "To", "Type", "Description", "Tags", "Label", "Strength"]
    assert [c.value for c in book["Elements"][1]][:2] == ["ID", "Label"]


def test_formula_like_text_stays_text() -> None:
    m = Map.from_dict(
        {
            "slug": "f",
            "title": "F",
            "factors": [{"id": "a", "label": '=HYPERLINK("http://x")'}, {"id": "b", "label": "B"}],
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(m)))
    cell = book["Elements"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=")
    assert read_xlsx(write_xlsx(m), "f.xlsx").factor("a").label == m.factor("a").label


@settings(max_examples=25, deadline=None)
@given(maps())
def test_xlsx_round_trip_keeps_what_a_sheet_holds(projection, clean_for_xml, map_: Map) -> None:
    map_ = sheet_clean(map_, clean_for_xml)
    back = read_xlsx(write_xlsx(map_), "x.xlsx")
    assert projection(back, map_fields=()) == projection(map_, map_fields=())


@settings(max_examples=25, deadline=None)
@given(maps())
def test_csv_zip_round_trip_keeps_what_a_sheet_holds(projection, clean_for_xml, map_: Map) -> None:
    map_ = sheet_clean(map_, clean_for_xml)
    back = read_csv(write_csv_zip(map_), "x.zip")
    assert projection(back, map_fields=()) == projection(map_, map_fields=())


def test_csv_pair_written_side_by_side_reads_back(tmp_path: Path, small_map: Map) -> None:
    elements, connections = write_csv_pair(small_map)
    (tmp_path / "map-elements.csv").write_text(elements, encoding="utf-8")
    (tmp_path / "map-connections.csv").write_text(connections, encoding="utf-8")
    path = tmp_path / "map-elements.csv"
    back = read_csv(path.read_bytes(), str(path))
    assert [(lk.id, lk.polarity, lk.strength, lk.delay) for lk in back.links] == [
        (lk.id, lk.polarity, lk.strength, lk.delay) for lk in small_map.links
    ]
    assert zipfile.ZipFile(io.BytesIO(write_csv_zip(small_map))).namelist() == [
        "elements.csv",
        "connections.csv",
    ]
    assert elements.startswith("ID,Label,Type")
