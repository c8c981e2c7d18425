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
import functools
import gc
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import numpy as np

from loopwise.analysis import _graph
from loopwise.analysis._checks import positive
from loopwise.analysis.loop_result import (
    CuratedMatch,
    FeedbackLoop,
    LoopSearch,
)
from loopwise.analysis.loop_result import (
    LoopKind as LoopKind,  # re-exported: the kinds' type lived here
)
from loopwise.errors import ValidationError
from loopwise.model.polarity import polarity_known

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import CuratedLoop, Map

DEFAULT_LOOP_LIMIT = 100_000
"""How many loops :func:`find_feedback_loops` returns at most when no ``limit`` is given."""

COMPILED_ENGINE_MIN_LINKS = 1_000
"""Maps with at least this many links use the compiled loop search even before its kernels
are compiled or cached (the first compile takes a few seconds, still less than networkx on
such a map). Smaller maps use it as soon as the kernels are loaded or in numba's cache."""

LoopRanking = Literal["length", "evidence", "leverage"]
LoopEngine = Literal["auto", "compiled", "networkx"]


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
        How the cycles are found: ``"compiled"`` is loopwise's own search compiled with
        numba (Johnson's algorithm, or a distance-pruned search when ``max_length`` is
        given; the first call in a new install compiles it, a few seconds, then it is
        cached), ``"networkx"`` is ``networkx.simple_cycles``, and ``"auto"`` (the default)
        uses the compiled search whenever its kernels are loaded or in numba's cache (and
        on maps of :data:`COMPILED_ENGINE_MIN_LINKS` links or more), networkx otherwise.
        All give the same loops.

    Returns
    -------
    LoopSearch
        A sequence of :class:`FeedbackLoop`, shortest first (then by factor ids), with
        ``truncated``. Empty if the map has no loop. The loops are kept as arrays and each
        :class:`FeedbackLoop` is made when it is first read, so the call costs about what
        finding the cycles costs; counts and filters (``reinforcing``, ``where``,
        ``count_through``, ``by_factor``) never make them.

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
    Unbounded searches use the compiled Johnson search in :mod:`loopwise.analysis._johnson`,
    length-bounded ones the compiled search in :mod:`loopwise.analysis._bounded` (each cycle
    from its lowest node, pruned by the distance back to it, the bound Gupta and Suzumura's
    algorithm keeps). Both give exactly the cycles of ``networkx.simple_cycles`` (tested on
    random maps). Rotation, links, kinds, weakest links, the order and the curated matches
    are then worked out on integer arrays. Johnson's algorithm spends ``O((n + e)(c + 1))``
    time for ``c`` cycles, and ``c`` can grow exponentially with the number of links, hence
    the count limit.

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
    graph = _LoopGraph(map_)
    compiled = _use_compiled(engine, len(map_.links))
    if compiled:
        flat, starts, edges = graph.compiled_cycles(cap + 1, max_length)
    else:
        flat, starts, edges = graph.networkx_cycles(cap + 1, max_length)
    truncated = len(starts) - 1 > cap
    if truncated:
        starts = starts[: cap + 1]
        flat, edges = flat[: starts[-1]], edges[: starts[-1]]
    return graph.result(
        flat, starts, edges, truncated=truncated, limit=cap, max_length=max_length,
        compiled=compiled or _use_compiled("auto", 0),
    )  # fmt: skip


def _use_compiled(engine: LoopEngine, links: int) -> bool:
    """Whether the compiled search runs: asked for, or ``"auto"`` and either the map is big
    or the kernels cost no compile (loaded in this process or in numba's on-disk cache)."""
    if engine != "auto":
        return engine == "compiled"
    if links >= COMPILED_ENGINE_MIN_LINKS:
        return True
    from loopwise.analysis._kernels import loop_kernels_cached

    return loop_kernels_cached()


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _curated_match(match: CuratedLoop) -> CuratedMatch:
    return CuratedMatch(match.id, match.name, match.narrative, match.kind)


