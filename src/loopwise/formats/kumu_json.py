"""Kumu JSON: the blueprint (``elements`` / ``connections`` with fields at the top level) and
the full project export (``_id`` and ``attributes`` on each item, plus ``loops``, ``maps``
with positions and ``perspectives``).

Mapping: element ``label``/``description``/``tags`` are the factor's; ``element type`` (or a
blueprint's ``type``) goes to ``custom["kumu_type"]``; ``theme``/``stage`` fields that are ids
become the factor's theme and stage; every other field goes to ``custom``. A connection's
``connection type`` is the polarity: ``+``, ``-``, the words (positive / negative, same /
opposite...) and Kumu's four causal-loop types, ``++`` and ``--`` (same direction, ``+``),
``+-`` and ``-+`` (opposite, ``-``); none is ``+`` tagged ``polarity:unknown``.
``description`` is the mechanism, ``delayed`` the delay. Parallel connections between the same
two elements are merged into one link that keeps each one's data (see
:func:`~loopwise.formats._common.merge_parallel_links`). Kumu loops that are one simple cycle
become curated loops, others named views; positions come from the first map; views travel as
perspectives. What is not read is named in the import report.

Example:
    >>> m = read_blueprint(b'{"elements": [{"label": "Jobs"}, {"label": "Crime"}],'
    ...     b' "connections": [{"from": "Jobs", "to": "Crime", "type": "-"}]}', "k.json")
    >>> [(lk.source_factor, lk.polarity, lk.target_factor) for lk in m.links]
    [('jobs', '-', 'crime')]
"""

from __future__ import annotations

import json
from typing import Any

