"""A funder's portfolio: organisations, the factors they act on and their funding, read
from a spreadsheet (CSV or XLSX) and checked against a map, all or nothing.

Layout (also in ``docs/portfolio.md``): one sheet (the first, or one named
``organisations``; a CSV file is that sheet), a header row, then one row per organisation
or per grant. Column names are case-insensitive; only ``name`` and ``factors`` are required.

==================  ==========================================================================
column              what goes in it
==================  ==========================================================================
id                  a slug (``lower-case-with-dashes``); made from the name when empty. Rows
                    with the same id are one organisation: factors are merged, funding rows
                    added up
name                the organisation's name (required)
kind                charity / service / agency / funder / research / other (default charity)
where               where it works ("Birmingham", "England and Wales")
url, description    optional
factors             the factor ids (or exact labels) it acts on, separated by ``|``
note                what it does about those factors
source              a source id of the map that says so (optional)
funding_amount      a number >= 0 (``12000``, ``£12,000``, ``12000.50``); empty for none
funding_currency    three letters (default GBP)
funding_year        the year of the amount (required with an amount)
funding_source      a source id of the map for the figure (optional)
funding_note        optional
==================  ==========================================================================

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> m = load_builtin_map("breaking-the-cycle")
    >>> csv = ("name,factors,funding_amount,funding_year\\n"
    ...        "Homes First,help-finding-accommodation,\\"£20,000\\",2024\\n").encode()
    >>> orgs = read_portfolio(csv, m, "portfolio.csv")
    >>> orgs[0].id, orgs[0].funding[0].amount
    ('homes-first', 20000.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

import pydantic

from loopwise.errors import ImportFormatError, ValidationError
from loopwise.model import Map, Organisation
from loopwise.model.ids import is_slug

PORTFOLIO_COLUMNS = (
    "id", "name", "kind", "where", "url", "description", "factors", "note", "source",
    "funding_amount", "funding_currency", "funding_year", "funding_source", "funding_note",
)  # fmt: skip
MAX_PORTFOLIO_ROWS = 10_000
"""Most rows a portfolio sheet may have (a funder's grants, not a database dump)."""
MAX_PORTFOLIO_CELL_CHARS = 10_000
"""Longest text a portfolio cell may hold."""
MAX_PORTFOLIO_SECONDS = 20.0
"""Longest reading a portfolio workbook may take."""
_ORG_FIELDS = ("name", "kind", "where", "url", "description")
_KINDS = get_args(Organisation.model_fields["kind"].annotation)
_CURRENCY_SIGNS = {"£": "GBP", "$": "USD", "€": "EUR"}


def read_portfolio_file(path: str | Path, map_: Map) -> list[Organisation]:
    """Read a portfolio spreadsheet (``.csv`` or ``.xlsx``) for ``map_``."""
    from loopwise.formats.files import read_file_bytes

    path = Path(path)
    return read_portfolio(read_file_bytes(path), map_, str(path))


def read_portfolio(raw: bytes, map_: Map, where: str = "portfolio") -> list[Organisation]:
    """The organisations of a portfolio spreadsheet, checked against ``map_``.

    Raises
    ------
    loopwise.errors.ImportFormatError
        Not a readable CSV / XLSX file, a missing column.
    loopwise.errors.ValidationError
        A bad row: an unknown factor or source, a bad amount or year, no name; the message
        names the file, the row and the column.
    """
    from loopwise.formats.files import check_size
    from loopwise.formats.tables import table_from_csv, tables_from_xlsx

    check_size(raw, where)
    _check_spreadsheet(raw, where)
    limits = {"max_rows": MAX_PORTFOLIO_ROWS, "max_cell_chars": MAX_PORTFOLIO_CELL_CHARS}
    if raw[:2] == b"PK":
        tables = tables_from_xlsx(raw, where, max_seconds=MAX_PORTFOLIO_SECONDS, **limits)
        if not tables:
            raise ImportFormatError("the workbook has no sheets", where)
        table = tables.get("organisations") or next(iter(tables.values()))
    else:
        table = table_from_csv(raw, where, "organisations", **limits)
    name_col = table.require("name", "organisation")
    factors_col = table.require("factors", "factor", "acts_on")
    columns = {col: table.column(col) for col in PORTFOLIO_COLUMNS}
    columns["name"], columns["factors"] = name_col, factors_col
    if not table.rows:
        raise ImportFormatError("no organisations: the sheet has a header but no rows", where)

    factor_ids = {f.id for f in map_.factors}
    by_label = {f.label.strip().lower(): f.id for f in map_.factors}
    source_ids = {s.id for s in map_.sources}
    merged: dict[str, dict[str, Any]] = {}
    for row in table.rows:
        place = table.place(row)

        def cell(name: str, row: Any = row) -> str:
            value = table.cell(row, columns[name])
            if value is None:
                return ""
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return str(value).strip()

        name = cell("name")
        org_id = cell("id") or _slugify(name)
        if not name and not (cell("id") and org_id in merged):  # a further row of one org
            raise ValidationError("the organisation has no name", f"{place}, column 'name'")
        if not is_slug(org_id):
            raise ValidationError(
                f"{_shown(org_id)} is not a valid id (lower-case letters and digits joined by '-')",
                f"{place}, column 'id'",
            )
        org = merged.setdefault(org_id, {"id": org_id, "acts_on": [], "funding": []})
        kind = cell("kind").lower()
        if kind and kind not in _KINDS:
            raise ValidationError(
                f"unknown kind {_shown(kind)} (choose from {', '.join(_KINDS)})",
                f"{place}, column 'kind'",
            )
        for key in _ORG_FIELDS:
            value = cell(key).lower() if key == "kind" else cell(key)
            if value and not org.get(key):
                org[key] = value
        source = cell("source") or None
        if source is not None and source not in source_ids:
            raise _unknown("source", source, source_ids, f"{place}, column 'source'")
        seen = {a["factor"] for a in org["acts_on"]}
        for token in filter(None, (t.strip() for t in cell("factors").split("|"))):
            fid = token if token in factor_ids else by_label.get(token.lower())
            if fid is None:
                raise _unknown("factor", token, factor_ids, f"{place}, column 'factors'")
            if fid not in seen:
                seen.add(fid)
                org["acts_on"].append({"factor": fid, "note": cell("note"), "source": source})
        funding = _funding(cell, place, source_ids)
        if funding is not None:
            org["funding"].append(funding)

    organisations = []
    for data in merged.values():
        data.setdefault("name", data["id"])
        try:
            organisations.append(Organisation.model_validate(data))
        except pydantic.ValidationError as exc:  # name the organisation and the field
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first.get("loc", ()))
            raise ValidationError(
                f"{field}: {first.get('msg', 'invalid value')}",
                f"{where}: organisation {data['id']!r}",
            ) from None
    return organisations


