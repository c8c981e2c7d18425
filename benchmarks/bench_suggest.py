"""Speed of ``evidence suggest``: sentences per second, rule layer alone (the baseline)
against rules + embedding matching (the [nlp] extra), model load time reported apart.

Run: python benchmarks/bench_suggest.py [--repeat 5]
The text is the seed interview document repeated to ~2,000 sentences; the map is the
built-in one (75 factors).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from loopwise.evidence.sentences import split_sentences
from loopwise.evidence.suggest import suggest_claims
from loopwise.formats.loopwise_json import loads_map

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_8becc94c9f9319c9.txt"
FALLBACK = ROOT / "tests" / "data" / "evidence" / "interview_p01.txt"
MAP_FILE = ROOT / "src" / "loopwise" / "data" / "maps" / "breaking-the-cycle.json"


def _best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=2000)
    args = parser.parse_args()
    base = (SEED if SEED.exists() else FALLBACK).read_text(encoding="utf-8")
    per_copy = len(split_sentences(base))
    text = "\n\n".join([base] * max(1, args.sentences // per_copy))
    n = len(split_sentences(text))
    map_ = loads_map(MAP_FILE.read_text(encoding="utf-8"))

    from loopwise.evidence.matching import LexicalMatcher

    rules = _best(args.repeat, lambda: suggest_claims(text))
    lexical = _best(
        args.repeat, lambda: suggest_claims(text, map_, matcher=LexicalMatcher(map_.factors))
    )
    print(f"sentences: {n}")
    print(f"rule layer alone (baseline): {n / rules:,.0f} sentences/s")
    print(
        f"rules + lexical matching:    {n / lexical:,.0f} sentences/s  "
        f"({lexical / rules:.2f}x the baseline time)"
    )
    try:
        from loopwise.evidence import embeddings
        from loopwise.evidence.embeddings import EmbeddingMatcher

        started = time.perf_counter()
        embeddings.load_embedding_model()
        load = time.perf_counter() - started
        matcher = EmbeddingMatcher(map_.factors)
        emb = _best(args.repeat, lambda: suggest_claims(text, map_, matcher=matcher))
    except embeddings.NlpExtraMissing as exc:
        print(f"embeddings: skipped ({exc})")
        return
    print(f"model load: {load:.2f} s (once per process)")
    print(
        f"rules + embeddings:          {n / emb:,.0f} sentences/s  "
        f"({emb / rules:.1f}x the baseline time)"
    )


if __name__ == "__main__":
    main()
