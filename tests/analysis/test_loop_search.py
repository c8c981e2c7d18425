"""The loop search result kept as arrays: the compiled searches (bounded and not) against
networkx, loops made on access, and the counts and filters worked out on the arrays."""

from __future__ import annotations

import pickle

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopwise.analysis import (
    FeedbackLoop,
    LoopSearch,
    canonical_cycle,
    find_feedback_loops,
    rank_loops,
)
from loopwise.analysis import loops as loops_module
from loopwise.analysis._bounded import bounded_cycles_csr
from loopwise.analysis._johnson import simple_cycles_csr
from loopwise.model import Map
from strategies import maps


def nx_cycle_set(map_: Map, length_bound: int | None = None) -> set[tuple[str, ...]]:
    graph = nx.DiGraph([(lk.source_factor, lk.target_factor) for lk in map_.links])
    return {canonical_cycle(c) for c in nx.simple_cycles(graph, length_bound=length_bound)}


def csr(graph: nx.DiGraph) -> tuple[np.ndarray, np.ndarray]:
    n = graph.number_of_nodes()
    edges = sorted(graph.edges)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount([u for u, _ in edges], minlength=n), out=indptr[1:])
    return indptr, np.array([v for _, v in edges], dtype=np.int64)


def cycle_set(
    flat: np.ndarray, starts: np.ndarray, edges: np.ndarray, indptr: np.ndarray, indices: np.ndarray
) -> list[tuple[int, ...]]:
    """The canonical cycles, after checking that each edge goes from its node to the next."""
    cycles = []
    for i in range(len(starts) - 1):
        ring = flat[starts[i] : starts[i + 1]].tolist()
        for k, edge in enumerate(edges[starts[i] : starts[i + 1]].tolist()):
            assert indptr[ring[k]] <= edge < indptr[ring[k] + 1]
            assert indices[edge] == ring[(k + 1) % len(ring)]
        cycles.append(canonical_cycle(ring))
    return cycles


@given(map_=maps(max_factors=8), bound=st.integers(1, 6))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_compiled_bounded_search_gives_the_networkx_loops(map_: Map, bound: int) -> None:
    compiled = find_feedback_loops(map_, max_length=bound, engine="compiled")
    assert compiled == find_feedback_loops(map_, max_length=bound, engine="networkx")
    assert {lp.factors for lp in compiled} == nx_cycle_set(map_, length_bound=bound)
    assert all(lp.length <= bound for lp in compiled)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("bound", [1, 2, 3, 5, 8])
def test_kernels_on_random_graphs_with_self_loops(seed: int, bound: int) -> None:
    graph = nx.gnm_random_graph(12, 30 + 2 * seed, seed=seed, directed=True)
    graph.add_edges_from([(seed % 12, seed % 12), ((seed + 5) % 12, (seed + 5) % 12)])
    indptr, indices = csr(graph)
    bounded = cycle_set(*bounded_cycles_csr(indptr, indices, bound, 10**6), indptr, indices)
    assert len(bounded) == len(set(bounded))
    assert set(bounded) == {canonical_cycle(c) for c in nx.simple_cycles(graph, length_bound=bound)}
    every = cycle_set(*simple_cycles_csr(indptr, indices, 10**6), indptr, indices)
    assert set(every) == {canonical_cycle(c) for c in nx.simple_cycles(graph)}


def test_bounded_kernel_stops_at_the_limit() -> None:
    graph = nx.complete_graph(6, create_using=nx.DiGraph)
    indptr, indices = csr(graph)
    flat, starts, edges = bounded_cycles_csr(indptr, indices, 4, 9)
    assert len(starts) - 1 == 9
    assert len(set(cycle_set(flat, starts, edges, indptr, indices))) == 9