def _funding(cell: Any, place: str, source_ids: set[str]) -> dict[str, Any] | None:
    text = cell("funding_amount")
    year_text = cell("funding_year")
    if not text:
        if year_text or cell("funding_source"):
            raise ValidationError(
                "a funding year or source without an amount", f"{place}, column 'funding_amount'"
            )
        return None
    currency = cell("funding_currency").upper() or None
    cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if cleaned[:1] in _CURRENCY_SIGNS:
        sign_currency = _CURRENCY_SIGNS[cleaned[0]]
        if currency and currency != sign_currency:
            raise ValidationError(
                f"amount {_shown(text)} is in {sign_currency} but funding_currency says {currency}",
                f"{place}, column 'funding_amount'",
            )
        currency, cleaned = sign_currency, cleaned[1:]
    try:
        amount = float(cleaned)
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount) or amount < 0 or not re.fullmatch(r"[0-9.eE+]+", cleaned):
        raise ValidationError(
            f"bad amount {_shown(text)}: expected a number >= 0 such as 12000 or £12,000",
            f"{place}, column 'funding_amount'",
        )
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise ValidationError(
            f"bad currency {_shown(currency)}: expected three letters such as GBP",
            f"{place}, column 'funding_currency'",
        )
    if not year_text:
        raise ValidationError("a funding amount needs its year", f"{place}, column 'funding_year'")
    if not year_text.isdigit() or not 1800 <= int(year_text) <= 2200:
        raise ValidationError(
            f"bad year {_shown(year_text)}: expected a year such as 2024",
            f"{place}, column 'funding_year'",
        )
    source = cell("funding_source") or None
    if source is not None and source not in source_ids:
        raise _unknown("source", source, source_ids, f"{place}, column 'funding_source'")
    return {"amount": amount, "currency": currency or "GBP", "year": int(year_text),
            "source": source, "note": cell("funding_note")}  # fmt: skip


def apply_portfolio(map_: Map, organisations: Sequence[Organisation], *,
                    replace: bool = False) -> Map:  # fmt: skip
    """``map_`` with ``organisations`` added (or, with ``replace``, put in place of those of
    the same id). Raises ``DuplicateIdError``-style ValidationError for an id already on the
    map when ``replace`` is false; the map is validated again as a whole."""
    existing = {org.id: i for i, org in enumerate(map_.organisations)}
    result = list(map_.organisations)
    for org in organisations:
        if org.id in existing:
            if not replace:
                raise ValidationError(
                    f"organisation {org.id!r} is already on the map; use --replace to update "
                    "it from the file",
                    "portfolio",
                )
            result[existing[org.id]] = org
        else:
            result.append(org)
    data = map_.to_dict()
    data["organisations"] = [org.model_dump(mode="json", exclude_none=True) for org in result]
    return Map.from_dict(data, where="portfolio")


#: What a portfolio file is, said when another kind of file is given.
_EXPECTED = (
    "a portfolio is a .csv or .xlsx sheet with a row per organisation and columns 'name' and "
    "'factors' (see docs/portfolio.md)"
)


def _check_spreadsheet(raw: bytes, where: str) -> None:
    """Refuse a file that is plainly not a CSV or XLSX sheet, saying what it looks like.

    >>> _check_spreadsheet(b"name,factors\\nA,housing\\n", "p.csv")
    >>> _check_spreadsheet(b'{"slug": "a-map"}', "map.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    loopwise.errors.ImportFormatError: map.json: this is a JSON file (a map?), not a spreadsheet...
    """
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:512]
    looks_like = None
    if head[:2] == b"PK" or (head and head[:1].isalnum()) or head[:1] in (b'"', b"'"):
        return  # XLSX (a zip), or text that may be a CSV header
    if head[:1] in (b"{", b"["):
        looks_like = "a JSON file (a map?)"
    elif head[:1] == b"<":
        looks_like = "an XML or HTML file (a GraphML map?)"
    elif head[:5] == b"%PDF-":
        looks_like = "a PDF document"
    elif b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        looks_like = "a binary file"  # (UTF-16 text is left to the CSV reader, which says so)
    if looks_like:
        raise ImportFormatError(f"this is {looks_like}, not a spreadsheet: {_EXPECTED}", where)


def _slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "organisation"


def _unknown(kind: str, value: str, known: set[str], where: str) -> ValidationError:
    import difflib

    close = difflib.get_close_matches(value[:200], sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ValidationError(f"unknown {kind} {_shown(value)}{hint}", where)


def _shown(value: str, limit: int = 60) -> str:
    """A value quoted for an error message, cut short: errors never echo large input."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value):,} characters)"
