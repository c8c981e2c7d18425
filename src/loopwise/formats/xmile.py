"""XMILE 1.0 models (Stella, Vensim exports; read only): the variable graph.

``<model><variables>`` (or, in legacy Stella files, ``<model>`` itself) gives stocks, flows
and auxiliaries with ``<eqn>``, ``<inflow>``, ``<outflow>``, ``<units>`` and ``<doc>``; ``u``
feeds ``v`` when ``u`` appears in ``v``'s equation, with the sign of the partial derivative
where it can be determined (see :mod:`loopwise.formats._equations`; a graphical function's
rising or falling table counts). An inflow raises its stock (``+``) and an outflow lowers it
(``-``); a view ``<connector>`` with a ``polarity`` attribute gives the polarity of its link;
other links are ``+`` tagged ``polarity:unknown``. Arrays are one factor each. Positions come
from every ``<view>`` (or a legacy ``<display>``). Prefixes that Stella uses without declaring
them (``isee:``) are declared before parsing. XML is parsed with defusedxml.

Example:
    >>> doc = (b'<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">'
    ...        b'<model><variables><stock name="Debt"><eqn>1</eqn><inflow>Borrowing</inflow>'
    ...        b'</stock><flow name="Borrowing"><eqn>2</eqn></flow></variables></model></xmile>')
    >>> [(lk.source_factor, lk.polarity) for lk in read_xmile(doc, "m.xmile").links]
    [('borrowing', '+')]
"""

from __future__ import annotations

import contextlib
import re
from xml.etree.ElementTree import Element

from loopwise.errors import ImportFormatError
from loopwise.formats._common import local_name, parse_xml, report_note
from loopwise.formats._equations import common_sign, table_direction
from loopwise.formats._sd import (
    CONTROL_NAMES,
    Variable,
    build_sd_map,
    display_name,
    equation_edges,
    normalise_name,
)
from loopwise.model import Map

_KINDS = {"stock", "flow", "aux", "gf"}
_PREFIX_USED = re.compile(rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[\w.-]+\s*=")
_PREFIX_DECLARED = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")


def detect(raw: bytes, filename: str) -> bool:
    return b"<xmile" in raw[:4096]


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if local_name(c.tag) == name), None)


