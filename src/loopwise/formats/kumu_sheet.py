"""Kumu's spreadsheet layout: an *Elements* sheet (``Label`` or ``ID`` first, then ``Type``,
``Description``, ``Tags`` and any custom column) and a *Connections* sheet (``From``, ``To``,
``Type``, ``Description``, ``Tags``, ``Label``, ``Strength``, ``Delayed``), as XLSX or as a
pair of CSV files (``*elements*.csv`` and ``*connections*.csv`` side by side, or zipped).

Multiple values are pipe-separated: ``A|B`` in ``To`` fans out to two links, ``x|y`` in
``Tags`` is two tags. When an Elements sheet is given, a connection to an element it does not
list is an error (a typo would otherwise become a new factor); a connections-only file creates
its factors from the labels.

Example:
    >>> m = read_csv(b"From,To,Type\\nJobs,Crime|Debt,-\\n", "links.csv")
    >>> sorted(lk.id for lk in m.links)
    ['jobs--crime', 'jobs--debt']
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from loopwise.errors import ImportFormatError
from loopwise.formats._common import (
    IdAllocator,
    build_map,
    known_polarity,
    link_strength,
    mark_unknown_polarity,
    merge_parallel_links,
    polarity_of,
    report_note,
    split_multi,
    stem_slug,
    stem_title,
    text_of,
    written_tags,
)
from loopwise.formats.archive import member_names
from loopwise.formats.files import read_file_bytes
from loopwise.formats.tables import (
    Row,
    Table,
    check_zip,
    csv_text,
    sheet_names,
    table_from_csv,
    tables_from_xlsx,
    xlsx_bytes,
)
from loopwise.model import Map, is_slug

_ELEMENT_COLUMNS = {
    "id",
    "label",
    "type",
    "element type",
    "description",
    "tags",
    "theme",
    "stage",
    "x",
    "y",
}
_CONNECTION_COLUMNS = {
    "id",
    "from",
    "to",
    "type",
    "connection type",
    "description",
    "tags",
    "label",
    "strength",
    "delayed",
    "delay",
    "direction",
}
_TRUE = {"true", "yes", "y", "1", "x", "delayed"}


# ---------------------------------------------------------------------------- detection
def detect_xlsx(raw: bytes, filename: str) -> bool:
    names = {n.strip().lower() for n in sheet_names(raw)}
    return "elements" in names or "connections" in names


def detect_csv(raw: bytes, filename: str) -> bool:
    if raw[:2] == b"PK":
        names = member_names(raw)
        return any("connections" in n.lower() or "elements" in n.lower() for n in names)
    first = raw[:2048].decode("utf-8", "ignore").split("\n", 1)[0].lower()
    cells = {c.strip().strip('"') for c in re.split(r"[,;\t]", first)}
    return {"from", "to"} <= cells or "label" in cells


# ---------------------------------------------------------------------------- reading
def _build(elements: Table | None, connections: Table | None, where: str) -> Map:
    ids = IdAllocator()
    factors: list[dict[str, Any]] = []
    by_ref: dict[str, str] = {}  # an ID cell or a lower-case label -> factor id
    first_row: dict[str, int] = {}

    def add_factor(label: str, kumu_id: Any, fields: dict[str, Any], row_place: str) -> str:
        prefer = str(kumu_id) if kumu_id is not None else None
        factor_id = ids.allocate(label, prefer=prefer)
        factor: dict[str, Any] = {"id": factor_id, "label": label, **fields}
        if kumu_id is not None and str(kumu_id) != factor_id:
            factor.setdefault("custom", {})["kumu_id"] = text_of(kumu_id)
        factors.append(factor)
        return factor_id

    if elements is not None:
        id_col = elements.column("id")
        label_col = elements.column("label")
        if id_col is None and label_col is None:
            elements.require("label")
        type_col = elements.column("type", "element type")
        desc_col = elements.column("description")
        tags_col = elements.column("tags")
        theme_col = elements.column("theme")
        stage_col = elements.column("stage")
        x_col, y_col = elements.column("x"), elements.column("y")
        custom_cols = [
            (i, h)
            for i, h in enumerate(elements.header)
            if h and h.strip().lower() not in _ELEMENT_COLUMNS
        ]
        for row in elements.rows:
            place = elements.place(row)
            kumu_id = Table.cell(row, id_col)
            label_cell = Table.cell(row, label_col)
            label = label_cell if isinstance(label_cell, str) else text_of(label_cell)
            if not label:
                label = text_of(kumu_id)
            if not label:
                raise ImportFormatError("no label", place)
            key = text_of(kumu_id) if kumu_id is not None else label.strip().lower()
            if key in first_row:
                what = "ID" if kumu_id is not None else "label"
                raise ImportFormatError(
                    f"duplicate {what} {key!r} (first at row {first_row[key]})", place
                )
            first_row[key] = row.number
            fields: dict[str, Any] = {}
            custom: dict[str, Any] = {}
            if (kind := Table.cell(row, type_col)) is not None:
                custom["kumu_type"] = text_of(kind)
            if (desc := Table.cell(row, desc_col)) is not None:
                fields["description"] = text_of(desc) if not isinstance(desc, str) else desc
            if tags := split_multi(Table.cell(row, tags_col)):
                fields["tags"] = tags
            for name, col in (("theme", theme_col), ("stage", stage_col)):
                value = text_of(Table.cell(row, col))
                if value and is_slug(value):
                    fields[name] = value
                elif value:
                    custom[name] = value
            x, y = Table.cell(row, x_col), Table.cell(row, y_col)
            if x is not None and y is not None:
                try:
                    fields["position"] = {"x": float(x), "y": float(y)}
                except (TypeError, ValueError):
                    raise ImportFormatError(
                        f"X and Y must be numbers, got {x!r}, {y!r}", place
                    ) from None
            custom.update(_custom_cells(row, custom_cols))
            if custom:
                fields["custom"] = custom
            factor_id = add_factor(label, kumu_id, fields, place)
            if kumu_id is not None:
                by_ref[text_of(kumu_id)] = factor_id
            by_ref.setdefault(label.strip().lower(), factor_id)

    links: list[dict[str, Any]] = []
    if connections is not None:
        from_col = connections.require("from")
        to_col = connections.require("to")
        id_col = connections.column("id")
        type_col = connections.column("type", "connection type")
        desc_col = connections.column("description")
        tags_col = connections.column("tags")
        label_col = connections.column("label")
        strength_col = connections.column("strength")
        delay_col = connections.column("delayed", "delay")
        direction_col = connections.column("direction")
        custom_cols = [
            (i, h)
            for i, h in enumerate(connections.header)
            if h and h.strip().lower() not in _CONNECTION_COLUMNS
        ]

        def resolve(ref: str, place: str) -> str:
            found = by_ref.get(ref) or by_ref.get(ref.strip().lower())
            if found is not None:
                return found
            if elements is not None:
                raise ImportFormatError(
                    f"unknown element {ref!r} (not on sheet {elements.name!r})", place
                )
            factor_id = add_factor(ref, None, {}, place)
            by_ref[ref.strip().lower()] = factor_id
            return factor_id

        for row in connections.rows:
            place = connections.place(row)
            starts = split_multi(Table.cell(row, from_col))
            ends = split_multi(Table.cell(row, to_col))
            if not starts or not ends:
                raise ImportFormatError("needs both From and To", place)
            kind = Table.cell(row, type_col)
            polarity = polarity_of(kind)
            for start_ref in starts:
                for end_ref in ends:
                    start, end = resolve(start_ref, place), resolve(end_ref, place)
                    if start == end:
                        report_note(
                            "dropped",
                            f"{place}: a connection from {start_ref!r} to itself (a loopwise "
                            "link joins two factors)",
                        )
                        continue
                    link: dict[str, Any] = {"from": start, "to": end}
                    custom = {}
                    if polarity is None:
                        mark_unknown_polarity(link)
                        if kind is not None:
                            custom["kumu_type"] = text_of(kind)
                    else:
                        link["polarity"] = polarity
                    link_id = text_of(Table.cell(row, id_col))
                    if link_id and len(starts) == len(ends) == 1:
                        if is_slug(link_id):
                            link["id"] = link_id
                        else:
                            custom["kumu_id"] = link_id
                    if (desc := Table.cell(row, desc_col)) is not None:
                        link["mechanism"] = desc if isinstance(desc, str) else text_of(desc)
                    tags = split_multi(Table.cell(row, tags_col))
                    if tags:
                        link["tags"] = [*tags, *link.get("tags", [])]
                    raw_strength = Table.cell(row, strength_col)
                    strength = link_strength(raw_strength, link["polarity"])
                    if strength is not None:
                        link["strength"] = strength
                    elif raw_strength is not None:
                        custom["strength"] = text_of(raw_strength)
                    delayed = Table.cell(row, delay_col)
                    if delayed is not None:
                        link["delay"] = text_of(delayed).lower() in _TRUE or delayed is True
                    if (label := Table.cell(row, label_col)) is not None:
                        custom["kumu_label"] = text_of(label)
                    direction = text_of(Table.cell(row, direction_col))
                    if direction and direction.lower() != "directed":
                        custom["kumu_direction"] = direction
                    custom.update(_custom_cells(row, custom_cols))
                    if custom:
                        link["custom"] = custom
                    links.append(link)

    return build_map(
        {
            "slug": stem_slug(where),
            "title": stem_title(where),
            "factors": factors,
            "links": merge_parallel_links(links, where),
        },
        where,
    )


def _custom_cells(row: Row, custom_cols: list[tuple[int, str]]) -> dict[str, Any]:
    """The row's filled cells in the columns Kumu does not know, by column name."""
    return {name: value for col, name in custom_cols if (value := Table.cell(row, col)) is not None}


