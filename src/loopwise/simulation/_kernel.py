"""The Monte Carlo inner loop, compiled with numba: many FCM runs at once on sparse links.

Runs go through :data:`LANES` (eight) *lanes*, one AVX-512 register of float64 or two AVX2
ones: every factor's state is eight numbers side by side, so one link's contribution to
eight runs is one vector multiply-add. The eight lanes are written out by hand (``a0`` ...
``a7``): that is what lets LLVM's superword-level vectoriser (:func:`~._compiled.vectorised`)
pack them, which an inner loop over an array cannot get (the compiler cannot prove the
arrays do not overlap). The transfer functions are branch-free arithmetic
(:mod:`._vector_math`), so that they vectorise too.

**A lane that is done takes the next sample.** Each lane runs its own sample with its own
step count; the step after a sample converges (or reaches ``max_steps``), its lane writes the
result and starts the next sample that no thread has taken yet. So a converged sample costs
nothing more, and the threads share the samples dynamically: each takes the next one from a
shared counter (an atomic fetch-and-add, :func:`_take`), and a slow or busy core simply takes
fewer. Only the last few samples of a call leave lanes idle.

In the Monte Carlo run (:func:`monte_carlo_samples`) a lane runs a sample's baseline (no
clamp, no push) and then its scenario with the same weights, which it draws itself from the
counter-based generator of :mod:`._random` (:func:`~._random.uniforms` gives the same
numbers as an array); :func:`run_fcm_samples` takes the weights as an array and runs one
scenario per sample.

Every run follows the numpy reference (:func:`loopwise.simulation.monte_carlo.run_fcm_batch`):
the same rules, transfer functions, clamps, pushes and stopping test, in the same order of
operations; which lane or thread runs a sample does not change its result.

Codes: rule 0 kosko, 1 modified, 2 rescaled; transfer 0 sigmoid, 1 tanh, 2 bivalent,
3 trivalent.

Example:
    >>> import numpy as np
    >>> from loopwise.simulation._compiled import vectorised
    >>> indptr = np.array([0, 0, 1]); sources = np.array([0])  # factor 0 -> factor 1
    >>> weights = np.array([[1.0], [-1.0]])  # two samples
    >>> final, steps, ok, _ = vectorised(run_fcm_samples)(
    ...     indptr, sources, weights, np.array([1.0, 0.0]), np.array([True, False]),
    ...     np.array([1.0, 0.0]), np.zeros(2), 0, 1, 1.0, 1e-9, 50)
    >>> np.round(final[:, 1], 3).tolist(), ok.tolist()
    ([0.762, -0.762], [True, True])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

from loopwise.simulation._compiled import OPTIONS
from loopwise.simulation._random import _uniform
from loopwise.simulation._vector_math import transfer_into

LANES = 8
U_LANES = np.uint64(LANES)
U1, U2, U3, U4, U5, U6, U7 = (np.uint64(k) for k in range(1, LANES))
RULE_CODES = {"kosko": 0, "modified": 1, "rescaled": 2}
TRANSFER_CODES = {"sigmoid": 0, "tanh": 1, "bivalent": 2, "trivalent": 3}


@intrinsic
def _take_intrinsic(typingctx, counter):  # pragma: no cover - compiled
    """``counter[0] += 1`` as one atomic instruction; returns the value before."""
    if not (isinstance(counter, types.Array) and counter.dtype == types.int64):
        return None

    def codegen(context, builder, signature, args):
        array = context.make_array(signature.args[0])(context, builder, args[0])
        one = context.get_constant(types.int64, 1)
        return builder.atomic_rmw("add", array.data, one, "monotonic")

    return types.int64(counter), codegen


# how jitted code calls it (numba's annotations describe the typing hook above instead)
_take = cast(Callable[[np.ndarray], int], _take_intrinsic)


@njit(**OPTIONS)
def take_next(counter):  # pragma: no cover - jitted
    """:func:`_take` from Python (for tests)."""
    return _take(counter)


@njit(inline="always", **OPTIONS)
def _load(b, k, drawn, weights, low, high, key, first_sample, w):  # pragma: no cover
    """Sample ``k``'s link weights into lane ``b`` of ``w`` (link ``e`` at
    ``w[e * LANES + b]``): row ``k`` of ``weights``, or drawn for sample ``first_sample + k``."""
    n_links = w.shape[0] // LANES
    if drawn:
        counter = np.uint64(first_sample + k) * np.uint64(n_links)
        for e in range(n_links):
            u = _uniform(key, counter + np.uint64(e))
            w[e * LANES + b] = low[e] + (high[e] - low[e]) * u
    else:
        for e in range(n_links):
            w[e * LANES + b] = weights[k, e]


@njit(inline="always", **OPTIONS)
def _restart(b, scenario, initial, clamped, clamp_values, state):  # pragma: no cover
    """Lane ``b`` of ``state`` back to the initial state (clamps set for a scenario)."""
    for i in range(initial.shape[0]):
        v = clamp_values[i] if scenario and clamped[i] else initial[i]
        state[i * LANES + b] = v


@njit(nogil=True, **OPTIONS)
def _run_lanes(  # pragma: no cover - jitted
    indptr, sources, initial, clamped, clamp_values, push, rule, transfer, lam, threshold,
    max_steps, drawn, weights, low, high, key, first_sample, samples, counter, final, steps,
    ok, effects, converged,
):  # fmt: skip
    """Run samples ``0 .. samples - 1`` (the ones this thread takes from ``counter``) through
    eight lanes until none is left; returns how many steps the lanes took (each step
    advances up to eight samples by one step).

    With ``drawn`` false, sample ``k`` has the weights ``weights[k]`` and one run (with the
    clamps and pushes), written to ``final[:, k]`` (factors by samples), ``steps[k]`` and
    ``ok[k]`` (converged). With ``drawn`` true, sample ``k`` is Monte Carlo sample
    ``first_sample + k``: weights drawn from ``low``, ``high`` and ``key``, the baseline run
    (nothing clamped or pushed) then the scenario, scenario - baseline written to
    ``effects[:, first_sample + k]`` and whether both converged to ``converged[...]``.
    """
    n = indptr.shape[0] - 1
    cells = n * LANES
    state = np.empty(cells)
    new = np.empty(cells)
    sent = np.empty(cells)
    inputs = np.empty(cells)
    base = np.empty(cells)  # the baseline's final state, while a lane runs the scenario
    w = np.zeros(sources.shape[0] * LANES)
    job = np.full(LANES, -1, dtype=np.int64)
    on = np.zeros(LANES)  # 1.0 while a lane runs a scenario (clamps and pushes on), else 0.0
    taken = np.zeros(LANES, dtype=np.int64)  # steps of the lane's current run
    base_ok = np.zeros(LANES, dtype=np.bool_)
    for b in range(LANES):
        _restart(b, False, initial, clamped, clamp_values, state)
    active = 0
    for b in range(LANES):
        k = _take(counter)
        if k < samples:
            job[b] = k
            on[b] = 0.0 if drawn else 1.0
            _load(b, k, drawn, weights, low, high, key, first_sample, w)
            _restart(b, not drawn, initial, clamped, clamp_values, state)
            active += 1
    lane_steps = 0
    while active > 0:
        lane_steps += 1
        if rule == 2:  # rescaled: factors send 2A - 1
            for c in range(cells):
                sent[c] = 2.0 * state[c] - 1.0
            source = sent
        else:
            source = state
        # each lane's "scenario on" factor, in registers for the whole step
        o0, o1, o2, o3, o4, o5, o6, o7 = on[0], on[1], on[2], on[3], on[4], on[5], on[6], on[7]
        for i in range(n):
            a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
            for e in range(indptr[i], indptr[i + 1]):
                # unsigned positions: no negative-index wrap-around test on each load, which
                # would keep the eight loads apart (scalar) instead of one vector load
                j = np.uint64(sources[e]) * U_LANES
                f = np.uint64(e) * U_LANES
                a0 += source[j] * w[f]
                a1 += source[j + U1] * w[f + U1]
                a2 += source[j + U2] * w[f + U2]
                a3 += source[j + U3] * w[f + U3]
                a4 += source[j + U4] * w[f + U4]
                a5 += source[j + U5] * w[f + U5]
                a6 += source[j + U6] * w[f + U6]
                a7 += source[j + U7] * w[f + U7]
            p = push[i]
            q = i * LANES
            inputs[q] = p * o0 + a0  # p * 1.0 + a = p + a exactly; p * 0.0 + a = a
            inputs[q + 1] = p * o1 + a1
            inputs[q + 2] = p * o2 + a2
            inputs[q + 3] = p * o3 + a3
            inputs[q + 4] = p * o4 + a4
            inputs[q + 5] = p * o5 + a5
            inputs[q + 6] = p * o6 + a6
            inputs[q + 7] = p * o7 + a7
        if rule == 1:
            for c in range(cells):
                inputs[c] = state[c] + inputs[c]
        elif rule == 2:
            for c in range(cells):
                inputs[c] = (2.0 * state[c] - 1.0) + inputs[c]
        transfer_into(transfer, lam, inputs, new)
        c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = 0.0
        for i in range(n):
            q = i * LANES
            if clamped[i]:
                v = clamp_values[i]
                new[q] = v if o0 != 0.0 else new[q]
                new[q + 1] = v if o1 != 0.0 else new[q + 1]
                new[q + 2] = v if o2 != 0.0 else new[q + 2]
                new[q + 3] = v if o3 != 0.0 else new[q + 3]
                new[q + 4] = v if o4 != 0.0 else new[q + 4]
                new[q + 5] = v if o5 != 0.0 else new[q + 5]
                new[q + 6] = v if o6 != 0.0 else new[q + 6]
                new[q + 7] = v if o7 != 0.0 else new[q + 7]
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
            k = job[b]
            if k < 0:
                continue
            taken[b] += 1
            settled = change[b] <= threshold
            if not settled and taken[b] < max_steps:
                continue
            taken_now = taken[b]
            taken[b] = 0
            if drawn and on[b] == 0.0:  # the baseline is done: the scenario, same weights
                for i in range(n):
                    base[i * LANES + b] = new[i * LANES + b]
                base_ok[b] = settled
                on[b] = 1.0
                _restart(b, True, initial, clamped, clamp_values, new)
                continue
            if drawn:
                column = first_sample + k
                for i in range(n):
                    effects[i, column] = new[i * LANES + b] - base[i * LANES + b]
                converged[column] = base_ok[b] and settled
            else:
                for i in range(n):
                    final[i, k] = new[i * LANES + b]
                steps[k] = taken_now
                ok[k] = settled
            k = _take(counter)
            if k < samples:
                job[b] = k
                on[b] = 0.0 if drawn else 1.0
                _load(b, k, drawn, weights, low, high, key, first_sample, w)
                _restart(b, not drawn, initial, clamped, clamp_values, new)
            else:
                job[b] = -1
                active -= 1
        state, new = new, state
    return lane_steps


@njit(**OPTIONS)
def run_fcm_samples(  # pragma: no cover - jitted
    indptr, sources, weights, initial, clamped, clamp_values, push, rule, transfer, lam,
    threshold, max_steps,
):  # fmt: skip
    """Run one FCM per row of ``weights`` (links sorted by target: the links into factor
    ``i`` are ``indptr[i]:indptr[i+1]``, coming from ``sources``) on one core: the
    explicit-weights twin of :func:`monte_carlo_samples`.

    Returns ``(final states (S, n), steps (S,), converged (S,), lane steps)``, the last the
    number of steps the eight lanes took (at least ``steps.sum() / 8``: a lane waits only
    when no sample is left for it).
    """
    samples = weights.shape[0]
    n = indptr.shape[0] - 1
    final = np.empty((n, samples))
    steps = np.empty(samples, dtype=np.int64)
    converged = np.empty(samples, dtype=np.bool_)
    counter = np.zeros(1, dtype=np.int64)
    unused = np.empty((0, 0))
    lane_steps = _run_lanes(
        indptr, sources, initial, clamped, clamp_values, push, rule, transfer, lam, threshold,
        max_steps, False, weights, np.empty(0), np.empty(0), np.uint64(0), 0, samples,
        counter, final, steps, converged, unused, np.empty(0, dtype=np.bool_),
    )  # fmt: skip
    return final.T.copy(), steps, converged, lane_steps


@njit(nogil=True, **OPTIONS)
def monte_carlo_samples(  # pragma: no cover - jitted
    indptr, sources, low, high, key, first_sample, samples, counter, effects, converged,
    initial, clamped, clamp_values, push, rule, transfer, lam, threshold, max_steps, worker,
    workers,
):  # fmt: skip
    """Samples ``first_sample .. first_sample + samples - 1``: each thread calls this with the
    same ``counter`` (a zeroed one-element int64 array) and takes samples from it until none
    is left (see :func:`~._compiled.on_all_cores`; ``worker`` and ``workers`` are not needed).

    For each sample: draw its weights (``low + (high - low) * u``, ``u`` from
    :func:`~._random._uniform`), run the baseline (no clamp, no push) and the scenario from
    ``initial``, and write scenario - baseline to ``effects[:, k]`` (factors by samples) and
    whether both converged to ``converged[k]``.
    """
    unused = np.empty((0, 0))
    _run_lanes(
        indptr, sources, initial, clamped, clamp_values, push, rule, transfer, lam, threshold,
        max_steps, True, unused, low, high, key, first_sample, samples, counter, unused,
        np.empty(0, dtype=np.int64), np.empty(0, dtype=np.bool_), effects, converged,
    )  # fmt: skip


@njit(nogil=True, **OPTIONS)
def fcm_samples_on_cores(  # pragma: no cover - jitted
    indptr, sources, weights, initial, clamped, clamp_values, push, rule, transfer, lam,
    threshold, max_steps, counter, final, steps, converged, worker, workers,
):  # fmt: skip
    """:func:`run_fcm_samples` for one of several threads: each calls this with the same
    ``counter`` (a zeroed one-element int64 array) and the same outputs (``final`` factors by
    samples), and takes samples from it until none is left."""
    _run_lanes(
        indptr, sources, initial, clamped, clamp_values, push, rule, transfer, lam, threshold,
        max_steps, False, weights, np.empty(0), np.empty(0), np.uint64(0), 0,
        weights.shape[0], counter, final, steps, converged, np.empty((0, 0)),
        np.empty(0, dtype=np.bool_),
    )  # fmt: skip
