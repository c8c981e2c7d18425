"""Johnson's elementary-circuit algorithm, compiled with numba, on a CSR graph.

This is the engine behind :func:`loopwise.analysis.find_feedback_loops` for searches
without a length bound. Nodes are ``0..n-1``; the graph is given as CSR arrays
(``indptr``, ``indices``: the successors of ``v`` are ``indices[indptr[v]:indptr[v+1]]``).
Cycles come back as one flat array of node indices plus ``starts`` offsets, so no Python
object is made per node until the caller asks for ids (:mod:`loopwise.analysis._loop_arrays`
then works out their links, kinds and order).

The search follows Johnson (1975) in the iterative form networkx uses: take a strongly
connected component, enumerate the circuits through one of its nodes with the blocking
sets ``B`` (kept as flags on edges, see :func:`_circuits`), remove that node, and go on with
the strongly connected components of what is left. Every elementary cycle is found exactly
once. ``limit`` stops the search after that many cycles (the caller asks for one more than
it keeps, to know whether it was cut short). The start node of each component is the one
with the most links in times out inside it: removing it breaks the component up soonest
(measured: twice as fast as the first node on sparse random graphs).

Example:
    >>> import numpy as np
    >>> indptr = np.array([0, 1, 2, 4]); indices = np.array([1, 2, 0, 1])  # 0->1->2->0, 2->1
    >>> flat, starts, edges = simple_cycles_csr(indptr, indices, limit=10)
    >>> sorted(sorted(flat[starts[i]:starts[i + 1]].tolist()) for i in range(len(starts) - 1))
    [[0, 1, 2], [1, 2]]

References
----------
.. [1] D. B. Johnson, "Finding all the elementary circuits of a directed graph",
   SIAM Journal on Computing 4(1):77-84, 1975.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_INT = np.int64
Array = np.ndarray


@njit(cache=True)
def _grow(array: np.ndarray, needed: int) -> np.ndarray:
    if needed <= array.shape[0]:
        return array
    size = max(needed, 2 * array.shape[0])
    bigger = np.empty(size, dtype=array.dtype)
    bigger[: array.shape[0]] = array
    return bigger


@njit(cache=True)
def _enter(  # pragma: no cover - jitted
    v: int, depth: int, counter: int, scc_top: int, indptr: Array, index_of: Array, low: Array,
    on_stack: Array, scc_stack: Array, call_node: Array, call_edge: Array,
) -> None:  # fmt: skip
    """Tarjan's visit of ``v``: number it ``counter``, push it on the component stack at
    ``scc_top`` and on the call stack at ``depth`` (the caller counts both pushes)."""
    index_of[v] = counter
    low[v] = counter
    scc_stack[scc_top] = v
    on_stack[v] = True
    call_node[depth] = v
    call_edge[depth] = indptr[v]


@njit(cache=True)
def _components(  # pragma: no cover - jitted
    indptr: Array, indices: Array, members: Array, active: Array, comp_of: Array
) -> tuple[Array, Array]:
    """Tarjan's strongly connected components of the subgraph induced by ``members``
    (``active[v]`` marks them). Writes a component number into ``comp_of`` and returns the
    members ordered by component with the component start offsets."""
    n_members = members.shape[0]
    index_of = np.full(indptr.shape[0] - 1, -1, dtype=np.int64)
    low = np.zeros(indptr.shape[0] - 1, dtype=np.int64)
    on_stack = np.zeros(indptr.shape[0] - 1, dtype=np.bool_)
    scc_stack = np.empty(n_members, dtype=np.int64)
    scc_top = 0
    call_node = np.empty(n_members, dtype=np.int64)
    call_edge = np.empty(n_members, dtype=np.int64)
    out = np.empty(n_members, dtype=np.int64)
    out_top = 0
    starts = np.empty(n_members + 1, dtype=np.int64)
    n_comp = 0
    counter = 0
    for root_pos in range(n_members):
        root = members[root_pos]
        if index_of[root] != -1:
            continue
        depth = 0
        _enter(root, depth, counter, scc_top, indptr, index_of, low, on_stack, scc_stack,
               call_node, call_edge)  # fmt: skip
        counter += 1
        scc_top += 1
        while depth >= 0:
            v = call_node[depth]
            e = call_edge[depth]
            if e < indptr[v + 1]:
                call_edge[depth] = e + 1
                w = indices[e]
                if not active[w]:
                    continue
                if index_of[w] == -1:
                    depth += 1
                    _enter(w, depth, counter, scc_top, indptr, index_of, low, on_stack,
                           scc_stack, call_node, call_edge)  # fmt: skip
                    counter += 1
                    scc_top += 1
                elif on_stack[w] and index_of[w] < low[v]:
                    low[v] = index_of[w]
            else:
                if low[v] == index_of[v]:
                    starts[n_comp] = out_top
                    while True:
                        scc_top -= 1
                        w = scc_stack[scc_top]
                        on_stack[w] = False
                        comp_of[w] = n_comp
                        out[out_top] = w
                        out_top += 1
                        if w == v:
                            break
                    n_comp += 1
                depth -= 1
                if depth >= 0:
                    parent = call_node[depth]
                    if low[v] < low[parent]:
                        low[parent] = low[v]
    starts[n_comp] = out_top
    return out, starts[: n_comp + 1]


@njit(cache=True)
def _reverse(indptr: Array, indices: Array) -> tuple[Array, Array, Array]:  # pragma: no cover
    """The in-edges of each node: ``rev_edge[rev_ptr[v]:rev_ptr[v + 1]]`` are the edge
    numbers (positions in ``indices``) into ``v``; ``edge_src[e]`` is edge ``e``'s tail."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    rev_ptr = np.zeros(n + 1, dtype=np.int64)
    for e in range(m):
        rev_ptr[indices[e] + 1] += 1
    for v in range(n):
        rev_ptr[v + 1] += rev_ptr[v]
    fill = rev_ptr[:-1].copy()
    rev_edge = np.empty(m, dtype=np.int64)
    edge_src = np.empty(m, dtype=np.int64)
    for v in range(n):
        for e in range(indptr[v], indptr[v + 1]):
            edge_src[e] = v
            w = indices[e]
            rev_edge[fill[w]] = e
            fill[w] += 1
    return rev_ptr, rev_edge, edge_src


