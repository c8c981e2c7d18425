"""Causal Map workbooks: a ``links`` sheet (``cause``, ``effect`` - or ``from``/``to`` -,
``quote``, ``source_id``) and a ``sources`` sheet (``source_id``, then ``title``, ``kind``,
``year``, ``url`` and any attribute columns, e.g. gender or age band).

Each row is one coded claim: rows with the same cause and effect become one link, and each
row's quote becomes an Evidence item (kind ``quote``) from its source. Causal Map has no
polarity: links are ``+`` tagged ``polarity:unknown`` unless a ``polarity`` column (which
loopwise writes) says otherwise. Sources default to kind ``interview``.

Example:
    >>> from loopwise.formats.tables import xlsx_bytes
    >>> book = xlsx_bytes({"links": [["cause", "effect", "quote", "source_id"],
    ...                              ["Debt", "Stress", "I couldn't sleep", "P1"]]})
    >>> m = read_xlsx(book, "cm.xlsx")
    >>> m.links[0].evidence[0].text, m.sources[0].id, m.links[0].tags
    ("I couldn't sleep", 'p1', ['polarity:unknown'])
"""

from __future__ import annotations

from typing import Any

from loopwise.errors import ImportFormatError
from loopwise.formats._common import (
    IdAllocator,
    build_map,
    known_polarity,
    link_strength,
    mark_unknown_polarity,
    polarity_of,
    split_multi,
    stem_slug,
    stem_title,
    text_of,
    written_tags,
)
from loopwise.formats.tables import Row, Table, sheet_names, tables_from_xlsx, xlsx_bytes
from loopwise.model import Map, is_slug

_SOURCE_KINDS = {"interview", "literature", "statistic", "practitioner"}
_SOURCE_COLUMNS = {"source_id", "title", "kind", "year", "url", "note"}
_STATUSES = {"suggested", "accepted", "rejected"}
UNATTRIBUTED = "unattributed"


def detect_xlsx(raw: bytes, filename: str) -> bool:
    return "links" in {n.strip().lower() for n in sheet_names(raw)}


def _choice(row: Row, col: int | None, allowed: set[str], what: str, place: str) -> str:
    """The cell's text in lower case ("" when empty), which must be one of ``allowed``."""
    value = text_of(Table.cell(row, col)).lower()
    if value and value not in allowed:
        raise ImportFormatError(
            f"{what} {value!r} is not one of {', '.join(sorted(allowed))}", place
        )
    return value


def _sources(table: Table | None, ids: IdAllocator) -> tuple[list[dict[str, Any]], dict[str, str]]:
    sources: list[dict[str, Any]] = []
    by_ref: dict[str, str] = {}
    if table is None:
        return sources, by_ref
    id_col = table.require("source_id", "id")
    cols = {name: table.column(name) for name in _SOURCE_COLUMNS}
    attribute_cols = [(i, h) for i, h in enumerate(table.header)
                      if h and h.strip().lower() not in _SOURCE_COLUMNS | {"id"}]  # fmt: skip
    for row in table.rows:
        place = table.place(row)
        ref = text_of(Table.cell(row, id_col))
        if not ref:
            raise ImportFormatError("no source_id", place)
        if ref in by_ref:
            raise ImportFormatError(f"duplicate source_id {ref!r}", place)
        source: dict[str, Any] = {"id": ids.allocate(ref, prefer=ref), "kind": "interview",
                                  "title": ref}  # fmt: skip
        by_ref[ref] = source["id"]
        title = Table.cell(row, cols["title"])
        if title is not None:
            source["title"] = title if isinstance(title, str) else text_of(title)
        if kind := _choice(row, cols["kind"], _SOURCE_KINDS, "kind", place):
            source["kind"] = kind
        year = Table.cell(row, cols["year"])
        if year is not None:
            try:
                source["year"] = int(float(year))
            except (TypeError, ValueError):
                raise ImportFormatError(f"year must be a number, got {year!r}", place) from None
        for name in ("url", "note"):
            if (value := Table.cell(row, cols[name])) is not None:
                source[name] = text_of(value) if not isinstance(value, str) else value
        attributes = {name: text_of(Table.cell(row, i)) for i, name in attribute_cols
                      if Table.cell(row, i) is not None}  # fmt: skip
        if attributes:
            source["attributes"] = attributes
        sources.append(source)
    return sources, by_ref


def read_xlsx(raw: bytes, where: str) -> Map:
    """Read a Causal Map workbook into a validated Map (quotes become evidence)."""
    tables = tables_from_xlsx(raw, where)
    links_table = tables.get("links")
    if links_table is None:
        raise ImportFormatError(f"no 'links' sheet (sheets: {', '.join(tables) or 'none'})", where)
    return _build(links_table, tables.get("sources"), where)


