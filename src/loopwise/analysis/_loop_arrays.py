"""From found cycles to the arrays of a loop search, in one compiled pass.

The cycle searches (:mod:`loopwise.analysis._johnson`, :mod:`loopwise.analysis._bounded`,
or networkx's cycles turned into node positions) give cycles as a flat array of node
positions plus ``starts`` offsets, in the order they were found. :func:`describe_loops`
turns them into what :class:`loopwise.analysis.LoopSearch` holds: each cycle rotated to
start at its lowest-ranked factor (rank = position of the factor id in sorted order), the
link behind each step, the kind (R, B or ?) and the weakest link, all sorted shortest first
then by factor ids, and the position of each curated loop among them.

Example:
    >>> import numpy as np
    >>> indptr = np.array([0, 1, 2, 4]); indices = np.array([1, 2, 0, 1])  # 0->1->2->0, 2->1
    >>> edge_link = np.arange(4); rank = np.array([2, 1, 0])  # ids sort as 2, 1, 0
    >>> flat, starts = np.array([0, 1, 2, 1, 2]), np.array([0, 3, 5])
    >>> negative = np.array([False, True, False, False]); unknown = np.zeros(4, np.bool_)
    >>> out = describe_loops(flat, starts, indptr, indices, edge_link, rank, negative, unknown,
    ...                      np.array([0.5, 0.2, 0.9, 0.1]), np.array([2, 1]), np.array([0, 2]))
    >>> [a.tolist() for a in out]
    [[2, 1, 2, 0, 1], [0, 2, 5], [3, 1, 2, 0, 1], [1, 1], [3, 1], [0]]
"""

from __future__ import annotations

import numpy as np
from numba import njit

R, B, UNKNOWN = 0, 1, 2
"""The kind codes (as :data:`loopwise.analysis.loop_result.KIND_CODES`)."""


@njit(cache=True)
def _before(i, j, key, starts):  # pragma: no cover - jitted
    """True if cycle ``i`` sorts before cycle ``j``: shorter first, then by factor ranks."""
    length_i = starts[i + 1] - starts[i]
    length_j = starts[j + 1] - starts[j]
    if length_i != length_j:
        return length_i < length_j
    a = starts[i]
    b = starts[j]
    for k in range(length_i):
        if key[a + k] != key[b + k]:
            return key[a + k] < key[b + k]
    return False


@njit(cache=True)
def _order(key, starts):  # pragma: no cover - jitted
    """The order of the cycles by (length, ranks): a stable bottom-up merge sort. The first
    pass sorts runs of 8 by insertion."""
    n = starts.shape[0] - 1
    order = np.arange(n)
    run = 8
    for lo in range(0, n, run):
        hi = min(lo + run, n)
        for i in range(lo + 1, hi):
            c = order[i]
            k = i
            while k > lo and _before(c, order[k - 1], key, starts):
                order[k] = order[k - 1]
                k -= 1
            order[k] = c
    buffer = np.empty(n, dtype=np.int64)
    width = run
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if _before(order[j], order[i], key, starts):
                    buffer[k] = order[j]
                    j += 1
                else:
                    buffer[k] = order[i]
                    i += 1
                k += 1
            while i < mid:
                buffer[k] = order[i]
                i += 1
                k += 1
            while j < hi:
                buffer[k] = order[j]
                j += 1
                k += 1
        order, buffer = buffer, order
        width *= 2
    return order


@njit(cache=True)
def describe_loops(  # pragma: no cover - jitted
    flat, starts, indptr, indices, edge_link, rank, negative, unknown, confidence, rings,
    ring_starts,
):  # fmt: skip
    """Rotate, link, classify, sort and match the cycles ``(flat, starts)``.

    ``indptr``/``indices`` is the CSR graph (successors sorted) and ``edge_link[e]`` the link
    behind edge ``e``; ``negative``, ``unknown`` (polarity) and ``confidence`` are per link;
    ``rings``/``ring_starts`` are the curated loops as node positions, each already starting
    at its lowest-ranked node. Returns ``(nodes, offsets, links, kinds, weakest, matched)``:
    the sorted loops' nodes and links (flat, with offsets), each loop's kind code (R 0, B 1,
    ? 2) and weakest link (the first lowest ``confidence`` going round), and for each ring
    the position of the same loop (-1 if not found).
    """
    n_cycles = starts.shape[0] - 1
    size = flat.shape[0]
    rotated = np.empty(size, dtype=np.int64)
    key = np.empty(size, dtype=np.int64)
    for c in range(n_cycles):
        a = starts[c]
        b = starts[c + 1]
        first = a
        for k in range(a + 1, b):
            if rank[flat[k]] < rank[flat[first]]:
                first = k
        for k in range(b - a):
            v = flat[a + (first - a + k) % (b - a)]
            rotated[a + k] = v
            key[a + k] = rank[v]
    order = _order(key, starts)

    nodes = np.empty(size, dtype=np.int64)
    links = np.empty(size, dtype=np.int64)
    offsets = np.empty(n_cycles + 1, dtype=np.int64)
    kinds = np.empty(n_cycles, dtype=np.int8)
    weakest = np.empty(n_cycles, dtype=np.int64)
    offsets[0] = 0
    for i in range(n_cycles):
        c = order[i]
        a = starts[c]
        length = starts[c + 1] - a
        out = offsets[i]
        offsets[i + 1] = out + length
        negatives = 0
        unknowns = 0
        best = -1
        for k in range(length):
            u = rotated[a + k]
            v = rotated[a + (k + 1) % length]
            lo = indptr[u]
            hi = indptr[u + 1]
            while lo < hi:  # successors are sorted: binary search for v
                mid = (lo + hi) // 2
                if indices[mid] < v:
                    lo = mid + 1
                else:
                    hi = mid
            link = edge_link[lo]
            nodes[out + k] = u
            links[out + k] = link
            if negative[link]:
                negatives += 1
            if unknown[link]:
                unknowns += 1
            if best == -1 or confidence[link] < confidence[best]:
                best = link
        weakest[i] = best
        kinds[i] = UNKNOWN if unknowns > 0 else (R if negatives % 2 == 0 else B)

    n_rings = ring_starts.shape[0] - 1
    matched = np.full(n_rings, -1, dtype=np.int64)
    for r in range(n_rings):
        ra = ring_starts[r]
        length = ring_starts[r + 1] - ra
        for i in range(n_cycles):
            if offsets[i + 1] - offsets[i] != length or nodes[offsets[i]] != rings[ra]:
                continue
            same = True
            for k in range(1, length):
                if nodes[offsets[i] + k] != rings[ra + k]:
                    same = False
                    break
            if same:
                matched[r] = i
                break
    return nodes, offsets, links, kinds, weakest, matched
