"""``benchmarks/bench_suggest.py --smoke`` runs every path it measures on ~40 sentences: a
benchmark that breaks fails here (its figures are not checked; they belong to a full run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from loopwise.evidence.embeddings import nlp_available

ROOT = Path(__file__).resolve().parents[2]


def test_the_suggest_benchmark_runs_in_smoke_mode() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_suggest.py"), "--smoke"],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "sentences: " in out and "rule layer alone (baseline): " in out
    assert "rules + lexical matching: " in out
    if nlp_available():
        for line in ("embedding model load: ", "trained detector load: ", "trained detector: ",
                     "trained + embeddings: "):  # fmt: skip
            assert line in out, out
        assert "CPU time: " in out.split("trained detector: ")[1]
