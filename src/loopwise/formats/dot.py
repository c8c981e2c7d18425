"""Graphviz DOT: write (readable by Graphviz and pydot) and read through pydot.

Written files carry the same attributes as GraphML (see :mod:`loopwise.formats._graph`) plus
display hints: the polarity as the edge label, red for ``-``, dashed for delayed links, and
``pos`` for placed factors. Reading takes any DOT digraph pydot can parse: a ``+``/``-`` edge
label or a ``polarity`` attribute gives the polarity, else ``+`` tagged ``polarity:unknown``.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D", "factors": [{"id": "a", "label": "A"},
    ...     {"id": "b", "label": 'B "quoted"'}], "links": [{"from": "a", "to": "b",
    ...     "polarity": "-"}]})
    >>> read_dot(write_dot(m).encode(), "d.dot") == m
    True
"""

from __future__ import annotations

import re
from typing import Any

from loopwise.errors import ImportFormatError
from loopwise.formats._common import decode_text
from loopwise.formats._graph import (
    GraphEdge,
    GraphNode,
    build_graph_map,
    factor_attrs,
    link_attrs,
)
from loopwise.model import Map

_DISPLAY = {"color", "style", "fontcolor", "shape", "penwidth", "arrowhead"}


def detect(raw: bytes, filename: str) -> bool:
    head = raw[:2048].decode("utf-8", "ignore")
    head = re.sub(r"^(\s|//[^\n]*\n|/\*.*?\*/)*", "", head, flags=re.S).lower()
    return bool(re.match(r"(strict\s+)?(di)?graph\b", head))


def _quote(value: Any) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _unquote(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if len(value) >= 2 and value[0] == value[-1] == '"':
        body = value[1:-1]
        return re.sub(r"\\([\\\"])", r"\1", body.replace("\\\n", ""))
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    return value


def _typed(name: str, value: Any) -> Any:
    if name == "sign":
        try:
            return int(value)
        except ValueError:
            return value
    if name == "delay":
        return str(value).lower() == "true"
    return value


def read_dot(raw: bytes, where: str) -> Map:
    """Read a DOT file with pydot into a validated Map."""
    import pydot

    text = decode_text(raw, where)
    try:
        graphs = pydot.graph_from_dot_data(text)
    except Exception as exc:  # pydot/pyparsing raise a variety of errors
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFormatError(f"not valid DOT ({first})", where) from None
    if not graphs:
        raise ImportFormatError("not valid DOT (pydot found no graph)", where)
    graph = graphs[0]
    meta = {k: _unquote(v) for k, v in graph.get_attributes().items()}
    meta.setdefault("title", meta.get("label", ""))
    if "slug" not in meta and graph.get_name() not in ("", "G"):
        meta["name"] = _unquote(graph.get_name())
    nodes: dict[str, GraphNode] = {}
    edges: list[GraphEdge] = []

    def node(name: str) -> GraphNode:
        key = _unquote(name)
        if key not in nodes:
            nodes[key] = GraphNode(key, {}, f"node {key!r}")
        return nodes[key]

    def walk(g: Any) -> None:
        for item in g.get_nodes():
            name = item.get_name()
            if name in ("node", "edge", "graph", "\\n"):
                continue
            target = node(name)
            for key, value in item.get_attributes().items():
                key = _unquote(key)
                if key in _DISPLAY:
                    continue
                if key == "pos":
                    try:
                        x, y = (float(v) for v in _unquote(value).rstrip("!").split(",")[:2])
                        target.position = (x, y)
                    except ValueError:
                        target.attrs["pos"] = _unquote(value)
                    continue
                target.attrs[key] = _typed(key, _unquote(value))
        for item in g.get_edges():
            source, target_name = item.get_source(), item.get_destination()
            if not isinstance(source, str) or not isinstance(target_name, str):
                raise ImportFormatError(
                    "edges between subgraphs are not supported", f"{where}: edge #{len(edges) + 1}"
                )
            attrs = {_unquote(k): _typed(_unquote(k), _unquote(v))
                     for k, v in item.get_attributes().items()
                     if _unquote(k) not in _DISPLAY}  # fmt: skip
            label = attrs.pop("label", None)
            if label is not None and "polarity" not in attrs:
                if str(label).strip() in ("+", "-"):
                    attrs["polarity"] = str(label).strip()
                elif str(label).strip() != "?":
                    attrs["label"] = label
            edge_id = attrs.pop("id", None)
            place = f"edge #{len(edges) + 1} ({_unquote(source)} -> {_unquote(target_name)})"
            edges.append(GraphEdge(node(source).id, node(target_name).id, edge_id, attrs, place))
        for sub in g.get_subgraphs():
            walk(sub)

    walk(graph)
    return build_graph_map(list(nodes.values()), edges, meta, where)


def write_dot(map_: Map) -> str:
    """Serialise a map as a Graphviz digraph."""
    lines = [f"digraph {_quote(map_.slug)} {{"]
    graph_attrs = {"slug": map_.slug, "title": map_.title, "label": map_.title,
                   "description": map_.description}  # fmt: skip
    lines.extend(f"  {k}={_quote(v)};" for k, v in graph_attrs.items() if v)
    lines.append('  node [shape="box", style="rounded"];')
    for factor in map_.factors:
        attrs = {name: value for name, (_, value) in factor_attrs(factor).items()}
        if factor.position is not None:
            attrs["pos"] = f"{factor.position.x!r},{factor.position.y!r}!"
        body = ", ".join(f"{_quote(k)}={_quote(v)}" for k, v in attrs.items())
        lines.append(f"  {_quote(factor.id)} [{body}];")
    for link in map_.links:
        attrs = {name: value for name, (_, value) in link_attrs(link).items()}
        attrs["delay"] = "true" if link.delay else "false"
        attrs["id"] = link.id
        display = {"label": attrs.get("polarity", "?")}
        if attrs.get("polarity") == "-":
            display["color"] = "#b2182b"
        if link.delay:
            display["style"] = "dashed"
        body = ", ".join(f"{_quote(k)}={_quote(v)}" for k, v in {**display, **attrs}.items())
        lines.append(f"  {_quote(link.source_factor)} -> {_quote(link.target_factor)} [{body}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
