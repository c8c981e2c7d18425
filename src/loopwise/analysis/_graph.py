"""The one place where a :class:`~loopwise.model.Map` becomes a graph library's graph.

The analysis modules never build graphs themselves: they ask this adapter for a
``networkx.DiGraph`` (nodes are factor ids) or a ``rustworkx.PyDiGraph`` (nodes are integer
indices whose payloads are the factor ids), and it maps rustworkx's indices back to ids. Each
graph is built once per call from the map's factors and links; nothing is cached on the map.

Edges carry the link id (``link``), the signed weight (``weight``), its magnitude
(``magnitude`` = |strength|) and a distance ``1 / magnitude`` for weighted shortest paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import rustworkx as rx

if TYPE_CHECKING:
    from loopwise.model import Map


def to_nx(map_: Map) -> nx.DiGraph[str]:
    """A light ``networkx.DiGraph`` of the map (no confidence: that is computed on demand)."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(f.id for f in map_.factors)
    for link in map_.links:
        magnitude = link.magnitude
        graph.add_edge(
            link.source_factor,
            link.target_factor,
            link=link.id,
            sign=1 if link.polarity == "+" else -1,
            weight=link.weight,
            magnitude=magnitude,
            distance=1.0 / magnitude if magnitude > 0 else float("inf"),
        )
    return graph


def to_rx(map_: Map) -> rx.PyDiGraph:
    """A ``rustworkx.PyDiGraph``: node payloads are factor ids, edge payloads link ids."""
    graph = rx.PyDiGraph(check_cycle=False, multigraph=False)
    ids = [f.id for f in map_.factors]
    index = dict(zip(ids, graph.add_nodes_from(ids), strict=True))
    graph.add_edges_from(
        [(index[lk.source_factor], index[lk.target_factor], lk.id) for lk in map_.links]
    )
    return graph


def to_csr(map_: Map) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The map as CSR arrays over factor positions: ``(indptr, indices, edge_link)``.

    The successors of factor ``i`` are ``indices[indptr[i]:indptr[i + 1]]`` (sorted), and
    ``edge_link[k]`` is the position in ``map_.links`` of the link behind ``indices[k]``.
    """
    position = {f.id: i for i, f in enumerate(map_.factors)}
    sources = np.fromiter((position[lk.source_factor] for lk in map_.links), np.int64)
    targets = np.fromiter((position[lk.target_factor] for lk in map_.links), np.int64)
    return csr_from_edges(sources, targets, len(map_.factors))


def csr_from_edges(
    sources: np.ndarray, targets: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR arrays ``(indptr, indices, edge_link)`` of the edges ``sources[k] -> targets[k]``
    over nodes ``0..n-1`` (as :func:`to_csr`; ``edge_link[k]`` is the edge's position)."""
    order = np.lexsort((targets, sources))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources, minlength=n), out=indptr[1:])
    return indptr, targets[order], order.astype(np.int64)


def rx_from_nx(graph: nx.DiGraph[str]) -> rx.PyDiGraph:
    """The same graph for rustworkx; node payloads are the networkx node names, edge payloads
    the networkx edge attribute dicts."""
    out = rx.PyDiGraph(check_cycle=False, multigraph=False)
    nodes = list(graph.nodes)
    indices = out.add_nodes_from(nodes)
    index = dict(zip(nodes, indices, strict=True))
    out.add_edges_from([(index[u], index[v], data) for u, v, data in graph.edges(data=True)])
    return out


def compiled_simple_cycles(
    indptr: np.ndarray, indices: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every elementary cycle (at most ``limit``) of a CSR graph, by the compiled Johnson
    search in :mod:`loopwise.analysis._johnson`: ``(flat node indices, start offsets, flat
    edges)``, ``edges[k]`` the position in ``indices`` of the edge from node ``k`` onwards."""
    from loopwise.analysis._johnson import simple_cycles_csr

    return simple_cycles_csr(indptr, indices, limit)


def compiled_bounded_cycles(
    indptr: np.ndarray, indices: np.ndarray, max_length: int, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every elementary cycle of at most ``max_length`` links (at most ``limit`` of them) of a
    CSR graph, by the compiled search in :mod:`loopwise.analysis._bounded`, as
    :func:`compiled_simple_cycles` gives them."""
    from loopwise.analysis._bounded import bounded_cycles_csr

    return bounded_cycles_csr(indptr, indices, max_length, limit)


def bounded_simple_cycles(graph: nx.DiGraph[str], max_length: int) -> Iterator[list[str]]:
    """Every elementary cycle of at most ``max_length`` links (networkx's bounded search)."""
    return nx.simple_cycles(graph, length_bound=max_length)


SEQUENTIAL = 2**62
"""A ``parallel_threshold`` no graph reaches: rustworkx runs the computation on one thread."""


def betweenness(graph: nx.DiGraph[str]) -> dict[str, float]:
    """Unweighted, normalised betweenness of every node, computed by rustworkx (Brandes).

    On one thread: rustworkx's parallel Brandes (from 50 nodes) adds the per-source
    contributions in whatever order its threads finish, so the last digits of a score could
    differ between two runs on the same map, and a map's pages and JSON must be the same bytes
    every time they are made (they are cached and compared by digest)."""
    rgraph = rx_from_nx(graph)
    scores = rx.digraph_betweenness_centrality(
        rgraph, normalized=True, parallel_threshold=SEQUENTIAL
    )
    names = rgraph.nodes()
    return {names[i]: float(scores[i]) for i in rgraph.node_indices()}


def pagerank(graph: nx.DiGraph[str], weight: str | None = None) -> dict[str, float]:
    """PageRank (damping 0.85, dangling nodes spread evenly, as networkx) by rustworkx, which
    needs no SciPy; ``weight`` names the edge attribute to follow links in proportion to."""
    if graph.number_of_nodes() == 0:
        return {}
    rgraph = rx_from_nx(graph)
    weight_fn = None if weight is None else (lambda data: float(data[weight]))
    scores = rx.pagerank(rgraph, alpha=0.85, weight_fn=weight_fn, tol=1e-10, max_iter=1000)
    names = rgraph.nodes()
    return {names[i]: float(scores[i]) for i in rgraph.node_indices()}
