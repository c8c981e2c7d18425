"""Link polarity from system-dynamics equations: the sign of a partial derivative.

A small grammar of Vensim and XMILE expressions (arithmetic, comparisons and logic, function
calls, subscripts, XMILE's ``IF ... THEN ... ELSE``) parses an equation into a tree; for each
variable it mentions, :func:`derivative_signs` gives the sign of the equation's partial
derivative with respect to it: ``+``, ``-``, or ``None`` when it cannot be determined (a
difference of terms of opposite signs, a comparison, a function whose slope is unknown).

Rules: sums and differences add the signs of their terms (opposite signs: unknown); products
and quotients use the sign of the other factor's *value*, which is known for numbers, stocks
(levels are taken as non-negative, the usual system-dynamics convention), constants and
expressions of those; ``MIN``, ``MAX``, ``EXP``, ``LN``, ``SQRT``, ``INTEGER``, the delays and
smooths (in their input) are increasing; a lookup is increasing or decreasing when its table
is; ``IF THEN ELSE`` takes its branches' common sign; anything else is unknown. An equation
that does not parse gives every variable it mentions an unknown sign, so a reader never
refuses a model for its equations.

Example:
    >>> levels = {"susceptible": 1, "infectious": 1, "total population": 1}
    >>> signs = derivative_signs("Susceptible*Infectious/Total Population", "vensim",
    ...                          value_sign=levels)
    >>> signs == {"susceptible": "+", "infectious": "+", "total population": "-"}
    True
    >>> derivative_signs("(Teacup Temperature - Room Temperature) / Characteristic Time",
    ...                  "vensim", value_sign={"characteristic time": 1})["teacup temperature"]
    '+'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

Dialect = Literal["vensim", "xmile"]
Sign = int | None  # +1, -1, 0 (does not depend), None (unknown)

_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_VENSIM_NAME = re.compile(r"[^\W\d][^+\-*/^(),\[\]<>=:;!{}&|~\"]*", re.UNICODE)
_XMILE_NAME = re.compile(r"[^\W\d][\w.$]*", re.UNICODE)
_KEYWORD_OPS = {":AND:": "and", ":OR:": "or", ":NOT:": "not"}
_XMILE_WORDS = {"if", "then", "else", "and", "or", "not", "mod"}

INCREASING = {
    "exp", "ln", "sqrt", "integer", "int", "min", "max", "smooth", "smoothi",
    "smooth3", "smooth3i", "smth1", "smth3", "smooth n", "delay1", "delay1i", "delay3",
    "delay3i", "delay n", "delay fixed", "delay", "delayn", "delay information",
    "forecast", "sum", "vector sum", "prod", "active initial", "initial", "init", "round",
    "sample if true", "reinitial", "ramp from to", "game",
}  # fmt: skip
"""Functions that increase with their first argument (the input of delays and smooths)."""
ALL_ARGUMENTS_INCREASING = {"min", "max", "sum", "vector sum", "prod"}
_SIGN_KEEPING = INCREASING - {"ln", "log", "exp"}  # f(x) has the sign of x


@dataclass(frozen=True)
class Node:
    kind: str  # num, var, call, neg, bin, if, other
    value: float = 0.0
    name: str = ""
    op: str = ""
    args: tuple[Node, ...] = ()


class _Unparsable(Exception):
    pass


def normalise_name(name: str) -> str:
    """A variable name as Vensim/XMILE compare them: case, quotes, ``_`` and spaces ignored."""
    text = name.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    text = text.replace("\\n", " ").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _tokens(text: str, dialect: Dialect) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    name_re = _VENSIM_NAME if dialect == "vensim" else _XMILE_NAME
    while i < n:
        ch = text[i]
        if ch.isspace() or ch == "\\":
            i += 1
            continue
        if ch == '"':
            end = text.find('"', i + 1)
            while end != -1 and text[end - 1] == "\\":
                end = text.find('"', end + 1)
            if end == -1:
                raise _Unparsable
            out.append(("name", text[i : end + 1]))
            i = end + 1
            continue
        if ch == "'":
            end = text.find("'", i + 1)
            if end == -1:
                raise _Unparsable
            out.append(("str", text[i + 1 : end]))
            i = end + 1
            continue
        if ch == "{":  # a Vensim comment inside an equation
            end = text.find("}", i)
            i = n if end == -1 else end + 1
            continue
        if ch == ":" and dialect == "vensim":
            end = text.find(":", i + 1)
            word = text[i : end + 1].upper() if end != -1 else ""
            if word in _KEYWORD_OPS:
                out.append(("op", _KEYWORD_OPS[word]))
                i = end + 1
                continue
            raise _Unparsable
        number = _NUMBER.match(text, i)
        if number and (ch.isdigit() or ch == "."):
            out.append(("num", number.group()))
            i = number.end()
            continue
        if text.startswith(("<=", ">=", "<>", "=="), i):
            out.append(("op", text[i : i + 2]))
            i += 2
            continue
        if ch in "+-*/^<>=(),[]!":
            out.append(("op", ch))
            i += 1
            continue
        match = name_re.match(text, i)
        if match is None:
            raise _Unparsable
        word = match.group().rstrip()
        lowered = word.lower()
        if dialect == "xmile" and lowered in _XMILE_WORDS:
            out.append(("op", lowered))
        else:
            out.append(("name", word))
        i = match.start() + len(word) if word else i + 1
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1].lower() != value):
            raise _Unparsable
        self.at += 1
        return token

    def accept(self, *values: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1].lower() in values:
            self.at += 1
            return token[1].lower()
        return None

    def parse(self) -> Node:
        node = self.expression()
        if self.peek() is not None:
            raise _Unparsable
        return node

    def expression(self) -> Node:
        node = self.conjunction()
        while self.accept("or"):
            node = Node("other", args=(node, self.conjunction()))
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.accept("and"):
            node = Node("other", args=(node, self.negation()))
        return node

    def negation(self) -> Node:
        if self.accept("not"):
            return Node("other", args=(self.negation(),))
        return self.comparison()

    def comparison(self) -> Node:
        node = self.sum()
        while op := self.accept("=", "==", "<>", "<", ">", "<=", ">="):
            node = Node("other", op=op, args=(node, self.sum()))
        return node

    def sum(self) -> Node:
        node = self.product()
        while op := self.accept("+", "-"):
            node = Node("bin", op=op, args=(node, self.product()))
        return node

    def product(self) -> Node:
        node = self.unary()
        while op := self.accept("*", "/", "mod"):
            node = Node("bin", op=op, args=(node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.accept("-"):
            return Node("neg", args=(self.unary(),))
        if self.accept("+"):
            return self.unary()
        return self.power()

    def power(self) -> Node:
        node = self.atom()
        if self.accept("^"):
            node = Node("bin", op="^", args=(node, self.unary()))
        return node

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise _Unparsable
        kind, text = token
        if kind == "num":
            self.at += 1
            return Node("num", value=float(text))
        if kind == "str":
            self.at += 1
            return Node("other")
        if kind == "op" and text == "(":
            self.at += 1
            node = self.expression()
            self.take(")")
            return node
        if kind == "op" and text == "if":
            self.at += 1
            condition = self.expression()
            self.take("then")
            then = self.expression()
            self.take("else")
            return Node("if", args=(condition, then, self.expression()))
        if kind != "name":
            raise _Unparsable
        self.at += 1
        if self.accept("("):
            args: list[Node] = []
            if not self.accept(")"):
                args.append(self.argument())
                while self.accept(","):
                    args.append(self.argument())
                self.take(")")
            node = Node("call", name=normalise_name(text), args=tuple(args))
        else:
            node = Node("var", name=normalise_name(text))
        if self.accept("["):  # subscripts: one factor per variable
            depth = 1
            while depth:
                token = self.take()
                if token == ("op", "["):
                    depth += 1
                elif token == ("op", "]"):
                    depth -= 1
        return node

    def argument(self) -> Node:
        # Vensim lookup tables inline ([(0,0)-(1,1)],(0,0),...) and similar: not an expression
        if self.peek() == ("op", "["):
            depth = 0
            while True:
                token = self.take()
                depth += token == ("op", "[") or token == ("op", "(")
                depth -= token == ("op", "]") or token == ("op", ")")
                following = self.peek()
                if depth == 0 and following in (("op", ","), ("op", ")")):
                    return Node("other")
        return self.expression()


def parse(text: str, dialect: Dialect) -> Node | None:
    """The expression's tree, or None when it is outside the grammar."""
    try:
        return _Parser(_tokens(text, dialect)).parse()
    except (_Unparsable, RecursionError, ValueError):
        return None


