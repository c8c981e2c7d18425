"""The attribute mapping shared by the graph formats (GraphML, GEXF, DOT).

Node attributes: ``label``, ``description``, ``theme``, ``stage``, ``tags`` (a JSON list),
``custom`` (a JSON object) and the position. Edge attributes: ``polarity`` (``+``/``-``,
absent when unknown), ``sign`` (+1/-1), ``weight`` (signed, derived), ``strength``, ``delay``,
``mechanism``, ``tags``, ``custom``. Reading is lenient about other tools' files: a missing
label is the node id, other attributes go to ``custom``, and a signed ``weight`` gives the
polarity when the file has negative weights and no polarity attribute.

Example:
    >>> link_from_attrs("a", "b", None, {"sign": -1}, signed_weights=False)["polarity"]
    '-'
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
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
    stem_slug,
    stem_title,
    text_of,
    written_tags,
)
from loopwise.model import Map, is_slug

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_AUTO_ID = re.compile(r"^[a-z]?\d+$")  # "0", "n12", "e3": tools' counters, not names
NODE_KEYS = ("label", "description", "theme", "stage", "tags", "custom")
EDGE_KEYS = ("polarity", "sign", "weight", "strength", "delay", "mechanism", "tags", "custom")
_POLARITY_KEYS = ("polarity", "sign", "connection type", "connection_type", "type")


def xml_text(value: str) -> str:
    """Text without the characters XML 1.0 cannot hold (control characters)."""
    return _XML_ILLEGAL.sub("", value)


def typed_value(text: str | None, kind: str, int_kinds: Collection[str]) -> Any:
    """An attribute's text read as its declared type (``kind``): a bool, an int for the
    format's ``int_kinds``, a float, else (or when it does not parse) the text itself."""
    text = text or ""
    if kind == "boolean":
        return text.strip().lower() in ("true", "1")
    try:
        if kind in int_kinds:
            return int(text)
        if kind in ("double", "float"):
            return float(text)
    except ValueError:
        return text
    return text


