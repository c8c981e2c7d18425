"""The Monte Carlo inner loop, compiled with numba: many FCM runs at once on sparse links.

Each sample has its own link weights. Samples are processed in blocks of :data:`BLOCK`
(laid out so the innermost loop runs over the block's samples, which the compiler turns into
vector instructions), blocks in parallel on all cores. Inside a block a sample stops
changing once it has converged, exactly as the numpy reference
(:func:`loopwise.simulation.monte_carlo.run_fcm_batch`) stops it: the same rules, transfer
functions, clamps, pushes and stopping test, in the same order of operations.

Codes: rule 0 kosko, 1 modified, 2 rescaled; transfer 0 sigmoid, 1 tanh, 2 bivalent,
3 trivalent.

Example:
    >>> import numpy as np
    >>> indptr = np.array([0, 0, 1]); sources = np.array([0])  # factor 0 -> factor 1
    >>> weights = np.array([[1.0], [-1.0]])  # two samples
    >>> final, steps, ok = run_fcm_samples(
    ...     indptr, sources, weights, np.array([1.0, 0.0]), np.array([True, False]),
    ...     np.array([1.0, 0.0]), np.zeros(2), 0, 1, 1.0, 1e-9, 50)
    >>> np.round(final[:, 1], 3).tolist(), ok.tolist()
    ([0.762, -0.762], [True, True])
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

BLOCK = 8
RULE_CODES = {"kosko": 0, "modified": 1, "rescaled": 2}
TRANSFER_CODES = {"sigmoid": 0, "tanh": 1, "bivalent": 2, "trivalent": 3}


@njit(cache=True, inline="always")
def _transfer(x, code, lam):  # pragma: no cover - jitted
    if code == 0:
        return 1.0 / (1.0 + np.exp(-lam * x))
    if code == 1:
        return np.tanh(lam * x)
    if code == 2:
        return 1.0 if x > 0 else 0.0
    if x > 0:
        return 1.0
    if x < 0:
        return -1.0
    return 0.0


@njit(cache=True, parallel=True)
def run_fcm_samples(  # pragma: no cover - jitted
    indptr, sources, weights, initial, clamped, clamp_values, push, rule, transfer, lam,
    threshold, max_steps,
):  # fmt: skip
    """Run one FCM per row of ``weights`` (links sorted by target: the links into factor
    ``i`` are ``indptr[i]:indptr[i+1]``, coming from ``sources``).

    Returns ``(final states (S, n), steps (S,), converged (S,))``. A sample's final state is
    recorded the step it converges; the block goes on computing it (harmlessly) until every
    sample of the block has converged, so no state is ever copied column by column.
    """
    samples = weights.shape[0]
    n = indptr.shape[0] - 1
    n_links = sources.shape[0]
    final = np.empty((samples, n))
    steps = np.full(samples, max_steps, dtype=np.int64)
    converged = np.zeros(samples, dtype=np.bool_)
    n_blocks = (samples + BLOCK - 1) // BLOCK
    for block in prange(n_blocks):
        first = block * BLOCK
        size = min(BLOCK, samples - first)
        w = np.zeros((n_links, BLOCK))
        for e in range(n_links):
            for b in range(size):
                w[e, b] = weights[first + b, e]
        state = np.empty((n, BLOCK))
        new = np.empty((n, BLOCK))
        sent = np.empty((n, BLOCK))
        acc = np.empty(BLOCK)
        change = np.empty(BLOCK)
        for i in range(n):
            for b in range(BLOCK):
                state[i, b] = clamp_values[i] if clamped[i] else initial[i]
        done = np.zeros(BLOCK, dtype=np.bool_)
        for b in range(size, BLOCK):
            done[b] = True
        remaining = size
        for step in range(1, max_steps + 1):
            if rule == 2:  # rescaled: factors send 2A - 1
                for i in range(n):
                    for b in range(BLOCK):
                        sent[i, b] = 2.0 * state[i, b] - 1.0
                source = sent
            else:
                source = state
            for b in range(BLOCK):
                change[b] = 0.0
            for i in range(n):
                for b in range(BLOCK):
                    acc[b] = 0.0
                for e in range(indptr[i], indptr[i + 1]):
                    j = sources[e]
                    for b in range(BLOCK):
                        acc[b] += source[j, b] * w[e, b]
                if clamped[i]:
                    for b in range(BLOCK):
                        new[i, b] = clamp_values[i]
                else:
                    # one branch-free loop per rule and transfer, so each vectorises
                    for b in range(BLOCK):
                        acc[b] = push[i] + acc[b]
                    if rule == 1:
                        for b in range(BLOCK):
                            acc[b] = state[i, b] + acc[b]
                    elif rule == 2:
                        for b in range(BLOCK):
                            acc[b] = (2.0 * state[i, b] - 1.0) + acc[b]
                    if transfer == 0:
                        for b in range(BLOCK):
                            new[i, b] = 1.0 / (1.0 + np.exp(-lam * acc[b]))
                    elif transfer == 1:
                        for b in range(BLOCK):
                            new[i, b] = np.tanh(lam * acc[b])
                    elif transfer == 2:
                        for b in range(BLOCK):
                            new[i, b] = 1.0 if acc[b] > 0 else 0.0
                    else:
                        for b in range(BLOCK):
                            new[i, b] = _transfer(acc[b], 3, lam)
                for b in range(BLOCK):
                    d = abs(new[i, b] - state[i, b])
                    if d > change[b]:
                        change[b] = d
            for b in range(BLOCK):
                if not done[b] and change[b] <= threshold:
                    done[b] = True
                    remaining -= 1
                    steps[first + b] = step
                    converged[first + b] = True
                    for i in range(n):
                        final[first + b, i] = new[i, b]
            state, new = new, state
            if remaining == 0:
                break
        for b in range(size):
            if not done[b]:
                for i in range(n):
                    final[first + b, i] = state[i, b]
    return final, steps, converged