def _pick(tables: dict[str, Table], *names: str) -> Table | None:
    for name in names:
        if name in tables:
            return tables[name]
    return None


def read_xlsx(raw: bytes, where: str) -> Map:
    """Read a Kumu-style workbook (sheets ``Elements`` and ``Connections``)."""
    tables = tables_from_xlsx(raw, where)
    elements = _pick(tables, "elements", "nodes", "factors")
    connections = _pick(tables, "connections", "links", "edges")
    if elements is None and connections is None:
        raise ImportFormatError(
            f"no 'Elements' or 'Connections' sheet (sheets: {', '.join(tables) or 'none'})",
            where,
        )
    return _build(elements, connections, where)


def _kind_of(table: Table) -> str:
    if table.column("from") is not None or table.column("to") is not None:
        return "connections"
    return "elements"


def read_csv(raw: bytes, where: str) -> Map:
    """Read Kumu CSV: one CSV (its partner file beside it is read too), or a zip of both."""
    if raw[:2] == b"PK":
        members = check_zip(raw, where, "zip")
        tables: dict[str, Table] = {}
        for name, data in members.items():
            if name.lower().endswith(".csv"):
                table = table_from_csv(data, f"{where}/{name}", Path(name).stem)
                tables.setdefault(_kind_of(table), table)
        if not tables:
            raise ImportFormatError("the zip holds no CSV files", where)
        return _build(tables.get("elements"), tables.get("connections"), where)
    table = table_from_csv(raw, where, Path(where).stem)
    kind = _kind_of(table)
    other = "elements" if kind == "connections" else "connections"
    partner = None
    path = Path(where)
    if kind in path.name.lower():
        candidate = path.with_name(re.sub(kind, other, path.name, flags=re.IGNORECASE))
        if candidate.is_file():
            partner = table_from_csv(read_file_bytes(candidate), str(candidate), candidate.stem)
    tables = {kind: table, **({other: partner} if partner is not None else {})}
    return _build(tables.get("elements"), tables.get("connections"), where)


