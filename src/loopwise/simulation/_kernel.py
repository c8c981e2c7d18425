"""The Monte Carlo inner loop, compiled with numba: many FCM runs at once on sparse links.

Samples run in blocks of :data:`LANES` (eight: one AVX-512 register of float64, or two AVX2
ones), blocks in parallel on all cores (:func:`on_all_cores`: one thread per core, as the
kernels release the GIL; numba's own ``parallel=True`` took seconds longer to compile and
left its worker threads spinning after each run). Inside a block every factor's state is
eight numbers side by side, so one link's contribution to eight samples is one vector
multiply-add. The eight lanes are written out by hand (``a0`` ... ``a7``): that is what lets
LLVM's superword-level vectoriser pack them, which an inner loop over an array cannot get
(the compiler cannot prove the arrays do not overlap). Functions here are compiled with that
vectoriser on (:func:`vectorised`; numba turns it off by default), and with numpy's error
model, so a division is not guarded by a ``ZeroDivisionError`` check that keeps it scalar.
The logistic function uses :func:`_exp`, a branch-free exponential (Cody-Waite reduction,
degree-13 Taylor polynomial, a table of powers of two) accurate to about one unit in the
last place, which vectorises where ``math.exp`` (a library call) does not. Each transfer
function is its own small compiled function: inlined into the step, its loop stayed scalar.

Inside a block a sample stops changing once it has converged, exactly as the numpy
reference (:func:`loopwise.simulation.monte_carlo.run_fcm_batch`) stops it: the same rules,
transfer functions, clamps, pushes and stopping test, in the same order of operations.

:func:`monte_carlo_blocks` also draws the link weights inside the block, from a
counter-based generator (SplitMix64 of ``key + (counter + 1) * golden``, the counter being
``sample * links + link``): sample ``k``'s weights depend only on the seed and ``k``, never
on the chunking or the threads, and are never stored for all samples at once.
:func:`uniforms` gives the same numbers as an array.

Codes: rule 0 kosko, 1 modified, 2 rescaled; transfer 0 sigmoid, 1 tanh, 2 bivalent,
3 trivalent.

Example:
    >>> import numpy as np
    >>> indptr = np.array([0, 0, 1]); sources = np.array([0])  # factor 0 -> factor 1
    >>> weights = np.array([[1.0], [-1.0]])  # two samples
    >>> final, steps, ok = vectorised(run_fcm_samples)(
    ...     indptr, sources, weights, np.array([1.0, 0.0]), np.array([True, False]),
    ...     np.array([1.0, 0.0]), np.zeros(2), 0, 1, 1.0, 1e-9, 50)
    >>> np.round(final[:, 1], 3).tolist(), ok.tolist()
    ([0.762, -0.762], [True, True])
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numba import njit
from numba.core import config

LANES = 8
RULE_CODES = {"kosko": 0, "modified": 1, "rescaled": 2}
TRANSFER_CODES = {"sigmoid": 0, "tanh": 1, "bivalent": 2, "trivalent": 3}

_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
GOLDEN = np.uint64(_GOLDEN)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
S30, S27, S31, S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
ONE = np.uint64(1)
TWO_TO_MINUS_53 = 1.0 / 9007199254740992.0

LN2_HI = 6.93147180369123816490e-01  # ln 2 split in two (fdlibm's constants)
LN2_LO = 1.90821492927058770002e-10
LOG2_E = 1.4426950408889634
#: 2**k for k in -1022..1023, looked up by the exponential.
POW2 = np.array([2.0**k for k in range(-1022, 1024)])
EXP_LIMIT = 708.0
#: Buckets per row when :func:`row_quantiles` looks for its order statistics.
QUANTILE_BUCKETS = 1024

_OPTIONS: dict[str, Any] = {"cache": True, "error_model": "numpy", "fastmath": {"contract"}}
_COMPILE_LOCK = threading.Lock()


def vectorised(kernel: Callable[..., Any]) -> Callable[..., Any]:
    """``kernel`` callable, compiled (on its first call) with LLVM's superword-level
    vectoriser on; numba turns it off by default for all code.

    Example:
        >>> vectorised(uniforms)(seed_key(1), 0, 1, 2).shape
        (1, 2)
    """

    def call(*args: Any) -> Any:
        if kernel.signatures:
            return kernel(*args)
        with _COMPILE_LOCK:
            before = config.SLP_VECTORIZE
            config.SLP_VECTORIZE = 1
            try:
                return kernel(*args)
            finally:
                config.SLP_VECTORIZE = before

    return call


def seed_key(seed: int) -> np.uint64:
    """The generator's 64-bit key for a seed (SplitMix64 of the seed).

    >>> int(seed_key(0)) == int(seed_key(0)) != int(seed_key(1))
    True
    """
    z = (seed + _GOLDEN) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return np.uint64(z ^ (z >> 31))


@njit(inline="always", **_OPTIONS)
def _uniform(key, counter):  # pragma: no cover - jitted
    z = key + (counter + ONE) * GOLDEN
    z = (z ^ (z >> S30)) * MIX1
    z = (z ^ (z >> S27)) * MIX2
    z = z ^ (z >> S31)
    return np.float64(z >> S11) * TWO_TO_MINUS_53


@njit(**_OPTIONS)
def uniforms(key, first, samples, links):  # pragma: no cover - jitted
    """Uniform numbers in [0, 1): row ``s`` is sample ``first + s``'s, one per link."""
    out = np.empty((samples, links))
    for s in range(samples):
        base = np.uint64(first + s) * np.uint64(links)
        for e in range(links):
            out[s, e] = _uniform(key, base + np.uint64(e))
    return out


