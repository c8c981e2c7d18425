"""Vensim ``.mdl`` models (read only): the variable graph from equations and sketch arrows.

Read as PySD reads it (file -> sections -> equations -> an abstract model -> the map), with a
hand reader measured against PySD's translators (``benchmarks/sd_corpus_sweep.py``). The
equations section holds ``name = expression ~ units ~ comment |``; a variable ``u`` feeds
``v`` when ``u`` appears in ``v``'s expression, and the link's polarity is the sign of the
partial derivative where it can be determined (``INTEG(inflow - outflow, init)``, a
variable subtracted or divided by; see :mod:`loopwise.formats._equations`), unknown
otherwise (``+`` tagged ``polarity:unknown``). Subscripted variables are one factor each
(their subscripts kept in ``custom``), subscript ranges and equivalences are not factors,
macros are skipped (noted in the import report), lookups are factors whose rising or falling
table gives the sign of their use. The sketch places variables (``10,id,name,x,y,...``) and
draws arrows (``1,id,from,to,shape,hidden,polarity,...``): an arrow adds its link, and its
polarity mark (``+``/``-``, ``S``/``O``, stored as a character code) overrides the derived
sign. Control variables (``INITIAL TIME``, ``TIME STEP``...) are left out. Equations, units
and Vensim's names are kept in ``custom``.

Example:
    >>> m = read_mdl(b"a = b * 2\\n~ u\\n~ the a\\n|\\nb = 1 - c\\n~\\n~\\n|\\n"
    ...              b"c = 3\\n~\\n~\\n|\\n", "m.mdl")
    >>> sorted((lk.source_factor, lk.target_factor, lk.polarity) for lk in m.links)
    [('b', 'a', '+'), ('c', 'b', '-')]
"""

from __future__ import annotations

import csv
import re

from loopwise.errors import ImportFormatError
from loopwise.formats._common import decode_text, report_note
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

_SKETCH_START = re.compile(r"\\\\+---///")  # "\\\---///"; some tools write two backslashes
_MACRO = re.compile(r":MACRO:\s*(.*?):END OF MACRO:", re.S | re.I)
_KEYWORD = re.compile(r"^:[A-Z][A-Z ]*:", re.I)
_NUM = r"([-+]?[\d.]+(?:[eE][-+]?\d+)?)"
_POINT = re.compile(rf"\(\s*{_NUM}\s*,\s*{_NUM}\s*\)")
_POLARITY_CODES = {43: "+", 45: "-", 83: "+", 79: "-", 115: "+", 111: "-"}
_POLARITY_CHARS = {"+": "+", "-": "-", "S": "+", "O": "-", "s": "+", "o": "-"}


def detect(raw: bytes, filename: str) -> bool:
    head = raw[:4096].decode("utf-8", "ignore")
    return head.lstrip().startswith("{UTF-8}") or ("~" in head and "|" in head and
                                                   filename.lower().endswith(".mdl"))  # fmt: skip


def _split_equations(text: str, where: str) -> list[tuple[int, str]]:
    """Equation blocks (each up to its ``|``, a ``|`` inside a quoted name excepted) with
    their first line number."""
    blocks = []
    line = start_line = 1
    current: list[str] = []
    quoted = False
    previous = ""
    for ch in text:
        if ch == '"' and previous != "\\":
            quoted = not quoted
        if ch == "|" and not quoted:
            block = "".join(current)
            if block.strip():
                blocks.append((start_line + block[: len(block) - len(block.lstrip())].count("\n"),
                               block))  # fmt: skip
            current = []
            start_line = line
        else:
            if ch == "\n":
                line += 1
            current.append(ch)
        previous = ch
    tail = "".join(current).strip()
    if tail:
        raise ImportFormatError(
            f"equation without its closing '|' near line {start_line} (truncated file?)", where
        )
    return blocks


def _definition(text: str) -> tuple[str, str, str, str] | None:
    """``(name, subscripts, operator, right-hand side)`` of an equation's left side; the
    operator is ``=`` (an equation), ``:=`` (data), ``(`` (a lookup), ``:`` (a subscript
    range), ``<->`` (a subscript equivalence) or ``""`` (a name alone)."""
    text = text.strip()
    if text.startswith('"'):
        end = 1
        while end < len(text) and (text[end] != '"' or text[end - 1] == "\\"):
            end += 1
        name, rest = text[: end + 1], text[end + 1 :]
    else:
        match = re.match(r"[^\[\(=:~<]+", text)
        if match is None:
            return None
        name, rest = match.group().rstrip(), text[match.end() :]
    subscripts = ""
    rest = rest.lstrip()
    if rest.startswith("["):
        close = rest.find("]")
        if close == -1:
            return None
        subscripts, rest = rest[1:close], rest[close + 1 :].lstrip()
    while True:
        if rest.upper().startswith(":EXCEPT:"):
            equals = re.search(r"(?<![:<>=])=", rest)
            rest = rest[equals.start() :] if equals else ""
            continue
        keyword = _KEYWORD.match(rest)
        if keyword and not rest.startswith(":="):
            rest = rest[keyword.end() :].lstrip()
            continue
        break
    for operator in (":=", "==", "<->", "=", "(", ":"):
        if rest.startswith(operator):
            kind = {"==": "="}.get(operator, operator)
            body = rest if operator == "(" else rest[len(operator) :]
            return name, subscripts, kind, body.strip()
    return name, subscripts, "", rest.strip()


