"""What the system-dynamics readers (Vensim, XMILE) share: variable names, equation
dependencies and building the variable graph (u -> v when u feeds v).

Example:
    >>> normalise_name('"Birth_rate"  ')
    'birth rate'
    >>> sorted(references("INTEG(Births - Deaths, 100)", {"births", "deaths", "other"}))
    ['births', 'deaths']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from loopwise.formats._common import (
    IdAllocator,
    build_map,
    mark_unknown_polarity,
    stem_slug,
    stem_title,
)
from loopwise.formats._equations import Dialect, _Signs, derivative_signs, parse
from loopwise.formats._equations import normalise_name as normalise_name
from loopwise.model import Map

CONTROL_NAMES = {"initial time", "final time", "time step", "saveper", "time", "dt",
                 "starttime", "stoptime"}  # fmt: skip
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_SPLIT = re.compile(r"[+\-*/^(),\[\]<>=:;!{}&|~']+")


def display_name(name: str) -> str:
    text = name.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return re.sub(r"\s+", " ", text.replace("\\n", " ").replace("_", " ")).strip()


def references(equation: str, known: set[str]) -> set[str]:
    """The known variable names (normalised) an equation mentions."""
    found = set()
    for quoted in _QUOTED.findall(equation):
        if normalise_name(quoted) in known:
            found.add(normalise_name(quoted))
    rest = _QUOTED.sub(" ", equation)
    for token in _SPLIT.split(rest):
        name = normalise_name(token)
        if name in known:
            found.add(name)
    return found


@dataclass
class Variable:
    name: str  # normalised
    label: str
    kind: str = "aux"
    equation: str = ""
    units: str = ""
    doc: str = ""
    position: tuple[float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    expressions: list[str] = field(default_factory=list)  # what its value is computed from


def _listed_sign(text: str) -> int | None:
    """The common sign of a list of numbers (Vensim's constant arrays), else None."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    signs = {(n > 0) - (n < 0) for n in numbers}
    return signs.pop() if len(signs) == 1 else None


def equation_edges(
    variables: dict[str, Variable],
    dialect: Dialect,
    lookup_directions: dict[str, int | None] | None = None,
    lookup_values: dict[str, int | None] | None = None,
) -> dict[tuple[str, str], str | None]:
    """The links ``u -> v`` for every variable ``u`` that ``v``'s expressions mention, each
    with the sign of the partial derivative where it can be determined (see
    :mod:`loopwise.formats._equations`), else None (unknown).

    Stocks are taken as non-negative levels; a constant has its number's sign; an auxiliary
    the sign of its expression's value where that follows.
    """
    directions = lookup_directions or {}
    known = set(variables)
    trees = {
        name: [parse(text, dialect) for text in var.expressions if text.strip()]
        for name, var in variables.items()
    }
    value_sign: dict[str, int | None] = dict(lookup_values or {})
    for name, var in variables.items():
        if var.kind == "stock":
            value_sign[name] = 1
    for name, var in variables.items():
        if var.kind == "stock":
            continue  # an XMILE stock's equation is its initial value, not its level
        listed = [_listed_sign(text) for text in var.expressions]
        if listed and None not in listed and len(set(listed)) == 1:
            value_sign[name] = listed[0]  # an array of constants: 0.3, 0.25
    for _ in range(4):  # auxiliaries of auxiliaries: a few passes settle it
        signs = _Signs(value_sign, directions.get)
        for name, var in variables.items():
            if var.kind in ("stock", "lookup", "gf") or not trees[name] or None in trees[name]:
                continue
            values = {signs.value(tree) for tree in trees[name] if tree is not None}
            value_sign[name] = values.pop() if len(values) == 1 else None
    edges: dict[tuple[str, str], str | None] = {}
    for name, var in variables.items():
        for text in var.expressions:
            derived = derivative_signs(text, dialect, value_sign=value_sign,
                                       lookup_slope=directions.get)  # fmt: skip
            if derived is None:
                derived = dict.fromkeys(references(text, known))
            for used, sign in sorted(derived.items()):
                if used not in known or used == name:
                    continue
                if (used, name) in edges and edges[used, name] != sign:
                    sign = None  # two equations (subscripts) that disagree
                edges[used, name] = sign
    return edges


def build_sd_map(variables: Iterable[Variable], edges: dict[tuple[str, str], str | None],
                 prefix: str, where: str, title: str = "") -> Map:  # fmt: skip
    """Factors for the variables and links for the edges (polarity None -> unknown)."""
    ids = IdAllocator()
    factors = []
    by_name: dict[str, str] = {}
    for var in variables:
        factor_id = ids.allocate(var.label)
        by_name[var.name] = factor_id
        custom: dict[str, Any] = {f"{prefix}_name": var.label, f"{prefix}_type": var.kind}
        if var.equation:
            custom[f"{prefix}_equation"] = var.equation
        if var.units:
            custom[f"{prefix}_units"] = var.units
        custom.update(var.extra)
        factor: dict[str, Any] = {"id": factor_id, "label": var.label, "custom": custom}
        if var.doc:
            factor["description"] = var.doc
        if var.position is not None:
            factor["position"] = {"x": var.position[0], "y": var.position[1]}
        factors.append(factor)
    links = []
    for (start, end), polarity in edges.items():
        if start == end or start not in by_name or end not in by_name:
            continue
        link: dict[str, Any] = {"from": by_name[start], "to": by_name[end]}
        if polarity is None:
            mark_unknown_polarity(link)
        else:
            link["polarity"] = polarity
        links.append(link)
    return build_map(
        {
            "slug": stem_slug(where),
            "title": title or stem_title(where),
            "factors": factors,
            "links": links,
        },
        where,
    )