def variables_of(node: Node) -> set[str]:
    """Every variable a tree mentions (lookup calls included)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if item.kind in ("var", "call"):
            found.add(item.name)
        stack.extend(item.args)
    return found


def _add(a: Sign, b: Sign) -> Sign:
    if a == 0:
        return b
    if b == 0:
        return a
    if a is None or b is None or a != b:
        return None
    return a


def _branches(condition: Sign, then: Sign, other: Sign) -> Sign:
    """``IF c THEN a ELSE b``: unknown if the condition moves, else the branches' common sign."""
    if condition != 0:
        return None
    return _add(then, other) if then == other or 0 in (then, other) else None


def _mul(a: Sign, b: Sign) -> Sign:
    if a == 0 or b == 0:
        return 0
    if a is None or b is None:
        return None
    return a * b


class _Signs:
    def __init__(
        self,
        value_sign: Mapping[str, int | None],
        lookup_slope: Callable[[str], Sign],
    ) -> None:
        self.value_sign = value_sign
        self.lookup_slope = lookup_slope

    def value(self, node: Node) -> Sign:
        """The sign of the node's value (+1, -1, 0 or None)."""
        if node.kind == "num":
            return (node.value > 0) - (node.value < 0)
        if node.kind == "var":
            return self.value_sign.get(node.name)
        if node.kind == "neg":
            v = self.value(node.args[0])
            return None if v is None else -v
        if node.kind == "bin":
            a, b = (self.value(x) for x in node.args)
            if node.op == "+":
                return _add(a, b)
            if node.op == "-":
                return _add(a, None if b is None else -b)
            if node.op == "*":
                return _mul(a, b)
            if node.op == "/":
                return None if b in (0, None) else _mul(a, b)
            if node.op == "^":
                return 1 if a == 1 else None
            return None
        if node.kind == "call" and node.name in ("exp",):
            return 1
        if node.kind == "call" and node.name in _SIGN_KEEPING and node.args:
            values = [self.value(a) for a in node.args[:1]]
            return values[0] if values[0] in (1, -1, 0) else None
        if node.kind == "call" and node.name not in INCREASING:
            return self.value_sign.get(node.name)  # a lookup: the sign its table's values share
        return None

    def slope(self, node: Node, wrt: str) -> Sign:
        """The sign of d node / d wrt."""
        if node.kind == "num" or (node.kind == "other" and not node.args):
            return 0
        if node.kind == "var":
            return 1 if node.name == wrt else 0
        if node.kind == "neg":
            s = self.slope(node.args[0], wrt)
            return None if s is None else -s
        if node.kind == "bin":
            left, right = node.args
            dl, dr = self.slope(left, wrt), self.slope(right, wrt)
            if node.op == "+":
                return _add(dl, dr)
            if node.op == "-":
                return _add(dl, None if dr is None else -dr)
            if node.op == "*":
                return _add(_mul(dl, self.value(right)), _mul(self.value(left), dr))
            if node.op == "/":
                vr = self.value(right)
                first = _mul(dl, vr) if vr != 0 else None
                second = _mul(self.value(left), dr)
                return _add(first, None if second is None else -second)
            if node.op == "^":
                if dr != 0:
                    return None
                exponent = right.value if right.kind == "num" else None
                if exponent is None or self.value(left) != 1:
                    return None if dl != 0 else 0
                return _mul(dl, (exponent > 0) - (exponent < 0))
            return None if (dl, dr) != (0, 0) else 0
        if node.kind == "if":
            return _branches(*(self.slope(x, wrt) for x in node.args))
        if node.kind == "call":
            return self._call_slope(node, wrt)
        return None if any(self.slope(a, wrt) != 0 for a in node.args) else 0

    def _call_slope(self, node: Node, wrt: str) -> Sign:
        slopes = [self.slope(a, wrt) for a in node.args]
        name = node.name
        if name == "if then else" and len(slopes) == 3:
            return _branches(*slopes)
        if name in ("xidz", "zidz") and len(node.args) >= 2:
            return self.slope(Node("bin", op="/", args=node.args[:2]), wrt) if (
                len(slopes) < 3 or slopes[2] == 0) else None  # fmt: skip
        if name in ALL_ARGUMENTS_INCREASING:
            total: Sign = 0
            for s in slopes:
                total = _add(total, s)
            return total
        if name in ("integ",) and slopes:
            return _add(slopes[0], slopes[1] if len(slopes) > 1 else 0)
        if name in INCREASING and slopes:
            if any(s != 0 for s in slopes[1:]):
                return None
            return slopes[0]
        if not node.args:
            return 1 if name == wrt else 0
        table = self.lookup_slope(name)
        if table is not None and len(slopes) == 1:
            return _mul(slopes[0], table)
        if name == wrt:
            return None
        return None if any(s != 0 for s in slopes) else 0