@njit(inline="always", **_OPTIONS)
def _exp(x):  # pragma: no cover - jitted
    x = x if x > -EXP_LIMIT else -EXP_LIMIT
    x = x if x < EXP_LIMIT else EXP_LIMIT
    k = np.floor(x * LOG2_E + 0.5)
    r = (x - k * LN2_HI) - k * LN2_LO
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    return p * POW2[np.int64(k) + 1022]


@njit(**_OPTIONS)
def exp_values(x):  # pragma: no cover - jitted
    """:func:`_exp` over an array (for tests)."""
    out = np.empty_like(x)
    for k in range(x.shape[0]):
        out[k] = _exp(x[k])
    return out


@njit(**_OPTIONS)
def _sigmoid_into(lam, inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = 1.0 / (1.0 + _exp(-lam * inputs[k]))


@njit(**_OPTIONS)
def _tanh_into(lam, inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = np.tanh(lam * inputs[k])


@njit(**_OPTIONS)
def _bivalent_into(inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = 1.0 if inputs[k] > 0 else 0.0


@njit(**_OPTIONS)
def _trivalent_into(inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        x = inputs[k]
        new[k] = 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


@njit(**_OPTIONS)
def _transfer_into(transfer, lam, inputs, new):  # pragma: no cover - jitted
    """``new = transfer(inputs)``. One small function per transfer: each loop vectorises
    on its own, where inlined into the step it would not."""
    if transfer == 0:
        _sigmoid_into(lam, inputs, new)
    elif transfer == 1:
        _tanh_into(lam, inputs, new)
    elif transfer == 2:
        _bivalent_into(inputs, new)
    else:
        _trivalent_into(inputs, new)


@njit(**_OPTIONS)
def _converge(  # pragma: no cover - jitted
    w, size, indptr, sources, start, clamped, clamp_values, push, rule, transfer, lam,
    threshold, max_steps, out, out_col, steps, ok, first,
):  # fmt: skip
    """Run the block's ``size`` samples (weights ``w``: link ``e``, lane ``b`` at
    ``w[e * LANES + b]``) from ``start`` until each converges or ``max_steps``.

    A sample's final state goes to ``out[:, out_col + b]`` the step it converges (the block
    goes on computing it, harmlessly, until all have); its step count and convergence to
    ``steps[first + b]`` and ``ok[first + b]``.
    """
    n = indptr.shape[0] - 1
    cells = n * LANES
    state = np.empty(cells)
    new = np.empty(cells)
    sent = np.empty(cells)
    inputs = np.empty(cells)
    done = np.zeros(LANES, dtype=np.bool_)
    for i in range(n):
        v = clamp_values[i] if clamped[i] else start[i]
        for b in range(LANES):
            state[i * LANES + b] = v
    for b in range(LANES):
        done[b] = b >= size
    for b in range(size):
        steps[first + b] = max_steps
        ok[first + b] = False
    remaining = size
    for step in range(1, max_steps + 1):
        if rule == 2:  # rescaled: factors send 2A - 1
            for k in range(cells):
                sent[k] = 2.0 * state[k] - 1.0
            source = sent
        else:
            source = state
        for i in range(n):
            if clamped[i]:
                continue
            a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
            for e in range(indptr[i], indptr[i + 1]):
                j = sources[e] * LANES
                f = e * LANES
                a0 += source[j] * w[f]
                a1 += source[j + 1] * w[f + 1]
                a2 += source[j + 2] * w[f + 2]
                a3 += source[j + 3] * w[f + 3]
                a4 += source[j + 4] * w[f + 4]
                a5 += source[j + 5] * w[f + 5]
                a6 += source[j + 6] * w[f + 6]
                a7 += source[j + 7] * w[f + 7]
            p = push[i]
            q = i * LANES
            inputs[q] = p + a0
            inputs[q + 1] = p + a1
            inputs[q + 2] = p + a2
            inputs[q + 3] = p + a3
            inputs[q + 4] = p + a4
            inputs[q + 5] = p + a5
            inputs[q + 6] = p + a6
            inputs[q + 7] = p + a7
        if rule == 1:
            for k in range(cells):
                inputs[k] = state[k] + inputs[k]
        elif rule == 2:
            for k in range(cells):
                inputs[k] = (2.0 * state[k] - 1.0) + inputs[k]
        _transfer_into(transfer, lam, inputs, new)
        c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = 0.0
        for i in range(n):
            q = i * LANES
            if clamped[i]:
                for b in range(LANES):
                    new[q + b] = clamp_values[i]
            c0 = max(c0, abs(new[q] - state[q]))
            c1 = max(c1, abs(new[q + 1] - state[q + 1]))
            c2 = max(c2, abs(new[q + 2] - state[q + 2]))
            c3 = max(c3, abs(new[q + 3] - state[q + 3]))
            c4 = max(c4, abs(new[q + 4] - state[q + 4]))
            c5 = max(c5, abs(new[q + 5] - state[q + 5]))
            c6 = max(c6, abs(new[q + 6] - state[q + 6]))
            c7 = max(c7, abs(new[q + 7] - state[q + 7]))
        change = (c0, c1, c2, c3, c4, c5, c6, c7)
        for b in range(LANES):
            if not done[b] and change[b] <= threshold:
                done[b] = True
                remaining -= 1
                steps[first + b] = step
                ok[first + b] = True
                for i in range(n):
                    out[i, out_col + b] = new[i * LANES + b]
        state, new = new, state
        if remaining == 0:
            break
    for b in range(size):
        if not done[b]:
            for i in range(n):
                out[i, out_col + b] = state[i * LANES + b]


@njit(**_OPTIONS)
def run_fcm_samples(  # pragma: no cover - jitted
    indptr, sources, weights, initial, clamped, clamp_values, push, rule, transfer, lam,
    threshold, max_steps,
):  # fmt: skip
    """Run one FCM per row of ``weights`` (links sorted by target: the links into factor
    ``i`` are ``indptr[i]:indptr[i+1]``, coming from ``sources``), block after block on one
    core: the explicit-weights twin of :func:`monte_carlo_blocks`, for checks.

    Returns ``(final states (S, n), steps (S,), converged (S,))``.
    """
    samples = weights.shape[0]
    n = indptr.shape[0] - 1
    n_links = sources.shape[0]
    final = np.empty((n, samples))
    steps = np.empty(samples, dtype=np.int64)
    converged = np.empty(samples, dtype=np.bool_)
    w = np.zeros(n_links * LANES)
    for first in range(0, samples, LANES):
        size = min(LANES, samples - first)
        for b in range(size):
            for e in range(n_links):
                w[e * LANES + b] = weights[first + b, e]
        _converge(w, size, indptr, sources, initial, clamped, clamp_values, push, rule,
                  transfer, lam, threshold, max_steps, final, first, steps, converged,
                  first)  # fmt: skip
    return final.T.copy(), steps, converged


@njit(nogil=True, **_OPTIONS)
def monte_carlo_blocks(  # pragma: no cover - jitted
    indptr, sources, low, high, key, first_sample, samples, effects, converged, initial,
    clamped, clamp_values, push, rule, transfer, lam, threshold, max_steps, worker, workers,
):  # fmt: skip
    """Samples ``first_sample .. first_sample + samples - 1``, in blocks of :data:`LANES`;
    this call does blocks ``worker, worker + workers, ...`` (see :func:`on_all_cores`).

    For each sample: draw its weights (``low + (high - low) * u``, ``u`` from
    :func:`_uniform`), run the baseline (no clamp, no push) and the scenario from
    ``initial``, and write scenario - baseline to ``effects[:, k]`` (factors by samples) and
    whether both converged to ``converged[k]``.
    """
    n = indptr.shape[0] - 1
    n_links = sources.shape[0]
    free = np.zeros(n, dtype=np.bool_)
    zeros = np.zeros(n)
    base = np.empty((n, LANES))
    base_steps = np.empty(LANES, dtype=np.int64)
    base_ok = np.empty(LANES, dtype=np.bool_)
    scen_steps = np.empty(LANES, dtype=np.int64)
    scen_ok = np.empty(LANES, dtype=np.bool_)
    w = np.zeros(n_links * LANES)
    n_blocks = (samples + LANES - 1) // LANES
    for block in range(worker, n_blocks, workers):
        column = first_sample + block * LANES
        size = min(LANES, first_sample + samples - column)
        for b in range(size):
            counter = np.uint64(column + b) * np.uint64(n_links)
            for e in range(n_links):
                u = _uniform(key, counter + np.uint64(e))
                w[e * LANES + b] = low[e] + (high[e] - low[e]) * u
        _converge(w, size, indptr, sources, initial, free, zeros, zeros, rule, transfer,
                  lam, threshold, max_steps, base, 0, base_steps, base_ok, 0)  # fmt: skip
        _converge(w, size, indptr, sources, initial, clamped, clamp_values, push, rule,
                  transfer, lam, threshold, max_steps, effects, column, scen_steps, scen_ok,
                  0)  # fmt: skip
        for i in range(n):
            for b in range(size):
                effects[i, column + b] -= base[i, b]
        for b in range(size):
            converged[column + b] = base_ok[b] and scen_ok[b]


@njit(nogil=True, **_OPTIONS)
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


@njit(inline="always", **_OPTIONS)
def _bucket(x, lo, scale):  # pragma: no cover - jitted
    b = int((x - lo) * scale)
    if b >= QUANTILE_BUCKETS:
        return QUANTILE_BUCKETS - 1
    if b < 0:
        return 0
    return b


@njit(nogil=True, **_OPTIONS)
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
            a = b = 0.0
            for u in range(distinct):
                if ranks[u] == low:
                    a = value[u]
                if ranks[u] == high:
                    b = value[u]
            frac = h - low
            diff = b - a
            out[t, r] = b - diff * (1.0 - frac) if frac >= 0.5 else a + diff * frac


def on_all_cores(kernel: Callable[..., Any], *args: Any) -> None:
    """Call ``kernel(*args, worker, workers)`` once per core, at the same time.

    The kernels here release the GIL (``nogil``), so plain threads run them in parallel;
    each call takes every ``workers``-th block from its ``worker``-th.

    >>> out = np.empty((1, 3))
    >>> on_all_cores(vectorised(row_quantiles), np.arange(15.0).reshape(3, 5), np.array([0.5]),
    ...              out)
    >>> out.tolist()
    [[2.0, 7.0, 12.0]]
    """
    workers = _cores()
    if workers == 1:
        kernel(*args, 0, 1)
        return
    pool = _pool(workers)
    for future in [pool.submit(kernel, *args, w, workers) for w in range(workers)]:
        future.result()


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


_POOLS: dict[int, ThreadPoolExecutor] = {}
if hasattr(os, "register_at_fork"):  # a forked child has none of its parent's threads
    os.register_at_fork(after_in_child=_POOLS.clear)


def _pool(workers: int) -> ThreadPoolExecutor:
    with _COMPILE_LOCK:
        if workers not in _POOLS:
            _POOLS[workers] = ThreadPoolExecutor(workers, thread_name_prefix="loopwise-mc")
        return _POOLS[workers]
