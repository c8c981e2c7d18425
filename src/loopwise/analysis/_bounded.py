"""Every elementary cycle of at most ``max_length`` links, compiled with numba, on a CSR graph.

This is the engine behind :func:`loopwise.analysis.find_feedback_loops` for length-bounded
searches (``max_length``). The graph is given as CSR arrays like
:mod:`loopwise.analysis._johnson` takes them, and cycles come back the same way: one flat
array of node indices plus ``starts`` offsets.

Each cycle is found once, from its lowest-numbered node ``s``: a depth-first search from
``s`` over the nodes numbered above ``s`` in its strongly connected component, closing a
cycle whenever an edge leads back to ``s``. The search is pruned by distance: before
searching from ``s``, a breadth-first search backwards from ``s`` (over the same nodes, at
most ``max_length - 1`` links deep) gives each node ``w`` the fewest links ``d(w)`` it needs
to get back to ``s``; a path of ``k`` links only steps on to ``w`` if ``k + 1 + d(w)`` is
at most ``max_length``. So no path is followed that could not close within the bound (the
same bound Gupta and Suzumura's algorithm keeps, without their per-node bookkeeping).

Example:
    >>> import numpy as np
    >>> indptr = np.array([0, 1, 2, 4]); indices = np.array([1, 2, 0, 1])  # 0->1->2->0, 2->1
    >>> flat, starts, edges = bounded_cycles_csr(indptr, indices, 2, limit=10)
    >>> flat.tolist(), starts.tolist(), edges.tolist()  # edges: 1->2 is edge 1, 2->1 edge 3
    ([1, 2], [0, 2], [1, 3])

References
----------
.. [1] A. Gupta and T. Suzumura, "Finding all bounded-length simple cycles in a directed
   graph", arXiv:2105.10094, 2021.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from loopwise.analysis._johnson import _components, _grow, _reverse, _self_loops


@njit(cache=True)
def _distances_to(  # pragma: no cover - jitted
    s: int,
    depth_limit: int,
    rev_ptr: np.ndarray,
    rev_edge: np.ndarray,
    edge_src: np.ndarray,
    comp_of: np.ndarray,
    dist: np.ndarray,
    queue: np.ndarray,
) -> int:
    """Breadth-first search backwards from ``s`` over the nodes above ``s`` in its component:
    ``dist[v]`` becomes the fewest links from ``v`` to ``s`` (when at most ``depth_limit``).
    Returns how many nodes were reached; they are ``queue[:count]`` (to reset ``dist``)."""
    head = 0
    tail = 0
    for r in range(rev_ptr[s], rev_ptr[s + 1]):
        u = edge_src[rev_edge[r]]
        if u > s and comp_of[u] == comp_of[s] and dist[u] > 1:
            dist[u] = 1
            queue[tail] = u
            tail += 1
    while head < tail:
        v = queue[head]
        head += 1
        d = dist[v]
        if d >= depth_limit:
            continue
        for r in range(rev_ptr[v], rev_ptr[v + 1]):
            u = edge_src[rev_edge[r]]
            if u > s and comp_of[u] == comp_of[s] and dist[u] > d + 1:
                dist[u] = d + 1
                queue[tail] = u
                tail += 1
    return tail


@njit(cache=True)
def bounded_cycles_csr(  # pragma: no cover - jitted
    indptr: np.ndarray, indices: np.ndarray, max_length: int, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every elementary cycle of at most ``max_length`` links (at most ``limit`` of them),
    as ``(flat nodes, start offsets, flat edges)`` like
    :func:`loopwise.analysis._johnson.simple_cycles_csr`; each starts at its lowest node."""
    n = indptr.shape[0] - 1
    # self-loops are the cycles of one link
    flat, edges, flat_top, starts, n_cycles = _self_loops(indptr, indices, limit)
    if max_length < 2 or n_cycles >= limit:
        return flat[:flat_top], starts[: n_cycles + 1], edges[:flat_top]

    rev_ptr, rev_edge, edge_src = _reverse(indptr, indices)
    active = np.ones(n, dtype=np.bool_)
    comp_of = np.full(n, -1, dtype=np.int64)
    members, comp_starts = _components(indptr, indices, np.arange(n), active, comp_of)
    comp_size = np.zeros(comp_starts.shape[0], dtype=np.int64)
    for c in range(comp_starts.shape[0] - 1):
        comp_size[c] = comp_starts[c + 1] - comp_starts[c]

    big = max_length + 1
    dist = np.full(n, big, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    on_path = np.zeros(n, dtype=np.bool_)
    path = np.empty(max_length + 1, dtype=np.int64)
    path_edge = np.empty(max_length + 1, dtype=np.int64)

    for s in range(n):
        if comp_size[comp_of[s]] < 2:
            continue
        reached = _distances_to(s, max_length - 1, rev_ptr, rev_edge, edge_src, comp_of,
                                dist, queue)  # fmt: skip
        if reached == 0:
            continue
        depth = 0  # links on the path so far; the path is path[0..depth]
        path[0] = s
        path_edge[0] = indptr[s]
        on_path[s] = True
        while depth >= 0:
            v = path[depth]
            e = path_edge[depth]
            end = indptr[v + 1]
            advanced = False
            while e < end:
                w = indices[e]
                e += 1
                if w == s:
                    if depth == 0:
                        continue  # a self-loop, already counted
                    if flat_top + depth + 1 > flat.shape[0]:
                        flat = _grow(flat, flat_top + depth + 1)
                        edges = _grow(edges, flat_top + depth + 1)
                    for k in range(depth):
                        flat[flat_top + k] = path[k]
                        edges[flat_top + k] = path_edge[k] - 1  # the edge to path[k + 1]
                    flat[flat_top + depth] = v
                    edges[flat_top + depth] = e - 1  # the edge back to s
                    flat_top += depth + 1
                    n_cycles += 1
                    if n_cycles + 1 > starts.shape[0]:
                        starts = _grow(starts, n_cycles + 1)
                    starts[n_cycles] = flat_top
                    if n_cycles >= limit:
                        return flat[:flat_top], starts[: n_cycles + 1], edges[:flat_top]
                elif w > s and not on_path[w] and depth + 1 + dist[w] <= max_length:
                    path_edge[depth] = e
                    depth += 1
                    path[depth] = w
                    path_edge[depth] = indptr[w]
                    on_path[w] = True
                    advanced = True
                    break
            if not advanced:
                on_path[v] = False
                depth -= 1
        for i in range(reached):
            dist[queue[i]] = big
    return flat[:flat_top], starts[: n_cycles + 1], edges[:flat_top]
