"""Causal paths: every chain of links from one factor to another, with its net sign.

A path's *net sign* is the product of its polarities: ``+`` when raising the first factor
raises the last along this path, ``-`` when it lowers it. Like a loop, a path is only as well
supported as its weakest link.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": i, "label": i} for i in "abc"],
    ...     "links": [{"from": "a", "to": "b", "polarity": "-"},
    ...               {"from": "b", "to": "c", "polarity": "-"},
    ...               {"from": "a", "to": "c", "polarity": "-"}]})
    >>> [(p.factors, p.sign) for p in find_paths(m, "a", "c")]
    [(('a', 'c'), '-'), (('a', 'b', 'c'), '+')]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import networkx as nx

from loopwise.analysis import _graph
from loopwise.analysis._checks import positive
from loopwise.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import Map

DEFAULT_PATH_LIMIT = 10_000
"""How many paths :func:`find_paths` returns at most by default."""


@dataclass(frozen=True)
class CausalPath:
    """One simple path: ``links[i]`` goes from ``factors[i]`` to ``factors[i + 1]``.

    ``sign`` is the product of the polarities; ``weakest_confidence`` the lowest confidence
    score of its links, ``weakest_link`` that link (the first one if several tie).
    """

    factors: tuple[str, ...]
    links: tuple[str, ...]
    sign: Literal["+", "-"]
    weakest_confidence: float
    weakest_link: str

    @property
    def length(self) -> int:
        """The number of links on the path."""
        return len(self.links)


class PathSearch(list[CausalPath]):
    """The paths found (a plain ``list`` of :class:`CausalPath`), plus ``truncated``, true
    when the count limit stopped the search before every path was found."""

    def __init__(
        self,
        paths: Iterable[CausalPath] = (),
        *,
        truncated: bool = False,
        limit: int | None = None,
        max_length: int | None = None,
    ) -> None:
        super().__init__(paths)
        self.truncated = truncated
        self.limit = limit
        self.max_length = max_length

    @property
    def positive(self) -> int:
        """How many of the paths have net sign ``+``."""
        return sum(p.sign == "+" for p in self)

    @property
    def negative(self) -> int:
        """How many of the paths have net sign ``-``."""
        return sum(p.sign == "-" for p in self)

    def __repr__(self) -> str:
        more = ", truncated" if self.truncated else ""
        return f"PathSearch({len(self)} paths: {self.positive} +, {self.negative} -{more})"


def find_paths(
    map_: Map,
    source: str,
    target: str,
    *,
    max_length: int | None = 6,
    limit: int | None = DEFAULT_PATH_LIMIT,
) -> PathSearch:
    """Every simple path of links from ``source`` to ``target``, with its net sign.

    Parameters
    ----------
    map_ : Map
    source, target : str
        Factor ids; they must differ (a path back to the start is a loop: see
        :func:`loopwise.analysis.find_feedback_loops`).
    max_length : int or None, default 6
        The most links a path may have; ``None`` for any length.
    limit : int or None, default 10,000
        Stop after this many paths (``truncated`` then says so); ``None`` for no limit.

    Returns
    -------
    PathSearch
        A list of :class:`CausalPath`, shortest first (then by factor ids); empty when the
        target cannot be reached (that is an answer, not an error).

    Raises
    ------
    UnknownIdError
        If ``source`` or ``target`` is not a factor of the map (with suggestions).
    ValidationError
        If ``source`` and ``target`` are the same, or a bound is not a whole number >= 1.

    Examples
    --------
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": i, "label": i} for i in "ab"],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+"}]})
    >>> find_paths(m, "a", "b")[0].links, find_paths(m, "b", "a")
    (('a--b',), PathSearch(0 paths: 0 +, 0 -))

    References
    ----------
    .. [1] R. Sedgewick, *Algorithms in C, Part 5: Graph Algorithms*, Addison Wesley, 2002
       (the depth-first search behind ``networkx.all_simple_paths``).
    """
    map_.factor(source)
    map_.factor(target)
    if source == target:
        raise ValidationError(
            f"source and target are the same factor {source!r}; a path back to where it "
            "starts is a feedback loop (see the loops analysis)",
            "target",
        )
    positive("max_length", max_length)
    positive("limit", limit)
    graph = _graph.to_nx(map_)
    found: Iterator[list[str]] = nx.all_simple_paths(graph, source, target, cutoff=max_length)
    if limit is not None:
        found = itertools.islice(found, limit + 1)
    raw = list(found)
    truncated = limit is not None and len(raw) > limit
    if truncated:
        del raw[limit:]

    confidence: dict[str, float] = {}

    def score(link_id: str) -> float:
        if link_id not in confidence:
            confidence[link_id] = map_.link_confidence(link_id).score
        return confidence[link_id]

    paths = []
    for nodes in raw:
        edges = [graph.edges[a, b] for a, b in itertools.pairwise(nodes)]
        sign = 1
        for edge in edges:
            sign *= edge["sign"]
        weakest = min(edges, key=lambda e: score(e["link"]))
        paths.append(
            CausalPath(
                factors=tuple(nodes),
                links=tuple(e["link"] for e in edges),
                sign="+" if sign > 0 else "-",
                weakest_confidence=score(weakest["link"]),
                weakest_link=weakest["link"],
            )
        )
    paths.sort(key=lambda p: (p.length, p.factors))
    return PathSearch(paths, truncated=truncated, limit=limit, max_length=max_length)


def paths_frame(paths: Iterable[CausalPath]) -> pd.DataFrame:
    """A pandas DataFrame with one row per path (``sign``, ``length``, ``factors``,
    ``links``, ``weakest_confidence``, ``weakest_link``), numbered from 1.

    >>> paths_frame([CausalPath(("a", "b"), ("a--b",), "+", 0.5, "a--b")])["factors"].tolist()
    ['a -> b']
    """
    import pandas as pd

    columns = ["sign", "length", "factors", "links", "weakest_confidence", "weakest_link"]
    rows = [
        {
            "sign": p.sign,
            "length": p.length,
            "factors": " -> ".join(p.factors),
            "links": ", ".join(p.links),
            "weakest_confidence": p.weakest_confidence,
            "weakest_link": p.weakest_link,
        }
        for p in paths
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="path")
    return frame
