"""Benchmark: feedback-loop enumeration, loopwise vs ``networkx.simple_cycles`` (baseline).

Run with ``python benchmarks/bench_loops.py`` (``--smoke`` or ``LOOPWISE_BENCH_SMOKE=1``: tiny
graphs, one run each, a few seconds; used by the CI smoke test). Two tables:

1. **The typed API** (``--section typed``): ``find_feedback_loops(map)``, the call every CLI,
   API, brief, publish and leverage path makes (engine ``"auto"``, kernels cached), against
   ``list(networkx.simple_cycles(G))`` on the same map's factor ids (``G`` built beforehand and
   not timed, so networkx pays only for the id lists). Cases: seeded ``gnm`` digraphs of
   200 nodes / 300 edges, 500 / 700 and 1,000 / 1,300, a seeded scale-free digraph of 5,000
   nodes (``networkx.scale_free_graph``) and the built-in map, each without a length bound
   and with ``max_length=6``. Times are CPU times of the process, medians of ``REPEAT``
   samples, the sides taking turns (a sample of a call under 50 ms times a batch of calls);
   the wall-clock ratio is shown beside. Every case checks that the two cycle sets are
   identical. The last column adds making every ``FeedbackLoop``
   object (``list(result)``) to loopwise's time, for reference.
2. **The kernels** (``--section kernels``): sparse random digraphs (``gnm``, seeded) of
   1,000 nodes: with 1,300 edges every cycle is enumerated and the two cycle sets must be
   identical; with 2,000 edges there are far too many cycles to list (each run of the same
   graph found millions without finishing), so both sides stop at the same count and we check
   that each side gives that many distinct, valid elementary cycles (the two algorithms visit
   cycles in different orders, so capped sets cannot be compared). Times are the best of
   ``REPEAT`` runs.

Speed is reported as a ratio against networkx in the same run.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import networkx as nx
import numpy as np
import rustworkx as rx

from loopwise.analysis import _graph, canonical_cycle, find_feedback_loops
from loopwise.analysis.loops import _gc_paused
from loopwise.builtin import load_builtin_map
from loopwise.model import Map

NODES = 1_000
FULL = (1_300, 0)  # edges, seed: 25,111 cycles
CAPPED = (2_000, 42)
CAP = 100_000
REPEAT = 3
T = TypeVar("T")

TYPED_CASES = (  # name, graph maker (None: the built-in map)
    ("gnm 200/300 seed 0", lambda: nx.gnm_random_graph(200, 300, seed=0, directed=True)),
    ("gnm 500/700 seed 1", lambda: nx.gnm_random_graph(500, 700, seed=1, directed=True)),
    ("gnm 1000/1300 seed 0", lambda: nx.gnm_random_graph(1000, 1300, seed=0, directed=True)),
    ("scale-free 5000", lambda: scale_free(5000)),
    ("built-in map", None),
)
SMOKE_CASES = (
    ("gnm 30/45 seed 0", lambda: nx.gnm_random_graph(30, 45, seed=0, directed=True)),
    ("scale-free 200", lambda: scale_free(200)),
    ("built-in map", None),
)
BOUND = 6


def best_of(
    run: Callable[[], object], keep: Callable[[object], T], repeat: int = REPEAT
) -> tuple[float, T]:
    """The fastest of ``repeat`` runs and ``keep`` of the last result.

    Every run starts from the same state: earlier results dropped (only what ``keep``
    makes of them stays) and a full garbage collection done, so no side pays for the
    millions of list entries another side left behind.
    """
    best, kept = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
        kept = keep(result)
        del result
    return best, kept  # type: ignore[return-value]


def as_map(graph: nx.DiGraph) -> Map:
    return Map.from_dict(
        {
            "slug": "bench",
            "title": "Benchmark",
            "factors": [{"id": f"f{n}", "label": str(n)} for n in graph.nodes],
            "links": [
                {"from": f"f{u}", "to": f"f{v}", "polarity": "+" if (u + v) % 3 else "-"}
                for u, v in graph.edges
            ],
        }
    )


def check_cycles(graph: nx.DiGraph, cycles: Iterable[list]) -> set[tuple]:
    """Every cycle is elementary and follows edges; returns the canonical set."""
    seen = set()
    for cycle in cycles:
        assert len(set(cycle)) == len(cycle)
        assert all(graph.has_edge(a, b) for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True))
        seen.add(canonical_cycle(cycle))
    return seen


def compiled_cycles(map_: Map, cap: int) -> list[list[str]]:
    """The compiled Johnson search with node ids mapped back (like networkx's output)."""
    indptr, indices, _ = _graph.to_csr(map_)
    flat, starts, _ = _graph.compiled_simple_cycles(indptr, indices, cap)
    names = np.array([f.id for f in map_.factors], dtype=object)
    bounds = starts.tolist()
    with _gc_paused():
        return [names[flat[bounds[c] : bounds[c + 1]]].tolist() for c in range(len(bounds) - 1)]


def measure(edges: int, seed: int, cap: int | None) -> tuple:
    """Time every side on one generated graph and check their cycles; one table row."""
    repeat = REPEAT if cap is None else 1
    limit = cap or 10**9
    graph = nx.gnm_random_graph(NODES, edges, seed=seed, directed=True)
    map_ = as_map(graph)
    id_graph = map_.to_networkx()  # the map's own graph: nodes are factor ids
    indptr, indices, _ = _graph.to_csr(map_)
    rgraph = _graph.rx_from_nx(graph)

    def first(cycles: Iterable[list], count: int = limit) -> list[list]:
        return list(itertools.islice(cycles, count))

    if cap is None:

        def cycle_set(cycles: Iterable[Sequence[str]]) -> set[tuple]:
            return {canonical_cycle(list(c)) for c in cycles}

        note = "all, sets identical"
    else:

        def cycle_set(cycles: Iterable[Sequence[str]]) -> set[tuple]:
            cycles = list(cycles)
            assert len(check_cycles(id_graph, [list(c) for c in cycles])) == len(cycles) == cap
            return set()

        note = f"first {cap:,} each (capped)"

    t_nx_int, nx_count = best_of(lambda: first(nx.simple_cycles(graph)), len, repeat)
    t_raw, raw_count = best_of(
        lambda: _graph.compiled_simple_cycles(indptr, indices, limit), lambda r: len(r[1]) - 1,
        repeat,
    )  # fmt: skip
    t_rx, _ = best_of(lambda: first(rx.simple_cycles(rgraph)), len, repeat)
    t_nx_ids, expected = best_of(lambda: first(nx.simple_cycles(id_graph)), cycle_set, repeat)
    t_ids, ours = best_of(lambda: compiled_cycles(map_, limit), cycle_set, repeat)
    t_full, loops = best_of(
        lambda: find_feedback_loops(map_, limit=limit, engine="compiled"),
        lambda r: (cycle_set(lp.factors for lp in r), r.truncated, len(r)),
        repeat,
    )  # fmt: skip
    assert nx_count == raw_count == loops[2] == (cap or len(expected))
    assert ours == expected and loops[0] == expected, "cycle sets differ"
    assert loops[1] == (cap is not None)
    count = raw_count
    return (f"{NODES}n/{edges}e seed {seed}", count, note, t_nx_int, t_rx, t_raw,
            t_nx_ids, t_ids, t_full)  # fmt: skip


def scale_free(nodes: int, seed: int = 0) -> nx.DiGraph:
    """A seeded scale-free digraph (Bollobas et al., as networkx makes it) without self-loops
    or parallel links: 5,000 nodes give 7,467 links and 13,066 cycles."""
    graph = nx.DiGraph(
        nx.scale_free_graph(nodes, alpha=0.55, beta=0.35, gamma=0.1, seed=seed)
    )  # fmt: skip
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return graph


def interleaved_medians(
    runs: Sequence[tuple[Callable[[], object], Callable[[object], object]]], repeat: int
) -> list[tuple[float, float, object]]:
    """The median CPU time and wall time per call of each ``(run, keep)``, and ``keep`` of
    its last result.

    CPU time (``time.process_time``) is the figure compared: on a machine shared with other
    work, wall time also counts the time a side waited for a core. The sides take turns (one
    sample of each, then the next round), so a change in the machine's load hits them alike.
    A sample of a call under 50 ms times a batch of calls (timeit-style, the same count for
    every sample of that side) and divides. Every sample starts after a full garbage
    collection with earlier results dropped.
    """
    batch = []
    for run, _ in runs:
        start = time.process_time()
        run()
        batch.append(max(1, min(200, int(0.05 / max(time.process_time() - start, 1e-6)))))
    cpu: list[list[float]] = [[] for _ in runs]
    wall: list[list[float]] = [[] for _ in runs]
    kept: list[object] = [None] * len(runs)
    for _ in range(repeat):
        for i, (run, keep) in enumerate(runs):
            gc.collect()
            start, start_wall = time.process_time(), time.perf_counter()
            for _ in range(batch[i]):
                result = run()
            cpu[i].append((time.process_time() - start) / batch[i])
            wall[i].append((time.perf_counter() - start_wall) / batch[i])
            kept[i] = keep(result)
            del result
    return [
        (statistics.median(c), statistics.median(w), k)
        for c, w, k in zip(cpu, wall, kept, strict=True)
    ]


def typed_case(name: str, make: Callable[[], nx.DiGraph] | None, bound: int | None,
               repeat: int) -> tuple:  # fmt: skip
    """One row of the typed-API table: networkx's id lists against ``find_feedback_loops``."""
    map_ = load_builtin_map() if make is None else as_map(make())
    id_graph = map_.to_networkx()  # the map's own graph: nodes are factor ids

    def canonical(cycles: Iterable[Sequence[str]]) -> set[tuple[str, ...]]:
        return {canonical_cycle(list(c)) for c in cycles}

    def found(result: object) -> tuple[set[tuple[str, ...]], bool]:
        return {lp.factors for lp in result}, result.truncated  # type: ignore[attr-defined]

    (t_nx, w_nx, expected), (t_ours, w_ours, (ours, truncated)), (t_typed, _, count) = (
        interleaved_medians(
            [
                (lambda: list(nx.simple_cycles(id_graph, length_bound=bound)), canonical),
                (lambda: find_feedback_loops(map_, max_length=bound, limit=10**8), found),
                (lambda: list(find_feedback_loops(map_, max_length=bound, limit=10**8)), len),
            ],
            repeat,
        )
    )  # type: ignore[misc]
    assert not truncated and count == len(expected)  # type: ignore[arg-type]
    assert ours == expected, f"{name}: cycle sets differ"
    graph = f"{name} ({len(map_.factors):,}n/{len(map_.links):,}e)"
    return graph, bound, len(expected), t_nx, t_ours, w_nx / w_ours, t_typed  # type: ignore[arg-type]


def typed_table(cases: Sequence[tuple], repeat: int) -> None:
    # compile (or load from numba's cache) both searches before timing anything
    warm = as_map(nx.cycle_graph(3, create_using=nx.DiGraph))
    list(find_feedback_loops(warm, engine="compiled"))
    list(find_feedback_loops(warm, engine="compiled", max_length=2))
    rows = [
        typed_case(name, make, bound, repeat) for name, make in cases for bound in (None, BOUND)
    ]
    print(f"typed loop API vs networkx.simple_cycles on factor ids ({os.cpu_count()} CPUs), "
          f"CPU time, median of {repeat} interleaved samples, cycle sets identical in "
          "every row")  # fmt: skip
    header = (f"{'graph':<38} {'max_len':>7} {'cycles':>8} | {'networkx':>9} "
              f"{'find_loops':>10} {'ratio':>6} {'(wall)':>6} | {'+ all typed':>11} "
              f"{'ratio':>6}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for graph, bound, count, t_nx, t_ours, wall_ratio, t_typed in rows:
        print(f"{graph:<38} {bound or '-':>7} {count:>8,} | {t_nx:>8.4f}s {t_ours:>9.4f}s "
              f"{t_nx / t_ours:>5.1f}x {wall_ratio:>5.1f}x | {t_typed:>10.4f}s "
              f"{t_nx / t_typed:>5.1f}x")  # fmt: skip
    print("networkx: list(nx.simple_cycles(map.to_networkx(), length_bound=max_len)), the id")
    print("lists; find_loops: find_feedback_loops(map, max_length=max_len), engine 'auto', the")
    print("typed result (loops made on access); (wall): the same ratio in wall-clock time;")
    print("+ all typed: find_loops and list(result), every FeedbackLoop object made.")
    print()


def kernel_table(smoke: bool) -> None:
    global NODES
    rows = []
    # compile (or load from numba's cache) before timing anything
    find_feedback_loops(as_map(nx.cycle_graph(3, create_using=nx.DiGraph)), engine="compiled")

    if smoke:
        NODES = 60
        rows.append(measure(80, 0, None))
        rows.append(measure(140, 0, 500))
    else:
        for (edges, seed), cap in ((FULL, None), (CAPPED, CAP)):
            rows.append(measure(edges, seed, cap))

    print(f"loop enumeration vs networkx.simple_cycles ({os.cpu_count()} CPUs), best of {REPEAT}")
    header = (
        f"{'graph':<20} {'cycles':>8}  {'compared':<26} | {'nx (ints)':>9} {'rustworkx':>9} "
        f"{'compiled':>8} {'ratio':>6} | {'nx (ids)':>9} {'compiled':>8} {'ratio':>6} "
        f"{'find_loops':>10} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, count, note, t_nx_int, t_rx, t_raw, t_nx_ids, t_ids, t_full in rows:
        print(
            f"{name:<20} {count:>8,}  {note:<26} | {t_nx_int:>8.3f}s {t_rx:>8.3f}s "
            f"{t_raw:>7.3f}s {t_nx_int / t_raw:>5.1f}x | {t_nx_ids:>8.3f}s {t_ids:>7.3f}s "
            f"{t_nx_ids / t_ids:>5.1f}x {t_full:>9.3f}s {t_nx_ids / t_full:>5.1f}x"
        )
    print("left: node indices (networkx on the integer graph; rustworkx.simple_cycles for")
    print("reference; loopwise's compiled Johnson search, flat index arrays).")
    print("right: the map's factor ids (networkx.simple_cycles on map.to_networkx(); the compiled")
    print("search with ids mapped back; find_feedback_loops(engine='compiled'), the full typed")
    print("result with rotation, links, R/B, weakest evidence and curated match).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", choices=("all", "typed", "kernels"), default="all")
    parser.add_argument(
        "--smoke",
        action="store_true",
        default=bool(os.environ.get("LOOPWISE_BENCH_SMOKE")),
        help="tiny graphs, one run each (the CI smoke test)",
    )
    args = parser.parse_args()
    repeat = 1 if args.smoke else REPEAT
    if args.section in ("all", "typed"):
        typed_table(SMOKE_CASES if args.smoke else TYPED_CASES, repeat)
    if args.section in ("all", "kernels"):
        kernel_table(args.smoke)


if __name__ == "__main__":
    main()
