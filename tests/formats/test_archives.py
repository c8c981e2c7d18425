"""Hostile archives (issue 15, issue 13 findings 2, 7, 13): every zip is inflated with a
byte cap whatever its directory says, bad ones are one-line errors, nothing is written, and
error bodies never echo large input. Formula-like text is neutralised in CSV exports."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from loopwise.builtin import load_builtin_map
from loopwise.cli import app
from loopwise.errors import ImportFormatError
from loopwise.evidence.documents import DocumentError, read_document
from loopwise.formats import read_map, write_map
from loopwise.formats.archive import inflate_zip
from loopwise.formats.tables import csv_text, neutralise_formula, sheet_names
from loopwise.model import Map
from loopwise.reports.portfolio import read_portfolio

runner = CliRunner()


def _forge(
    archive: bytes, member: str, *, size: int | None = None, crc: int | None = None
) -> bytes:
    """The zip with ``member``'s declared size and/or CRC rewritten, in its local header and
    its central directory entry alike (what a zip bomb or a damaged file looks like)."""
    data = bytearray(archive)
    name = member.encode()
    for signature, crc_at, size_at, name_at in ((b"PK\x03\x04", 14, 22, 30),
                                                (b"PK\x01\x02", 16, 24, 46)):  # fmt: skip
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_length = struct.unpack_from(
                "<H", data, start + name_at - (4 if signature == b"PK\x03\x04" else 18)
            )[0]
            if bytes(data[start + name_at : start + name_at + name_length]) == name:
                if crc is not None:
                    struct.pack_into("<L", data, start + crc_at, crc)
                if size is not None:
                    struct.pack_into("<L", data, start + size_at, size)
            start += 4
    return bytes(data)


def _xlsx_with(sheet_xml_extra: bytes, small_map: Map) -> tuple[bytes, str]:
    """A real Kumu workbook whose first sheet is padded with ``sheet_xml_extra`` (an XML
    comment, so the workbook still reads when the padding is inflated in full)."""
    original = zipfile.ZipFile(io.BytesIO(write_map(small_map, "kumu-xlsx")))
    out = io.BytesIO()
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in original.namelist():
            data = original.read(name)
            if name == member:
                data = data + b"<!--" + sheet_xml_extra + b"-->"
            archive.writestr(name, data)
    return out.getvalue(), member


@pytest.fixture
def lying_bomb(small_map: Map) -> bytes:
    """3 MB of zeros that declare 1 KB, with the CRC of the first 1 KB, as a bomb would."""
    raw, member = _xlsx_with(b"\0" * 3_000_000, small_map)
    full = zipfile.ZipFile(io.BytesIO(raw)).read(member)
    return _forge(raw, member, size=1024, crc=zlib.crc32(full[:1024]))


def _import(path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["import", str(path), "--as", "attempt"])
    return result.exit_code, " ".join(result.output.split())


def _assert_nothing_written() -> None:
    assert "attempt" not in runner.invoke(app, ["maps"]).output


def test_a_member_that_understates_its_size_is_stopped_at_the_cap(
    cli_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lying_bomb: bytes
) -> None:
    monkeypatch.setenv("LOOPWISE_MAX_IMPORT_BYTES", "2000000")
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(lying_bomb)
    code, line = _import(path)
    assert code == 1
    assert re.search(r"error: .*bomb\.xlsx: xl/worksheets/sheet1\.xml inflates to more than "
                     r"the 2,000,000-byte limit of the whole archive \(a zip bomb\?\)", line), line  # fmt: skip
    _assert_nothing_written()


def test_a_member_that_inflates_past_its_declared_size_under_the_cap_is_refused(
    cli_store: Path, tmp_path: Path, small_map: Map
) -> None:
    raw, member = _xlsx_with(b"x" * 50_000, small_map)
    full = zipfile.ZipFile(io.BytesIO(raw)).read(member)
    path = tmp_path / "liar.xlsx"
    path.write_bytes(_forge(raw, member, size=1024, crc=zlib.crc32(full[:1024])))
    code, line = _import(path)
    assert code == 1
    assert f"inflates to {len(full):,} bytes but its directory entry says 1,024" in line, line
    _assert_nothing_written()


def test_a_bad_crc_is_one_line(cli_store: Path, tmp_path: Path, small_map: Map) -> None:
    raw, member = _xlsx_with(b"padding", small_map)
    path = tmp_path / "crc.xlsx"
    path.write_bytes(_forge(raw, member, crc=0x12345678))
    code, line = _import(path)
    assert code == 1
    assert line.endswith("xl/worksheets/sheet1.xml fails its CRC check (damaged archive)"), line
    assert "Traceback" not in line
    _assert_nothing_written()


def test_an_honest_workbook_still_imports(cli_store: Path, tmp_path: Path, small_map: Map) -> None:
    raw, _ = _xlsx_with(b"padding", small_map)
    path = tmp_path / "fine.xlsx"
    path.write_bytes(raw)
    back = read_map(path)
    assert [(lk.id, lk.polarity) for lk in back.links] == [
        (lk.id, lk.polarity) for lk in small_map.links
    ]


def test_format_detection_inflates_workbook_xml_with_a_cap(small_map: Map) -> None:
    original = zipfile.ZipFile(io.BytesIO(write_map(small_map, "kumu-xlsx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in original.namelist():
            data = original.read(name)
            if name == "xl/workbook.xml":
                data += b"<!--" + b" " * 5_000_000 + b"-->"
            archive.writestr(name, data)
    assert sheet_names(out.getvalue()) == []  # over 1 MB: not inflated, not detected
    assert {n.lower() for n in sheet_names(original.fp.getvalue())} >= {"elements"}


def test_the_kumu_csv_zip_uses_the_capped_path(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("connections.csv", b"From,To\nA,B\n" + b"\n" * 400_000)
    forged = _forge(out.getvalue(), "connections.csv", size=12, crc=zlib.crc32(b"From,To\nA,B\n"))
    with pytest.raises(ImportFormatError, match="more than the 100,000-byte limit"):
        inflate_zip(forged, "k.zip", "zip", max_bytes=100_000)
    path = tmp_path / "kumu.zip"
    path.write_bytes(forged)
    with pytest.raises(ImportFormatError, match="directory entry says 12"):
        read_map(path, "kumu-csv")


def _portfolio_xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "factors"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_huge_portfolio_cell_is_refused_without_echoing_it() -> None:
    builtin = load_builtin_map()
    raw = _portfolio_xlsx([["Homes First", "x" * 20_000]])
    with pytest.raises(ImportFormatError) as caught:
        read_portfolio(raw, builtin, "p.xlsx")
    message = str(caught.value)
    assert message == (
        "p.xlsx: sheet 'Sheet' row 2: the cell in column 2 holds 20,000 characters "
        "(at most 10,000): refused"
    )


def test_too_many_portfolio_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from loopwise.reports import portfolio

    monkeypatch.setattr(portfolio, "MAX_PORTFOLIO_ROWS", 50)
    builtin = load_builtin_map()
    raw = _portfolio_xlsx([[f"Org {i}", "housing"] for i in range(60)])
    with pytest.raises(ImportFormatError, match=r"sheet 'Sheet': more than 50 rows: refused"):
        read_portfolio(raw, builtin, "p.xlsx")
    csv = b"name,factors\n" + b"Org,housing\n" * 60
    with pytest.raises(ImportFormatError, match=r"p\.csv: more than 50 rows: refused"):
        read_portfolio(csv, builtin, "p.csv")


def test_a_long_bad_value_is_cut_short_in_the_error() -> None:
    builtin = load_builtin_map()
    raw = ("name,factors\nHomes First," + "nosuchfactor" * 500 + "\n").encode()
    with pytest.raises(Exception) as caught:
        read_portfolio(raw, builtin, "p.csv")
    assert len(str(caught.value)) < 300
    assert "(6,000 characters)" in str(caught.value)


@pytest.fixture
def api(tmp_path: Path) -> TestClient:
    from loopwise.store import open_store
    from loopwise.web.app import create_app

    store = open_store(f"sqlite:///{tmp_path / 'web.db'}")
    store.create_map(load_builtin_map(), author="test")
    yield TestClient(create_app(store), raise_server_exceptions=False)
    store.close()


def test_the_anonymous_portfolio_upload_answers_422_to_a_bomb_and_a_huge_cell(
    api: TestClient, lying_bomb: bytes, tmp_path: Path
) -> None:
    url = "/api/maps/breaking-the-cycle/funding-gaps?filename=p.xlsx"
    bomb = api.post(url, content=lying_bomb)
    assert bomb.status_code == 422, bomb.text[:300]
    assert "directory entry says 1,024" in bomb.json()["detail"]
    huge = api.post(url, content=_portfolio_xlsx([["Homes First", "x" * 2_000_000]]))
    assert huge.status_code == 422
    assert len(huge.content) < 500
    crc = api.post(
        url, content=_forge(_portfolio_xlsx([["A", "housing"]]), "xl/worksheets/sheet1.xml", crc=1)
    )
    assert crc.status_code == 422 and "fails its CRC check" in crc.json()["detail"]


def _docx(paragraphs: int) -> bytes:
    import docx

    document = docx.Document()
    for i in range(paragraphs):
        document.add_paragraph(f"I was homeless, so I reoffended ({i}).")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_with_too_many_paragraphs_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopwise.evidence import documents

    monkeypatch.setattr(documents, "MAX_PARAGRAPHS", 20)
    path = tmp_path / "long.docx"
    path.write_bytes(_docx(30))
    with pytest.raises(DocumentError, match=r"long\.docx: more than 20 paragraphs: refused"):
        read_document(path)
    path.write_bytes(_docx(10))
    assert read_document(path).text.count("reoffended") == 10


def test_a_docx_zip_bomb_and_too_much_text_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopwise.evidence import documents

    raw = _docx(50)
    member = "word/document.xml"
    path = tmp_path / "bomb.docx"
    full = zipfile.ZipFile(io.BytesIO(raw)).read(member)
    path.write_bytes(_forge(raw, member, size=100, crc=zlib.crc32(full[:100])))
    with pytest.raises(DocumentError, match=r"word/document\.xml inflates to .* directory entry"):
        read_document(path)
    monkeypatch.setattr(documents, "MAX_TEXT_CHARS", 500)
    path.write_bytes(raw)
    with pytest.raises(DocumentError, match="more than 500 characters of text: refused"):
        read_document(path)


def test_a_pdf_flate_bomb_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdf
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf (hello) Tj ET " + b" " * 2_000_000)
    compressed = stream.flate_encode()
    page[NameObject("/Contents")] = writer._add_object(compressed)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(out.getvalue())
    with pypdf.apply_configuration(zlib_maximum_output_length=100_000):
        with pytest.raises(
            DocumentError, match=r"bomb\.pdf: (not a readable PDF|the PDF has no)"
        ) as caught:
            read_document(path)
        result = CliRunner().invoke(app, ["evidence", "suggest", str(path)])
    assert "\n" not in str(caught.value)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output

    def limit(*args: object, **kwargs: object) -> None:
        raise pypdf.errors.LimitReachedError("Limit reached while decompressing.")

    monkeypatch.setattr(pypdf, "PdfReader", limit)  # where pypdf raises it outside extraction
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value) == (f"{path}: not a readable PDF (Limit reached while decompressing.)")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x.example","x")', '\'=HYPERLINK("http://x.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-", "-"),
        ("+-", "+-"),
        ("-0.5", "-0.5"),
        ("Housing", "Housing"),
    ],
)
def test_csv_exports_neutralise_formulas(value: str, written: str) -> None:
    assert neutralise_formula(value) == written
    assert csv_text([[value]]).rstrip("\r\n").strip('"') == written.replace('"', '""')


def test_kumu_csv_export_neutralises_and_reads_back_unchanged(tmp_path: Path) -> None:
    m = Map.from_dict({
        "slug": "f", "title": "F",
        "factors": [{"id": "a", "label": '=HYPERLINK("http://x.example","click")'},
                    {"id": "b", "label": "@b"}],
        "links": [{"from": "a", "to": "b", "polarity": "-", "mechanism": "=1+1"}],
    })  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(write_map(m, "kumu-csv")))
    elements = archive.read("elements.csv").decode()
    assert "'=HYPERLINK" in elements and "'@b" in elements
    assert '\r\n"=' not in elements and "\r\n=" not in elements
    path = tmp_path / "f.zip"
    path.write_bytes(archive.fp.getvalue())
    back = read_map(path, "kumu-csv")
    assert [f.label for f in back.factors] == [f.label for f in m.factors]
    assert back.links[0].mechanism == "=1+1" and back.links[0].polarity == "-"


def test_cli_csv_tables_neutralise_labels(cli_store: Path, tmp_path: Path) -> None:
    m = Map.from_dict({
        "slug": "f", "title": "F",
        "factors": [{"id": "a", "label": "=cmd()"}, {"id": "b", "label": "B"}],
        "links": [{"from": "a", "to": "b", "polarity": "+"}, {"from": "b", "to": "a", "polarity": "+"}],
    })  # fmt: skip
    path = tmp_path / "f.json"
    path.write_text(write_map(m, "json"))
    assert runner.invoke(app, ["import", str(path)]).exit_code == 0
    result = runner.invoke(app, ["analyse", "centrality", "f", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "'=cmd()" in result.output
    assert not re.search(r"(^|,)=cmd", result.output, re.M)
