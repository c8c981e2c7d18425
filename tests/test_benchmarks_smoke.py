"""Every script in ``benchmarks/`` runs, at a tiny size (``--smoke``), so none can rot
unnoticed. No time is asserted: a benchmark's figures are read by people, not tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
TESTED_APART = {
    p.name.removeprefix("test_")
    for p in (Path(__file__).parent / "benchmarks").glob("test_bench_*.py")
}
"""Scripts whose own test in ``tests/benchmarks/`` runs them ``--smoke`` and checks their
output: not run a second time here."""
SCRIPTS = sorted(
    p.name
    for p in BENCHMARKS.glob("*.py")
    if not p.name.startswith("_") and p.name not in TESTED_APART
)
NEEDS_BROWSER = {"bench_canvas.py"}


def test_the_list_is_not_empty() -> None:
    assert {"bench_api.py", "bench_loops.py"} <= set(SCRIPTS)
    assert {"bench_monte_carlo.py", "bench_suggest.py"} <= TESTED_APART
    every = {p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")}
    assert every == set(SCRIPTS) | TESTED_APART  # each script is run by one test


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_runs_at_a_tiny_size(script: str, tmp_path: Path) -> None:
    if script in NEEDS_BROWSER:
        pytest.importorskip("playwright")
    env = {**os.environ, "LOOPWISE_DATA_DIR": str(tmp_path)}
    src = str(BENCHMARKS.parent / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--smoke"],
        cwd=BENCHMARKS.parent, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"{script} --smoke failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    )
    assert done.stdout.strip(), f"{script} --smoke printed nothing"
