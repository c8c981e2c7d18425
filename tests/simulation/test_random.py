"""The counter-based generator the Monte Carlo kernel draws its link weights from."""

from __future__ import annotations

import numpy as np


def test_the_generator_is_uniform_and_its_streams_do_not_repeat() -> None:
    """The counter-based generator inside the kernel: uniform on [0, 1) by its deciles, no
    correlation between neighbouring samples or links, different seeds differ, and a sample's
    numbers do not depend on where a chunk starts."""
    from loopwise.simulation.monte_carlo import sample_link_weights

    u = sample_link_weights(np.zeros(50), np.ones(50), 4000, seed=11)
    assert ((u >= 0) & (u < 1)).all() and len(np.unique(u)) == u.size
    counts = np.histogram(u, bins=10, range=(0, 1))[0]
    expected = u.size / 10
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < 27.9  # 9 degrees of freedom, p = 0.001
    assert abs(np.corrcoef(u[:-1].ravel(), u[1:].ravel())[0, 1]) < 0.01  # sample k vs k + 1
    assert abs(np.corrcoef(u[:, :-1].ravel(), u[:, 1:].ravel())[0, 1]) < 0.01  # link e vs e + 1
    other = sample_link_weights(np.zeros(50), np.ones(50), 4000, seed=12)
    assert not np.isclose(u, other).mean() > 0.01
    np.testing.assert_array_equal(
        sample_link_weights(np.zeros(50), np.ones(50), 10, seed=11, first=1234), u[1234:1244]
    )
