"""Small SVG diagrams for briefs that read in black and white: a ring for a loop, a chain
for a path, a star for a factor with its direct causes and effects.

Polarity is drawn as on the map canvas (one encoding everywhere): a ``+`` and an arrowhead
for "increases", a ``−`` and a bar head for "decreases"; the colour (blue, dark red) only
repeats it. Lines are always solid. Labels are escaped; the ``<svg>`` has ``role="img"``
with a ``<title>`` and a ``<desc>`` (the text alternative, also returned as
``Diagram.alt``).

Example:
    >>> d = ring_diagram([("a", "A"), ("b", "B <b>")], [("a", "b", "+"), ("b", "a", "-")],
    ...                  title="A loop")
    >>> 'role="img"' in d.svg, "B &lt;b&gt;" in d.svg, d.alt
    (True, True, 'A loop. A increases B <b> (+). B <b> decreases A (−).')
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

MINUS = "\u2212"
PLUS_COLOUR = "#0b4f96"  # the explorer's --plus and --minus (loopwise.css)
MINUS_COLOUR = "#9e1f18"
NODE_WIDTH = 150
LINE_HEIGHT = 14
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

Node = tuple[str, str]  # (id, label)
Edge = tuple[str, str, str]  # (from id, to id, polarity "+" / "-")


@dataclass(frozen=True)
class Diagram:
    """An SVG document, its text alternative and its size in user units."""

    svg: str
    alt: str
    title: str
    width: float
    height: float

    def png(self, scale: float = 2.0) -> bytes:
        """The diagram as a PNG (for DOCX), rendered with cairosvg."""
        import cairosvg

        png: bytes = cairosvg.svg2png(bytestring=self.svg.encode("utf-8"), scale=scale)
        return png


@dataclass
class _Box:
    key: str
    label: str
    x: float  # centre
    y: float
    lines: list[str]
    emphasis: bool = False
    min_height: float = 0.0

    @property
    def half_width(self) -> float:
        return NODE_WIDTH / 2

    @property
    def half_height(self) -> float:
        return max(len(self.lines) * LINE_HEIGHT + 14, self.min_height) / 2


def _wrap(label: str, width: int = 20, max_lines: int = 3) -> list[str]:
    lines = textwrap.wrap(label, width=width, break_long_words=True) or [label]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _alt(title: str, labels: dict[str, str], edges: list[Edge], extra: str = "") -> str:
    words = " ".join(
        f"{labels[a]} {'increases' if p == '+' else 'decreases'} {labels[b]} "
        f"({'+' if p == '+' else MINUS})."
        for a, b, p in edges
    )
    return f"{title}. {words}{extra}".strip()


def _clip(box: _Box, dx: float, dy: float) -> tuple[float, float]:
    """Where the ray from the box's centre in direction (dx, dy) leaves the box."""
    if dx == 0 and dy == 0:
        return box.x, box.y
    sx = box.half_width / abs(dx) if dx else math.inf
    sy = box.half_height / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return box.x + dx * s, box.y + dy * s


Port = tuple[float, float] | None
Line = tuple[_Box, _Box, str] | tuple[_Box, _Box, str, Port, Port]


def _render(
    boxes: list[_Box],
    edges: Sequence[Line],
    title: str,
    alt: str,
    width: float,
    height: float,
    notes: Sequence[tuple[float, float, str]] = (),
) -> Diagram:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="dg-title dg-desc" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="{FONT}" font-size="11">',
        f'<title id="dg-title">{escape(title)}</title>',
        f'<desc id="dg-desc">{escape(alt)}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{PLUS_COLOUR}"/></marker>'
        '<marker id="bar" viewBox="0 0 4 12" refX="3" refY="6" '
        'markerWidth="4" markerHeight="12" markerUnits="userSpaceOnUse" orient="auto">'
        f'<rect x="0" y="0" width="4" height="12" fill="{MINUS_COLOUR}"/></marker></defs>',
    ]
    for a, b, polarity, *ports in edges:
        start, end = (ports + [None, None])[:2]
        dx, dy = b.x - a.x, b.y - a.y
        x1, y1 = start or _clip(a, dx, dy)
        x2, y2 = end or _clip(b, -dx, -dy)
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        # stop short of the box so the arrow head stays visible
        x2 -= (x2 - x1) / length * 3
        y2 -= (y2 - y1) / length * 3
        colour = PLUS_COLOUR if polarity == "+" else MINUS_COLOUR
        head = "arrow" if polarity == "+" else "bar"
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="1.6" marker-end="url(#{head})"/>'
        )
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        sign = "+" if polarity == "+" else MINUS
        out.append(
            f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="9" fill="#fff" stroke="{colour}"/>'
            f'<text x="{mx:.1f}" y="{my + 4.5:.1f}" text-anchor="middle" font-size="14" '
            f'font-weight="bold" fill="{colour}">{sign}</text>'
        )
    for box in boxes:
        stroke = "2.6" if box.emphasis else "1.2"
        fill = "#eee" if box.emphasis else "#fff"
        out.append(
            f'<rect data-key="{escape(box.key)}" '
            f'x="{box.x - box.half_width:.1f}" y="{box.y - box.half_height:.1f}" '
            f'width="{2 * box.half_width:.1f}" height="{2 * box.half_height:.1f}" rx="6" '
            f'fill="{fill}" stroke="#000" stroke-width="{stroke}"/>'
        )
        top = box.y - (len(box.lines) - 1) * LINE_HEIGHT / 2 + 4
        weight = ' font-weight="bold"' if box.emphasis else ""
        for i, line in enumerate(box.lines):
            out.append(
                f'<text x="{box.x:.1f}" y="{top + i * LINE_HEIGHT:.1f}" '
                f'text-anchor="middle"{weight}>{escape(line)}</text>'
            )
    for x, y, text in notes:
        out.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-style="italic">'
            f"{escape(text)}</text>"
        )
    out.append("</svg>")
    return Diagram("".join(out), alt, title, width, height)


