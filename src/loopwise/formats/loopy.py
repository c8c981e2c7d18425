"""LOOPY (ncase.me/loopy): the model JSON ``[nodes, edges, labels, uid]`` or the share URL
``...?data=<that JSON, URI-encoded>``.

A node is ``[id, x, y, init, label, hue]`` with the label URI-encoded (so twice in the URL),
an edge ``[from, to, arc, strength, rotation]`` with strength ``+1``/``-1``. LOOPY holds
labels, positions, the start amount and colour of each node, and the sign of each edge; factor
ids come from the labels, LOOPY's own ids go to ``custom["loopy_id"]``. Text labels on the
canvas become the map description.

Example:
    >>> m = read_loopy(b'[[[1,10,20,0,"job%20loss",0],[2,50,20,0,"anger",1]],'
    ...                b'[[1,2,30,1,0]],[],3]', "x.json")
    >>> [f.label for f in m.factors], m.links[0].polarity
    (['job loss', 'anger'], '+')
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, unquote

from loopwise.errors import ImportFormatError
from loopwise.formats._common import (
    IdAllocator,
    build_map,
    decode_text,
    known_polarity,
    load_json,
    stem_slug,
    stem_title,
)
from loopwise.model import Map

LOOPY_URL = "https://ncase.me/loopy/v1.1/"
_URI_SAFE = "-_.!~*'()"  # what JavaScript's encodeURIComponent leaves alone


def detect(raw: bytes, filename: str) -> bool:
    head = raw[:200].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    return head.startswith("[[[") or head.startswith("[[],") or detect_url(raw, filename)


def detect_url(raw: bytes, filename: str) -> bool:
    head = raw[:300].decode("utf-8", "ignore").strip()
    return head.startswith("http") and "?data=" in head or head.startswith("?data=")


def _decode_label(value: Any) -> str:
    text = str(value)
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text


def _json_from_url(text: str, where: str) -> str:
    match = re.search(r"[?&](?:data|embed)=([^&#\s]*)", text)
    if match is None:
        raise ImportFormatError("no ?data= in the LOOPY URL", where)
    return unquote(match.group(1))


def read_loopy(raw: bytes, where: str) -> Map:
    """Read a LOOPY model (JSON, or a text file holding the share URL)."""
    text = decode_text(raw, where).strip()
    if not text.startswith(("[", "{")):
        text = _json_from_url(text, where)
    data = load_json(text, where)
    if (
        not isinstance(data, list)
        or len(data) < 2
        or not all(isinstance(part, list) for part in data[:3])
    ):
        raise ImportFormatError("not a LOOPY model: expected [nodes, edges, labels, uid]", where)
    nodes, edges = data[0], data[1]
    texts = data[2] if len(data) > 2 else []
    ids = IdAllocator()
    factors = []
    by_loopy: dict[str, str] = {}
    for i, node in enumerate(nodes):
        place = f"{where}: nodes[{i}]"
        if not isinstance(node, list) or len(node) < 5:
            raise ImportFormatError("a node is [id, x, y, init, label, hue]", place)
        loopy_id, x, y, init, label = node[:5]
        hue = node[5] if len(node) > 5 else 0
        label = _decode_label(label)
        if label == "":
            label = f"node {loopy_id}"
        if str(loopy_id) in by_loopy:
            raise ImportFormatError(f"duplicate node id {loopy_id!r}", place)
        try:
            position = {"x": float(x), "y": float(y)}
        except (TypeError, ValueError):
            raise ImportFormatError(f"x and y must be numbers, got {x!r}, {y!r}", place) from None
        factor_id = ids.allocate(label)
        by_loopy[str(loopy_id)] = factor_id
        factors.append(
            {
                "id": factor_id,
                "label": label,
                "position": position,
                "custom": {"loopy_id": loopy_id, "loopy_init": init, "loopy_hue": hue},
            }
        )
    links = []
    seen: dict[tuple[str, str], int] = {}
    for i, edge in enumerate(edges):
        place = f"{where}: edges[{i}]"
        if not isinstance(edge, list) or len(edge) < 4:
            raise ImportFormatError("an edge is [from, to, arc, strength, rotation]", place)
        start, end = (by_loopy.get(str(edge[0])), by_loopy.get(str(edge[1])))
        for ref, found in ((edge[0], start), (edge[1], end)):
            if found is None:
                raise ImportFormatError(f"unknown node {ref!r}", place)
        assert start is not None and end is not None
        if start == end:
            raise ImportFormatError(
                f"a self-loop on {start!r}: loopwise links join two different factors", place
            )
        if (start, end) in seen:
            raise ImportFormatError(
                f"a second edge {start} -> {end} (first at edges[{seen[start, end]}])", place
            )
        seen[start, end] = i
        try:
            strength = float(edge[3])
        except (TypeError, ValueError):
            raise ImportFormatError(f"strength must be a number, got {edge[3]!r}", place) from None
        custom: dict[str, Any] = {"loopy_arc": edge[2]}
        if len(edge) > 4:
            custom["loopy_rotation"] = edge[4]
        links.append(
            {"from": start, "to": end, "polarity": "-" if strength < 0 else "+", "custom": custom}
        )
    notes = [
        _decode_label(item[2]) for item in texts
        if isinstance(item, list) and len(item) > 2 and str(item[2]).strip()
    ]  # fmt: skip
    return build_map(
        {
            "slug": stem_slug(where),
            "title": stem_title(where),
            "description": "\n\n".join(notes),
            "factors": factors,
            "links": links,
        },
        where,
    )


def model_data(map_: Map) -> list[Any]:
    """The LOOPY model as a list (labels URI-encoded once, as in a saved model)."""
    nodes = []
    loopy_ids: dict[str, int] = {}
    for n, factor in enumerate(map_.factors, start=1):
        loopy_ids[factor.id] = n
        pos = factor.position
        x, y = (pos.x, pos.y) if pos else (150 + 220 * ((n - 1) % 6), 150 + 220 * ((n - 1) // 6))
        nodes.append(
            [
                n, round(x), round(y), factor.custom.get("loopy_init", 0.5),
                quote(factor.label, safe=_URI_SAFE), factor.custom.get("loopy_hue", 0),
            ]
        )  # fmt: skip
    edges = []
    for link in map_.links:
        sign = -1 if known_polarity(link) == "-" else 1
        edges.append(
            [
                loopy_ids[link.source_factor], loopy_ids[link.target_factor],
                link.custom.get("loopy_arc", 50), sign, link.custom.get("loopy_rotation", 0),
            ]
        )  # fmt: skip
    labels = [[0, 0, quote(map_.description, safe=_URI_SAFE)]] if map_.description else []
    return [nodes, edges, labels, len(nodes) + 1]


def write_json(map_: Map) -> str:
    """The LOOPY model JSON (what LOOPY's "save as file" writes)."""
    return json.dumps(model_data(map_), ensure_ascii=False, separators=(",", ":")) + "\n"


def write_url(map_: Map) -> str:
    """A LOOPY share URL that opens the map in LOOPY."""
    text = json.dumps(model_data(map_), ensure_ascii=False, separators=(",", ":"))
    return LOOPY_URL + "?data=" + quote(text, safe=_URI_SAFE + "[],") + "\n"
