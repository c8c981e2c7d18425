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

    Returns ``(final states (S, n), steps (S,), converged (S,))``.
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
        sent = np.empty((n, BLOCK))
        new = np.empty((n, BLOCK))
        acc = np.empty(BLOCK)
        for i in range(n):
            for b in range(BLOCK):
                state[i, b] = clamp_values[i] if clamped[i] else initial[i]
        done = np.zeros(BLOCK, dtype=np.bool_)
        for b in range(size, BLOCK):
            done[b] = True
        remaining = size
        for step in range(1, max_steps + 1):
            for i in range(n):
                for b in range(BLOCK):
                    sent[i, b] = 2.0 * state[i, b] - 1.0 if rule == 2 else state[i, b]
            for i in range(n):
                for b in range(BLOCK):
                    acc[b] = 0.0
                for e in range(indptr[i], indptr[i + 1]):
                    j = sources[e]
                    for b in range(BLOCK):
                        acc[b] += sent[j, b] * w[e, b]
                for b in range(BLOCK):
                    total = push[i] + acc[b]
                    if rule == 1:
                        total = state[i, b] + total
                    elif rule == 2:
                        total = (2.0 * state[i, b] - 1.0) + total
                    new[i, b] = clamp_values[i] if clamped[i] else _transfer(total, transfer, lam)
            for b in range(BLOCK):
                if done[b]:
                    continue
                change = 0.0
                for i in range(n):
                    d = abs(new[i, b] - state[i, b])
                    if d > change:
                        change = d
                for i in range(n):
                    state[i, b] = new[i, b]
                if change <= threshold:
                    done[b] = True
                    remaining -= 1
                    steps[first + b] = step
                    converged[first + b] = True
            if remaining == 0:
                break
        for b in range(size):
            for i in range(n):
                final[first + b, i] = state[i, b]
    return final, steps, converged
