"""PRSM (Participatory System Mapper) ``.prsm`` files: JSON with ``nodes[]``
``{id, label, note, grp, x, y, ...}`` and ``edges[]`` ``{id, from, to, label, note, grp, ...}``,
saved plain or compressed with lz-string's ``compressToUTF16``.

PRSM has no polarity field: an edge whose label is ``+`` or ``-`` (as PRSM users mark them),
or whose style is named for a polarity ("Positive influence", "Negative influence", in the
file's ``styles.edges[grp].groupLabel``) gives the polarity; any other edge is ``+`` tagged
``polarity:unknown``. Parallel edges are merged into one link that keeps both sides' data.
A node's note is the factor's description, an edge's note the mechanism; ``grp`` (the style)
is kept in ``custom``.
Fields loopwise has no place for (factor tags, theme, stage, link strength and delay, tags)
are written in a ``loopwise`` object on each node/edge, which PRSM keeps and ignores.

Example:
    >>> m = read_prsm(b'{"nodes": [{"id": "1", "label": "Debt", "x": 0, "y": 0},'
    ...     b' {"id": "2", "label": "Stress"}], "edges": [{"from": "1", "to": "2",'
    ...     b' "label": "+"}]}', "m.prsm")
    >>> m.links[0].polarity, m.factors[0].position.x
    ('+', 0.0)
"""

from __future__ import annotations

import json
import re
from typing import Any

from loopwise.errors import ImportFormatError
from loopwise.formats._common import (
    IdAllocator,
    as_text,
    build_map,
    decode_text,
    jsonable,
    known_polarity,
    load_json,
    mark_unknown_polarity,
    merge_parallel_links,
    polarity_of,
    report_note,
    stem_slug,
    stem_title,
    text_of,
    written_tags,
)
from loopwise.formats._lzstring import compress_to_utf16, decompress_from_utf16
from loopwise.formats.files import max_import_bytes
from loopwise.model import Map, is_slug

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def detect(raw: bytes, filename: str) -> bool:
    head = raw[:4096].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return '"nodes"' in head and '"edges"' in head
    return filename.lower().endswith(".prsm")


def _document(raw: bytes, where: str) -> dict[str, Any]:
    text = decode_text(raw, where)
    if text.strip() and not text.lstrip().startswith("{"):
        try:
            # compressed characters are all >= U+0020, so only line ends can be stripped
            text = decompress_from_utf16(text.strip("\r\n"), max_length=max_import_bytes())
        except (ValueError, IndexError, UnicodeDecodeError) as exc:
            detail = str(exc) if "more than" in str(exc) else "damaged or truncated?"
            raise ImportFormatError(
                f"neither JSON nor lz-string compressed PRSM data ({detail})", where
            ) from None
        if not text:
            raise ImportFormatError("compressed PRSM data decompresses to nothing", where)
    data = load_json(text, where)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise ImportFormatError("not a PRSM map: no 'nodes' list", where)
    if not isinstance(data.get("edges", []), list):
        raise ImportFormatError("'edges' must be a list", where)
    return data


