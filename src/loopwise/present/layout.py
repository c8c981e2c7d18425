"""Server-side layout for the map canvas: themes as regions, labels that never overlap.

Every factor is drawn as a box holding its label, so the layout knows how much room each
label needs (width and height estimated from the advance widths of Arial, which Liberation
Sans, the canvas's font, shares). Factors of one theme are packed in columns inside a
rectangular *region* (linked factors next to each other: breadth-first along the theme's own
links), and the regions are packed in shelves, themes that share many links side by side.
Packings with several column counts and shelf widths are tried, and the one that fills a
landscape screen best wins (or, with ``portrait=True``, a phone's). At the first view of the
built-in map on a laptop every label is drawn at 11 px or more; no two boxes overlap, by
construction (``tests/web/test_canvas_legibility.py`` measures both in Chromium).

Positions stored in the map (from an import) win when every factor has one; then there are
no regions. The result is computed once per map version (:class:`loopwise.present.bundle.MapBundle`
caches the canvas payload) in ``O(n log n)``-ish time: no force simulation, no compilation.

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> layout = map_layout(load_builtin_map())
    >>> len(layout.boxes) == len(load_builtin_map().factors), len(layout.regions) > 1
    (True, True)
    >>> layout.overlaps()
    0
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass

from loopwise.model import Map

FONT_SIZE = 12.0
"""The factor label's font size in model units; the canvas draws it at ``zoom * FONT_SIZE``."""
LINE_HEIGHT = 1.25 * FONT_SIZE
TEXT_MAX_WIDTH = 110.0
"""Labels wrap at this width (model units), like cytoscape's ``text-max-width``."""
BOX_PADDING = 4.0
GAP_X = 24.0  # room between boxes for links, arrowheads and their + / − signs
GAP_Y = 18.0
REGION_PADDING = 8.0
TITLE_FONT_SIZE = 13.0
TITLE_LINE = 16.0  # the theme's name, bold, above its factors
BOLD = 1.1  # Arial Bold is about this much wider than Arial
REGION_GAP = 12.0
LANDSCAPE = 2.05
"""Width / height of the screen the packing is fitted to (a laptop's canvas)."""
PORTRAIT = 0.63
"""Width / height of a phone's canvas; see ``map_layout(..., portrait=True)``."""
PORTRAIT_TITLE_FONT = 26.0
"""On a phone the whole map shows themes only (its factors' labels would be under 11 px);
a region is made wide enough for its theme's longest word at this size, about 12 px there."""

# Advance widths of Arial (= Liberation Sans) in thousandths of an em, for the printable ASCII
# characters from " " to "~"; any other character counts as wide as "n".
# fmt: off
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)
# fmt: on
_WIDTHS = {chr(32 + i): width for i, width in enumerate(_ASCII_WIDTHS)}
_WIDTHS.update({"\u2019": 222, "\u2018": 222, "\u201c": 333, "\u201d": 333, "\u2013": 556,
                "\u2014": 1000, "\u2212": 584, "\u2026": 1000})  # fmt: skip


@dataclass(frozen=True)
class Box:
    """A factor's box: centre ``(x, y)`` and size, in model units (pixels at zoom 1)."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Region:
    """A theme's rectangle: top-left corner, size, and the theme it holds."""

    theme: str
    x: float
    y: float
    width: float
    height: float
    title_height: float


