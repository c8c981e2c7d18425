"""GEXF 1.3 (Gephi, networkx): read and write, with ``viz:position`` for each factor.

Attributes are declared in ``<attributes class="node|edge">`` (see
:mod:`loopwise.formats._graph`); the signed link weight is the edge's ``weight``; the map's
slug, title and description live in ``<meta>``. Reading also takes GEXF 1.1/1.2 files. XML is
parsed with defusedxml.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D", "factors": [{"id": "a", "label": "A",
    ...     "position": {"x": 1, "y": 2}}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "-"}]})
    >>> read_gexf(write_gexf(m).encode(), "d.gexf") == m
    True
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from loopwise.errors import ImportFormatError
from loopwise.formats._common import local_name, parse_xml
from loopwise.formats._graph import (
    GraphEdge,
    GraphNode,
    build_graph_map,
    factor_attrs,
    link_attrs,
    typed_text,
    typed_value,
    xml_document,
    xml_edge,
    xml_text,
)
from loopwise.model import Map

NS = "http://gexf.net/1.3"
NS_VIZ = "http://gexf.net/1.3/viz"
_GEXF_TYPES = {"string": "string", "int": "integer", "double": "double", "boolean": "boolean"}


def detect(raw: bytes, filename: str) -> bool:
    return b"<gexf" in raw[:4096]


def _value(text: str | None, kind: str) -> Any:
    return typed_value(text, kind, ("integer", "long", "int"))


def read_gexf(raw: bytes, where: str) -> Map:
    """Read a GEXF file into a validated Map."""
    root = parse_xml(raw, where)
    if local_name(root.tag) != "gexf":
        raise ImportFormatError(f"not GEXF: the root element is <{local_name(root.tag)}>", where)
    meta: dict[str, Any] = {}
    graph = None
    for child in root:
        tag = local_name(child.tag)
        if tag == "meta":
            for item in child:
                name = {"keywords": "slug"}.get(local_name(item.tag), local_name(item.tag))
                meta[name] = item.text or ""
        elif tag == "graph":
            graph = child
    if graph is None:
        raise ImportFormatError("no <graph> element", where)
    declared: dict[str, dict[str, tuple[str, str, Any]]] = {"node": {}, "edge": {}}
    for block in graph:
        if local_name(block.tag) != "attributes":
            continue
        domain = block.get("class", "node")
        for attribute in block:
            if local_name(attribute.tag) != "attribute":
                continue
            kind = attribute.get("type", "string")
            default = next((d.text for d in attribute if local_name(d.tag) == "default"), None)
            declared.setdefault(domain, {})[attribute.get("id", "")] = (
                attribute.get("title") or attribute.get("id") or "",
                kind,
                None if default is None else _value(default, kind),
            )

    def values_of(element: ET.Element, domain: str) -> dict[str, Any]:
        values = {name: d for name, _, d in declared.get(domain, {}).values() if d is not None}
        for block in element:
            if local_name(block.tag) != "attvalues":
                continue
            for attvalue in block:
                key = attvalue.get("for") or attvalue.get("id") or ""
                name, kind, _ = declared.get(domain, {}).get(key, (key, "string", None))
                values[name] = _value(attvalue.get("value"), kind)
        return values

    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    for element in graph.iter():
        tag = local_name(element.tag)
        if tag == "node":
            node_id = element.get("id")
            if node_id is None:
                raise ImportFormatError(
                    "a <node> without an id", f"{where}: node #{len(nodes) + 1}"
                )
            values = values_of(element, "node")
            if element.get("label") is not None:
                values["label"] = element.get("label")
            position = None
            for part in element:
                if local_name(part.tag) == "position":
                    try:
                        position = (float(part.get("x", "")), float(part.get("y", "")))
                    except ValueError:
                        raise ImportFormatError(
                            "viz:position needs numbers x and y", f"{where}: node {node_id!r}"
                        ) from None
            nodes.append(GraphNode(node_id, values, f"node {node_id!r}", position))
        elif tag == "edge":
            values = values_of(element, "edge")
            if element.get("weight") is not None:
                values["weight"] = _value(element.get("weight"), "double")
            if element.get("label") is not None:
                values.setdefault("label", element.get("label"))
            edges.append(xml_edge(element, len(edges) + 1, values, where))
    return build_graph_map(nodes, edges, meta, where)


def write_gexf(map_: Map) -> str:
    """Serialise a map as GEXF 1.3 with positions."""
    ET.register_namespace("", NS)
    ET.register_namespace("viz", NS_VIZ)
    root = ET.Element(f"{{{NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{NS}}}meta")
    ET.SubElement(meta, f"{{{NS}}}creator").text = "loopwise"
    ET.SubElement(meta, f"{{{NS}}}title").text = xml_text(map_.title)
    ET.SubElement(meta, f"{{{NS}}}keywords").text = map_.slug
    ET.SubElement(meta, f"{{{NS}}}description").text = xml_text(map_.description)
    graph = ET.SubElement(root, f"{{{NS}}}graph", {"defaultedgetype": "directed", "mode": "static"})
    node_rows = [(f, factor_attrs(f)) for f in map_.factors]
    edge_rows = [(lk, link_attrs(lk)) for lk in map_.links]
    for domain, rows in (("node", node_rows), ("edge", edge_rows)):
        kinds: dict[str, str] = {}
        for _, attrs in rows:
            for name, (kind, _) in attrs.items():
                if not (domain == "node" and name == "label") and name != "weight":
                    kinds.setdefault(name, kind)
        block = ET.SubElement(graph, f"{{{NS}}}attributes", {"class": domain, "mode": "static"})
        for name, kind in kinds.items():
            ET.SubElement(
                block, f"{{{NS}}}attribute", {"id": name, "title": name, "type": _GEXF_TYPES[kind]}
            )
    nodes = ET.SubElement(graph, f"{{{NS}}}nodes")
    for factor, attrs in node_rows:
        node = ET.SubElement(
            nodes, f"{{{NS}}}node", {"id": factor.id, "label": xml_text(factor.label)}
        )
        _attvalues(node, {k: v for k, v in attrs.items() if k != "label"})
        if factor.position is not None:
            ET.SubElement(
                node,
                f"{{{NS_VIZ}}}position",
                {"x": repr(factor.position.x), "y": repr(factor.position.y), "z": "0.0"},
            )
    edges = ET.SubElement(graph, f"{{{NS}}}edges")
    for link, attrs in edge_rows:
        edge_attrs = {"id": link.id, "source": link.source_factor, "target": link.target_factor}
        if "weight" in attrs:
            edge_attrs["weight"] = repr(float(attrs["weight"][1]))
        edge = ET.SubElement(edges, f"{{{NS}}}edge", edge_attrs)
        _attvalues(edge, {k: v for k, v in attrs.items() if k != "weight"})
    return xml_document(root)


def _attvalues(parent: ET.Element, attrs: dict[str, tuple[str, Any]]) -> None:
    if not attrs:
        return
    block = ET.SubElement(parent, f"{{{NS}}}attvalues")
    for name, (kind, value) in attrs.items():
        ET.SubElement(block, f"{{{NS}}}attvalue", {"for": name, "value": typed_text(kind, value)})
