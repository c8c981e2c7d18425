"""Feedback loops: every elementary cycle of a map, labelled reinforcing (R) or balancing (B).

A feedback loop is an elementary cycle of causal links (no factor twice). Its kind follows
from the polarities: an even number of ``-`` links makes a *reinforcing* loop (R, a vicious
or virtuous circle), an odd number a *balancing* one (B). A loop through a link whose
polarity is unknown (tagged ``polarity:unknown``, see :mod:`loopwise.model.polarity`) is of
kind ``?``: its sign is not presented as fact. Each loop also carries the weakest evidence on
it, because a loop is only as well supported as its least supported link.

Enumeration is exact (Johnson's algorithm) and bounded: by length (``max_length``, links per
loop) and by count (``limit``, default :data:`DEFAULT_LOOP_LIMIT`), so a dense map can never
hang the caller; the result says whether it was cut short.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+"},
    ...               {"from": "b", "to": "a", "polarity": "-"}]})
    >>> loops = find_feedback_loops(m)
    >>> [(lp.factors, lp.kind) for lp in loops], loops.truncated
    ([(('a', 'b'), 'B')], False)

References
----------
.. [1] D. B. Johnson, "Finding all the elementary circuits of a directed graph",
   SIAM Journal on Computing 4(1):77-84, 1975.
.. [2] J. D. Sterman, *Business Dynamics: Systems Thinking and Modeling for a Complex
   World*, McGraw-Hill, 2000, ch. 5 (reinforcing and balancing loops).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import networkx as nx

from loopwise.analysis import _graph
from loopwise.analysis._checks import positive
from loopwise.errors import ValidationError
from loopwise.model.polarity import polarity_known

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import CuratedLoop, Map

DEFAULT_LOOP_LIMIT = 100_000
"""How many loops :func:`find_feedback_loops` returns at most when no ``limit`` is given."""

COMPILED_ENGINE_MIN_LINKS = 1_000
"""Maps with at least this many links use the compiled loop search by default."""

LoopKind = Literal["R", "B", "?"]
"""R (reinforcing), B (balancing) or ? (a link on it has unknown polarity)."""
LoopRanking = Literal["length", "evidence", "leverage"]
LoopEngine = Literal["auto", "compiled", "networkx"]


@dataclass(frozen=True)
class CuratedMatch:
    """The curated loop of the map (named, with a narrative) that is the same cycle."""

    id: str
    name: str
    narrative: str
    kind: LoopKind | None


@dataclass(frozen=True, slots=True)
class FeedbackLoop:
    """One elementary feedback loop.

    ``factors`` go round in the direction of the arrows, starting from the smallest id;
    ``links[i]`` goes from ``factors[i]`` to ``factors[i + 1]`` (the last one back to the
    first). ``kind`` is ``"R"`` (even number of ``-`` links), ``"B"``, or ``"?"`` when a link
    on it has unknown polarity.
    ``weakest_confidence`` is the lowest confidence score of its links and ``weakest_link``
    that link's id (the first one, going round, if several tie).
    """

    factors: tuple[str, ...]
    links: tuple[str, ...]
    kind: LoopKind
    weakest_confidence: float
    weakest_link: str
    curated: CuratedMatch | None = None

    @property
    def length(self) -> int:
        """The number of links (= factors) on the loop."""
        return len(self.factors)


class LoopSearch(list[FeedbackLoop]):
    """The loops found (a plain ``list`` of :class:`FeedbackLoop`), plus how they were found.

    ``truncated`` is true when the count limit stopped the search before every loop was
    found; ``limit`` and ``max_length`` are the bounds that were used.
    """

    def __init__(
        self,
        loops: Iterable[FeedbackLoop] = (),
        *,
        truncated: bool = False,
        limit: int | None = None,
        max_length: int | None = None,
    ) -> None:
        super().__init__(loops)
        self.truncated = truncated
        self.limit = limit
        self.max_length = max_length

    @property
    def reinforcing(self) -> int:
        """How many of the loops are reinforcing (R)."""
        return sum(lp.kind == "R" for lp in self)

    @property
    def balancing(self) -> int:
        """How many of the loops are balancing (B)."""
        return sum(lp.kind == "B" for lp in self)

    @property
    def unknown(self) -> int:
        """How many of the loops are of unknown kind (?): a link on them has no known sign."""
        return sum(lp.kind == "?" for lp in self)

    def __repr__(self) -> str:
        more = ", truncated" if self.truncated else ""
        unknown = f", {self.unknown} ?" if self.unknown else ""
        return (
            f"LoopSearch({len(self)} loops: {self.reinforcing} R, {self.balancing} B"
            f"{unknown}{more})"
        )


def canonical_cycle(factors: Sequence[str]) -> tuple[str, ...]:
    """Rotate a cycle so that it starts at its smallest id (the direction is kept).

    >>> canonical_cycle(["c", "a", "b"])
    ('a', 'b', 'c')
    """
    if not factors:
        return ()
    start = min(range(len(factors)), key=factors.__getitem__)
    return tuple(factors[start:]) + tuple(factors[:start])


def find_feedback_loops(
    map_: Map,
    *,
    max_length: int | None = None,
    limit: int | None = None,
    engine: LoopEngine = "auto",
) -> LoopSearch:
    """Find every elementary feedback loop of a map, with its kind and weakest evidence.

    Parameters
    ----------
    map_ : Map
        The map to search.
    max_length : int, optional
        Only loops of at most this many links. ``None`` (the default) means any length.
    limit : int, optional
        Stop after this many loops (default :data:`DEFAULT_LOOP_LIMIT`); the result's
        ``truncated`` flag says whether loops were left out.
    engine : {"auto", "compiled", "networkx"}
        How unbounded searches run: ``"compiled"`` is loopwise's own Johnson search compiled
        with numba (fast on big maps; the first call in a new install compiles it, a few
        seconds, then it is cached), ``"networkx"`` is ``networkx.simple_cycles``, and
        ``"auto"`` (the default) picks networkx for maps under
        :data:`COMPILED_ENGINE_MIN_LINKS` links, where it is instant. Both give the same
        loops; length-bounded searches always use networkx.

    Returns
    -------
    LoopSearch
        A list of :class:`FeedbackLoop`, shortest first (then by factor ids), with
        ``truncated``. Empty if the map has no loop.

    Raises
    ------
    ValidationError
        If ``max_length`` or ``limit`` is not a whole number of at least 1, or ``engine``
        is not one of the three.

    Examples
    --------
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": i, "label": i} for i in "abc"],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+"},
    ...               {"from": "b", "to": "c", "polarity": "-"},
    ...               {"from": "c", "to": "a", "polarity": "-"}]})
    >>> loop, = find_feedback_loops(m)
    >>> loop.factors, loop.links, loop.kind, loop.length
    (('a', 'b', 'c'), ('a--b', 'b--c', 'c--a'), 'R', 3)

    Notes
    -----
    Unbounded searches on big maps use the compiled Johnson search in
    :mod:`loopwise.analysis._johnson`; length-bounded ones use networkx's
    ``simple_cycles(G, length_bound=...)`` (Gupta and Suzumura's algorithm). Both give exactly
    the cycles of ``networkx.simple_cycles`` (tested on random maps). Johnson's algorithm spends
    ``O((n + e)(c + 1))`` time for ``c`` cycles, and ``c`` can grow exponentially with the
    number of links, hence the count limit.

    References
    ----------
    .. [1] D. B. Johnson, "Finding all the elementary circuits of a directed graph",
       SIAM Journal on Computing 4(1):77-84, 1975.
    .. [2] A. Gupta and T. Suzumura, "Finding all bounded-length simple cycles in a directed
       graph", arXiv:2105.10094, 2021.
    """
    positive("max_length", max_length)
    positive("limit", limit)
    if engine not in ("auto", "compiled", "networkx"):
        raise ValidationError(
            f"unknown engine {engine!r} (choose 'auto', 'compiled' or 'networkx')", "engine"
        )
    cap = DEFAULT_LOOP_LIMIT if limit is None else limit
    confidence = {link_id: conf.score for link_id, conf in map_.link_confidences().items()}
    curated = {canonical_cycle(c.factors): c for c in map_.curated_loops}
    use_compiled = max_length is None and (
        engine == "compiled" or (engine == "auto" and len(map_.links) >= COMPILED_ENGINE_MIN_LINKS)
    )
    if use_compiled:
        loops, truncated = _compiled_loops(map_, cap, confidence, curated)
    else:
        loops, truncated = _networkx_loops(map_, cap, max_length, confidence, curated)
        loops.sort(key=lambda lp: (lp.length, lp.factors))
    return LoopSearch(loops, truncated=truncated, limit=cap, max_length=max_length)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _curated_match(match: CuratedLoop | None) -> CuratedMatch | None:
    if match is None:
        return None
    return CuratedMatch(match.id, match.name, match.narrative, match.kind)


def _networkx_loops(
    map_: Map,
    cap: int,
    max_length: int | None,
    confidence: dict[str, float],
    curated: dict[tuple[str, ...], CuratedLoop],
) -> tuple[list[FeedbackLoop], bool]:
    graph = _graph.to_nx(map_)
    if max_length is None:
        cycles = nx.simple_cycles(graph)
    else:
        cycles = _graph.bounded_simple_cycles(graph, max_length)
    found = list(itertools.islice(cycles, cap + 1))
    truncated = len(found) > cap
    del found[cap:]
    links = {(lk.source_factor, lk.target_factor): lk for lk in map_.links}
    loops = []
    for cycle in found:
        factors = canonical_cycle(cycle)
        on_loop = [links[a, b] for a, b in zip(factors, factors[1:] + factors[:1], strict=True)]
        negatives = sum(lk.polarity == "-" for lk in on_loop)
        weakest = min(on_loop, key=lambda lk: confidence[lk.id])
        known = all(polarity_known(lk) for lk in on_loop)
        loops.append(
            FeedbackLoop(
                factors=factors,
                links=tuple(lk.id for lk in on_loop),
                kind=("R" if negatives % 2 == 0 else "B") if known else "?",
                weakest_confidence=confidence[weakest.id],
                weakest_link=weakest.id,
                curated=_curated_match(curated.get(factors)),
            )
        )
    return loops, truncated


def _compiled_loops(
    map_: Map,
    cap: int,
    confidence: dict[str, float],
    curated: dict[tuple[str, ...], CuratedLoop],
) -> tuple[list[FeedbackLoop], bool]:
    """The compiled search: cycles and their links, kinds and weakest links are worked out
    on integer arrays; Python objects are made once per loop, not once per factor."""
    import numpy as np

    from loopwise.analysis._johnson import describe_cycles, order_cycles

    indptr, indices, edge_link = _graph.to_csr(map_)
    flat, starts = _graph.compiled_simple_cycles(indptr, indices, cap + 1)
    truncated = len(starts) - 1 > cap
    if truncated:
        starts = starts[: cap + 1]
        flat = flat[: starts[-1]]
    factor_ids = [f.id for f in map_.factors]
    rank = np.empty(len(factor_ids), dtype=np.int64)
    rank[sorted(range(len(factor_ids)), key=factor_ids.__getitem__)] = np.arange(len(factor_ids))
    negative = np.fromiter((lk.polarity == "-" for lk in map_.links), np.bool_, len(map_.links))
    scores = np.fromiter((confidence[lk.id] for lk in map_.links), np.float64, len(map_.links))
    rotated, on_loop, negatives, weakest = describe_cycles(
        flat, starts, indptr, indices, edge_link, rank, negative, scores
    )
    order = order_cycles(rotated, starts, rank).tolist()
    factor_array = np.array(factor_ids, dtype=object)
    link_array = np.array([lk.id for lk in map_.links], dtype=object)
    bounds = starts.tolist()
    kinds = np.where(negatives % 2 == 0, "R", "B")
    unknown = np.fromiter((not polarity_known(lk) for lk in map_.links), np.bool_)
    if unknown.any() and len(starts) > 1:  # a loop through an unknown-polarity link is "?"
        per_cycle = np.add.reduceat(unknown[on_loop].astype(np.int64), starts[:-1])
        kinds = np.where(per_cycle > 0, "?", kinds)
    kinds = kinds.tolist()
    weakest_ids = link_array[weakest].tolist()
    weakest_scores = scores[weakest].tolist()
    curated_lengths = {len(key) for key in curated}
    loops = []
    append = loops.append
    with _gc_paused():  # tens of thousands of new tuples would trigger needless GC passes
        for c in order:  # already sorted: shortest first, then by factor ids
            a, b = bounds[c], bounds[c + 1]
            factors = tuple(factor_array[rotated[a:b]].tolist())
            match = curated.get(factors) if b - a in curated_lengths else None
            append(
                FeedbackLoop(
                    factors,
                    tuple(link_array[on_loop[a:b]].tolist()),
                    kinds[c],
                    weakest_scores[c],
                    weakest_ids[c],
                    None if match is None else _curated_match(match),
                )
            )
    return loops, truncated


def rank_loops(
    loops: Iterable[FeedbackLoop],
    by: LoopRanking = "length",
    leverage_factors: Sequence[str] = (),
) -> list[FeedbackLoop]:
    """Order loops for reading: the most telling first.

    Parameters
    ----------
    loops : iterable of FeedbackLoop
        Loops as :func:`find_feedback_loops` returns them.
    by : {"length", "evidence", "leverage"}
        ``"length"``: shortest first (short loops act fastest and are easiest to explain).
        ``"evidence"``: best-supported first (highest weakest-link confidence).
        ``"leverage"``: loops holding the most of ``leverage_factors`` first.
        Ties are broken by length, then by factor ids, so the order is stable.
    leverage_factors : sequence of str
        The factor ids that count for ``by="leverage"`` (e.g. the top of a leverage ranking).

    Returns
    -------
    list of FeedbackLoop

    Raises
    ------
    ValidationError
        If ``by`` is not one of the three rankings.

    Examples
    --------
    >>> a = FeedbackLoop(("a", "b", "c"), ("a--b", "b--c", "c--a"), "R", 0.9, "a--b")
    >>> b = FeedbackLoop(("a", "d"), ("a--d", "d--a"), "B", 0.2, "d--a")
    >>> [lp.length for lp in rank_loops([a, b], by="length")]
    [2, 3]
    >>> [lp.length for lp in rank_loops([a, b], by="evidence")]
    [3, 2]
    >>> [lp.length for lp in rank_loops([a, b], by="leverage", leverage_factors=["c"])]
    [3, 2]
    """
    loops = list(loops)
    if by == "length":
        return sorted(loops, key=lambda lp: (lp.length, lp.factors))
    if by == "evidence":
        return sorted(loops, key=lambda lp: (-lp.weakest_confidence, lp.length, lp.factors))
    if by == "leverage":
        wanted = set(leverage_factors)
        return sorted(
            loops, key=lambda lp: (-len(wanted.intersection(lp.factors)), lp.length, lp.factors)
        )
    raise ValidationError(
        f"unknown ranking {by!r} (choose 'length', 'evidence' or 'leverage')", "by"
    )


def loops_frame(loops: Iterable[FeedbackLoop]) -> pd.DataFrame:
    """A pandas DataFrame with one row per loop, in the given order.

    Columns: ``kind``, ``length``, ``factors`` and ``links`` (joined with ``" -> "`` and
    ``", "``), ``weakest_confidence``, ``weakest_link``, ``curated_id`` and ``curated_name``
    (empty when no curated loop matches). The index counts from 1.

    Examples
    --------
    >>> lp = FeedbackLoop(("a", "b"), ("a--b", "b--a"), "R", 0.5, "a--b")
    >>> loops_frame([lp])[["kind", "factors"]].to_dict("records")
    [{'kind': 'R', 'factors': 'a -> b -> a'}]
    """
    import pandas as pd

    columns = [
        "kind", "length", "factors", "links", "weakest_confidence", "weakest_link",
        "curated_id", "curated_name",
    ]  # fmt: skip
    rows = [
        {
            "kind": lp.kind,
            "length": lp.length,
            "factors": " -> ".join([*lp.factors, lp.factors[0]]),
            "links": ", ".join(lp.links),
            "weakest_confidence": lp.weakest_confidence,
            "weakest_link": lp.weakest_link,
            "curated_id": lp.curated.id if lp.curated else "",
            "curated_name": lp.curated.name if lp.curated else "",
        }
        for lp in loops
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="loop")
    return frame