# ---------------------------------------------------------------------------- writing
def sheet_rows(map_: Map) -> tuple[list[list[Any]], list[list[Any]]]:
    """The Elements and Connections rows (header first)."""
    custom_keys: list[str] = []
    for factor in map_.factors:
        for key in factor.custom:
            if (
                key not in ("kumu_id", "kumu_type")
                and key.lower() not in _ELEMENT_COLUMNS
                and key not in custom_keys
            ):
                custom_keys.append(key)
    elements: list[list[Any]] = [
        ["ID", "Label", "Type", "Description", "Tags", "Theme", "Stage", "X", "Y", *custom_keys]
    ]
    for f in map_.factors:
        elements.append(
            [
                f.custom.get("kumu_id", f.id),
                f.label,
                f.custom.get("kumu_type"),
                f.description or None,
                "|".join(f.tags) or None,
                f.theme,
                f.stage,
                f.position.x if f.position else None,
                f.position.y if f.position else None,
                *[f.custom.get(k) for k in custom_keys],
            ]
        )
    ref = {f.id: f.custom.get("kumu_id", f.id) for f in map_.factors}
    link_keys: list[str] = []
    for link in map_.links:
        for key in link.custom:
            if (
                key not in ("kumu_id", "kumu_type", "kumu_label", "kumu_direction")
                and key.lower() not in _CONNECTION_COLUMNS
                and key not in link_keys
            ):
                link_keys.append(key)
    connections: list[list[Any]] = [
        [
            "From",
            "To",
            "Type",
            "Description",
            "Tags",
            "Label",
            "Strength",
            "Delayed",
            "Direction",
            "ID",
            *link_keys,
        ]
    ]
    for link in map_.links:
        polarity = known_polarity(link)
        connections.append(
            [
                ref[link.source_factor],
                ref[link.target_factor],
                polarity or link.custom.get("kumu_type"),
                link.mechanism or None,
                "|".join(written_tags(link)) or None,
                link.custom.get("kumu_label"),
                None if link.strength == "medium" else link.strength,
                "yes" if link.delay else None,
                link.custom.get("kumu_direction"),
                link.custom.get("kumu_id", link.id),
                *[link.custom.get(k) for k in link_keys],
            ]
        )
    return elements, connections


def write_xlsx(map_: Map) -> bytes:
    """A Kumu-style workbook with Elements and Connections sheets."""
    elements, connections = sheet_rows(map_)
    return xlsx_bytes({"Elements": elements, "Connections": connections})


def write_csv_pair(map_: Map) -> tuple[str, str]:
    """The elements CSV and the connections CSV."""
    elements, connections = sheet_rows(map_)
    return csv_text(elements), csv_text(connections)


def write_csv_zip(map_: Map) -> bytes:
    """A zip holding ``elements.csv`` and ``connections.csv``."""
    elements, connections = write_csv_pair(map_)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("elements.csv", elements)
        archive.writestr("connections.csv", connections)
    return out.getvalue()
