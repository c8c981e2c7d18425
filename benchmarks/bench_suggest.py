"""Speed of ``evidence suggest``: sentences per second, rule layer alone (the baseline)
against rules + embedding matching and the trained detector (the [nlp] extra), model load
times reported apart.

Run: python benchmarks/bench_suggest.py [--repeat 3] [--threads 1] [--smoke]
The text is the seed interview document repeated to ~2,000 sentences; the map is the
built-in one (75 factors). "rules before issue 16" is the rule layer as it was at commit
27c067c, read with git and timed in this same process (skipped without git), so the ratio
says whether the rule fixes made the rules-only path slower.

Each rate is given twice: per second of wall time, and per second of this process's CPU
time. On a machine that other jobs share the wall rate falls with their load, while the CPU
rate (with one torch thread) is what the same work gets from one idle core. ``--smoke``
runs every path once on ~40 sentences (a check that the benchmark works, for CI).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loopwise.evidence.detect import RuleDetector
from loopwise.evidence.sentences import split_sentences
from loopwise.evidence.suggest import suggest_claims
from loopwise.formats.loopwise_json import loads_map

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_8becc94c9f9319c9.txt"
FALLBACK = ROOT / "tests" / "data" / "evidence" / "interview_p01.txt"
MAP_FILE = ROOT / "src" / "loopwise" / "data" / "maps" / "breaking-the-cycle.json"
BASELINE_COMMIT = "27c067c"


class Timing:
    """The best of ``repeat`` runs: wall seconds and CPU seconds of this process."""

    def __init__(self, wall: float, cpu: float) -> None:
        self.wall, self.cpu = wall, cpu

    def rates(self, n: int) -> str:
        return f"{n / self.wall:,.0f} sentences/s (CPU time: {n / self.cpu:,.0f}/s)"


def _best(repeat: int, run) -> Timing:
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return Timing(min(walls), min(cpus))


def _ratio(t: Timing, base: Timing) -> str:
    return f"{t.wall / base.wall:.1f}x the baseline time, CPU {t.cpu / base.cpu:.1f}x"


class _OldRules:
    """The rule layer at BASELINE_COMMIT, loaded from git into this process."""

    name = "rules before issue 16"

    def __init__(self) -> None:
        source = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:src/loopwise/evidence/rules.py"],  # now cues.py
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        path = Path(tempfile.mkdtemp()) / "rules_before_16.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("rules_before_16", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["rules_before_16"] = module
        spec.loader.exec_module(module)
        self._find = module.find_claims

    def claims(self, sentences):
        return [self._find(s) for s in sentences]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (1: the CPU is shared, and spare threads only spin)",
    )
    parser.add_argument("--smoke", action="store_true", help="once, on ~40 sentences (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.repeat, args.sentences = 1, 40
    base = (SEED if SEED.exists() else FALLBACK).read_text(encoding="utf-8")
    per_copy = len(split_sentences(base))
    if args.sentences < per_copy:
        sentences = split_sentences(base)[: args.sentences]
        text = base[: sentences[-1].end]
    else:
        text = "\n\n".join([base] * max(1, args.sentences // per_copy))
    n = len(split_sentences(text))
    map_ = loads_map(MAP_FILE.read_text(encoding="utf-8"))

    from loopwise.evidence.matching import LexicalMatcher

    rules = _best(args.repeat, lambda: suggest_claims(text, detector=RuleDetector()))
    print(f"sentences: {n}")
    print(f"rule layer alone (baseline): {rules.rates(n)}")
    try:
        old = _OldRules()
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"rules before issue 16: skipped ({exc})")
    else:
        before = _best(args.repeat, lambda: suggest_claims(text, detector=old))
        print(
            f"rules before issue 16:       {before.rates(n)}  "
            f"(the rules now take {rules.wall / before.wall:.2f}x its time, "
            f"CPU {rules.cpu / before.cpu:.2f}x)"
        )
    lexical = _best(
        args.repeat, lambda: suggest_claims(text, map_, matcher=LexicalMatcher(map_.factors))
    )
    print(f"rules + lexical matching:    {lexical.rates(n)}  ({_ratio(lexical, rules)})")
    from loopwise.evidence import embeddings
    from loopwise.evidence.embeddings import EmbeddingMatcher

    try:
        started = time.perf_counter()
        embeddings.load_embedding_model()
        load = time.perf_counter() - started
        import torch

        torch.set_num_threads(args.threads)
    except embeddings.NlpExtraMissing as exc:
        print(f"embeddings and trained detector: skipped ({exc})")
        return
    print(f"embedding model load: {load:.2f} s (once per process; torch threads {args.threads})")
    from loopwise.evidence.trained import TrainedDetector

    started = time.perf_counter()
    detector = TrainedDetector.load()
    print(
        f"trained detector load: {time.perf_counter() - started:.2f} s (heads + layer copy; "
        f"bfloat16 matrix products: {'yes' if detector.encoder.bfloat16 else 'no'})"
    )
    detector.claims(split_sentences(base)[0].text.split("\n")[:1])  # first call's set-up
    found = _best(args.repeat, lambda: suggest_claims(text, detector=detector))
    print(f"trained detector:            {found.rates(n)}  ({_ratio(found, rules)})")
    started = time.perf_counter()
    matcher = EmbeddingMatcher(map_.factors)
    first = time.perf_counter() - started
    started = time.perf_counter()
    EmbeddingMatcher(map_.factors)
    again = time.perf_counter() - started
    print(
        f"embedding matcher for the map: {first:.2f} s, again for the same map version "
        f"{again * 1000:.1f} ms (its factors' vectors are kept)"
    )
    emb = _best(args.repeat, lambda: suggest_claims(text, map_, matcher=matcher))
    print(f"rules + embeddings:          {emb.rates(n)}  ({_ratio(emb, rules)})")
    both = _best(
        args.repeat, lambda: suggest_claims(text, map_, matcher=matcher, detector=detector)
    )
    print(f"trained + embeddings:        {both.rates(n)}  ({_ratio(both, rules)})")


if __name__ == "__main__":
    main()
