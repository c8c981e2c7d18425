"""Quantiles of many rows at once, compiled: the Monte Carlo summary's median and 5-95%.

:func:`row_quantiles` gives what ``numpy.quantile(data, qs, axis=1)`` gives (the default,
linear method) for the rows it is handed, so that :func:`~._compiled.on_all_cores` can share
the rows among the cores. It buckets each row instead of sorting it (see the function).

Example:
    >>> import numpy as np
    >>> from loopwise.simulation._compiled import vectorised
    >>> out = np.empty((2, 1))
    >>> vectorised(row_quantiles)(np.array([[4.0, 1.0, 3.0, 2.0]]), np.array([0.5, 1.0]),
    ...                           out, 0, 1)
    >>> out.ravel().tolist()
    [2.5, 4.0]
"""

from __future__ import annotations

import numpy as np
from numba import njit

from loopwise.simulation._compiled import OPTIONS

#: Buckets per row when :func:`row_quantiles` looks for its order statistics.
QUANTILE_BUCKETS = 1024


@njit(nogil=True, **OPTIONS)
def _select(a, lo, hi, k):  # pragma: no cover - jitted
    """Rearrange ``a[lo:hi]`` so that ``a[k]`` is the value that sorting would put there,
    with nothing larger before it and nothing smaller after it (Hoare's quickselect,
    median-of-three pivots)."""
    hi -= 1
    while hi > lo:
        mid = (lo + hi) >> 1
        if a[mid] < a[lo]:
            a[mid], a[lo] = a[lo], a[mid]
        if a[hi] < a[lo]:
            a[hi], a[lo] = a[lo], a[hi]
        if a[hi] < a[mid]:
            a[hi], a[mid] = a[mid], a[hi]
        pivot = a[mid]
        i, j = lo, hi
        while i <= j:
            while a[i] < pivot:
                i += 1
            while pivot < a[j]:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return


@njit(inline="always", **OPTIONS)
def _bucket(x, lo, scale):  # pragma: no cover - jitted
    b = int((x - lo) * scale)
    if b >= QUANTILE_BUCKETS:
        return QUANTILE_BUCKETS - 1
    if b < 0:
        return 0
    return b


@njit(nogil=True, **OPTIONS)
def row_quantiles(data, qs, out, worker, workers):  # pragma: no cover - jitted
    """Rows ``worker, worker + workers, ...`` of ``data``: their quantiles ``qs`` (numpy's
    default, linear method) into ``out[:, row]``.

    The order statistics needed (ranks ``floor((n - 1) q)`` and the next one) are found by
    bucketing: one pass for the row's range, one counting the values in each of
    :data:`QUANTILE_BUCKETS` equal-width buckets (a value's bucket never decreases as the
    value grows, so a rank's bucket follows from the counts), one copying out the few
    buckets that hold a wanted rank, then a quickselect inside each of those. Three passes
    of simple arithmetic instead of quickselect's data-dependent branches over the row.
    """
    rows, count = data.shape
    wanted = np.empty(2 * qs.shape[0], dtype=np.int64)
    for t in range(qs.shape[0]):
        low = int(np.floor((count - 1) * qs[t]))
        wanted[2 * t] = low
        wanted[2 * t + 1] = min(low + 1, count - 1)
    # a few numbers: insertion sort (np.sort takes seconds to compile)
    for t in range(1, wanted.shape[0]):
        rank = wanted[t]
        u = t - 1
        while u >= 0 and wanted[u] > rank:
            wanted[u + 1] = wanted[u]
            u -= 1
        wanted[u + 1] = rank
    ranks = np.empty_like(wanted)
    distinct = 0
    for rank in wanted:
        if distinct == 0 or rank != ranks[distinct - 1]:
            ranks[distinct] = rank
            distinct += 1
    value = np.empty(distinct)  # the order statistic of each rank, per row
    counts = np.zeros(QUANTILE_BUCKETS, dtype=np.int64)
    slot_of = np.full(QUANTILE_BUCKETS, -1, dtype=np.int64)  # bucket -> copied-out slot
    rank_bucket = np.empty(distinct, dtype=np.int64)
    below = np.empty(distinct, dtype=np.int64)  # values in the buckets before it
    slot_start = np.empty(distinct + 1, dtype=np.int64)
    slot_fill = np.empty(distinct, dtype=np.int64)
    picked = np.empty(count)
    for r in range(worker, rows, workers):
        lo = data[r, 0]
        hi = lo
        for c in range(1, count):
            x = data[r, c]
            lo = x if x < lo else lo
            hi = x if x > hi else hi
        if not hi > lo:  # one value (or a single sample)
            for t in range(distinct):
                value[t] = lo
        else:
            scale = QUANTILE_BUCKETS / (hi - lo)
            for b in range(QUANTILE_BUCKETS):
                counts[b] = 0
                slot_of[b] = -1
            for c in range(count):
                counts[_bucket(data[r, c], lo, scale)] += 1
            seen = 0
            t = 0
            slots = 0
            slot_start[0] = 0
            for b in range(QUANTILE_BUCKETS):
                upto = seen + counts[b]
                while t < distinct and ranks[t] < upto:
                    rank_bucket[t] = b
                    below[t] = seen
                    if slot_of[b] == -1:
                        slot_of[b] = slots
                        slot_fill[slots] = slot_start[slots]
                        slot_start[slots + 1] = slot_start[slots] + counts[b]
                        slots += 1
                    t += 1
                seen = upto
                if t == distinct:
                    break
            for c in range(count):
                x = data[r, c]
                slot = slot_of[_bucket(x, lo, scale)]
                if slot >= 0:
                    picked[slot_fill[slot]] = x
                    slot_fill[slot] += 1
            for t in range(distinct):
                slot = slot_of[rank_bucket[t]]
                first = slot_start[slot]
                k = first + ranks[t] - below[t]
                _select(picked, first, slot_start[slot + 1], k)
                value[t] = picked[k]
        for t in range(qs.shape[0]):
            h = (count - 1) * qs[t]
            low = int(np.floor(h))
            high = min(low + 1, count - 1)
            at_low = at_high = 0.0
            for u in range(distinct):
                if ranks[u] == low:
                    at_low = value[u]
                if ranks[u] == high:
                    at_high = value[u]
            frac = h - low
            diff = at_high - at_low
            out[t, r] = at_high - diff * (1.0 - frac) if frac >= 0.5 else at_low + diff * frac
