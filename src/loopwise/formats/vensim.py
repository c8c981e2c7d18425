"""Vensim ``.mdl`` models (read only): the variable graph from equations and sketch arrows.

The equations section holds ``name = expression ~ units ~ comment |``; a variable ``u`` feeds
``v`` when ``u`` appears in ``v``'s expression (``A FUNCTION OF(...)`` in causal-loop-only
models too). The sketch section places variables (``10,id,name,x,y,...``) and draws arrows
(``1,id,from,to,shape,hidden,polarity,...``): an arrow adds its link, and its polarity mark
(``+``/``-``, ``S``/``O``, stored as a character code) is the link's polarity. Links with no
mark are ``+`` tagged ``polarity:unknown``. Control variables (``INITIAL TIME``, ``TIME STEP``...)
are left out. Equations, units and Vensim's names are kept in ``custom``.

Example:
    >>> m = read_mdl(b"a = b * 2\\n~ u\\n~ the a\\n|\\nb = 1\\n~\\n~\\n|\\n", "m.mdl")
    >>> [(lk.source_factor, lk.target_factor, lk.tags) for lk in m.links]
    [('b', 'a', ['polarity:unknown'])]
"""

from __future__ import annotations

import re

from loopwise.errors import ImportFormatError
from loopwise.formats._common import decode_text
from loopwise.formats._sd import (
    CONTROL_NAMES,
    Variable,
    build_sd_map,
    display_name,
    normalise_name,
    references,
)
from loopwise.model import Map

_SKETCH_START = re.compile(r"\\\\\\---///")
_POLARITY_CODES = {43: "+", 45: "-", 83: "+", 79: "-", 115: "+", 111: "-"}
_POLARITY_CHARS = {"+": "+", "-": "-", "S": "+", "O": "-", "s": "+", "o": "-"}


def detect(raw: bytes, filename: str) -> bool:
    head = raw[:4096].decode("utf-8", "ignore")
    return head.lstrip().startswith("{UTF-8}") or ("~" in head and "|" in head and
                                                   filename.lower().endswith(".mdl"))  # fmt: skip


def _split_equations(text: str, where: str) -> list[tuple[int, str]]:
    """Equation blocks (each up to its ``|``) with their first line number."""
    blocks = []
    line = 1
    start_line = 1
    current: list[str] = []
    for ch in text:
        if ch == "|":
            block = "".join(current)
            if block.strip():
                blocks.append((start_line + _leading_newlines(block), block))
            current = []
            start_line = line
            continue
        if ch == "\n":
            line += 1
        current.append(ch)
    tail = "".join(current).strip()
    if tail:
        raise ImportFormatError(
            f"equation without its closing '|' near line {start_line} (truncated file?)", where
        )
    return blocks


def _leading_newlines(block: str) -> int:
    return len(block) - len(block.lstrip("\n")) if block.startswith("\n") else 0


def read_mdl(raw: bytes, where: str) -> Map:
    """Read a Vensim model's variables and causal links into a validated Map."""
    text = decode_text(raw, where)
    if text.startswith("{UTF-8}"):
        text = text[len("{UTF-8}") :]
    parts = _SKETCH_START.split(text, maxsplit=1)
    equations_text = parts[0]
    sketch_text = parts[1] if len(parts) > 1 else ""
    variables: dict[str, Variable] = {}
    equations: dict[str, str] = {}
    for line, block in _split_equations(equations_text, where):
        fields = block.split("~")
        definition = fields[0].strip()
        if not definition or definition.startswith("*") or definition.startswith(":MACRO:"):
            continue  # group headers and macros
        if len(fields) < 3:
            raise ImportFormatError(
                "an equation needs 'name = expression ~ units ~ comment |'",
                f"{where}: line {line}",
            )
        match = re.match(r"^\s*(\"(?:[^\"\\]|\\.)*\"|[^=(\[:]+?)\s*(\[[^\]]*\])?\s*"
                         r"(=|:=|==|\(|$)", definition, re.S)  # fmt: skip
        if match is None:
            raise ImportFormatError("cannot read the variable name", f"{where}: line {line}")
        raw_name, operator = match.group(1), match.group(3)
        name = normalise_name(raw_name)
        if not name:
            raise ImportFormatError("an equation without a variable name", f"{where}: line {line}")
        expression = definition[match.end() :].strip() if operator != "(" else ""
        if name in CONTROL_NAMES:
            continue
        kind = "stock" if re.match(r"(?i)\s*INTEG\s*\(", expression) else "aux"
        if operator == "(":
            kind = "lookup"
        var = variables.get(name)
        if var is None:
            var = Variable(name, display_name(raw_name), kind)
            variables[name] = var
        var.equation = (var.equation + "; " if var.equation else "") + re.sub(
            r"\s+", " ", expression.replace("\\\n", " ")
        )
        var.units = fields[1].strip()
        var.doc = fields[2].strip()
        equations[name] = (equations.get(name, "") + " " + expression).strip()

    edges: dict[tuple[str, str], str | None] = {}
    known = set(variables)
    for name, expression in equations.items():
        for used in sorted(references(expression, known)):
            edges.setdefault((used, name), None)

    sketch_ids: dict[str, str] = {}
    valves: dict[str, int] = {}
    ordered: list[tuple[int, str, list[str]]] = []
    for n, line in enumerate(sketch_text.splitlines(), start=1):
        if line.startswith("///---\\\\\\"):
            break
        cells = line.split(",")
        if not cells or not cells[0].strip().isdigit():
            continue
        ordered.append((n, cells[0].strip(), cells))
    for index, (n, kind, cells) in enumerate(ordered):
        if kind == "10" and len(cells) > 4:
            name = normalise_name(cells[2])
            if name in CONTROL_NAMES or not name:
                continue
            if name not in variables:
                variables[name] = Variable(name, display_name(cells[2]), "sketch")
            try:
                position = (float(cells[3]), float(cells[4]))
            except ValueError:
                raise ImportFormatError(
                    "a variable's x and y must be numbers", f"{where}: sketch line {n}"
                ) from None
            if variables[name].position is None:
                variables[name].position = position
            sketch_ids[cells[1].strip()] = name
        elif kind == "11" and len(cells) > 1:
            valves[cells[1].strip()] = index
    for valve_id, index in valves.items():
        # a flow's valve is drawn just before the flow variable that names it
        for _, kind, cells in ordered[index + 1 : index + 3]:
            if kind == "10" and cells[1].strip() in sketch_ids:
                sketch_ids.setdefault(valve_id, sketch_ids[cells[1].strip()])
                break
    for _, kind, cells in ordered:
        if kind != "1" or len(cells) < 7:
            continue
        start, end = sketch_ids.get(cells[2].strip()), sketch_ids.get(cells[3].strip())
        if start is None or end is None or start == end:
            continue  # clouds, comments, control variables
        polarity = _polarity(cells[6].strip())
        if polarity is not None or (start, end) not in edges:
            edges[start, end] = polarity if polarity is not None else edges.get((start, end))
    return build_sd_map(variables.values(), edges, "vensim", where)


def _polarity(cell: str) -> str | None:
    if cell in _POLARITY_CHARS:
        return _POLARITY_CHARS[cell]
    try:
        return _POLARITY_CODES.get(int(cell))
    except ValueError:
        return None