@given(map_=maps(max_factors=8))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_array_counts_and_filters_match_the_loops(map_: Map) -> None:
    scores = [c.score for c in map_.link_confidences().values()]
    assert map_.link_confidence_scores() == scores  # the quick scores the search reads
    search = find_feedback_loops(map_)
    loops = list(search)
    assert (search.reinforcing, search.balancing, search.unknown) == (
        sum(lp.kind == "R" for lp in loops), sum(lp.kind == "B" for lp in loops),
        sum(lp.kind == "?" for lp in loops),
    )  # fmt: skip
    assert search.lengths.tolist() == [lp.length for lp in loops]
    for kind in ("R", "B", "?", None):
        expected = {f.id: sum(f.id in lp.factors and kind in (None, lp.kind) for lp in loops)
                    for f in map_.factors}  # fmt: skip
        assert search.count_through(kind) == expected  # type: ignore[arg-type]
    assert search.by_factor() == {
        f.id: [i for i, lp in enumerate(loops) if f.id in lp.factors]
        for f in map_.factors
        if any(f.id in lp.factors for lp in loops)
    }
    some = [f.id for f in map_.factors[:2]]
    for kind in ("R", "B", None):
        for through in (None, some[0], some):
            for max_length in (None, 3):
                got = search.where(kind=kind, through=through, max_length=max_length)  # type: ignore[arg-type]
                wanted = {through} if isinstance(through, str) else set(through or ())
                assert got == [
                    i for i, lp in enumerate(loops)
                    if kind in (None, lp.kind) and (through is None or wanted & set(lp.factors))
                    and (max_length is None or lp.length <= max_length)
                ]  # fmt: skip
    assert search.where(curated=True) == [i for i, lp in enumerate(loops) if lp.curated]
    assert search.where(curated=False) == [i for i, lp in enumerate(loops) if not lp.curated]
    for by in ("length", "evidence", "leverage"):
        assert rank_loops(search, by=by, leverage_factors=some) == rank_loops(  # type: ignore[arg-type]
            loops,
            by=by,
            leverage_factors=some,  # type: ignore[arg-type]
        )
    odd = search.take(range(1, len(search), 2))
    assert odd == loops[1::2]
    assert odd.reinforcing == sum(lp.kind == "R" for lp in loops[1::2])
    assert odd.shortest_first


def test_loops_are_made_on_access_and_kept(four: Map) -> None:
    search = find_feedback_loops(four, engine="compiled")
    assert search._items == [None, None]  # nothing made by the search itself
    assert search.reinforcing == 1 and search.where(kind="B", max_length=2) == [0]
    assert search._gathered is None  # counts need no copy of the loops' factors
    assert search.where(through="c") == [1] and search._gathered is not None
    first = search[0]
    assert search[0] is first and search[-2] is first
    assert search._items[1] is None
    assert list(search)[0] is first
    with pytest.raises(IndexError, match="out of range"):
        search[2]


def test_a_search_behaves_like_the_list_it_was(four: Map) -> None:
    search = find_feedback_loops(four)
    loops = list(search)
    assert search == loops and loops == list(search) and search == tuple(loops)
    assert search[:1] == loops[:1] and isinstance(search[:1], list)
    assert search.index(loops[1]) == 1 and loops[1] in search
    assert search != loops[:1] and search != "loops"
    assert bool(search) and not find_feedback_loops(four, max_length=1)
    assert list(reversed(search)) == loops[::-1]


def test_pickled_search_keeps_loops_and_bounds(four: Map) -> None:
    search = find_feedback_loops(four, max_length=3, limit=5)
    copy = pickle.loads(pickle.dumps(search))
    assert copy == search
    assert (copy.truncated, copy.limit, copy.max_length) == (False, 5, 3)
    assert copy[1].curated is not None and copy[1].curated.id == "spiral"


def test_a_search_from_loops_answers_like_one_from_arrays(four: Map) -> None:
    search = find_feedback_loops(four)
    rebuilt = LoopSearch(list(search), truncated=True, limit=9)
    assert rebuilt == search and rebuilt.truncated and rebuilt.limit == 9
    assert rebuilt.by_factor() == search.by_factor()
    assert rebuilt.where(kind="R", through="c") == search.where(kind="R", through="c") == [1]
    assert rebuilt.count_through("B") == {"a": 1, "b": 1, "c": 0, "d": 0}
    assert not rebuilt.shortest_first  # a list given as is: rank_loops sorts it itself
    reverse = LoopSearch(list(search)[::-1])
    assert rank_loops(reverse) == list(search)
    empty = LoopSearch()
    assert len(empty) == 0 and empty.where(through="a") == [] and empty.by_factor() == {}


