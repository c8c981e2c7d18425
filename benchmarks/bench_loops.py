"""Benchmark: feedback-loop enumeration, loopwise vs ``networkx.simple_cycles`` (baseline).

Run with ``python benchmarks/bench_loops.py``. Sparse random digraphs (``gnm``, seeded) of
1,000 nodes: with 1,300 edges every cycle is enumerated and the two cycle sets must be
identical; with 2,000 edges there are far too many cycles to list (each run of the same
graph found millions without finishing), so both sides stop at the same count and we check
that each side gives that many distinct, valid elementary cycles (the two algorithms visit
cycles in different orders, so capped sets cannot be compared). Times are the best of
``REPEAT`` runs; speed is reported as a ratio against networkx in the same run.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable

import networkx as nx
import numpy as np
import rustworkx as rx

from loopwise.analysis import _graph, canonical_cycle, find_feedback_loops
from loopwise.analysis.loops import _gc_paused
from loopwise.model import Map

NODES = 1_000
FULL = (1_300, 0)  # edges, seed: 25,111 cycles
CAPPED = (2_000, 42)
CAP = 100_000
REPEAT = 3


def best_of(run: Callable[[], object], repeat: int = REPEAT) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


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
    flat, starts = _graph.compiled_simple_cycles(indptr, indices, cap)
    names = np.array([f.id for f in map_.factors], dtype=object)[flat].tolist()
    bounds = starts.tolist()
    with _gc_paused():
        return [names[bounds[c] : bounds[c + 1]] for c in range(len(bounds) - 1)]


def main() -> None:
    rows = []
    # compile (or load from numba's cache) before timing anything
    find_feedback_loops(as_map(nx.cycle_graph(3, create_using=nx.DiGraph)), engine="compiled")

    edges, seed = FULL
    graph = nx.gnm_random_graph(NODES, edges, seed=seed, directed=True)
    rgraph = _graph.rx_from_nx(graph)
    map_ = as_map(graph)
    t_nx, nx_cycles = best_of(lambda: list(nx.simple_cycles(graph)))
    t_raw, _ = best_of(lambda: list(rx.simple_cycles(rgraph)))
    t_ours, ours = best_of(lambda: compiled_cycles(map_, 10**9))
    t_full, loops = best_of(lambda: find_feedback_loops(map_, engine="compiled"))
    expected = {canonical_cycle(c) for c in nx_cycles}
    assert {canonical_cycle([int(f[1:]) for f in c]) for c in ours} == expected, "sets differ"
    assert {canonical_cycle([int(f[1:]) for f in lp.factors]) for lp in loops} == expected
    assert not loops.truncated and len(loops) == len(expected)
    rows.append((f"{NODES}n/{edges}e seed {seed}", len(expected), "all, sets identical",
                 t_nx, t_raw, t_ours, t_full))  # fmt: skip

    edges, seed = CAPPED
    graph = nx.gnm_random_graph(NODES, edges, seed=seed, directed=True)
    rgraph = _graph.rx_from_nx(graph)
    map_ = as_map(graph)
    t_nx, nx_cycles = best_of(lambda: list(itertools.islice(nx.simple_cycles(graph), CAP)), 1)
    t_raw, _ = best_of(lambda: list(itertools.islice(rx.simple_cycles(rgraph), CAP)), 1)
    t_ours, ours = best_of(lambda: compiled_cycles(map_, CAP), 1)
    t_full, loops = best_of(lambda: find_feedback_loops(map_, limit=CAP, engine="compiled"), 1)
    assert len(check_cycles(graph, nx_cycles)) == CAP
    assert len(check_cycles(graph, [[int(f[1:]) for f in c] for c in ours])) == CAP
    assert loops.truncated and len(loops) == CAP
    rows.append((f"{NODES}n/{edges}e seed {seed}", CAP, f"first {CAP:,} each (capped)",
                 t_nx, t_raw, t_ours, t_full))  # fmt: skip

    print(f"loop enumeration vs networkx.simple_cycles ({os.cpu_count()} CPUs)")
    header = (
        f"{'graph':<20} {'cycles':>8}  {'compared':<26} {'networkx':>9} {'rustworkx':>9} "
        f"{'ratio':>6} {'compiled':>8} {'ratio':>6} {'find_loops':>10} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, count, note, t_nx, t_raw, t_ours, t_full in rows:
        print(
            f"{name:<20} {count:>8,}  {note:<26} {t_nx:>8.3f}s {t_raw:>8.3f}s "
            f"{t_nx / t_raw:>5.1f}x {t_ours:>7.3f}s {t_nx / t_ours:>5.1f}x "
            f"{t_full:>9.3f}s {t_nx / t_full:>5.1f}x"
        )
    print("rustworkx = rustworkx.simple_cycles, index lists only (for reference);")
    print("compiled = loopwise's compiled Johnson search, cycles as lists of factor ids;")
    print("find_loops = find_feedback_loops(engine='compiled'), the full typed result")
    print("(rotation, links, R/B, weakest evidence, curated match).")


if __name__ == "__main__":
    main()