def _extra(item: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """The fields loopwise itself wrote in an item's ``loopwise`` object (only those)."""
    extra = item.get("loopwise")
    if not isinstance(extra, dict):
        return {}
    return {key: extra[key] for key in allowed if key in extra}


def _as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def read_prsm(raw: bytes, where: str) -> Map:
    """Read a ``.prsm`` file (plain or compressed) into a validated Map."""
    data = _document(raw, where)
    ids = IdAllocator()
    factors = []
    by_prsm: dict[str, str] = {}
    titles = data.get("attributeTitles")
    attribute_titles = titles if isinstance(titles, dict) else {}
    for key in sorted(k for k in data if k not in _READ_KEYS):
        report_note("dropped", f"the top-level {key!r} (PRSM settings loopwise has no place for)")
    for i, node in enumerate(data["nodes"]):
        place = f"{where}: nodes[{i}]"
        if not isinstance(node, dict):
            raise ImportFormatError("expected an object", place)
        node_id = node.get("id")
        if node_id is None:
            raise ImportFormatError("node has no id", place)
        if str(node_id) in by_prsm:
            raise ImportFormatError(f"duplicate node id {node_id!r}", place)
        raw_label = node.get("label")
        label = raw_label if isinstance(raw_label, str) and raw_label else text_of(raw_label)
        label = label or f"node {node_id}"
        extra = _extra(node, ("tags", "theme", "stage", "custom"))
        prefer = str(node_id) if is_slug(str(node_id)) and not _UUID.match(str(node_id)) else None
        factor_id = ids.allocate(label, prefer=prefer)
        by_prsm[str(node_id)] = factor_id
        factor: dict[str, Any] = {"id": factor_id, "label": label, **extra}
        custom = _as_dict(factor.pop("custom", None))
        if factor_id != str(node_id):
            custom["prsm_id"] = node_id
        if isinstance(node.get("note"), str) and node["note"]:
            factor["description"] = node["note"]
        if node.get("grp") not in (None, ""):
            custom["prsm_grp"] = node["grp"]
        for key, title in attribute_titles.items():  # the map's own fields, by their titles
            if node.get(key) not in (None, "") and jsonable(node[key]):
                custom[str(title)] = node[key]
        if isinstance(node.get("x"), int | float) and isinstance(node.get("y"), int | float):
            factor["position"] = {"x": float(node["x"]), "y": float(node["y"])}
        if custom:
            factor["custom"] = custom
        factors.append(factor)
    links = []
    style_polarity = _style_polarities(data)
    for i, edge in enumerate(data.get("edges", [])):
        place = f"{where}: edges[{i}]"
        if not isinstance(edge, dict):
            raise ImportFormatError("expected an object", place)
        ends = []
        for key in ("from", "to"):
            if str(edge.get(key)) not in by_prsm:
                raise ImportFormatError(f"unknown node {edge.get(key)!r} in '{key}'", place)
            ends.append(by_prsm[str(edge[key])])
        start, end = ends
        if start == end:
            report_note(
                "dropped", f"edges[{i}]: an edge from {start!r} to itself (a loopwise link "
                "joins two factors)"
            )  # fmt: skip
            continue
        extra = _extra(edge, ("strength", "delay", "tags", "custom"))
        link: dict[str, Any] = {"from": start, "to": end, **extra}
        custom = _as_dict(link.pop("custom", None))
        polarity = polarity_of(edge.get("label"))
        if polarity is None:
            polarity = polarity_of(edge.get("polarity"))
        if polarity is None:
            polarity = style_polarity.get(str(edge.get("grp")))
        if polarity is None:
            mark_unknown_polarity(link)
            if edge.get("label") not in (None, ""):
                custom["prsm_label"] = edge["label"]
        else:
            link["polarity"] = polarity
        edge_id = edge.get("id")
        if edge_id is not None and str(edge_id) != f"{start}--{end}":
            custom["prsm_id"] = edge_id
        if isinstance(edge.get("note"), str) and edge["note"]:
            link["mechanism"] = edge["note"]
        if edge.get("grp") not in (None, ""):
            custom["prsm_grp"] = edge["grp"]
        if custom:
            link["custom"] = custom
        links.append(link)
    return build_map(
        {
            "slug": stem_slug(where),
            "title": as_text(data.get("mapTitle")) or stem_title(where),
            "description": as_text(data.get("description")),
            "factors": factors,
            "links": merge_parallel_links(links, where),
        },
        where,
    )


_READ_KEYS = {"version", "mapTitle", "description", "nodes", "edges", "lastNodeId",
              "lastEdgeId", "styles", "samples", "attributeTitles"}  # fmt: skip


def _style_polarities(data: dict[str, Any]) -> dict[str, str]:
    """Edge styles whose names say a polarity (``"Positive influence"``, ``"-"``): style id
    -> ``+``/``-``. PRSM keeps styles in ``styles.edges`` (``samples`` before version 1.4),
    each with its ``groupLabel``."""
    styles = data.get("styles") or data.get("samples")
    edges = styles.get("edges") if isinstance(styles, dict) else None
    found: dict[str, str] = {}
    if isinstance(edges, dict):
        for style_id, style in edges.items():
            label = style.get("groupLabel") if isinstance(style, dict) else None
            polarity = polarity_of(label) if isinstance(label, str) else None
            if polarity is not None:
                found[str(style_id)] = polarity
    return found


def prsm_document(map_: Map) -> dict[str, Any]:
    """The PRSM document as a dict."""
    nodes = []
    for n, factor in enumerate(map_.factors):
        custom = dict(factor.custom)
        node: dict[str, Any] = {
            "id": str(custom.pop("prsm_id", factor.id)),
            "label": factor.label,
            "grp": custom.pop("prsm_grp", "group0"),
        }
        if factor.description:
            node["note"] = factor.description
        pos = factor.position
        node["x"], node["y"] = (pos.x, pos.y) if pos else (150 * (n % 8), 150 * (n // 8))
        tagged = (
            ("tags", factor.tags),
            ("theme", factor.theme),
            ("stage", factor.stage),
            ("custom", custom),
        )
        extra: dict[str, Any] = {k: v for k, v in tagged if v}
        if extra:
            node["loopwise"] = extra
        nodes.append(node)
    node_ids = {f.id: nodes[i]["id"] for i, f in enumerate(map_.factors)}
    edges = []
    for link in map_.links:
        custom = dict(link.custom)
        polarity = known_polarity(link)
        edge: dict[str, Any] = {
            "id": str(custom.pop("prsm_id", link.id)),
            "from": node_ids[link.source_factor],
            "to": node_ids[link.target_factor],
            "grp": custom.pop("prsm_grp", "edge0"),
        }
        label = polarity or custom.pop("prsm_label", None)
        custom.pop("prsm_label", None)
        if label:
            edge["label"] = label
        if link.mechanism:
            edge["note"] = link.mechanism
        extra = {}
        if link.strength != "medium":
            extra["strength"] = link.strength
        if link.delay:
            extra["delay"] = True
        if tags := written_tags(link):
            extra["tags"] = tags
        if custom:
            extra["custom"] = custom
        if extra:
            edge["loopwise"] = extra
        edges.append(edge)
    return {
        "version": "loopwise",
        "mapTitle": map_.title,
        **({"description": map_.description} if map_.description else {}),
        "lastNodeId": len(nodes),
        "lastEdgeId": len(edges),
        "nodes": nodes,
        "edges": edges,
    }


def write_prsm(map_: Map) -> str:
    """A plain-JSON ``.prsm`` file."""
    return json.dumps(prsm_document(map_), indent=1, ensure_ascii=False) + "\n"


def write_prsm_compressed(map_: Map) -> str:
    """A ``.prsm`` file compressed with lz-string ``compressToUTF16``, as PRSM saves it."""
    return compress_to_utf16(json.dumps(prsm_document(map_), ensure_ascii=False))