def derivative_signs(
    text: str,
    dialect: Dialect,
    *,
    value_sign: Mapping[str, int | None] | None = None,
    lookup_slope: Callable[[str], Sign] | None = None,
) -> dict[str, str | None] | None:
    """For each variable an equation mentions, the sign of its partial derivative.

    Parameters
    ----------
    text
        The expression (``INTEG(...)`` included for Vensim stocks).
    dialect
        ``"vensim"`` (names may hold spaces) or ``"xmile"`` (``IF THEN ELSE``, ``_`` names).
    value_sign
        Known signs of variables' values (+1 / -1), by normalised name; others unknown.
    lookup_slope
        The monotonic direction of a lookup (graphical function) by name, None if not.

    Returns
    -------
    dict or None
        Normalised name -> ``"+"``, ``"-"`` or ``None`` (unknown); None when the expression
        does not parse.
    """
    tree = parse(text, dialect)
    if tree is None:
        return None
    signs = _Signs(value_sign or {}, lookup_slope or (lambda name: None))
    out: dict[str, str | None] = {}
    for name in variables_of(tree):
        slope = signs.slope(tree, name)
        out[name] = {1: "+", -1: "-"}.get(slope) if slope is not None else None
    return out


def common_sign(numbers: list[float]) -> int | None:
    """+1 when no number is negative (and one is positive), -1 when none is positive (and
    one is negative), else None: a table of non-negative values is taken as positive, as
    levels are."""
    if any(n > 0 for n in numbers) and all(n >= 0 for n in numbers):
        return 1
    if any(n < 0 for n in numbers) and all(n <= 0 for n in numbers):
        return -1
    return None


def table_direction(points: list[tuple[float, float]]) -> int | None:
    """+1 when a lookup table's y never falls as x grows (and rises somewhere), -1 when it
    never rises, None otherwise.

    >>> table_direction([(0, 0), (1, 0.5), (2, 0.5)]), table_direction([(0, 1), (1, 0)])
    (1, -1)
    """
    ys = [y for _, y in sorted(points)]
    steps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
    if steps and all(s >= 0 for s in steps) and any(s > 0 for s in steps):
        return 1
    if steps and all(s <= 0 for s in steps) and any(s < 0 for s in steps):
        return -1
    return None
