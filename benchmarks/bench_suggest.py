"""Speed of ``evidence suggest``: sentences per second, rule layer alone (the baseline)
against rules + embedding matching and the trained detector (the [nlp] extra), model load
times reported apart.

Run: python benchmarks/bench_suggest.py [--repeat 3] [--threads 1]
The text is the seed interview document repeated to ~2,000 sentences; the map is the
built-in one (75 factors). "rules before issue 16" is the rule layer as it was at commit
27c067c, read with git and timed in this same process (skipped without git), so the ratio
says whether the rule fixes made the rules-only path slower.
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


def _best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


class _OldRules:
    """The rule layer at BASELINE_COMMIT, loaded from git into this process."""

    name = "rules before issue 16"

    def __init__(self) -> None:
        source = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:src/loopwise/evidence/rules.py"],
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
    args = parser.parse_args()
    base = (SEED if SEED.exists() else FALLBACK).read_text(encoding="utf-8")
    per_copy = len(split_sentences(base))
    text = "\n\n".join([base] * max(1, args.sentences // per_copy))
    n = len(split_sentences(text))
    map_ = loads_map(MAP_FILE.read_text(encoding="utf-8"))

    from loopwise.evidence.matching import LexicalMatcher

    rules = _best(args.repeat, lambda: suggest_claims(text, detector=RuleDetector()))
    print(f"sentences: {n}")
    print(f"rule layer alone (baseline): {n / rules:,.0f} sentences/s")
    try:
        old = _OldRules()
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"rules before issue 16: skipped ({exc})")
    else:
        before = _best(args.repeat, lambda: suggest_claims(text, detector=old))
        print(
            f"rules before issue 16:       {n / before:,.0f} sentences/s  "
            f"(the rules now take {rules / before:.2f}x its time)"
        )
    lexical = _best(
        args.repeat, lambda: suggest_claims(text, map_, matcher=LexicalMatcher(map_.factors))
    )
    print(
        f"rules + lexical matching:    {n / lexical:,.0f} sentences/s  "
        f"({lexical / rules:.2f}x the baseline time)"
    )
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
    print(f"trained detector load: {time.perf_counter() - started:.2f} s (heads + layer copy)")
    found = _best(args.repeat, lambda: suggest_claims(text, detector=detector))
    print(
        f"trained detector:            {n / found:,.0f} sentences/s  "
        f"({found / rules:.1f}x the baseline time)"
    )
    matcher = EmbeddingMatcher(map_.factors)
    emb = _best(args.repeat, lambda: suggest_claims(text, map_, matcher=matcher))
    print(
        f"rules + embeddings:          {n / emb:,.0f} sentences/s  "
        f"({emb / rules:.1f}x the baseline time)"
    )
    both = _best(
        args.repeat, lambda: suggest_claims(text, map_, matcher=matcher, detector=detector)
    )
    print(
        f"trained + embeddings:        {n / both:,.0f} sentences/s  "
        f"({both / rules:.1f}x the baseline time)"
    )


if __name__ == "__main__":
    main()