class _LoopGraph:
    """The map as CSR arrays over factor positions plus per-link arrays, and how a cycle list
    becomes a :class:`LoopSearch` (see :func:`loopwise.analysis._loop_arrays.describe_loops`).
    One pass over the links reads everything the search needs."""

    def __init__(self, map_: Map) -> None:
        self.map = map_
        self.factor_ids = ids = [f.id for f in map_.factors]
        position = {fid: i for i, fid in enumerate(ids)}
        links = map_.links
        rows = [
            (position[lk.source_factor], position[lk.target_factor], lk.polarity == "-",
             not polarity_known(lk))
            for lk in links
        ]  # fmt: skip
        table = np.array(rows, dtype=np.int64).reshape(len(links), 4)
        self.negative = table[:, 2].astype(np.bool_)
        self.unknown = table[:, 3].astype(np.bool_)
        self.indptr, self.indices, self.edge_link = _graph.csr_from_edges(
            table[:, 0].copy(), table[:, 1].copy(), len(ids)
        )

    def compiled_cycles(
        self, limit: int, max_length: int | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if max_length is None:
            return _graph.compiled_simple_cycles(self.indptr, self.indices, limit)
        return _graph.compiled_bounded_cycles(self.indptr, self.indices, max_length, limit)

    def networkx_cycles(
        self, limit: int, max_length: int | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:

        graph = _graph.to_nx(self.map)
        cycles: Iterator[list[str]]
        if max_length is None:
            cycles = nx.simple_cycles(graph)
        else:
            cycles = _graph.bounded_simple_cycles(graph, max_length)
        found = list(itertools.islice(cycles, limit))
        position = {fid: i for i, fid in enumerate(self.factor_ids)}
        rings = [[position[f] for f in cycle] for cycle in found]
        tails = np.repeat(np.arange(len(self.factor_ids)), np.diff(self.indptr)).tolist()
        edge_at = {pair: e for e, pair in enumerate(zip(tails, self.indices.tolist(), strict=True))}
        flat = np.fromiter((v for ring in rings for v in ring), np.int64)
        edges = np.fromiter(
            (
                edge_at[pair]
                for ring in rings
                for pair in zip(ring, ring[1:] + ring[:1], strict=True)
            ),
            np.int64,
        )
        starts = np.zeros(len(found) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, found), np.int64, len(found)), out=starts[1:])
        return flat, starts, edges

    def result(
        self, flat: np.ndarray, starts: np.ndarray, edges: np.ndarray, *, truncated: bool,
        limit: int, max_length: int | None, compiled: bool,
    ) -> LoopSearch:  # fmt: skip
        """The search result; ``compiled``: describe the cycles with the numba kernel."""
        from loopwise.analysis import _loop_arrays

        map_, ids = self.map, self.factor_ids
        by_id = sorted(range(len(ids)), key=ids.__getitem__)
        rank = np.empty(len(ids), dtype=np.int64)
        rank[by_id] = np.arange(len(ids))
        scores = np.array(map_.link_confidence_scores(), dtype=np.float64)
        named, rings, ring_starts = self._rings()
        described = (flat, starts, edges, self.edge_link, rank, self.negative, self.unknown,
                     scores, rings, ring_starts)  # fmt: skip
        arrays: dict[str, Any]
        if compiled:  # the loops' factors and links are copied in order only when read
            order, turn, kinds, weakest, matched = _loop_arrays.describe_loops(*described)
            gather = functools.partial(
                _loop_arrays.gather_loops, flat, starts, edges, self.edge_link, order, turn
            )
            lengths = np.diff(starts)[order]
            arrays = dict(nodes=None, offsets=None, links=None, gather=gather, lengths=lengths)
        else:
            nodes, offsets, links, kinds, weakest, matched = _loop_arrays.describe_loops_python(
                *described
            )
            arrays = dict(nodes=nodes, offsets=offsets, links=links)
        curated = {
            int(at): _curated_match(loop)
            for loop, at in zip(named, matched.tolist(), strict=True)
            if at >= 0
        }
        return LoopSearch.from_arrays(
            factor_ids=ids, link_ids=[lk.id for lk in map_.links], kinds=kinds, weakest=weakest,
            weakest_confidence=scores[weakest], curated=curated, truncated=truncated,
            limit=limit, max_length=max_length, sorted_=True, **arrays,
        )  # fmt: skip

    def _rings(self) -> tuple[list[CuratedLoop], np.ndarray, np.ndarray]:
        """The map's curated loops as node positions, each from its smallest factor id (the
        loops whose factors are all on the map)."""
        position = {fid: i for i, fid in enumerate(self.factor_ids)}
        named = [
            loop for loop in self.map.curated_loops
            if loop.factors and all(f in position for f in loop.factors)
        ]  # fmt: skip
        rings = [position[f] for loop in named for f in canonical_cycle(loop.factors)]
        ring_starts = np.zeros(len(named) + 1, dtype=np.int64)
        lengths = np.fromiter((len(loop.factors) for loop in named), np.int64, len(named))
        np.cumsum(lengths, out=ring_starts[1:])
        return named, np.array(rings, dtype=np.int64), ring_starts


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
    if by not in ("length", "evidence", "leverage"):
        raise ValidationError(
            f"unknown ranking {by!r} (choose 'length', 'evidence' or 'leverage')", "by"
        )
    if isinstance(loops, LoopSearch):  # already shortest first: order the arrays
        order = loops._reading_order(by, set(leverage_factors))
        if order is not None:
            return [loops[i] for i in order]
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