from loopwise.errors import ImportFormatError
from loopwise.formats._common import (
    IdAllocator,
    as_text,
    build_map,
    decode_text,
    known_polarity,
    link_strength,
    load_json,
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
from loopwise.model import Map, is_slug

_ELEMENT_FIELDS = {
    "label",
    "type",
    "element type",
    "description",
    "tags",
    "theme",
    "stage",
    "id",
    "_id",
}
_CONNECTION_FIELDS = {
    "from",
    "to",
    "type",
    "connection type",
    "description",
    "tags",
    "direction",
    "id",
    "_id",
    "strength",
    "delayed",
    "delay",
    "label",
}


# ---------------------------------------------------------------------------- detection
def _head(raw: bytes) -> str:
    return raw[:8192].decode("utf-8", "ignore")


def detect_project(raw: bytes, filename: str) -> bool:
    head = _head(raw)
    return '"elements"' in head and '"attributes"' in head and '"_id"' in head


def detect_blueprint(raw: bytes, filename: str) -> bool:
    head = _head(raw).lstrip("\ufeff \t\r\n")
    return head.startswith("{") and ('"elements"' in head or '"connections"' in head)


# ---------------------------------------------------------------------------- reading
def _load_object(raw: bytes, where: str) -> dict[str, Any]:
    data = load_json(decode_text(raw, where), where)
    if not isinstance(data, dict):
        raise ImportFormatError(f"expected a JSON object, got {type(data).__name__}", where)
    for key in ("elements", "connections", "loops", "maps", "perspectives"):
        if key in data and not isinstance(data[key], list):
            raise ImportFormatError(f"{key!r} must be a list", where)
    return data


def _factor_from_fields(
    fields: dict[str, Any], kumu_id: Any, ids: IdAllocator, place: str, where: str, prefix: str = ""
) -> dict[str, Any]:
    raw_label = fields.get("label")
    label = raw_label if isinstance(raw_label, str) else text_of(raw_label)
    if label == "":
        raise ImportFormatError("element has no label", f"{where}: {place}")
    prefer = None
    if isinstance(kumu_id, str):
        prefer = kumu_id.removeprefix(prefix) if prefix else kumu_id
    factor_id = ids.allocate(label, prefer=prefer)
    factor: dict[str, Any] = {"id": factor_id, "label": label}
    custom: dict[str, Any] = {}
    if kumu_id is not None and prefer != factor_id:
        custom["kumu_id"] = kumu_id
    kind = fields.get("element type", fields.get("type"))
    if kind not in (None, ""):
        custom["kumu_type"] = kind
    if isinstance(fields.get("description"), str):
        factor["description"] = fields["description"]
    tags = fields.get("tags")
    if tags is not None:
        factor["tags"] = [str(t) for t in tags] if isinstance(tags, list) else split_multi(tags)
    for key in ("theme", "stage"):
        value = fields.get(key)
        if isinstance(value, str) and is_slug(value):
            factor[key] = value
        elif value not in (None, ""):
            custom[key] = value
    for key, value in fields.items():
        if key not in _ELEMENT_FIELDS and key not in custom:
            custom[str(key)] = value
    if custom:
        factor["custom"] = custom
    return factor


def _link_from_fields(
    fields: dict[str, Any], start: str, end: str, kumu_id: Any, delayed: Any
) -> dict[str, Any]:
    link: dict[str, Any] = {"from": start, "to": end}
    custom: dict[str, Any] = {}
    kind = fields.get("connection type", fields.get("type"))
    polarity = polarity_of(kind)
    if polarity is None:
        polarity = polarity_of(fields.get("polarity"))
    if polarity is None:
        mark_unknown_polarity(link)
        if kind not in (None, ""):
            custom["kumu_type"] = kind
    else:
        link["polarity"] = polarity
    if isinstance(kumu_id, str):
        prefer = kumu_id[5:] if kumu_id.startswith("conn-") else kumu_id
        if is_slug(prefer):
            link["id"] = prefer
        else:
            custom["kumu_id"] = kumu_id
    elif kumu_id is not None:
        custom["kumu_id"] = kumu_id
    if isinstance(fields.get("description"), str):
        link["mechanism"] = fields["description"]
    tags = fields.get("tags")
    if tags is not None:
        extra = [str(t) for t in tags] if isinstance(tags, list) else split_multi(tags)
        link["tags"] = [*extra, *link.get("tags", [])]
    strength = link_strength(fields.get("strength"), link["polarity"])
    if strength is not None:
        link["strength"] = strength
    elif fields.get("strength") not in (None, ""):
        custom["strength"] = fields["strength"]
    if delayed is not None:
        link["delay"] = bool(delayed) and str(delayed).lower() not in ("false", "no", "0")
    direction = fields.get("direction")
    if direction not in (None, "", "directed"):
        custom["kumu_direction"] = direction
    if isinstance(fields.get("label"), str) and fields["label"]:
        custom["kumu_label"] = fields["label"]
    for key, value in fields.items():
        if key not in _CONNECTION_FIELDS and key not in ("polarity",) and key not in custom:
            custom[str(key)] = value
    if custom:
        link["custom"] = custom
    return link


class _Resolver:
    """Find an element by its id (any id field) or, failing that, its label."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.by_id: dict[str, str] = {}
        self.by_label: dict[str, list[str]] = {}
        self.factors: list[dict[str, Any]] = []

    def add(self, factor: dict[str, Any], *ids: Any) -> None:
        self.factors.append(factor)
        for id_ in ids:
            if id_ is not None:
                self.by_id[str(id_)] = factor["id"]
        self.by_label.setdefault(factor["label"].strip().lower(), []).append(factor["id"])

    def find(self, ref: Any, place: str) -> str:
        if ref is None or ref == "":
            raise ImportFormatError("connection has no endpoint", f"{self.where}: {place}")
        key = str(ref)
        if key in self.by_id:
            return self.by_id[key]
        matches = self.by_label.get(key.strip().lower(), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ImportFormatError(
                f"{key!r} is the label of {len(matches)} elements; use their ids",
                f"{self.where}: {place}",
            )
        raise ImportFormatError(f"unknown element {key!r}", f"{self.where}: {place}")


def _check_unique_ids(data: dict[str, Any], key: str, where: str) -> None:
    seen: dict[str, str] = {}
    for collection in ("elements", "connections", "loops"):
        for i, item in enumerate(data.get(collection) or []):
            if isinstance(item, dict) and item.get(key) is not None:
                id_ = str(item[key])
                if id_ in seen:
                    raise ImportFormatError(
                        f"duplicate id {id_!r} (first used at {seen[id_]})",
                        f"{where}: {collection}[{i}]",
                    )
                seen[id_] = f"{collection}[{i}]"


def _order_loop(link_pairs: list[tuple[str, str]]) -> list[str] | None:
    """Factors in order around a loop given its connections in any order; None when the
    connections are not one simple cycle (a figure of eight, a repeated factor, a path)."""
    if len(link_pairs) < 2:
        return None
    nexts: dict[str, str] = {}
    for start, end in link_pairs:
        if start in nexts:
            return None
        nexts[start] = end
    first = link_pairs[0][0]
    order, current = [first], nexts[first]
    while current != first:
        if current not in nexts or current in order:
            return None
        order.append(current)
        current = nexts[current]
    return order if len(order) == len(link_pairs) else None


def _ring_of_elements(factors: list[str], edges: set[tuple[str, str]]) -> list[str] | None:
    """A loop given by its elements only, in order: a cycle when each links to the next."""
    if len(factors) < 2 or len(set(factors)) != len(factors):
        return None
    ring = [*factors, factors[0]]
    if all((a, b) in edges for a, b in zip(ring, ring[1:], strict=False)):
        return factors
    return None


def _loops(
    data: dict[str, Any],
    links: list[dict[str, Any]],
    links_by_kumu: dict[str, dict[str, Any]],
    key: str,
    resolver: _Resolver,
    where: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Kumu loops as curated loops; those that are not one simple cycle as named views.

    A view holds a set of factors through a tag (``loop:<id>``) on its factors and links, so
    the loop's members stay together without a change to the model; the report warns.
    """
    ids = IdAllocator()
    loops: list[dict[str, Any]] = []
    views: list[dict[str, Any]] = []
    edges = {(lk["from"], lk["to"]): lk for lk in links}
    for i, item in enumerate(data.get("loops") or []):
        place = f"loops[{i}]"
        if not isinstance(item, dict):
            raise ImportFormatError("expected an object", f"{where}: {place}")
        fields = item.get("attributes", item) if key == "_id" else item
        if not isinstance(fields, dict):
            raise ImportFormatError("'attributes' must be an object", f"{where}: {place}")
        name = text_of(fields.get("label") or fields.get("name")) or f"Loop {i + 1}"
        on_loop = []
        for ref in item.get("connections") or []:
            if str(ref) not in links_by_kumu:
                raise ImportFormatError(f"unknown connection {ref!r}", f"{where}: {place}")
            on_loop.append(links_by_kumu[str(ref)])
        members = [resolver.find(ref, f"{place}.elements") for ref in item.get("elements") or []]
        pairs = [(lk["from"], lk["to"]) for lk in on_loop]
        order = _order_loop(pairs) if on_loop else _ring_of_elements(members, set(edges))
        loop_id = item.get(key)
        prefer = loop_id[5:] if isinstance(loop_id, str) and loop_id.startswith("loop-") else None
        ident = ids.allocate(name, prefer=prefer)
        if order is not None:
            loop: dict[str, Any] = {"id": ident, "name": name, "factors": order}
            if isinstance(fields.get("description"), str):
                loop["narrative"] = fields["description"]
            kind = fields.get("loop type")
            if kind in ("R", "B"):
                loop["kind"] = kind
            loops.append(loop)
            continue
        factors = list(dict.fromkeys([*[f for pair in pairs for f in pair], *members]))
        if not factors:
            report_note("dropped", f"{place} ({name!r}): a loop with no connections or elements")
            continue
        tag = f"loop:{ident}"
        views.append({"id": ident, "name": name, "filters": {"tags": [tag]}})
        between = zip(members, members[1:], strict=False)
        for link in on_loop or [edges[a, b] for a, b in between if (a, b) in edges]:
            if tag not in link.setdefault("tags", []):
                link["tags"].append(tag)
        for factor in resolver.factors:
            if factor["id"] in factors and tag not in factor.setdefault("tags", []):
                factor["tags"].append(tag)
        report_note(
            "loops_as_views",
            f"{place} ({name!r}) is not one simple cycle: kept as the view {ident!r} of its "
            f"{len(factors)} factors (tagged {tag!r})",
        )
    return loops, views


def read_blueprint(raw: bytes, where: str) -> Map:
    """Read a Kumu blueprint JSON file into a validated Map."""
    data = _load_object(raw, where)
    if "elements" not in data and "connections" not in data:
        raise ImportFormatError("not a Kumu file: no 'elements' or 'connections'", where)
    _check_unique_ids(data, "id", where)
    ids = IdAllocator()
    resolver = _Resolver(where)
    factors = []
    for i, element in enumerate(data.get("elements") or []):
        if not isinstance(element, dict):
            raise ImportFormatError("expected an object", f"{where}: elements[{i}]")
        factor = _factor_from_fields(element, element.get("id"), ids, f"elements[{i}]", where)
        factors.append(factor)
        resolver.add(factor, element.get("id"))
    links, by_kumu = _connections(data, "id", resolver, where, lambda c: c)
    loops, views = _loops(data, links, by_kumu, "id", resolver, where)
    _report_dropped(data, where)
    return _kumu_map(data, where, factors, links, loops, views)


def _kumu_map(
    data: dict[str, Any],
    where: str,
    factors: list[dict[str, Any]],
    links: list[dict[str, Any]],
    loops: list[dict[str, Any]],
    views: list[dict[str, Any]],
) -> Map:
    """The map read from a Kumu document: its name and description, else the file's."""
    return build_map(
        {
            "slug": stem_slug(where),
            "title": as_text(data.get("name")) or stem_title(where),
            "description": as_text(data.get("description")),
            "factors": factors,
            "links": links,
            "loops": loops,
            "views": views,
        },
        where,
    )


_READ_KEYS = {"name", "description", "elements", "connections", "loops", "maps", "perspectives"}


def _report_dropped(data: dict[str, Any], where: str) -> None:
    """Name what a Kumu file holds that loopwise does not keep."""
    for key in sorted(k for k in data if k not in _READ_KEYS and not str(k).startswith("_")):
        report_note("dropped", f"the top-level {key!r} (Kumu settings loopwise has no place for)")
    maps = data.get("maps") or []
    if len(maps) > 1:
        report_note("dropped", f"positions of {len(maps) - 1} further map(s): the first is read")
    first = maps[0] if maps and isinstance(maps[0], dict) else {}
    for key in ("connections", "loops"):
        if first.get(key):
            report_note("dropped", f"maps[0].{key}: Kumu's drawing of {key} (curves, styles)")
    for i, perspective in enumerate(data.get("perspectives") or []):
        if isinstance(perspective, dict) and not isinstance(perspective.get("loopwise"), dict):
            name = text_of(perspective.get("name")) or f"perspectives[{i}]"
            report_note("dropped", f"the perspective {name!r} (Kumu's styling code)")


def _connections(
    data: dict[str, Any], key: str, resolver: _Resolver, where: str, fields_of: Any
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The links, parallel connections merged (see :func:`merge_parallel_links`), and each
    Kumu connection id -> the link that holds it."""
    links: list[dict[str, Any]] = []
    by_kumu: dict[str, dict[str, Any]] = {}
    for i, conn in enumerate(data.get("connections") or []):
        place = f"connections[{i}]"
        if not isinstance(conn, dict):
            raise ImportFormatError("expected an object", f"{where}: {place}")
        fields = fields_of(conn)
        if not isinstance(fields, dict):
            raise ImportFormatError("'attributes' must be an object", f"{where}: {place}")
        start = resolver.find(conn.get("from"), place + ".from")
        end = resolver.find(conn.get("to"), place + ".to")
        if start == end:
            report_note(
                "dropped",
                f"{place}: a connection from {start!r} to itself (a loopwise link joins two "
                "factors)",
            )
            continue
        delayed = conn.get("delayed", fields.get("delayed", fields.get("delay")))
        if "direction" not in fields and conn.get("direction") not in (None, ""):
            fields = {**fields, "direction": conn["direction"]}  # a project keeps it outside
        link = _link_from_fields(fields, start, end, conn.get(key), delayed)
        links.append(link)
        if conn.get(key) is not None:
            by_kumu[str(conn[key])] = link
    kept = merge_parallel_links(links, where)
    survivor = {(lk["from"], lk["to"]): lk for lk in kept}
    by_kumu = {ref: survivor[lk["from"], lk["to"]] for ref, lk in by_kumu.items()}
    return kept, by_kumu


def read_project(raw: bytes, where: str) -> Map:
    """Read a Kumu full project export into a validated Map."""
    data = _load_object(raw, where)
    if "elements" not in data:
        raise ImportFormatError("not a Kumu project export: no 'elements'", where)
    _check_unique_ids(data, "_id", where)
    ids = IdAllocator()
    resolver = _Resolver(where)
    factors = []
    by_element: dict[str, dict[str, Any]] = {}
    for i, element in enumerate(data.get("elements") or []):
        place = f"elements[{i}]"
        if not isinstance(element, dict) or not isinstance(element.get("attributes", {}), dict):
            raise ImportFormatError("expected an object with 'attributes'", f"{where}: {place}")
        factor = _factor_from_fields(
            element.get("attributes", {}), element.get("_id"), ids, place, where, "elem-"
        )
        factors.append(factor)
        resolver.add(factor, element.get("_id"))
        if element.get("_id") is not None:
            by_element[str(element["_id"])] = factor
    links, by_kumu = _connections(data, "_id", resolver, where, lambda c: c.get("attributes", {}))
    loops, loop_views = _loops(data, links, by_kumu, "_id", resolver, where)
    _report_dropped(data, where)
    for map_ in (data.get("maps") or [])[:1]:
        for j, placed in enumerate(map_.get("elements") or [] if isinstance(map_, dict) else []):
            if not isinstance(placed, dict):
                continue
            placed_factor = by_element.get(str(placed.get("element")))
            position = placed.get("position")
            if placed_factor is None or not isinstance(position, dict):
                continue
            try:
                placed_factor["position"] = {"x": float(position["x"]), "y": float(position["y"])}
            except (KeyError, TypeError, ValueError):
                raise ImportFormatError(
                    "position needs numbers x and y", f"{where}: maps[0].elements[{j}]"
                ) from None
    views = []
    for perspective in data.get("perspectives") or []:
        if isinstance(perspective, dict) and isinstance(perspective.get("loopwise"), dict):
            views.append(perspective["loopwise"])
    return _kumu_map(data, where, factors, links, loops, [*views, *loop_views])


# ---------------------------------------------------------------------------- writing
def _element_fields(factor: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"label": factor.label}
    custom = dict(factor.custom)
    custom.pop("kumu_id", None)
    kind = custom.pop("kumu_type", None)
    if kind is not None:
        fields["type"] = kind
    if factor.description:
        fields["description"] = factor.description
    if factor.tags:
        fields["tags"] = list(factor.tags)
    if factor.theme:
        fields["theme"] = factor.theme
    if factor.stage:
        fields["stage"] = factor.stage
    for key, value in custom.items():
        if key not in _ELEMENT_FIELDS:
            fields[key] = value
    return fields


def _connection_fields(link: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    custom = dict(link.custom)
    custom.pop("kumu_id", None)
    polarity = known_polarity(link)
    kind = custom.pop("kumu_type", None)
    if polarity is not None:
        fields["type"] = polarity
    elif kind is not None:
        fields["type"] = kind
    if link.mechanism:
        fields["description"] = link.mechanism
    tags = written_tags(link)
    if tags:
        fields["tags"] = tags
    if link.strength != "medium":
        fields["strength"] = link.strength
    direction = custom.pop("kumu_direction", None)
    label = custom.pop("kumu_label", None)
    if label:
        fields["label"] = label
    for key, value in custom.items():
        if key not in _CONNECTION_FIELDS:
            fields[key] = value
    return fields if direction is None else {**fields, "direction": direction}


def _kumu_id(item: Any, prefix: str) -> str:
    return str(item.custom.get("kumu_id") or f"{prefix}-{item.id}")


def blueprint_document(map_: Map) -> dict[str, Any]:
    """The blueprint as a dict (ids: the factor and link ids, unique across both lists)."""
    elements = [{"id": f.custom.get("kumu_id", f.id), **_element_fields(f)} for f in map_.factors]
    element_ids = {f.id: e["id"] for f, e in zip(map_.factors, elements, strict=True)}
    connections = []
    for link in map_.links:
        conn_id = link.custom.get("kumu_id", link.id)
        if conn_id in element_ids.values():
            conn_id = f"conn-{conn_id}"
        fields = _connection_fields(link)
        connections.append(
            {
                "id": conn_id,
                "from": element_ids[link.source_factor],
                "to": element_ids[link.target_factor],
                "direction": fields.pop("direction", "directed"),
                **fields,
                **({"delayed": True} if link.delay else {}),
            }
        )
    conn_of = {
        (lk.source_factor, lk.target_factor): c["id"]
        for lk, c in zip(map_.links, connections, strict=True)
    }
    return {
        "name": map_.title,
        **({"description": map_.description} if map_.description else {}),
        "elements": elements,
        "connections": connections,
        "loops": [_loop_item(loop, conn_of, "id") for loop in map_.curated_loops],
    }


def _loop_item(loop: Any, conn_of: dict[tuple[str, str], str], key: str) -> dict[str, Any]:
    ring = [*loop.factors, loop.factors[0]]
    fields: dict[str, Any] = {"label": loop.name}
    if loop.narrative:
        fields["description"] = loop.narrative
    if loop.kind:
        fields["loop type"] = loop.kind
    connections = [conn_of[a, b] for a, b in zip(ring, ring[1:], strict=False)]
    if key == "id":
        return {"id": f"loop-{loop.id}", **fields, "connections": connections}
    return {"_id": f"loop-{loop.id}", "attributes": fields, "connections": connections}


def write_blueprint(map_: Map) -> str:
    """Serialise a map as a Kumu blueprint JSON (what Kumu's JSON import takes)."""
    return json.dumps(blueprint_document(map_), indent=2, ensure_ascii=False) + "\n"


def project_document(map_: Map) -> dict[str, Any]:
    """The full project export as a dict."""
    elements = []
    element_ids: dict[str, str] = {}
    for factor in map_.factors:
        fields = _element_fields(factor)
        if "type" in fields:
            fields["element type"] = fields.pop("type")
        element_ids[factor.id] = _kumu_id(factor, "elem")
        elements.append({"_id": element_ids[factor.id], "attributes": fields})
    connections = []
    conn_of: dict[tuple[str, str], str] = {}
    for link in map_.links:
        fields = _connection_fields(link)
        if "type" in fields:
            fields["connection type"] = fields.pop("type")
        direction = fields.pop("direction", "directed")
        conn_id = _kumu_id(link, "conn")
        conn_of[link.source_factor, link.target_factor] = conn_id
        connections.append(
            {
                "_id": conn_id,
                "from": element_ids[link.source_factor],
                "to": element_ids[link.target_factor],
                "direction": direction,
                "delayed": link.delay,
                "attributes": fields,
            }
        )
    placed = [
        {
            "_id": f"map-elem-{f.id}",
            "element": element_ids[f.id],
            "position": {"x": f.position.x, "y": f.position.y},
        }
        for f in map_.factors
        if f.position is not None
    ]
    return {
        "name": map_.title,
        **({"description": map_.description} if map_.description else {}),
        "elements": elements,
        "connections": connections,
        "loops": [_loop_item(loop, conn_of, "_id") for loop in map_.curated_loops],
        "maps": [
            {"_id": "map-1", "name": map_.title, "elements": placed, "connections": [], "loops": []}
        ],
        "perspectives": [
            {
                "_id": f"perspective-{view.id}",
                "name": view.name,
                "loopwise": view.model_dump(mode="json", exclude_none=True),
            }
            for view in map_.views
        ],
    }


def write_project(map_: Map) -> str:
    """Serialise a map as a Kumu full project export JSON."""
    return json.dumps(project_document(map_), indent=2, ensure_ascii=False) + "\n"
