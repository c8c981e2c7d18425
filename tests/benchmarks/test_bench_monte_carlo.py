"""``benchmarks/bench_monte_carlo.py`` runs (at its tiny smoke size) and finds loopwise and its
batched-numpy peer equal: a benchmark that breaks, or a peer that drifts, fails here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def test_the_monte_carlo_benchmark_runs_in_smoke_mode() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_monte_carlo.py"), "--smoke"],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| built-in")
            or line.startswith("| random")]  # fmt: skip
    assert len(rows) == 8 and not any("DIFFERENT" in row for row in rows)
    assert "same effects (to 1e-9): True" in done.stdout


def test_the_numpy_peer_equals_monte_carlo_on_the_same_weights() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from _numpy_fcm import NumpyPeer
        from bench_monte_carlo import random_map
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from loopwise.simulation import monte_carlo
    from loopwise.simulation.fcm import build_scenario, link_arrays
    from loopwise.simulation.monte_carlo import link_uncertainty

    m = random_map(30, 90, seed=2)
    sources, targets, _ = link_arrays(m)
    low, high = link_uncertainty(m)
    peer = NumpyPeer(sources, targets, len(m.factors))
    for rule in ("kosko", "modified", "rescaled"):
        for transfer in ("sigmoid", "tanh", "bivalent", "trivalent"):
            settings = {"rule": rule, "transfer": transfer, "lam": 0.7, "max_steps": 60}
            scenario = build_scenario(m, clamp={"f0": 1.0}, push={"f1": 0.3}, transfer=transfer)
            got = peer.effects(low, high, samples=21, seed=5, initial=scenario.initial,
                               clamp=scenario.clamp, push=scenario.push, chunk=8,
                               **settings)  # fmt: skip
            want = monte_carlo(m, samples=21, seed=5, clamp={"f0": 1.0}, push={"f1": 0.3},
                               **settings).effects.to_numpy()  # fmt: skip
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=f"{rule} {transfer}")
