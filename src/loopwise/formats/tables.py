"""Sheets as plain tables, from XLSX (openpyxl) or CSV, for the spreadsheet formats.

Example:
    >>> t = table_from_csv(b"From,To\\nA,B|C\\n", "links.csv", "Connections")
    >>> t.column("to"), [row.cells for row in t.rows]
    (1, [['A', 'B|C']])
"""

from __future__ import annotations

import csv
import io
import re
import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from loopwise.errors import ImportFormatError
from loopwise.formats._common import decode_text
from loopwise.formats.archive import inflate_zip, stored_zip

MAX_SHEET_ROWS = 200_000
"""Most rows a sheet may have (a Kumu map of 200,000 elements is far past what anyone draws)."""
MAX_READ_SECONDS = 120.0
"""Longest a workbook may take to read."""
_WORKBOOK_XML_LIMIT = 1024 * 1024


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


def check_zip(raw: bytes, where: str, what: str) -> dict[str, bytes]:
    """The members of a zip (XLSX is one), inflated with a byte cap (see
    :mod:`loopwise.formats.archive`), refusing XML members that declare a DTD or entities."""
    members = inflate_zip(raw, where, what)
    for name, data in members.items():
        if name.lower().endswith((".xml", ".rels", ".vml")):
            head = data.lower()
            if b"<!doctype" in head or b"<!entity" in head:
                raise ImportFormatError(
                    f"{name} declares a DTD or entities: refused (entity-expansion / "
                    "external-entity attack)",
                    where,
                )
    return members


def sheet_names(raw: bytes) -> list[str]:
    """The sheet names of an XLSX file (cheap: inflates only workbook.xml, at most 1 MB);
    [] if not XLSX."""
    from loopwise.formats._common import parse_xml

    if raw[:2] != b"PK":
        return []
    try:
        members = inflate_zip(raw, "xlsx", "XLSX", max_bytes=_WORKBOOK_XML_LIMIT,
                              only=["xl/workbook.xml"])  # fmt: skip
        root = parse_xml(members["xl/workbook.xml"], "xlsx")
    except Exception:  # detection must never fail loudly
        return []
    return [el.get("name", "") for el in root.iter() if el.tag.endswith("}sheet")]


def tables_from_xlsx(
    raw: bytes,
    where: str,
    *,
    max_rows: int = MAX_SHEET_ROWS,
    max_cell_chars: int | None = None,
    max_seconds: float = MAX_READ_SECONDS,
) -> dict[str, Table]:
    """Every sheet of an XLSX file as a table, keyed by lower-case sheet name.

    The archive is inflated with a byte cap first, so openpyxl only ever opens checked,
    uncompressed members. A sheet with more than ``max_rows`` rows, a text cell longer than
    ``max_cell_chars`` or a read taking longer than ``max_seconds`` is refused (the message
    names the sheet and row, never the cell's content).
    """
    members = check_zip(raw, where, "XLSX")
    import openpyxl

    try:
        book = openpyxl.load_workbook(
            io.BytesIO(stored_zip(members)), read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        message = str(exc).replace("\n", " ")
        raise ImportFormatError(
            f"not a readable XLSX workbook ({type(exc).__name__}: {message[:200]})", where
        ) from None
    deadline = _time.monotonic() + max_seconds
    try:
        tables = {}
        for sheet in book.worksheets:
            rows = []
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > max_rows + 1:
                    raise ImportFormatError(
                        f"more than {max_rows:,} rows: refused (split the sheet)",
                        f"{where}: sheet {sheet.title!r}",
                    )
                if _time.monotonic() > deadline:
                    raise ImportFormatError(
                        f"reading took more than {max_seconds:g} s: refused (at row {number:,})",
                        f"{where}: sheet {sheet.title!r}",
                    )
                cells = list(row)
                if max_cell_chars is not None:
                    _check_cells(cells, max_cell_chars, f"{where}: sheet {sheet.title!r}", number)
                rows.append(cells)
            tables[sheet.title.strip().lower()] = _table(sheet.title, where, rows)
        return tables
    except ImportFormatError:
        raise
    except Exception as exc:  # a damaged sheet found while reading its rows
        message = " ".join(str(exc).split())[:200]
        raise ImportFormatError(
            f"not a readable XLSX workbook ({type(exc).__name__}: {message})", where
        ) from None
    finally:
        book.close()


def _check_cells(cells: list[Any], limit: int, place: str, number: int) -> None:
    for column, value in enumerate(cells, start=1):
        if isinstance(value, str) and len(value) > limit:
            raise ImportFormatError(
                f"the cell in column {column} holds {len(value):,} characters "
                f"(at most {limit:,}): refused",
                f"{place} row {number}",
            )


def table_from_csv(
    raw: bytes,
    where: str,
    name: str,
    *,
    max_rows: int = MAX_SHEET_ROWS,
    max_cell_chars: int | None = None,
) -> Table:
    """A CSV file as a table (comma, semicolon or tab separated), refusing more than
    ``max_rows`` rows or a cell longer than ``max_cell_chars`` (named, never echoed)."""
    text = decode_text(raw, where)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        for number, row in enumerate(reader, start=1):
            if number > max_rows + 1:
                raise ImportFormatError(
                    f"more than {max_rows:,} rows: refused (split the file)", where
                )
            if max_cell_chars is not None:
                _check_cells(row, max_cell_chars, where, number)
            rows.append(row)
    except csv.Error as exc:
        raise ImportFormatError(f"not valid CSV: {exc}", where) from None
    return _table(name, where, [[_restore_formula_text(c) for c in r] for r in rows])


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """Write sheets (name -> rows, header first) as an XLSX workbook."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])  # a new workbook comes with one empty sheet
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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_POLARITY_WORDS = frozenset({"+", "-", "++", "--", "+-", "-+"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise_formula(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made inert with a leading ``'``.

    Cells starting ``=``, ``+``, ``-``, ``@``, tab or carriage return are formulas to Excel
    and LibreOffice (``=HYPERLINK(...)`` from user text is formula injection); numbers and
    polarity marks (``+``, ``--``) are left alone, and :func:`table_from_csv` drops the
    ``'`` again, so a file loopwise writes reads back unchanged.

    >>> print(neutralise_formula('=HYPERLINK("http://x.example","click")'))
    '=HYPERLINK("http://x.example","click")
    >>> neutralise_formula("-"), neutralise_formula("-0.5"), neutralise_formula("Housing")
    ('-', '-0.5', 'Housing')
    """
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and value not in _POLARITY_WORDS
        and not _NUMBER.match(value)
    ):
        return "'" + value
    return value


def _restore_formula_text(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def csv_text(rows: list[list[Any]]) -> str:
    """Rows as CSV text, formula-like cells neutralised (see :func:`neutralise_formula`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # fields with \r or \n get quoted
    for row in rows:
        writer.writerow(["" if v is None else neutralise_formula(v) for v in row])
    return out.getvalue()


def neutralise_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame whose text cells, index and header are neutralised,
    for ``to_csv`` output a spreadsheet may open."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if not (is_numeric_dtype(out[column]) or is_bool_dtype(out[column])):
            out[column] = out[column].map(neutralise_formula)
    out.index = out.index.map(neutralise_formula)
    out.columns = [neutralise_formula(c) for c in out.columns]
    return out