@njit(cache=True)
def _circuits(  # pragma: no cover - jitted
    start: int, indptr: Array, indices: Array, rev_ptr: Array, rev_edge: Array,
    edge_src: Array, active: Array, blocked: Array, in_b: Array, path: Array, path_edge: Array,
    closed: Array, unblock_stack: Array, flat: Array, edges: Array, flat_top: int,
    starts: Array, n_cycles: int, limit: int,
) -> tuple[Array, Array, int, Array, int]:  # fmt: skip
    """Johnson's CIRCUIT, iteratively: every circuit through ``start`` in the subgraph of
    ``active`` nodes, appended to ``flat`` / ``starts`` (and the edge taken from each node to
    the next round the cycle to ``edges``).

    Johnson's sets ``B[w]`` are flags on edges: ``in_b[e]`` for the edge ``v -> w`` means
    ``v`` is in ``B[w]``, so adding is one store and unblocking ``u`` walks ``u``'s in-edges.
    Returns ``(flat, edges, flat_top, starts, n_cycles)`` (the arrays grow when full).
    """
    depth = 0
    path[0] = start
    path_edge[0] = indptr[start]
    closed[0] = False
    blocked[start] = True
    while depth >= 0:
        v = path[depth]
        e = path_edge[depth]
        end = indptr[v + 1]
        advanced = False
        while e < end:
            w = indices[e]
            e += 1
            if not active[w] or w == v:  # self-loops were counted before
                continue
            if w == start:
                if flat_top + depth + 1 > flat.shape[0]:
                    flat = _grow(flat, flat_top + depth + 1)
                    edges = _grow(edges, flat_top + depth + 1)
                for k in range(depth):
                    flat[flat_top + k] = path[k]
                    edges[flat_top + k] = path_edge[k] - 1  # the edge taken to path[k + 1]
                flat[flat_top + depth] = v
                edges[flat_top + depth] = e - 1  # the edge back to start
                flat_top += depth + 1
                n_cycles += 1
                if n_cycles + 1 > starts.shape[0]:
                    starts = _grow(starts, n_cycles + 1)
                starts[n_cycles] = flat_top
                closed[depth] = True
                if n_cycles >= limit:
                    return flat, edges, flat_top, starts, n_cycles
            elif not blocked[w]:
                path_edge[depth] = e
                depth += 1
                path[depth] = w
                path_edge[depth] = indptr[w]
                closed[depth] = False
                blocked[w] = True
                advanced = True
                break
        if advanced:
            continue
        # no more successors: back up
        if closed[depth]:
            if depth > 0:
                closed[depth - 1] = True
            # unblock(v), and in turn every blocked node of the B set of a node unblocked
            unblock_stack[0] = v
            top = 1
            while top > 0:
                top -= 1
                u = unblock_stack[top]
                if blocked[u]:
                    blocked[u] = False
                    for r in range(rev_ptr[u], rev_ptr[u + 1]):
                        f = rev_edge[r]
                        if in_b[f]:
                            in_b[f] = False
                            x = edge_src[f]
                            if blocked[x]:
                                unblock_stack[top] = x
                                top += 1
        else:
            for f in range(indptr[v], end):  # v joins B[w] of each active successor w
                if active[indices[f]]:
                    in_b[f] = True
        depth -= 1
    return flat, edges, flat_top, starts, n_cycles


