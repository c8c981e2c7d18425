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

Array = np.ndarray

R, B, UNKNOWN = 0, 1, 2
"""The kind codes (as :data:`loopwise.analysis.loop_result.KIND_CODES`)."""


@njit(cache=True)
def _before(  # pragma: no cover - jitted
    i: int, j: int, key: np.ndarray, starts: np.ndarray, skip: int
) -> bool:
    """True if cycle ``i`` sorts before cycle ``j`` of the same length by their ranks, the
    first ``skip`` of which are known to be equal."""
    a = starts[i]
    b = starts[j]
    for k in range(skip, starts[i + 1] - a):
        if key[a + k] != key[b + k]:
            return bool(key[a + k] < key[b + k])
    return False


@njit(cache=True)
def _sort_run(  # pragma: no cover - jitted
    order: np.ndarray,
    lo: int,
    hi: int,
    key: np.ndarray,
    starts: np.ndarray,
    skip: int,
    buffer: np.ndarray,
) -> None:
    """Sort ``order[lo:hi]`` (cycles of one length, equal in their first ``skip`` ranks) by
    their ranks: insertion sort on runs of 8, then bottom-up merges."""
    run = 8
    for start in range(lo, hi, run):
        end = min(start + run, hi)
        for i in range(start + 1, end):
            c = order[i]
            k = i
            while k > start and _before(c, order[k - 1], key, starts, skip):
                order[k] = order[k - 1]
                k -= 1
            order[k] = c
    width = run
    while width < hi - lo:
        for left in range(lo, hi, 2 * width):
            mid = min(left + width, hi)
            right = min(left + 2 * width, hi)
            i, j, k = left, mid, left
            while i < mid and j < right:
                if _before(order[j], order[i], key, starts, skip):
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
            while j < right:
                buffer[k] = order[j]
                j += 1
                k += 1
        for k in range(lo, hi):
            order[k] = buffer[k]
        width *= 2


@njit(cache=True)
def _order(key: np.ndarray, starts: np.ndarray, n_nodes: int) -> np.ndarray:  # pragma: no cover
    """The order of the cycles by (length, ranks). Each cycle's length and first ranks are
    packed into one integer and sorted by numpy's sort; cycles that tie on it (longer ones
    sharing those first ranks) are then sorted among themselves by the rest of their ranks."""
    n = starts.shape[0] - 1
    bits = 1
    while (1 << bits) <= n_nodes:  # lengths and ranks are below 2 ** bits
        bits += 1
    fields = 63 // bits
    packed = np.empty(n, dtype=np.int64)
    for c in range(n):
        a = starts[c]
        length = starts[c + 1] - a
        value = length
        for f in range(fields - 1):
            value <<= bits
            if f < length:
                value |= key[a + f]
        packed[c] = value
    order = np.argsort(packed, kind="mergesort")
    buffer = np.empty(n, dtype=np.int64)
    skip = fields - 1
    i = 0
    while i < n:
        j = i + 1
        while j < n and packed[order[j]] == packed[order[i]]:
            j += 1
        if j - i > 1 and starts[order[i] + 1] - starts[order[i]] > skip:
            _sort_run(order, i, j, key, starts, skip, buffer)
        i = j
    return order


@njit(cache=True)
def describe_loops(  # pragma: no cover - jitted
    flat: Array, starts: Array, indptr: Array, indices: Array, edge_link: Array, rank: Array,
    negative: Array, unknown: Array, confidence: Array, rings: Array, ring_starts: Array,
) -> tuple[Array, Array, Array, Array, Array, Array]:  # fmt: skip
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
    turn = np.empty(n_cycles, dtype=np.int64)  # where each cycle's lowest-ranked node is
    key = np.empty(size, dtype=np.int32)  # the ranks of the rotated cycles
    for c in range(n_cycles):
        a = starts[c]
        b = starts[c + 1]
        first = a
        lowest = rank[flat[a]]
        for k in range(a + 1, b):
            if rank[flat[k]] < lowest:
                first = k
                lowest = rank[flat[k]]
        turn[c] = first
        k = a
        for source in range(first, b):
            key[k] = rank[flat[source]]
            k += 1
        for source in range(a, first):
            key[k] = rank[flat[source]]
            k += 1
    order = _order(key, starts, rank.shape[0])

    nodes = np.empty(size, dtype=np.int64)
    links = np.empty(size, dtype=np.int64)
    offsets = np.empty(n_cycles + 1, dtype=np.int64)
    kinds = np.empty(n_cycles, dtype=np.int8)
    weakest = np.empty(n_cycles, dtype=np.int64)
    offsets[0] = 0
    for i in range(n_cycles):
        c = order[i]
        a = starts[c]
        b = starts[c + 1]
        out = offsets[i]
        offsets[i + 1] = out + b - a
        k = out
        for source in range(turn[c], b):
            nodes[k] = flat[source]
            k += 1
        for source in range(a, turn[c]):
            nodes[k] = flat[source]
            k += 1
        negatives = 0
        unknowns = 0
        best = -1
        for k in range(out, out + b - a):
            u = nodes[k]
            v = nodes[k + 1] if k + 1 < out + b - a else nodes[out]
            lo = indptr[u]
            hi = indptr[u + 1]
            while lo < hi:  # successors are sorted: binary search for v
                mid = (lo + hi) // 2
                if indices[mid] < v:
                    lo = mid + 1
                else:
                    hi = mid
            link = edge_link[lo]
            links[k] = link
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
