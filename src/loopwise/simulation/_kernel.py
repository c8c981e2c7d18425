"""The Monte Carlo inner loop, compiled with numba: many FCM runs at once on sparse links.

Samples run in blocks of :data:`LANES` (eight: one AVX-512 register of float64, or two AVX2
ones); :func:`monte_carlo_blocks` takes every ``workers``-th block, so that
:func:`~._compiled.on_all_cores` runs the blocks on all cores. Inside a block every factor's
state is eight numbers side by side, so one link's contribution to eight samples is one
vector multiply-add. The eight lanes are written out by hand (``a0`` ... ``a7``): that is
what lets LLVM's superword-level vectoriser (:func:`~._compiled.vectorised`) pack them,
which an inner loop over an array cannot get (the compiler cannot prove the arrays do not
overlap). The logistic function uses :func:`_exp`, a branch-free exponential (Cody-Waite
reduction, degree-13 Taylor polynomial, a table of powers of two) accurate to about one
unit in the last place, which vectorises where ``math.exp`` (a library call) does not. Each
transfer function is its own small compiled function: inlined into the step, its loop
stayed scalar.

Inside a block a sample stops changing once it has converged, exactly as the numpy
reference (:func:`loopwise.simulation.monte_carlo.run_fcm_batch`) stops it: the same rules,
transfer functions, clamps, pushes and stopping test, in the same order of operations.
:func:`monte_carlo_blocks` draws each block's link weights itself, from the counter-based
generator of :mod:`._random` (:func:`~._random.uniforms` gives the same numbers as an array);
:func:`run_fcm_samples` takes the weights as an array instead.

Codes: rule 0 kosko, 1 modified, 2 rescaled; transfer 0 sigmoid, 1 tanh, 2 bivalent,
3 trivalent.

Example:
    >>> import numpy as np
    >>> from loopwise.simulation._compiled import vectorised
    >>> indptr = np.array([0, 0, 1]); sources = np.array([0])  # factor 0 -> factor 1
    >>> weights = np.array([[1.0], [-1.0]])  # two samples
    >>> final, steps, ok = vectorised(run_fcm_samples)(
    ...     indptr, sources, weights, np.array([1.0, 0.0]), np.array([True, False]),
    ...     np.array([1.0, 0.0]), np.zeros(2), 0, 1, 1.0, 1e-9, 50)
    >>> np.round(final[:, 1], 3).tolist(), ok.tolist()
    ([0.762, -0.762], [True, True])
"""

from __future__ import annotations

import numpy as np
from numba import njit

from loopwise.simulation._compiled import OPTIONS
from loopwise.simulation._random import _uniform

LANES = 8
RULE_CODES = {"kosko": 0, "modified": 1, "rescaled": 2}
TRANSFER_CODES = {"sigmoid": 0, "tanh": 1, "bivalent": 2, "trivalent": 3}

LN2_HI = 6.93147180369123816490e-01  # ln 2 split in two (fdlibm's constants)
LN2_LO = 1.90821492927058770002e-10
LOG2_E = 1.4426950408889634
#: 2**k for k in -1022..1023, looked up by the exponential.
POW2 = np.array([2.0**k for k in range(-1022, 1024)])
EXP_LIMIT = 708.0


@njit(inline="always", **OPTIONS)
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


@njit(**OPTIONS)
def exp_values(x):  # pragma: no cover - jitted
    """:func:`_exp` over an array (for tests)."""
    out = np.empty_like(x)
    for k in range(x.shape[0]):
        out[k] = _exp(x[k])
    return out


@njit(**OPTIONS)
def _sigmoid_into(lam, inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = 1.0 / (1.0 + _exp(-lam * inputs[k]))


@njit(**OPTIONS)
def _tanh_into(lam, inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = np.tanh(lam * inputs[k])


@njit(**OPTIONS)
def _bivalent_into(inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = 1.0 if inputs[k] > 0 else 0.0


@njit(**OPTIONS)
def _trivalent_into(inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        x = inputs[k]
        new[k] = 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


@njit(**OPTIONS)
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


@njit(**OPTIONS)
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


@njit(**OPTIONS)
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


@njit(nogil=True, **OPTIONS)
def monte_carlo_blocks(  # pragma: no cover - jitted
    indptr, sources, low, high, key, first_sample, samples, effects, converged, initial,
    clamped, clamp_values, push, rule, transfer, lam, threshold, max_steps, worker, workers,
):  # fmt: skip
    """Samples ``first_sample .. first_sample + samples - 1``, in blocks of :data:`LANES`;
    this call does blocks ``worker, worker + workers, ...`` (see
    :func:`~._compiled.on_all_cores`).

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