def _build(table: Table, sources_table: Table | None, where: str) -> Map:
    source_ids = IdAllocator()
    sources, source_by_ref = _sources(sources_table, source_ids)
    cause_col = table.column("cause", "from")
    effect_col = table.column("effect", "to")
    if cause_col is None:
        table.require("cause", "from")
    if effect_col is None:
        table.require("effect", "to")
    col = {name: table.column(name) for name in (
        "quote", "source_id", "cause_id", "effect_id", "polarity", "strength", "delay",
        "mechanism", "tags", "link_id", "evidence_kind", "status", "page", "coder", "note",
        "locator", "evidence_year")}  # fmt: skip
    factor_ids = IdAllocator()
    factors: list[dict[str, Any]] = []
    factor_by_label: dict[str, str] = {}
    links: dict[tuple[str, str], dict[str, Any]] = {}

    def factor(label: Any, id_cell: Any, place: str, what: str) -> str:
        text = label if isinstance(label, str) else text_of(label)
        if not text:
            raise ImportFormatError(f"no {what}", place)
        if text not in factor_by_label:
            prefer = text_of(id_cell) or None
            factor_by_label[text] = factor_ids.allocate(text, prefer=prefer)
            factors.append({"id": factor_by_label[text], "label": text})
        return factor_by_label[text]

    def source(ref: str) -> str:
        if ref not in source_by_ref:
            title = "Unattributed quotes" if ref == UNATTRIBUTED else ref
            source_by_ref[ref] = source_ids.allocate(ref, prefer=ref)
            sources.append({"id": source_by_ref[ref], "kind": "interview", "title": title})
        return source_by_ref[ref]

    for row in table.rows:
        place = table.place(row)
        start = factor(Table.cell(row, cause_col), Table.cell(row, col["cause_id"]), place,
                       "cause")  # fmt: skip
        end = factor(Table.cell(row, effect_col), Table.cell(row, col["effect_id"]), place,
                     "effect")  # fmt: skip
        if start == end:
            raise ImportFormatError("cause and effect are the same factor", place)
        link = links.get((start, end))
        if link is None:
            link = {"from": start, "to": end, "evidence": []}
            polarity = polarity_of(Table.cell(row, col["polarity"]))
            if polarity is None:
                mark_unknown_polarity(link)
            else:
                link["polarity"] = polarity
            strength = link_strength(Table.cell(row, col["strength"]), link["polarity"])
            if strength is not None:
                link["strength"] = strength
            if (delay := Table.cell(row, col["delay"])) is not None:
                link["delay"] = delay is True or text_of(delay).lower() in ("true", "yes", "1")
            if (mechanism := Table.cell(row, col["mechanism"])) is not None:
                link["mechanism"] = mechanism if isinstance(mechanism, str) else text_of(mechanism)
            if tags := split_multi(Table.cell(row, col["tags"])):
                link["tags"] = [*tags, *[t for t in link.get("tags", []) if t not in tags]]
            link_id = text_of(Table.cell(row, col["link_id"]))
            if link_id and is_slug(link_id):
                link["id"] = link_id
            links[start, end] = link
        quote = Table.cell(row, col["quote"])
        if quote is None:
            continue
        ref = text_of(Table.cell(row, col["source_id"])) or UNATTRIBUTED
        evidence: dict[str, Any] = {
            "source": source(ref),
            "kind": "quote",
            "text": quote if isinstance(quote, str) else text_of(quote),
        }
        kind = text_of(Table.cell(row, col["evidence_kind"])).lower()
        if kind in ("quote", "figure", "finding"):
            evidence["kind"] = kind
        if status := _choice(row, col["status"], _STATUSES, "status", place):
            evidence["status"] = status
        for name in ("page", "coder", "note", "locator"):
            if (value := Table.cell(row, col[name])) is not None:
                evidence[name] = value if isinstance(value, str) else text_of(value)
        if (year := Table.cell(row, col["evidence_year"])) is not None:
            try:
                evidence["year"] = int(float(year))
            except (TypeError, ValueError):
                raise ImportFormatError(f"evidence_year must be a number, got {year!r}",
                                        place) from None  # fmt: skip
        link["evidence"].append(evidence)
    return build_map(
        {
            "slug": stem_slug(where),
            "title": stem_title(where),
            "sources": sources,
            "factors": factors,
            "links": list(links.values()),
        },
        where,
    )


def sheets(map_: Map) -> dict[str, list[list[Any]]]:
    """The ``links`` and ``sources`` sheets (header first)."""
    labels = {f.id: f.label for f in map_.factors}
    header = ["cause", "effect", "quote", "source_id", "polarity", "strength", "delay",
              "mechanism", "tags", "link_id", "evidence_kind", "status", "page", "coder",
              "note", "locator", "evidence_year", "cause_id", "effect_id"]  # fmt: skip
    rows: list[list[Any]] = [header]
    for link in map_.links:
        base = [labels[link.source_factor], labels[link.target_factor]]
        link_part = [
            known_polarity(link), None if link.strength == "medium" else link.strength,
            "yes" if link.delay else None, link.mechanism or None,
            "|".join(written_tags(link)) or None, link.id,
        ]  # fmt: skip
        ends = [link.source_factor, link.target_factor]
        if not link.evidence:
            rows.append([*base, None, None, *link_part, *[None] * 7, *ends])
        for ev in link.evidence:
            rows.append([*base, ev.text, ev.source, *link_part, ev.kind, ev.status, ev.page,
                         ev.coder, ev.note or None, ev.locator, ev.year, *ends])  # fmt: skip
    attribute_names: list[str] = []
    for src in map_.sources:
        for key in src.attributes:
            if key not in attribute_names and key.lower() not in _SOURCE_COLUMNS | {"id"}:
                attribute_names.append(key)
    source_rows: list[list[Any]] = [["source_id", "title", "kind", "year", "url", "note",
                                     *attribute_names]]  # fmt: skip
    for src in map_.sources:
        source_rows.append([src.id, src.title, src.kind, src.year, src.url, src.note or None,
                            *[src.attributes.get(k) for k in attribute_names]])  # fmt: skip
    return {"links": rows, "sources": source_rows}


def write_xlsx(map_: Map) -> bytes:
    """A Causal Map workbook: one links row per quote, and the sources."""
    return xlsx_bytes(sheets(map_))
