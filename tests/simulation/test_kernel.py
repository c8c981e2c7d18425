"""The compiled FCM steps: the exponential they use, and the steps against numpy's."""

from __future__ import annotations

import numpy as np
import pytest


def test_the_compiled_exponential_is_exact_to_the_last_bits() -> None:
    from loopwise.simulation._compiled import vectorised
    from loopwise.simulation._vector_math import exp_values

    x = np.concatenate(
        [np.linspace(-700, 700, 200_001), np.random.default_rng(0).normal(0, 5, 10_000)]
    )
    np.testing.assert_allclose(vectorised(exp_values)(x), np.exp(x), rtol=5e-16, atol=0)
    # beyond the float range it saturates instead of overflowing to inf or nan
    assert np.isfinite(vectorised(exp_values)(np.array([-1e6, 1e6, 800.0]))).all()


@pytest.mark.parametrize("rule", ["kosko", "modified", "rescaled"])
@pytest.mark.parametrize("transfer", ["sigmoid", "tanh", "bivalent", "trivalent"])
def test_compiled_kernel_equals_the_numpy_reference(rule: str, transfer: str) -> None:
    """monte_carlo's compiled steps against run_fcm_batch (numpy) on a random sparse map, with
    a clamp and a push, for every rule and transfer: same states, steps and convergence."""
    from loopwise.simulation.monte_carlo import _compiled_iterate, _iterate, _Links

    rng = np.random.default_rng(3)
    n, n_links = 30, 90
    pairs = rng.choice(n * n, size=n_links, replace=False)
    sources, targets = pairs // n, pairs % n
    keep = sources != targets
    sources, targets = sources[keep], targets[keep]
    weights = rng.uniform(-1, 1, size=(37, len(sources)))  # 37: not a multiple of the block
    table = _Links.build(sources, targets, n)
    weights = np.ascontiguousarray(weights[:, table.order])
    low, high = (0.0, 1.0) if transfer in ("sigmoid", "bivalent") else (-1.0, 1.0)
    initial = rng.uniform(low, high, size=n) if transfer in ("sigmoid", "tanh") else np.zeros(n)
    push = np.zeros(n)
    push[5] = 0.3
    options = dict(rule=rule, transfer=transfer, lam=0.8, clamp={0: high}, push=push,
                   threshold=1e-6, max_steps=60)  # fmt: skip
    reference = _iterate(table, weights, initial, **options)
    compiled = _compiled_iterate(table, weights, initial, **options)
    np.testing.assert_allclose(compiled[0], reference[0], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(compiled[1], reference[1])
    np.testing.assert_array_equal(compiled[2], reference[2])