def ring_diagram(nodes: list[Node], edges: list[Edge], *, title: str) -> Diagram:
    """A loop drawn as a ring, clockwise from the top, in the order of ``nodes``."""
    n = len(nodes)
    radius = max(95.0, n * 44.0)
    margin_x, margin_y = NODE_WIDTH / 2 + 10, 40
    width, height = 2 * (radius + margin_x), 2 * (radius * 0.78 + margin_y)
    cx, cy = width / 2, height / 2
    boxes = {}
    for i, (key, label) in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        boxes[key] = _Box(key, label, cx + radius * math.cos(angle),
                          cy + radius * 0.78 * math.sin(angle), _wrap(label))  # fmt: skip
    labels = dict(nodes)
    lines = [(boxes[a], boxes[b], p) for a, b, p in edges]
    return _render(list(boxes.values()), lines, title, _alt(title, labels, edges), width, height)


def chain_diagram(nodes: list[Node], edges: list[Edge], *, title: str, per_row: int = 4) -> Diagram:
    """A path drawn as a chain, left to right, snaking onto further rows when long."""
    gap_x, row_height = 70.0, 110.0
    columns = min(per_row, len(nodes))
    width = columns * NODE_WIDTH + (columns - 1) * gap_x + 20
    rows = math.ceil(len(nodes) / per_row)
    height = rows * row_height
    boxes = {}
    for i, (key, label) in enumerate(nodes):
        row, col = divmod(i, per_row)
        if row % 2:
            col = per_row - 1 - col if len(nodes) >= (row + 1) * per_row else columns - 1 - col
        x = 10 + NODE_WIDTH / 2 + col * (NODE_WIDTH + gap_x)
        boxes[key] = _Box(key, label, x, row_height / 2 + row * row_height, _wrap(label),
                          emphasis=i in (0, len(nodes) - 1))  # fmt: skip
    labels = dict(nodes)
    lines = [(boxes[a], boxes[b], p) for a, b, p in edges]
    return _render(list(boxes.values()), lines, title, _alt(title, labels, edges), width, height)


def star_diagram(
    centre: Node,
    causes: Sequence[tuple[Node, str]],
    effects: Sequence[tuple[Node, str]],
    *,
    title: str,
    more_causes: int = 0,
    more_effects: int = 0,
) -> Diagram:
    """A factor in the middle, its direct causes on the left and its effects on the right."""
    rows = max(len(causes), len(effects), 1)
    row_height = 62.0
    height = rows * row_height + 50
    width = 3 * NODE_WIDTH + 2 * 120 + 20
    middle = _Box(centre[0], centre[1], width / 2, height / 2 - 10, _wrap(centre[1]), True,
                  min_height=max(40.0, 16.0 * rows))  # fmt: skip
    boxes = [middle]
    lines: list[Line] = []
    edges: list[Edge] = []
    labels = {centre[0]: centre[1]}

    def column(items: Sequence[tuple[Node, str]], x: float, side: str) -> None:
        top = (height - 20 - len(items) * row_height) / 2 + row_height / 2
        span = middle.half_height * 1.6
        for i, ((key, label), polarity) in enumerate(items):
            box = _Box(f"{side}:{key}", label, x, top + i * row_height, _wrap(label, 22, 2))
            boxes.append(box)
            labels[box.key] = label
            # each arrow meets the middle box at its own point on the facing side
            port_y = middle.y - span / 2 + span * (i + 0.5) / len(items)
            if side == "cause":
                port = (middle.x - middle.half_width, port_y)
                lines.append((box, middle, polarity, (box.x + box.half_width, box.y), port))
                edges.append((box.key, middle.key, polarity))
            else:
                port = (middle.x + middle.half_width, port_y)
                lines.append((middle, box, polarity, port, (box.x - box.half_width, box.y)))
                edges.append((middle.key, box.key, polarity))

    column(causes, 10 + NODE_WIDTH / 2, "cause")
    column(effects, width - 10 - NODE_WIDTH / 2, "effect")
    notes = []
    if more_causes:
        notes.append((10 + NODE_WIDTH / 2, height - 8, f"… and {more_causes} more causes"))
    if more_effects:
        notes.append(
            (width - 10 - NODE_WIDTH / 2, height - 8, f"… and {more_effects} more effects")
        )
    extra = ""
    if more_causes or more_effects:
        extra = f" Not drawn: {more_causes} more causes and {more_effects} more effects."
    return _render(boxes, lines, title, _alt(title, labels, edges, extra), width, height, notes)
