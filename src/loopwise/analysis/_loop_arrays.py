"""From found cycles to the arrays of a loop search, in one compiled pass.

The cycle searches (:mod:`loopwise.analysis._johnson`, :mod:`loopwise.analysis._bounded`,
or networkx's cycles turned into node positions) give cycles as a flat array of node
positions plus ``starts`` offsets, in the order they were found. :func:`describe_loops`
works out what :class:`loopwise.analysis.LoopSearch` needs without copying the cycles: the
order (shortest first, then by factor ids, each cycle read from its lowest-ranked factor;
rank = position of the factor id in sorted order), the kinds (R, B or ?), the weakest links
and the position of each curated loop. :func:`gather_loops` then copies the cycles into that
order, rotated, with the link behind each step; the search calls it only when something
reads the loops' factors or links.
:func:`describe_loops_python` does the same without numba, for a search that must not wait
for the compiler (a new install's first search on a small map).

Example:
    >>> import numpy as np
    >>> indptr = np.array([0, 1, 2, 4]); indices = np.array([1, 2, 0, 1])  # 0->1->2->0, 2->1
    >>> edge_link = np.arange(4); rank = np.array([2, 1, 0])  # ids sort as 2, 1, 0
    >>> flat, starts = np.array([0, 1, 2, 1, 2]), np.array([0, 3, 5])
    >>> edges = np.array([0, 1, 2, 1, 3])  # the edge from each node to the next round
    >>> negative = np.array([False, True, False, False]); unknown = np.zeros(4, np.bool_)
    >>> order, turn, kinds, weakest, matched = describe_loops(
    ...     flat, starts, edges, edge_link, rank, negative, unknown,
    ...     np.array([0.5, 0.2, 0.9, 0.1]), np.array([2, 1]), np.array([0, 2]))
    >>> out = (*gather_loops(flat, starts, edges, edge_link, order, turn), kinds, weakest,
    ...        matched)
    >>> [a.tolist() for a in out]
    [[2, 1, 2, 0, 1], [0, 2, 5], [3, 1, 2, 0, 1], [1, 1], [3, 1], [0]]
    >>> same = describe_loops_python(flat, starts, edges, edge_link, rank, negative, unknown,
    ...                              np.array([0.5, 0.2, 0.9, 0.1]), np.array([2, 1]),
    ...                              np.array([0, 2]))
    >>> all(np.array_equal(x, y) for x, y in zip(out, same))
    True
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
    flat: Array, starts: Array, edges: Array, edge_link: Array, rank: Array, negative: Array,
    unknown: Array, confidence: Array, rings: Array, ring_starts: Array,
) -> tuple[Array, Array, Array, Array, Array]:  # fmt: skip
    """Rotate, classify, sort and match the cycles ``(flat, starts)``, without copying them.

    ``edges[k]`` is the edge from ``flat[k]`` to the next node round its cycle and
    ``edge_link[e]`` the link behind edge ``e``; ``negative``, ``unknown`` (polarity) and
    ``confidence`` are per link; ``rings``/``ring_starts`` are the curated loops as node
    positions, each already starting at its lowest-ranked node.

    Returns ``(order, turn, kinds, weakest, matched)``: loop ``i`` (sorted) is cycle
    ``order[i]``, which starts going round at ``flat[turn[order[i]]]`` (its lowest-ranked
    node); its kind code (R 0, B 1, ? 2) and weakest link (the first lowest ``confidence``
    going round); for each ring the position of the same loop (-1 if not found).
    :func:`gather_loops` makes the sorted, rotated arrays.
    """
    n_cycles = starts.shape[0] - 1
    turn = np.empty(n_cycles, dtype=np.int64)
    key = np.empty(flat.shape[0], dtype=np.int32)  # the ranks of the rotated cycles
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

    kinds = np.empty(n_cycles, dtype=np.int8)
    weakest = np.empty(n_cycles, dtype=np.int64)
    position = np.empty(n_cycles, dtype=np.int64)
    for i in range(n_cycles):
        c = order[i]
        position[c] = i
        a = starts[c]
        b = starts[c + 1]
        negatives = 0
        unknowns = 0
        best = -1
        for step in range(b - a):
            at = turn[c] + step
            if at >= b:
                at -= b - a
            link = edge_link[edges[at]]
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
        for c in range(n_cycles):
            if starts[c + 1] - starts[c] != length or flat[turn[c]] != rings[ra]:
                continue
            same = True
            for k in range(1, length):
                at = turn[c] + k
                if at >= starts[c + 1]:
                    at -= length
                if flat[at] != rings[ra + k]:
                    same = False
                    break
            if same:
                matched[r] = position[c]
                break
    return order, turn, kinds, weakest, matched


@njit(cache=True)
def gather_loops(  # pragma: no cover - jitted
    flat: Array, starts: Array, edges: Array, edge_link: Array, order: Array, turn: Array
) -> tuple[Array, Array, Array]:
    """The loops' nodes and links in sorted order, each from its lowest-ranked node:
    ``(nodes, offsets, links)`` (``order`` and ``turn`` from :func:`describe_loops`)."""
    n_cycles = order.shape[0]
    nodes = np.empty(flat.shape[0], dtype=np.int64)
    links = np.empty(flat.shape[0], dtype=np.int64)
    offsets = np.empty(n_cycles + 1, dtype=np.int64)
    offsets[0] = 0
    for i in range(n_cycles):
        c = order[i]
        a = starts[c]
        b = starts[c + 1]
        k = offsets[i]
        offsets[i + 1] = k + b - a
        for source in range(turn[c], b):
            nodes[k] = flat[source]
            links[k] = edge_link[edges[source]]
            k += 1
        for source in range(a, turn[c]):
            nodes[k] = flat[source]
            links[k] = edge_link[edges[source]]
            k += 1
    return nodes, offsets, links


def describe_loops_python(
    flat: np.ndarray, starts: np.ndarray, edges: np.ndarray, edge_link: np.ndarray,
    rank: np.ndarray, negative: np.ndarray, unknown: np.ndarray, confidence: np.ndarray,
    rings: np.ndarray, ring_starts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """:func:`describe_loops` then :func:`gather_loops` in plain Python (the same arguments;
    returns ``(nodes, offsets, links, kinds, weakest, matched)``), for small maps whose search
    must not wait for numba to compile the kernels."""
    bounds, nodes_in, edges_in = starts.tolist(), flat.tolist(), edges.tolist()
    ranks, link_of = rank.tolist(), edge_link.tolist()
    loops = []
    for c in range(len(bounds) - 1):
        ring, steps = nodes_in[bounds[c] : bounds[c + 1]], edges_in[bounds[c] : bounds[c + 1]]
        first = min(range(len(ring)), key=lambda k: ranks[ring[k]])
        ring, steps = ring[first:] + ring[:first], steps[first:] + steps[:first]
        loops.append((len(ring), [ranks[v] for v in ring], ring, [link_of[e] for e in steps]))
    loops.sort(key=lambda loop: (loop[0], loop[1]))
    negative_l, unknown_l, scores = negative.tolist(), unknown.tolist(), confidence.tolist()
    kinds, weakest = [], []
    for _, _, _, links in loops:
        if any(unknown_l[link] for link in links):
            kinds.append(UNKNOWN)
        else:
            kinds.append(B if sum(negative_l[link] for link in links) % 2 else R)
        weakest.append(min(links, key=scores.__getitem__))  # the first lowest, going round
    offsets = np.zeros(len(loops) + 1, dtype=np.int64)
    np.cumsum([loop[0] for loop in loops], out=offsets[1:], dtype=np.int64)
    where = {tuple(loop[2]): i for i, loop in enumerate(loops)}
    ring_bounds, ring_nodes = ring_starts.tolist(), rings.tolist()
    matched = [
        where.get(tuple(ring_nodes[ring_bounds[r] : ring_bounds[r + 1]]), -1)
        for r in range(len(ring_bounds) - 1)
    ]
    return (
        np.array([v for loop in loops for v in loop[2]], dtype=np.int64),
        offsets,
        np.array([link for loop in loops for link in loop[3]], dtype=np.int64),
        np.array(kinds, dtype=np.int8),
        np.array(weakest, dtype=np.int64),
        np.array(matched, dtype=np.int64),
    )