def _lookup_table(body: str) -> tuple[int | None, int | None]:
    """Whether a lookup's table rises or falls throughout (its range ``[...]`` left out),
    and the sign its values share."""
    text = body.strip()
    if text.startswith("("):
        text = text[1:]
    if text.lstrip().startswith("["):
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "["
            depth -= ch == "]"
            if depth == 0 and ch == "]":
                text = text[i + 1 :]
                break
    points = [(float(x), float(y)) for x, y in _POINT.findall(text)]
    if len(points) < 2:
        return None, None
    return table_direction(points), common_sign([y for _, y in points])


def read_mdl(raw: bytes, where: str) -> Map:
    """Read a Vensim model's variables and causal links into a validated Map."""
    text = decode_text(raw, where)
    if text.startswith("{UTF-8}"):
        text = text[len("{UTF-8}") :]
    parts = _SKETCH_START.split(text, maxsplit=1)
    equations_text = parts[0]
    sketch_text = parts[1] if len(parts) > 1 else ""
    for macro in _MACRO.findall(equations_text):
        header = " ".join(macro.split("\n", 1)[0].split())
        report_note(
            "notes",
            f"macro {header}: its body is not read; a call to it links its arguments to the "
            "variable with unknown polarity",
        )
    equations_text = _MACRO.sub(lambda m: "\n" * m.group().count("\n"), equations_text)
    variables: dict[str, Variable] = {}
    directions: dict[str, int | None] = {}
    values: dict[str, int | None] = {}
    ranges: set[str] = set()
    subscripted: set[str] = set()
    for line, block in _split_equations(equations_text, where):
        fields = _split_fields(block)
        definition = fields[0].strip()
        if not definition or definition.startswith(("*", ":")):
            continue  # group headers, :TEST INPUT: and similar
        if len(fields) < 3:
            raise ImportFormatError(
                "an equation needs 'name = expression ~ units ~ comment |'",
                f"{where}: line {line}",
            )
        parsed = _definition(definition.replace("\\\n", " "))
        if parsed is None:
            raise ImportFormatError(
                f"cannot read the variable name in {definition[:60]!r}", f"{where}: line {line}"
            )
        raw_name, subscripts, operator, body = parsed
        name = normalise_name(raw_name)
        if operator in (":", "<->"):
            ranges.add(name)
            continue
        if not name or name in CONTROL_NAMES:
            continue
        kind = {"(": "lookup", ":=": "data", "": "data"}.get(operator, "aux")
        body = re.sub(r"\s+", " ", body.replace("\\\n", " ")).strip()
        if kind == "aux" and re.match(r"(?i)INTEG\s*\(", body):
            kind = "stock"
        var = variables.get(name)
        if var is None:
            var = variables[name] = Variable(name, display_name(raw_name), kind)
        if subscripts:
            subscripted.add(name)
            var.extra.setdefault("vensim_subscripts", [])
            if subscripts not in var.extra["vensim_subscripts"]:
                var.extra["vensim_subscripts"].append(subscripts)
        if kind == "lookup":
            directions[name], values[name] = _lookup_table(body)
        elif body:
            var.expressions.append(body)
        var.equation = (var.equation + "; " if var.equation else "") + body
        var.units = (fields[1].strip() if len(fields) > 1 else "") or var.units
        var.doc = (fields[2].strip() if len(fields) > 2 else "") or var.doc
    if subscripted:
        report_note(
            "notes",
            f"{len(subscripted)} subscripted variable(s): one factor each (subscripts not "
            f"expanded; {len(ranges)} subscript range(s) not read as factors)",
        )
    edges = equation_edges(variables, "vensim", directions, values)

    sketch_ids: dict[str, str] = {}
    valves: dict[str, int] = {}
    ordered: list[tuple[int, str, list[str]]] = []
    for n, line in enumerate(sketch_text.splitlines(), start=1):
        if line.startswith("///---\\\\\\"):
            break
        cells = next(csv.reader([line])) if '"' in line else line.split(",")
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


def _split_fields(block: str) -> list[str]:
    """An equation block split at ``~`` (not inside a quoted name)."""
    fields: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in block:
        if ch == '"':
            quoted = not quoted
        if ch == "~" and not quoted:
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
    fields.append("".join(current))
    return fields


def _polarity(cell: str) -> str | None:
    if cell in _POLARITY_CHARS:
        return _POLARITY_CHARS[cell]
    try:
        return _POLARITY_CODES.get(int(cell))
    except ValueError:
        return None