def typed_text(kind: str, value: Any) -> str:
    """An attribute's value written as text for its type (``kind``, see :func:`factor_attrs`)."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return xml_text(str(value))


def xml_edge(element: Any, number: int, values: dict[str, Any], where: str) -> GraphEdge:
    """The ``number``-th ``<edge>`` element of an XML graph file (GraphML, GEXF), with its
    attribute ``values``; an edge without a source or target is an error."""
    place = f"edge #{number}" + (f" ({element.get('id')!r})" if element.get("id") else "")
    if element.get("source") is None or element.get("target") is None:
        raise ImportFormatError("an <edge> needs source and target", f"{where}: {place}")
    return GraphEdge(
        element.get("source", ""), element.get("target", ""), element.get("id"), values, place
    )


def xml_document(root: Any) -> str:
    """An indented XML document; carriage returns in text kept as ``&#13;`` (a parser would
    otherwise turn them into line feeds)."""
    from xml.etree import ElementTree as ET

    ET.indent(root)
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def factor_attrs(factor: Any) -> dict[str, tuple[str, Any]]:
    """``name -> (type, value)`` for a factor (empty values left out)."""
    attrs: dict[str, tuple[str, Any]] = {"label": ("string", factor.label)}
    if factor.description:
        attrs["description"] = ("string", factor.description)
    if factor.theme:
        attrs["theme"] = ("string", factor.theme)
    if factor.stage:
        attrs["stage"] = ("string", factor.stage)
    if factor.tags:
        attrs["tags"] = ("string", json.dumps(factor.tags, ensure_ascii=False))
    if factor.custom:
        attrs["custom"] = ("string", json.dumps(factor.custom, ensure_ascii=False))
    return attrs


def link_attrs(link: Any) -> dict[str, tuple[str, Any]]:
    attrs: dict[str, tuple[str, Any]] = {}
    polarity = known_polarity(link)
    if polarity is not None:
        attrs["polarity"] = ("string", polarity)
        attrs["sign"] = ("int", 1 if polarity == "+" else -1)
        attrs["weight"] = ("double", link.weight)
    attrs["strength"] = ("string", str(link.strength))
    attrs["delay"] = ("boolean", link.delay)
    if link.mechanism:
        attrs["mechanism"] = ("string", link.mechanism)
    if tags := written_tags(link):
        attrs["tags"] = ("string", json.dumps(tags, ensure_ascii=False))
    if link.custom:
        attrs["custom"] = ("string", json.dumps(link.custom, ensure_ascii=False))
    return attrs


def _tags(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value)
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return [t.strip() for t in re.split(r"[|,]", text) if t.strip()]


def _custom(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(str(value))
    except json.JSONDecodeError:
        return {"custom": value}
    return parsed if isinstance(parsed, dict) else {"custom": parsed}


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"true", "1", "yes", "delayed"}


@dataclass
class GraphNode:
    id: str
    attrs: dict[str, Any]
    place: str
    position: tuple[float, float] | None = None


@dataclass
class GraphEdge:
    source: str
    target: str
    id: str | None
    attrs: dict[str, Any]
    place: str


def _keep_id(id_: str | None, trust: bool) -> bool:
    return id_ is not None and is_slug(id_) and (trust or not _AUTO_ID.match(id_))


def factor_from_attrs(node: GraphNode, ids: IdAllocator, trust: bool = False) -> dict[str, Any]:
    attrs = dict(node.attrs)
    label = attrs.pop("label", None)
    label = label if isinstance(label, str) and label != "" else text_of(label) or node.id
    prefer = node.id if _keep_id(node.id, trust) else None
    factor: dict[str, Any] = {"id": ids.allocate(label, prefer=prefer), "label": label}
    custom = _custom(attrs.pop("custom")) if "custom" in attrs else {}
    if factor["id"] != node.id:
        custom["graph_id"] = node.id
    if (desc := attrs.pop("description", None)) not in (None, ""):
        factor["description"] = str(desc)
    for key in ("theme", "stage"):
        value = attrs.pop(key, None)
        if isinstance(value, str) and is_slug(value):
            factor[key] = value
        elif value not in (None, ""):
            custom[key] = value
    if (tags := attrs.pop("tags", None)) not in (None, ""):
        factor["tags"] = _tags(tags)
    x, y = attrs.pop("x", None), attrs.pop("y", None)
    if node.position is not None:
        factor["position"] = {"x": node.position[0], "y": node.position[1]}
    elif x is not None and y is not None:
        try:
            factor["position"] = {"x": float(x), "y": float(y)}
        except (TypeError, ValueError):
            custom.update({"x": x, "y": y})
    custom.update({k: v for k, v in attrs.items() if v is not None})
    if custom:
        factor["custom"] = custom
    return factor


def link_from_attrs(start: str, end: str, edge_id: str | None, attrs: dict[str, Any],
                    signed_weights: bool, trust: bool = False) -> dict[str, Any]:  # fmt: skip
    attrs = dict(attrs)
    link: dict[str, Any] = {"from": start, "to": end}
    custom = _custom(attrs.pop("custom")) if "custom" in attrs else {}
    polarity = None
    for key in _POLARITY_KEYS:
        if key in attrs:
            value = attrs.pop(key)
            polarity = polarity or polarity_of(value)
            if polarity is None and key == "type" and value not in (None, ""):
                custom["type"] = value
    weight = attrs.pop("weight", None)
    if polarity is None and signed_weights and weight is not None:
        try:
            polarity = polarity_of(float(weight))
        except (TypeError, ValueError):
            polarity = None
    if polarity is None:
        mark_unknown_polarity(link)
    else:
        link["polarity"] = polarity
    raw_strength = attrs.pop("strength", None)
    strength = link_strength(raw_strength, link["polarity"])
    if strength is None and signed_weights and weight is not None:
        strength = link_strength(weight, link["polarity"])
    if strength is not None:
        link["strength"] = strength
    elif raw_strength not in (None, ""):
        custom["strength"] = raw_strength
    if "delay" in attrs:
        link["delay"] = _truthy(attrs.pop("delay"))
    mechanism = attrs.pop("mechanism", None) or attrs.pop("description", None)
    if mechanism not in (None, ""):
        link["mechanism"] = str(mechanism)
    if (tags := attrs.pop("tags", None)) not in (None, ""):
        link["tags"] = [*_tags(tags), *link.get("tags", [])]
    if _keep_id(edge_id, trust):
        link["id"] = edge_id
    elif edge_id is not None:
        custom["graph_id"] = edge_id
    custom.update({k: v for k, v in attrs.items() if v is not None})
    if custom:
        link["custom"] = custom
    return link


def build_graph_map(nodes: list[GraphNode], edges: list[GraphEdge], meta: dict[str, Any],
                    where: str) -> Map:  # fmt: skip
    """Nodes and edges read from a graph file -> a validated Map (checks ids and endpoints)."""
    trust = is_slug(str(meta.get("slug", "")))  # a file loopwise wrote: keep its ids
    ids = IdAllocator()
    by_node: dict[str, str] = {}
    first: dict[str, str] = {}
    factors = []
    for node in nodes:
        if node.id in by_node:
            raise ImportFormatError(
                f"duplicate node id {node.id!r} (first at {first[node.id]})",
                f"{where}: {node.place}",
            )
        factor = factor_from_attrs(node, ids, trust)
        by_node[node.id] = factor["id"]
        first[node.id] = node.place
        factors.append(factor)
    signed = any(_negative(edge.attrs.get("weight")) for edge in edges)
    links = []
    edge_ids: dict[str, str] = {}
    for edge in edges:
        place = f"{where}: {edge.place}"
        ends = []
        for ref, what in ((edge.source, "source"), (edge.target, "target")):
            if ref not in by_node:
                raise ImportFormatError(f"unknown node {ref!r} as {what}", place)
            ends.append(by_node[ref])
        start, end = ends
        if start == end:
            report_note("dropped", f"{edge.place}: an edge from {edge.source!r} to itself "
                        "(a loopwise link joins two factors)")  # fmt: skip
            continue
        if edge.id is not None:
            if edge.id in edge_ids:
                raise ImportFormatError(
                    f"duplicate edge id {edge.id!r} (first at {edge_ids[edge.id]})", place
                )
            edge_ids[edge.id] = edge.place
        links.append(link_from_attrs(start, end, edge.id, edge.attrs, signed, trust))
    return build_map(
        {
            "slug": meta.get("slug") if is_slug(str(meta.get("slug", ""))) else stem_slug(where),
            "title": str(meta.get("title") or "") or stem_title(where),
            "description": str(meta.get("description") or ""),
            "factors": factors,
            "links": merge_parallel_links(links, where),
        },
        where,
    )


def _negative(value: Any) -> bool:
    try:
        return float(value) < 0
    except (TypeError, ValueError):
        return False