def test_curated_loops_match_on_either_engine(four: Map) -> None:
    for engine in ("compiled", "networkx"):
        for bound in (None, 3):
            search = find_feedback_loops(four, engine=engine, max_length=bound)  # type: ignore[arg-type]
            assert [lp.curated.id if lp.curated else None for lp in search] == [None, "spiral"]
    assert find_feedback_loops(four, max_length=2).where(curated=True) == []


def test_auto_uses_the_compiled_search_when_its_kernels_are_cached(
    four: Map, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    for name in ("compiled_simple_cycles", "compiled_bounded_cycles", "bounded_simple_cycles"):
        real = getattr(loops_module._graph, name)

        def spy(*args: object, _real: object = real, _name: str = name) -> object:
            calls.append(_name)
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(loops_module._graph, name, spy)
    import loopwise.analysis._kernels as kernels

    monkeypatch.setattr(kernels, "loop_kernels_cached", lambda: True)
    expected = find_feedback_loops(four, engine="networkx")
    assert find_feedback_loops(four) == expected
    assert find_feedback_loops(four, max_length=3) == expected
    assert calls == ["compiled_simple_cycles", "compiled_bounded_cycles"]
    calls.clear()
    monkeypatch.setattr(kernels, "loop_kernels_cached", lambda: False)
    assert find_feedback_loops(four, max_length=3) == expected
    assert calls == ["bounded_simple_cycles"]


def test_feedback_loop_made_from_arrays_equals_one_made_by_hand(four: Map) -> None:
    _, spiral = find_feedback_loops(four)
    assert spiral == FeedbackLoop(
        ("b", "c", "d"), ("b--c", "c--d", "d--b"), "R", 0.0, "d--b", spiral.curated
    )
    assert isinstance(spiral.weakest_confidence, float)


@pytest.mark.parametrize(("nodes", "edges", "seed"), [(60, 110, 0), (40, 90, 3), (300, 420, 1)])
def test_loops_come_shortest_first_then_by_factor_ids(nodes: int, edges: int, seed: int) -> None:
    """Long cycles sharing their first factors are ordered past the packed sort key too."""
    graph = nx.gnm_random_graph(nodes, edges, seed=seed, directed=True)
    m = Map.from_dict(
        {
            "slug": "long",
            "title": "Long loops",
            "factors": [{"id": f"n{i:03d}", "label": str(i)} for i in graph.nodes],
            "links": [{"from": f"n{u:03d}", "to": f"n{v:03d}", "polarity": "+"}
                      for u, v in graph.edges],
        }
    )  # fmt: skip
    search = find_feedback_loops(m, limit=20_000, engine="compiled")
    factors = [lp.factors for lp in search]
    assert max(map(len, factors)) > 12  # longer than the packed part of the key
    assert factors == sorted(factors, key=lambda f: (len(f), f))
    assert not search.truncated
    named = nx.relabel_nodes(graph, lambda i: f"n{i:03d}")
    assert set(factors) == {canonical_cycle(c) for c in nx.simple_cycles(named)}


@given(map_=maps(max_factors=8), bound=st.none() | st.integers(1, 5))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_search_before_the_kernels_are_cached_needs_no_compiling(
    map_: Map, bound: int | None
) -> None:
    """auto on a small map without cached kernels: networkx and the plain-Python description,
    the same result as the compiled path, and no numba kernel called."""
    import loopwise.analysis._kernels as kernels
    import loopwise.analysis._loop_arrays as arrays

    compiled = find_feedback_loops(map_, max_length=bound, engine="compiled")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernels, "loop_kernels_cached", lambda: False)

        def no_numba(*args: object) -> None:
            raise AssertionError("a numba kernel was called")

        patch.setattr(arrays, "describe_loops", no_numba)
        patch.setattr(loops_module._graph, "compiled_simple_cycles", no_numba)
        patch.setattr(loops_module._graph, "compiled_bounded_cycles", no_numba)
        plain = find_feedback_loops(map_, max_length=bound)
    assert plain == compiled
    assert plain.by_factor() == compiled.by_factor()