@dataclass(frozen=True)
class MapLayout:
    """Where the canvas draws each factor (``boxes``) and each theme (``regions``)."""

    boxes: dict[str, Box]
    regions: list[Region]

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        return {key: (box.x, box.y) for key, box in self.boxes.items()}

    def overlaps(self) -> int:
        """How many pairs of factor boxes overlap (0 for a computed layout)."""
        items = sorted(self.boxes.values(), key=lambda b: b.x - b.width / 2)
        count = 0
        for i, a in enumerate(items):
            right = a.x + a.width / 2
            for b in items[i + 1 :]:
                if b.x - b.width / 2 >= right:
                    break
                if abs(a.y - b.y) * 2 < a.height + b.height:
                    count += 1
        return count


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Estimated width of ``text`` drawn in Arial at ``font_size``.

    Example:
        >>> round(text_width("Reoffending"), 1)
        64.7
    """
    return sum(_WIDTHS.get(ch, 556) for ch in text) * font_size / 1000


def wrap_label(
    label: str, max_width: float | None = None, font_size: float = FONT_SIZE
) -> list[str]:
    """The lines a label wraps into at ``max_width`` (greedy, at spaces, like cytoscape).

    Example:
        >>> wrap_label("Use of community sentences instead of short custody")
        ['Use of community', 'sentences instead', 'of short custody']
    """
    max_width = TEXT_MAX_WIDTH if max_width is None else max_width
    lines: list[str] = []
    current = ""
    for word in label.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, font_size) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def box_size(label: str) -> tuple[float, float]:
    """Width and height of the box a label is drawn in."""
    lines = wrap_label(label)
    width = max(text_width(line) for line in lines)
    return width + 2 * BOX_PADDING, len(lines) * LINE_HEIGHT + 2 * BOX_PADDING


def map_layout(map_: Map, *, portrait: bool = False) -> MapLayout:
    """Boxes for every factor and a region for every theme, centred on 0.

    Parameters
    ----------
    map_ : Map
        Any map; stored positions are kept when every factor has one.
    portrait : bool
        Pack for a phone held upright (regions wide enough to name their theme when the
        whole map is shown) instead of a laptop.

    Returns
    -------
    MapLayout
        Boxes keyed by factor id and theme regions (empty for stored positions).
    """
    sizes = {f.id: box_size(f.label) for f in map_.factors}
    if not sizes:
        return MapLayout({}, [])
    given = {f.id: f.position for f in map_.factors if f.position is not None}
    if len(given) == len(map_.factors):
        return MapLayout(
            {fid: Box(at.x, at.y, *sizes[fid]) for fid, at in given.items()},
            [],
        )
    neighbours: dict[str, list[str]] = defaultdict(list)
    theme_of = {f.id: f.theme or "" for f in map_.factors}
    between: dict[tuple[str, str], int] = defaultdict(int)
    for link in map_.links:
        a, b = link.source_factor, link.target_factor
        neighbours[a].append(b)
        neighbours[b].append(a)
        ta, tb = theme_of[a], theme_of[b]
        if ta != tb:
            between[min(ta, tb), max(ta, tb)] += 1
    members: dict[str, list[str]] = defaultdict(list)
    for f in map_.factors:
        members[theme_of[f.id]].append(f.id)
    order = {key: _linked_order(ids, neighbours) for key, ids in members.items()}
    themes = _theme_order(list(members), between, {k: len(v) for k, v in members.items()})
    # every region as a block of 1, 2, ... columns; a packing caps the regions' height and
    # gives each region the fewest columns that keep it under the cap
    titles = {t.id: t.label for t in map_.themes}
    aspect = PORTRAIT if portrait else LANDSCAPE
    title_font = PORTRAIT_TITLE_FONT if portrait else TITLE_FONT_SIZE
    options = {
        key: _region_options(key, titles.get(key, "No theme"), order[key], sizes, title_font)
        for key in themes
    }
    caps = sorted({p.height for opts in options.values() for p in opts})
    if len(caps) > 60:  # big maps: 60 caps spread over the range are plenty
        caps = [caps[round(i * (len(caps) - 1) / 59)] for i in range(60)]
    best: tuple[float, list[_Packed], float, float] | None = None
    for cap in caps:
        packed = []
        for key in themes:
            fitting = [p for p in options[key] if p.height <= cap + 1e-9]
            packed.append(min(fitting, key=lambda p: p.width) if fitting else options[key][-1])
        total = sum(p.width * p.height for p in packed)
        for shelf_width in _shelf_widths(packed, total, aspect):
            placed, width, height = _shelves(packed, shelf_width)
            # the zoom at which the whole map fills a landscape screen of area 1
            score = min(aspect / width, 1 / height)
            if best is None or score > best[0] * 1.0001:
                best = (score, placed, width, height)
    assert best is not None
    _, placed, width, height = best
    boxes: dict[str, Box] = {}
    regions: list[Region] = []
    for p in placed:
        x0, y0 = p.x - width / 2, p.y - height / 2
        regions.append(Region(p.theme, x0, y0, p.width, p.height, p.title_height))
        for key, (cx, cy) in p.centres.items():
            boxes[key] = Box(x0 + cx, y0 + cy, *sizes[key])
    return MapLayout({f.id: boxes[f.id] for f in map_.factors}, regions)


def layout_positions(map_: Map) -> dict[str, tuple[float, float]]:
    """The centre of every factor's box (see :func:`map_layout`)."""
    return map_layout(map_).positions


@dataclass
class _Packed:
    theme: str
    width: float
    height: float
    centres: dict[str, tuple[float, float]]  # relative to the region's top-left corner
    title_height: float
    x: float = 0.0
    y: float = 0.0


def _linked_order(ids: Sequence[str], neighbours: dict[str, list[str]]) -> list[str]:
    """Breadth-first along the links inside one theme, best-connected factor first."""
    inside = set(ids)
    degree = {key: len(neighbours[key]) for key in ids}
    seen: set[str] = set()
    result: list[str] = []
    for start in sorted(ids, key=lambda k: -degree[k]):
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            key = queue.popleft()
            result.append(key)
            for other in sorted(
                {n for n in neighbours[key] if n in inside and n not in seen},
                key=lambda k: -degree[k],
            ):
                seen.add(other)
                queue.append(other)
    return result