@njit(cache=True)
def _self_loops(  # pragma: no cover - jitted
    indptr: Array, indices: Array, limit: int
) -> tuple[Array, Array, int, Array, int]:
    """Fresh cycle buffers holding the self-loops (the cycles of one link, at most ``limit``),
    as ``(flat, edges, flat_top, starts, n_cycles)``: the start both cycle searches grow."""
    flat = np.empty(1024, dtype=np.int64)
    edges = np.empty(1024, dtype=np.int64)
    flat_top = 0
    starts = np.empty(1024, dtype=np.int64)
    starts[0] = 0
    n_cycles = 0
    for v in range(indptr.shape[0] - 1):
        for e in range(indptr[v], indptr[v + 1]):
            if indices[e] == v and n_cycles < limit:
                flat = _grow(flat, flat_top + 1)
                edges = _grow(edges, flat_top + 1)
                flat[flat_top] = v
                edges[flat_top] = e
                flat_top += 1
                n_cycles += 1
                starts = _grow(starts, n_cycles + 1)
                starts[n_cycles] = flat_top
    return flat, edges, flat_top, starts, n_cycles


@njit(cache=True)
def simple_cycles_csr(  # pragma: no cover - jitted
    indptr: Array, indices: Array, limit: int
) -> tuple[Array, Array, Array]:
    """All elementary cycles (at most ``limit``) as ``(flat nodes, start offsets, flat
    edges)``: ``edges[k]`` is the edge (position in ``indices``) from ``flat[k]`` to the next
    node round its cycle."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    # self-loops are cycles of one node; the rest comes from the component search
    flat, edges, flat_top, starts, n_cycles = _self_loops(indptr, indices, limit)

    rev_ptr, rev_edge, edge_src = _reverse(indptr, indices)
    active = np.zeros(n, dtype=np.bool_)
    comp_of = np.full(n, -1, dtype=np.int64)
    blocked = np.zeros(n, dtype=np.bool_)
    in_b = np.zeros(m, dtype=np.bool_)
    path = np.empty(n, dtype=np.int64)
    path_edge = np.empty(n, dtype=np.int64)
    closed = np.zeros(n, dtype=np.bool_)
    unblock_stack = np.empty(m + n + 1, dtype=np.int64)  # each push is one B flag cleared

    # a stack of node sets still to search (each a strongly connected component)
    everything = np.arange(n)
    for v in range(n):
        active[v] = True
    members, comp_starts = _components(indptr, indices, everything, active, comp_of)
    for v in range(n):
        active[v] = False
    stack_nodes = np.empty(max(n, 1), dtype=np.int64)
    for i in range(members.shape[0]):
        stack_nodes[i] = members[i]
    n_stack = comp_starts.shape[0] - 1
    stack_bounds = np.empty(2 * max(n_stack, 1), dtype=np.int64)
    for i in range(n_stack):
        stack_bounds[2 * i] = comp_starts[i]
        stack_bounds[2 * i + 1] = comp_starts[i + 1]
    stack_top_node = members.shape[0]

    while n_stack > 0 and n_cycles < limit:
        n_stack -= 1
        lo = stack_bounds[2 * n_stack]
        hi = stack_bounds[2 * n_stack + 1]
        size = hi - lo
        comp = stack_nodes[lo:hi].copy()
        stack_top_node = lo
        if size < 2:
            continue
        for i in range(size):
            active[comp[i]] = True
        # start from the node with the most links in and out inside the component (the
        # product): removing it breaks the component up soonest, which shortens the rest
        best = -1
        start_pos = 0
        for i in range(size):
            u = comp[i]
            degree = 0
            for e2 in range(indptr[u], indptr[u + 1]):
                if active[indices[e2]]:
                    degree += 1
            inside = 0
            for r in range(rev_ptr[u], rev_ptr[u + 1]):
                if active[edge_src[rev_edge[r]]]:
                    inside += 1
            degree = degree * inside
            if degree > best:
                best = degree
                start_pos = i
        start = comp[start_pos]
        comp[start_pos] = comp[0]
        comp[0] = start
        flat, edges, flat_top, starts, n_cycles = _circuits(
            start, indptr, indices, rev_ptr, rev_edge, edge_src, active, blocked, in_b, path,
            path_edge, closed, unblock_stack, flat, edges, flat_top, starts, n_cycles, limit,
        )  # fmt: skip
        # reset the search state of this component
        for i in range(size):
            u = comp[i]
            blocked[u] = False
            for r in range(rev_ptr[u], rev_ptr[u + 1]):
                in_b[rev_edge[r]] = False
        # remove `start`, push the strongly connected components of the rest
        active[start] = False
        rest = comp[1:]
        sub_members, sub_starts = _components(indptr, indices, rest, active, comp_of)
        for i in range(size):
            active[comp[i]] = False
        n_sub = sub_starts.shape[0] - 1
        stack_nodes = _grow(stack_nodes, stack_top_node + sub_members.shape[0])
        stack_bounds = _grow(stack_bounds, 2 * (n_stack + n_sub))
        for i in range(n_sub):
            a = sub_starts[i]
            b = sub_starts[i + 1]
            if b - a < 2:
                continue
            for k in range(a, b):
                stack_nodes[stack_top_node + k - a] = sub_members[k]
            stack_bounds[2 * n_stack] = stack_top_node
            stack_bounds[2 * n_stack + 1] = stack_top_node + (b - a)
            stack_top_node += b - a
            n_stack += 1
    return flat[:flat_top], starts[: n_cycles + 1], edges[:flat_top]
