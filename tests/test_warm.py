"""Warming the compiled kernels up: after it, a Monte Carlo run needs no compiling."""

from __future__ import annotations

from loopwise.warm import kernels_ready, warm_up_in_background


def test_warm_up_compiles_every_kernel() -> None:
    warm_up_in_background().join(timeout=300)
    assert kernels_ready()
