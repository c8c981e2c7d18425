"""A batched-numpy Monte Carlo peer for ``bench_monte_carlo.py``: what a competent numpy user
would write instead of calling :func:`loopwise.simulation.monte_carlo`.

All samples of a chunk run at once, one thread: the states are an array (samples, factors),
one step is a gather of the link sources (``numpy.take``), a multiply by the sampled weights
and a segmented sum by link target (``numpy.add.reduceat`` over links sorted by target),
then the rule, the transfer function (in place) and the clamps. Samples that have converged
leave the arrays, so they stop costing work. Samples run in chunks of ``chunk`` rows, so the
memory is bounded by ``chunk x links``, not ``samples x links``.

The weights come from :func:`loopwise.simulation.monte_carlo.sample_link_weights` (the same
generator, seed and sample numbers as :func:`~loopwise.simulation.monte_carlo.monte_carlo`),
so the two compute the same effects on the same weights; the benchmark checks that they do.

Example:
    >>> import numpy as np
    >>> peer = NumpyPeer(np.array([0]), np.array([1]), 2)  # factor 0 -> factor 1
    >>> low, high = np.array([0.5]), np.array([0.5])  # no uncertainty
    >>> effects = peer.effects(low, high, samples=3, seed=1, initial=np.zeros(2),
    ...                        clamp={0: 1.0}, transfer="tanh")
    >>> np.round(effects[:, 1], 4).tolist()
    [0.4621, 0.4621, 0.4621]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from loopwise.simulation.monte_carlo import sample_link_weights


class NumpyPeer:
    """Batched-numpy FCM runs on one map's links (``sources[e] -> targets[e]``, ``n`` factors).

    The links are sorted by target once; :meth:`effects` samples weights straight into that
    order, as ``monte_carlo`` does.
    """

    def __init__(self, sources: np.ndarray, targets: np.ndarray, n: int) -> None:
        self.order = np.argsort(targets, kind="stable")
        self.sources = np.asarray(sources, np.intp)[self.order]
        sorted_targets = np.asarray(targets, np.intp)[self.order]
        self.receivers, self.starts = np.unique(sorted_targets, return_index=True)
        self.n = n
        self.every_factor_receives = self.receivers.size == n

    def effects(
        self,
        low: np.ndarray,
        high: np.ndarray,
        *,
        samples: int,
        seed: int,
        initial: np.ndarray,
        clamp: Mapping[int, float] | None = None,
        push: np.ndarray | None = None,
        rule: str = "kosko",
        transfer: str = "sigmoid",
        lam: float = 1.0,
        threshold: float = 1e-5,
        max_steps: int = 100,
        chunk: int = 1024,
    ) -> np.ndarray:
        """Scenario - baseline of every sample (rows) and factor (columns).

        ``low`` and ``high`` are the links' weight ranges in map order; the baseline has no
        clamp and no push, the scenario ``clamp`` (factor index -> value) and ``push``.
        """
        low, high = low[self.order], high[self.order]
        out = np.empty((samples, self.n))
        push_row = np.zeros(self.n) if push is None else np.asarray(push, float)
        clamp = dict(clamp or {})
        settings = dict(rule=rule, transfer=transfer, lam=lam, threshold=threshold,
                        max_steps=max_steps)  # fmt: skip
        for begin in range(0, samples, chunk):
            size = min(chunk, samples - begin)
            weights = sample_link_weights(low, high, size, seed, first=begin)
            base = self.run(weights, initial, {}, np.zeros(self.n), **settings)
            scenario = self.run(weights, initial, clamp, push_row, **settings)
            np.subtract(scenario, base, out=out[begin : begin + size])
        return out

    def run(
        self,
        weights: np.ndarray,
        initial: np.ndarray,
        clamp: Mapping[int, float],
        push: np.ndarray,
        *,
        rule: str,
        transfer: str,
        lam: float,
        threshold: float,
        max_steps: int,
    ) -> np.ndarray:
        """The final state of one FCM run per row of ``weights`` (links in target order)."""
        rows = weights.shape[0]
        clamp_idx = np.fromiter(clamp.keys(), np.intp, len(clamp))
        clamp_val = np.fromiter(clamp.values(), float, len(clamp))
        state = np.tile(np.asarray(initial, float), (rows, 1))
        state[:, clamp_idx] = clamp_val
        final = np.empty_like(state)
        active = np.arange(rows)
        w = weights
        sent = np.empty_like(w)
        new = np.empty_like(state)
        for _ in range(max_steps):
            source = 2.0 * state - 1.0 if rule == "rescaled" else state
            np.take(source, self.sources, axis=1, out=sent)
            sent *= w
            if self.every_factor_receives:
                np.add.reduceat(sent, self.starts, axis=1, out=new)
                new += push
            else:
                new[:] = push
                new[:, self.receivers] += np.add.reduceat(sent, self.starts, axis=1)
            if rule == "modified":
                np.add(state, new, out=new)
            elif rule == "rescaled":
                np.add(2.0 * state - 1.0, new, out=new)
            self._transfer(new, transfer, lam)
            new[:, clamp_idx] = clamp_val
            change = np.abs(new - state).max(axis=1, initial=0.0)
            state, new = new, state
            done = change <= threshold
            if done.any():
                final[active[done]] = state[done]
                keep = ~done
                active, state, w = active[keep], state[keep], w[keep]
                new, sent = np.empty_like(state), np.empty_like(w)
                if not active.size:
                    return final
        final[active] = state
        return final

    @staticmethod
    def _transfer(x: np.ndarray, transfer: str, lam: float) -> None:
        """Apply the transfer function to ``x`` in place."""
        if transfer == "sigmoid":
            x *= -lam
            with np.errstate(over="ignore"):
                np.exp(x, out=x)
            x += 1.0
            np.reciprocal(x, out=x)
        elif transfer == "tanh":
            x *= lam
            np.tanh(x, out=x)
        elif transfer == "bivalent":
            np.greater(x, 0.0, out=x, casting="unsafe")
        else:
            np.sign(x, out=x)
