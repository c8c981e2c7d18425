"""Benchmark: betweenness centrality, loopwise (rustworkx) vs ``networkx`` (baseline).

Run with ``python benchmarks/bench_centrality.py`` (``--smoke``: 200 nodes, 800 edges). A
seeded sparse random digraph of 5,000 nodes and 20,000 edges; unweighted, normalised
betweenness. The two results must agree to 1e-9; the speed is reported as a ratio against
networkx in the same run. networkx takes over a minute here, so each side runs once.
"""

from __future__ import annotations

import argparse
import os
import time

import networkx as nx

from loopwise.analysis import _graph

NODES, EDGES, SEED = 5_000, 20_000, 1


def main() -> None:
    global NODES, EDGES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: does it work?")
    if parser.parse_args().smoke:
        NODES, EDGES = 200, 800
    graph = nx.gnm_random_graph(NODES, EDGES, seed=SEED, directed=True)
    start = time.perf_counter()
    ours = _graph.betweenness(graph)  # includes building the rustworkx graph
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    baseline = nx.betweenness_centrality(graph)
    t_nx = time.perf_counter() - start
    worst = max(abs(ours[n] - baseline[n]) for n in graph)
    assert worst < 1e-9, f"results differ by {worst}"

    print(f"betweenness centrality vs networkx ({os.cpu_count()} CPUs)")
    header = f"{'graph':<24} {'networkx':>9} {'loopwise':>9} {'ratio':>7} {'max diff':>9}"
    print(header)
    print("-" * len(header))
    print(
        f"{f'{NODES}n/{EDGES}e seed {SEED}':<24} {t_nx:>8.2f}s {t_ours:>8.2f}s "
        f"{t_nx / t_ours:>6.1f}x {worst:>9.1e}"
    )


if __name__ == "__main__":
    main()
