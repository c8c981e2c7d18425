"""Sheets as plain tables, from XLSX (openpyxl) or CSV, for the spreadsheet formats.

Example:
    >>> t = table_from_csv(b"From,To\\nA,B|C\\n", "links.csv", "Connections")
    >>> t.column("to"), [row.cells for row in t.rows]
    (1, [['A', 'B|C']])
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from loopwise.errors import ImportFormatError
from loopwise.formats._common import decode_text, max_import_bytes


@dataclass
class Row:
    number: int  # as the spreadsheet shows it (the header is row 1)
    cells: list[Any]


@dataclass
class Table:
    name: str
    where: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)

    def column(self, *names: str) -> int | None:
        """Index of the first column whose (case-insensitive) header is one of ``names``."""
        wanted = [n.lower() for n in names]
        lowered = [h.strip().lower() for h in self.header]
        for name in wanted:
            if name in lowered:
                return lowered.index(name)
        return None

    def require(self, *names: str) -> int:
        index = self.column(*names)
        if index is None:
            found = ", ".join(repr(h) for h in self.header if h) or "none"
            raise ImportFormatError(
                f"missing column {names[0]!r} (columns found: {found})",
                f"{self.where}: sheet {self.name!r}",
            )
        return index

    def place(self, row: Row) -> str:
        return f"{self.where}: sheet {self.name!r} row {row.number}"

    @staticmethod
    def cell(row: Row, index: int | None) -> Any:
        if index is None or index >= len(row.cells):
            return None
        value = row.cells[index]
        if isinstance(value, datetime | date | time):
            return value.isoformat()
        if isinstance(value, str) and value.strip() == "":
            return None
        return value


def _table(name: str, where: str, rows: list[list[Any]]) -> Table:
    if not rows:
        return Table(name, where, [])
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    body = [
        Row(number, list(cells))
        for number, cells in enumerate(rows[1:], start=2)
        if any(c is not None and str(c).strip() != "" for c in cells)
    ]
    return Table(name, where, header, body)


def check_zip(raw: bytes, where: str, what: str) -> zipfile.ZipFile:
    """Open a zip (XLSX is one), refusing broken ones and zip bombs before extracting."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ImportFormatError(
            f"not a valid {what} file (damaged or truncated zip)", where
        ) from None
    limit = max_import_bytes()
    if total > limit:
        raise ImportFormatError(f"unpacks to {total:,} bytes, over the {limit:,}-byte limit", where)
    for info in archive.infolist():
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            head = archive.read(info.filename).lower()
            if b"<!doctype" in head or b"<!entity" in head:
                raise ImportFormatError(
                    f"{info.filename} declares a DTD or entities: refused (entity-expansion / "
                    "external-entity attack)",
                    where,
                )
    return archive


def sheet_names(raw: bytes) -> list[str]:
    """The sheet names of an XLSX file (cheap: reads only workbook.xml); [] if not XLSX."""
    from loopwise.formats._common import parse_xml

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        root = parse_xml(archive.read("xl/workbook.xml"), "xlsx")
    except Exception:  # detection must never fail loudly
        return []
    return [el.get("name", "") for el in root.iter() if el.tag.endswith("}sheet")]


def tables_from_xlsx(raw: bytes, where: str) -> dict[str, Table]:
    """Every sheet of an XLSX file as a table, keyed by lower-case sheet name."""
    check_zip(raw, where, "XLSX")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ImportFormatError(
            f"not a readable XLSX workbook ({type(exc).__name__}: {exc})".replace("\n", " "),
            where,
        ) from None
    try:
        return {
            sheet.title.strip().lower(): _table(
                sheet.title, where, [list(r) for r in sheet.iter_rows(values_only=True)]
            )
            for sheet in book.worksheets
        }
    finally:
        book.close()


def table_from_csv(raw: bytes, where: str, name: str) -> Table:
    """A CSV file as a table (comma, semicolon or tab separated)."""
    text = decode_text(raw, where)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ImportFormatError(f"not valid CSV: {exc}", where) from None
    return _table(name, where, [list(r) for r in rows])


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """Write sheets (name -> rows, header first) as an XLSX workbook."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(r, c, _xlsx_safe(value))
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # user text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_safe(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        # XLSX (XML 1.0) cannot hold control characters; formulas would be evaluated
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value
    if isinstance(value, list | dict):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


def csv_text(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # fields with \r or \n get quoted
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()
