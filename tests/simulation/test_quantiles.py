"""The compiled quantiles of the Monte Carlo summary, against numpy's."""

from __future__ import annotations

import numpy as np


def test_quantiles_equal_numpys() -> None:
    from loopwise.simulation.monte_carlo import _quantiles

    rng = np.random.default_rng(4)
    qs = (0.05, 0.5, 0.95)
    for shape in [(3, 1), (4, 2), (5, 19), (7, 1000), (2, 10_001)]:
        data = rng.normal(size=shape)
        data[0] = np.round(data[0], 1)  # ties
        np.testing.assert_allclose(_quantiles(data, qs), np.quantile(data, qs, axis=1),
                                   rtol=0, atol=1e-15)  # fmt: skip
    # one huge outlier puts nearly everything in the first bucket; constant rows; a few
    # distinct values; all in one row each
    skewed = np.zeros((4, 5000))
    skewed[0, :300] = rng.random(300)
    skewed[0, 7] = 1e12
    skewed[1] = -2.5
    skewed[2] = rng.integers(0, 3, 5000)
    skewed[3] = rng.standard_cauchy(5000)
    np.testing.assert_allclose(
        _quantiles(skewed, qs), np.quantile(skewed, qs, axis=1), rtol=1e-15, atol=0
    )


# ---------------------------------------------------------------------------- the result