def _child_text(element: Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _declare_prefixes(raw: bytes, where: str) -> bytes:
    """Declare namespace prefixes a file uses but never declares (most Stella exports use
    ``isee:`` without ``xmlns:isee``), so a strict XML parser reads them."""
    used = {a or b for a, b in _PREFIX_USED.findall(raw)} - {b"xml", b"xmlns"}
    missing = sorted(used - set(_PREFIX_DECLARED.findall(raw)))
    root = re.search(rb"<xmile\b", raw)
    if not missing or root is None:
        return raw
    report_note("notes", "undeclared XML prefixes read as Stella's: "
                + ", ".join(p.decode(errors="replace") for p in missing))  # fmt: skip
    declarations = b"".join(
        b" xmlns:" + p + b'="urn:loopwise:undeclared:' + p + b'"' for p in missing
    )
    return raw[: root.end()] + declarations + raw[root.end() :]


def _gf_ys(element: Element) -> list[float]:
    try:
        return [float(v) for v in re.split(r"[,;\s]+", _child_text(element, "ypts")) if v]
    except ValueError:
        return []


def _gf_direction(element: Element) -> int | None:
    """Whether a graphical function's table rises or falls throughout."""
    ys = _gf_ys(element)
    xpts = _child_text(element, "xpts")
    try:
        xs = [float(v) for v in re.split(r"[,;\s]+", xpts) if v] if xpts else []
    except ValueError:
        xs = []
    if len(xs) != len(ys):
        xs = list(range(len(ys)))
    return table_direction(list(zip(xs, ys, strict=True))) if len(ys) >= 2 else None


def _variables_of(model: Element) -> list[Element]:
    """The model's variable elements: inside ``<variables>``, or (legacy Stella files)
    directly in ``<model>``."""
    blocks = [c for c in model if local_name(c.tag) == "variables"]
    items = [e for block in blocks for e in block]
    items += [e for e in model if local_name(e.tag) in _KINDS]
    return items


def read_xmile(raw: bytes, where: str) -> Map:
    """Read an XMILE model's variables and causal links into a validated Map."""
    root = parse_xml(_declare_prefixes(raw, where), where)
    if local_name(root.tag) != "xmile":
        raise ImportFormatError(f"not XMILE: the root element is <{local_name(root.tag)}>", where)
    models = [c for c in root if local_name(c.tag) == "model"]
    if not models:
        raise ImportFormatError("no <model> element", where)
    model = next((m for m in models if not m.get("name")), models[0])
    if len(models) > 1:
        report_note("dropped", f"{len(models) - 1} module model(s): the main model is read")
    title = ""
    header = _child(root, "header")
    if header is not None:
        title = _child_text(header, "name")
    variables: dict[str, Variable] = {}
    flows: list[tuple[str, str, str]] = []  # (flow, stock, sign)
    gf_direction: dict[str, int | None] = {}
    gf_value: dict[str, int | None] = {}
    wrapped: dict[str, int | None] = {}  # an aux whose value is a graphical function of its eqn
    arrays = 0
    for n, element in enumerate(_variables_of(model), start=1):
        kind = local_name(element.tag)
        if kind not in _KINDS:
            continue
        raw_name = element.get("name")
        if not raw_name:
            raise ImportFormatError(f"a <{kind}> without a name",
                                    f"{where}: variables, item {n}")  # fmt: skip
        name = normalise_name(raw_name)
        if name in CONTROL_NAMES:
            continue
        if name in variables:
            raise ImportFormatError(f"duplicate variable {raw_name!r}",
                                    f"{where}: <{kind} name={raw_name!r}>")  # fmt: skip
        var = Variable(name, display_name(raw_name), kind)
        var.equation = _child_text(element, "eqn")
        var.units = _child_text(element, "units")
        var.doc = _child_text(element, "doc")
        var.expressions = [var.equation] if var.equation else []
        elements = [e for e in element if local_name(e.tag) == "element"]
        if elements:  # an array: one factor, every element's equation feeds it
            arrays += 1
            var.expressions += [_child_text(e, "eqn") for e in elements if _child_text(e, "eqn")]
            var.extra["xmile_elements"] = [e.get("subscript", "") for e in elements]
        display = _child(element, "display")
        if display is not None:
            with contextlib.suppress(ValueError, TypeError):
                var.position = (float(display.get("x", "")), float(display.get("y", "")))
        if kind == "gf":
            gf_direction[name] = _gf_direction(element)
            gf_value[name] = common_sign(_gf_ys(element))
        elif (gf := _child(element, "gf")) is not None:
            wrapped[name] = _gf_direction(gf)
        variables[name] = var
        if kind == "stock":
            for child in element:
                tag = local_name(child.tag)
                if tag in ("inflow", "outflow") and (child.text or "").strip():
                    flows.append((normalise_name(child.text or ""), name,
                                  "+" if tag == "inflow" else "-"))  # fmt: skip
    if arrays:
        report_note("notes", f"{arrays} arrayed variable(s): one factor each (not expanded)")
    edges = equation_edges(variables, "xmile", gf_direction, gf_value)
    for (start, end), sign in list(edges.items()):
        if end in wrapped:  # y = table(x): the table's direction times x's slope
            direction = wrapped[end]
            edges[start, end] = None if (sign is None or direction is None) else (
                sign if direction == 1 else ("-" if sign == "+" else "+"))  # fmt: skip
    for flow, stock, sign in flows:
        if flow not in variables:
            raise ImportFormatError(f"stock {variables[stock].label!r} names an unknown flow "
                                    f"{flow!r}", where)  # fmt: skip
        edges[flow, stock] = sign
    views = _child(model, "views")
    for view in [v for v in (views if views is not None else []) if local_name(v.tag) == "view"]:
        for element in view:
            kind = local_name(element.tag)
            name = normalise_name(element.get("name", ""))
            if kind in _KINDS and name in variables and variables[name].position is None:
                with contextlib.suppress(ValueError):
                    variables[name].position = (float(element.get("x", "")),
                                                float(element.get("y", "")))  # fmt: skip
            elif kind == "connector":
                start = normalise_name(_child_text(element, "from"))
                end = normalise_name(_child_text(element, "to"))
                if start not in variables or end not in variables or start == end:
                    continue
                polarity = element.get("polarity")
                if polarity in ("+", "-"):
                    edges[start, end] = polarity
                else:
                    edges.setdefault((start, end), None)
    return build_sd_map(variables.values(), edges, "xmile", where, title=title)
