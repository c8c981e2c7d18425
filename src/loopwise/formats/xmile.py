"""XMILE 1.0 models (Stella, Vensim exports; read only): the variable graph.

``<model><variables>`` gives stocks, flows and auxiliaries with ``<eqn>``, ``<inflow>``,
``<outflow>``, ``<units>`` and ``<doc>``; ``u`` feeds ``v`` when ``u`` appears in ``v``'s
equation. An inflow raises its stock (``+``) and an outflow lowers it (``-``); a view
``<connector>`` with a ``polarity`` attribute gives the polarity of its link; other links are
``+`` tagged ``polarity:unknown``. Positions come from the first view. XML is parsed with
defusedxml.

Example:
    >>> doc = (b'<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">'
    ...        b'<model><variables><stock name="Debt"><eqn>1</eqn><inflow>Borrowing</inflow>'
    ...        b'</stock><flow name="Borrowing"><eqn>2</eqn></flow></variables></model></xmile>')
    >>> [(lk.source_factor, lk.polarity) for lk in read_xmile(doc, "m.xmile").links]
    [('borrowing', '+')]
"""

from __future__ import annotations

import contextlib
from xml.etree.ElementTree import Element

from loopwise.errors import ImportFormatError
from loopwise.formats._common import local_name, parse_xml
from loopwise.formats._sd import (
    CONTROL_NAMES,
    Variable,
    build_sd_map,
    display_name,
    normalise_name,
    references,
)
from loopwise.model import Map

_KINDS = {"stock", "flow", "aux", "gf"}


def detect(raw: bytes, filename: str) -> bool:
    return b"<xmile" in raw[:4096]


def _child_text(element: Element, name: str) -> str:
    for child in element:
        if local_name(child.tag) == name:
            return (child.text or "").strip()
    return ""


def read_xmile(raw: bytes, where: str) -> Map:
    """Read an XMILE model's variables and causal links into a validated Map."""
    root = parse_xml(raw, where)
    if local_name(root.tag) != "xmile":
        raise ImportFormatError(f"not XMILE: the root element is <{local_name(root.tag)}>", where)
    model = next((c for c in root if local_name(c.tag) == "model"), None)
    if model is None:
        raise ImportFormatError("no <model> element", where)
    title = ""
    header = next((c for c in root if local_name(c.tag) == "header"), None)
    if header is not None:
        title = _child_text(header, "name")
    variables: dict[str, Variable] = {}
    equations: dict[str, str] = {}
    flows: list[tuple[str, str, str]] = []  # (flow, stock, sign)
    blocks = [c for c in model if local_name(c.tag) == "variables"]
    for block in blocks:
        for n, element in enumerate(block, start=1):
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
            variables[name] = var
            equations[name] = var.equation
            if kind == "stock":
                for child in element:
                    tag = local_name(child.tag)
                    if tag in ("inflow", "outflow") and (child.text or "").strip():
                        flows.append((normalise_name(child.text or ""), name,
                                      "+" if tag == "inflow" else "-"))  # fmt: skip
    edges: dict[tuple[str, str], str | None] = {}
    known = set(variables)
    for name, equation in equations.items():
        for used in sorted(references(equation, known)):
            edges.setdefault((used, name), None)
    for flow, stock, sign in flows:
        if flow not in variables:
            raise ImportFormatError(f"stock {variables[stock].label!r} names an unknown flow "
                                    f"{flow!r}", where)  # fmt: skip
        edges[flow, stock] = sign
    views = next((c for c in model if local_name(c.tag) == "views"), None)
    for view in list(views or [])[:1]:
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
