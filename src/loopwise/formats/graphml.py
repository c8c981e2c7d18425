"""GraphML (Gephi, yEd, networkx): read and write.

Written files declare typed ``<key>`` attributes (see :mod:`loopwise.formats._graph`), the
graph's ``slug``/``title``/``description``, positions as ``x``/``y``, and yEd's
``nodegraphics`` (a labelled shape at the position) so yEd shows labels. Reading takes any
GraphML: labels from a ``label`` attribute or a yEd ``NodeLabel``, positions from ``x``/``y`` or
a yEd ``Geometry``. XML is parsed with defusedxml.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D", "factors": [{"id": "a", "label": "A"},
    ...     {"id": "b", "label": "B"}], "links": [{"from": "a", "to": "b", "polarity": "-"}]})
    >>> read_graphml(write_graphml(m).encode(), "d.graphml") == m
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

NS = "http://graphml.graphdrawing.org/xmlns"
NS_Y = "http://www.yworks.com/xml/graphml"


def detect(raw: bytes, filename: str) -> bool:
    return b"<graphml" in raw[:4096]


def _value(text: str | None, kind: str) -> Any:
    return typed_value(text, kind, ("int", "long"))


def read_graphml(raw: bytes, where: str) -> Map:
    """Read a GraphML file into a validated Map."""
    root = parse_xml(raw, where)
    if local_name(root.tag) != "graphml":
        raise ImportFormatError(f"not GraphML: the root element is <{local_name(root.tag)}>", where)
    keys: dict[str, tuple[str, str, Any]] = {}  # id -> (name, type, default)
    for key in root:
        if local_name(key.tag) != "key":
            continue
        name = key.get("attr.name") or key.get("yfiles.type") or key.get("id") or ""
        kind = key.get("attr.type", "string")
        default = next((d.text for d in key if local_name(d.tag) == "default"), None)
        keys[key.get("id", "")] = (name, kind, default)
    graph = next((g for g in root if local_name(g.tag) == "graph"), None)
    if graph is None:
        raise ImportFormatError("no <graph> element", where)

    def data_of(
        element: ET.Element, domain: str
    ) -> tuple[dict[str, Any], tuple[float, float] | None]:
        values: dict[str, Any] = {}
        for name, kind, default in keys.values():
            if default is not None and name not in ("nodegraphics", "edgegraphics"):
                values[name] = _value(default, kind)
        position = None
        for data in element:
            if local_name(data.tag) != "data":
                continue
            name, kind, _ = keys.get(data.get("key", ""), (data.get("key", ""), "string", None))
            if name == "nodegraphics":
                for part in data.iter():
                    tag = local_name(part.tag)
                    if tag == "Geometry" and position is None:
                        try:
                            position = (float(part.get("x", "")), float(part.get("y", "")))
                        except ValueError:
                            position = None
                    elif tag == "NodeLabel" and (part.text or "").strip():
                        values.setdefault("label", part.text)
                continue
            if name == "edgegraphics" or len(data):
                continue
            values[name] = _value(data.text, kind)
        return values, position

    meta, _ = data_of(graph, "graph")
    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    for i, element in enumerate(graph.iter()):
        tag = local_name(element.tag)
        if tag == "node":
            if element.get("id") is None:
                raise ImportFormatError(
                    "a <node> without an id", f"{where}: node #{len(nodes) + 1}"
                )
            values, position = data_of(element, "node")
            nodes.append(
                GraphNode(element.get("id", ""), values, f"node {element.get('id')!r}", position)
            )
        elif tag == "edge":
            values, _ = data_of(element, "edge")
            edges.append(xml_edge(element, len(edges) + 1, values, where))
        del i
    return build_graph_map(nodes, edges, meta, where)


def write_graphml(map_: Map) -> str:
    """Serialise a map as GraphML (with yEd labels and positions)."""
    ET.register_namespace("", NS)
    ET.register_namespace("y", NS_Y)
    root = ET.Element(f"{{{NS}}}graphml")
    declared: dict[tuple[str, str], str] = {}

    def key(domain: str, name: str, kind: str) -> str:
        if (domain, name) not in declared:
            key_id = f"{domain[0]}_{name}"
            declared[domain, name] = key_id
            ET.SubElement(
                root,
                f"{{{NS}}}key",
                {"id": key_id, "for": domain, "attr.name": name, "attr.type": kind},
            )
        return declared[domain, name]

    node_rows = []
    for factor in map_.factors:
        attrs = factor_attrs(factor)
        if factor.position is not None:
            attrs["x"] = ("double", factor.position.x)
            attrs["y"] = ("double", factor.position.y)
        node_rows.append((factor, {key("node", n, k): (k, v) for n, (k, v) in attrs.items()}))
    edge_rows = [
        (link, {key("edge", n, k): (k, v) for n, (k, v) in link_attrs(link).items()})
        for link in map_.links
    ]
    for name in ("slug", "title", "description"):
        key("graph", name, "string")
    ET.SubElement(
        root, f"{{{NS}}}key", {"id": "yed_node", "for": "node", "yfiles.type": "nodegraphics"}
    )
    graph = ET.SubElement(root, f"{{{NS}}}graph", {"id": map_.slug, "edgedefault": "directed"})
    for name, value in (
        ("slug", map_.slug),
        ("title", map_.title),
        ("description", map_.description),
    ):
        ET.SubElement(graph, f"{{{NS}}}data", {"key": f"g_{name}"}).text = xml_text(value)
    for factor, data in node_rows:
        node = ET.SubElement(graph, f"{{{NS}}}node", {"id": factor.id})
        _write_data(node, data)
        graphics = ET.SubElement(node, f"{{{NS}}}data", {"key": "yed_node"})
        shape = ET.SubElement(graphics, f"{{{NS_Y}}}ShapeNode")
        if factor.position is not None:
            ET.SubElement(
                shape,
                f"{{{NS_Y}}}Geometry",
                {
                    "x": repr(factor.position.x),
                    "y": repr(factor.position.y),
                    "width": "120.0",
                    "height": "40.0",
                },
            )
        ET.SubElement(shape, f"{{{NS_Y}}}NodeLabel").text = xml_text(factor.label)
    for link, data in edge_rows:
        edge = ET.SubElement(
            graph,
            f"{{{NS}}}edge",
            {"id": link.id, "source": link.source_factor, "target": link.target_factor},
        )
        _write_data(edge, data)
    return xml_document(root)


def _write_data(parent: ET.Element, data: dict[str, tuple[str, Any]]) -> None:
    for key_id, (kind, value) in data.items():
        ET.SubElement(parent, f"{{{NS}}}data", {"key": key_id}).text = typed_text(kind, value)