def _theme_order(
    themes: list[str], between: dict[tuple[str, str], int], size: dict[str, int]
) -> list[str]:
    """Biggest theme first, then each time the theme most linked to the last ones placed."""
    order = [max(themes, key=lambda t: (size[t], t != ""))]
    rest = set(themes) - set(order)
    while rest:

        def pull(t: str) -> tuple[float, int, str]:
            near = sum(
                between.get((min(t, o), max(t, o)), 0) / (1 + d)
                for d, o in enumerate(reversed(order))
            )
            return (near, size[t], t)

        chosen = max(rest, key=pull)
        order.append(chosen)
        rest.remove(chosen)
    return order


def _region_options(
    theme: str, title: str, ids: list[str], sizes: dict[str, tuple[float, float]], title_font: float
) -> list[_Packed]:
    """The region packed in 1, 2, ... columns (at most 40 tries for very big themes)."""
    n = len(ids)
    counts = sorted(
        {max(1, round(n ** (i / 39))) for i in range(40)} | set(range(1, min(n, 12) + 1))
    )
    return [_pack_region(theme, title, ids, sizes, c, title_font) for c in counts]


def _pack_region(
    theme: str,
    title: str,
    ids: list[str],
    sizes: dict[str, tuple[float, float]],
    columns: int,
    title_font: float = TITLE_FONT_SIZE,
) -> _Packed:
    """A theme's factors in ``columns`` columns (filled top to bottom), a title strip on top."""
    rows = math.ceil(len(ids) / columns)
    columns = math.ceil(len(ids) / rows)
    grid = [ids[c * rows : (c + 1) * rows] for c in range(columns)]
    col_width = [max(sizes[k][0] for k in col) for col in grid]
    row_height = [max(sizes[col[r]][1] for col in grid if r < len(col)) for r in range(rows)]
    content = sum(col_width) + GAP_X * (len(grid) - 1)
    longest_word = max(text_width(w, title_font) * BOLD for w in title.split() or [""])
    inner = max(content, longest_word)
    title_lines = len(wrap_label(title, inner / BOLD, TITLE_FONT_SIZE))
    title_height = title_lines * TITLE_LINE + 4
    centres: dict[str, tuple[float, float]] = {}
    x = REGION_PADDING + (inner - content) / 2
    for c, col in enumerate(grid):
        y = REGION_PADDING + title_height
        for r, key in enumerate(col):
            centres[key] = (x + col_width[c] / 2, y + row_height[r] / 2)
            y += row_height[r] + GAP_Y
        x += col_width[c] + GAP_X
    width = inner + 2 * REGION_PADDING
    height = 2 * REGION_PADDING + title_height + sum(row_height) + GAP_Y * (rows - 1)
    return _Packed(theme, width, height, centres, title_height)


def _shelf_widths(packed: list[_Packed], total_area: float, aspect: float) -> list[float]:
    widest = max(p.width for p in packed)
    ideal = math.sqrt(total_area * aspect)
    return sorted({max(widest, ideal * (0.6 + 0.05 * i)) for i in range(25)})


def _shelves(packed: list[_Packed], shelf_width: float) -> tuple[list[_Packed], float, float]:
    """Regions left to right in shelves no wider than ``shelf_width``; each shelf centred."""
    shelves: list[list[_Packed]] = [[]]
    used = 0.0
    for p in packed:
        if shelves[-1] and used + REGION_GAP + p.width > shelf_width:
            shelves.append([])
            used = 0.0
        used += (REGION_GAP if shelves[-1] else 0.0) + p.width
        shelves[-1].append(p)
    widths = [sum(p.width for p in s) + REGION_GAP * (len(s) - 1) for s in shelves]
    width = max(widths)
    placed: list[_Packed] = []
    y = 0.0
    for shelf, shelf_w in zip(shelves, widths, strict=True):
        height = max(p.height for p in shelf)
        # stretch the gaps so every shelf spans the full width (tidy edges, fewer long links)
        gap = REGION_GAP if len(shelf) == 1 else (width - shelf_w) / (len(shelf) - 1) + REGION_GAP
        x = 0.0 if len(shelf) > 1 else (width - shelf_w) / 2
        for p in shelf:
            placed.append(_Packed(p.theme, p.width, height, p.centres, p.title_height, x, y))
            x += p.width + gap
        y += height + REGION_GAP
    return placed, width, y - REGION_GAP
