"""Benchmark: import a generated Kumu project export (10,000 elements, 30,000 connections).

Reading means: file -> validated :class:`loopwise.model.Map` (what ``loopwise import`` does
before it writes anything). The baseline is ``json.load`` of the same file, so the ratio says
how much the Kumu mapping and the model's validation cost on top of parsing.

Run:  python benchmarks/bench_import.py [--factors 10000] [--links 30000] [--repeat 3]
(``--smoke``: 200 elements, 400 connections, once).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from loopwise.formats import read_map


def kumu_project(n_factors: int, n_links: int, seed: int = 7) -> dict:
    """A Kumu full project export with random distinct connections and some positions."""
    rng = random.Random(seed)
    elements = [
        {
            "_id": f"elem-{i:06d}X",
            "attributes": {
                "label": f"Factor {i}",
                "element type": rng.choice(["Factor", "Outcome", "Service"]),
                "description": f"Description of factor {i}.",
                "tags": rng.sample(["housing", "health", "justice", "money", "family"], 2),
                "Region": rng.choice(["North", "South"]),
            },
        }
        for i in range(n_factors)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_links:
        a, b = rng.randrange(n_factors), rng.randrange(n_factors)
        if a != b:
            pairs.add((a, b))
    connections = [
        {
            "_id": f"conn-{n:06d}X",
            "from": elements[a]["_id"],
            "to": elements[b]["_id"],
            "direction": "directed",
            "delayed": rng.random() < 0.1,
            "attributes": {
                "connection type": rng.choice(["+", "-", "same", "opposite"]),
                "description": "Because.",
            },  # fmt: skip
        }
        for n, (a, b) in enumerate(sorted(pairs))
    ]
    placed = [
        {"_id": f"mapel-{i}", "element": elements[i]["_id"],
         "position": {"x": rng.uniform(-5000, 5000), "y": rng.uniform(-5000, 5000)}}
        for i in range(0, n_factors, 2)
    ]  # fmt: skip
    return {"name": "Benchmark", "elements": elements, "connections": connections, "loops": [],
            "maps": [{"_id": "map-1", "elements": placed}], "perspectives": []}  # fmt: skip


def _time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny run: does it work?")
    args = parser.parse_args()
    if args.smoke:
        args.factors, args.links, args.repeat = 200, 400, 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.kumu.json"
        path.write_text(json.dumps(kumu_project(args.factors, args.links)), encoding="utf-8")
        size = path.stat().st_size

        def baseline() -> None:
            with path.open(encoding="utf-8") as handle:
                json.load(handle)

        map_ = read_map(path, "kumu-project")
        assert len(map_.factors) == args.factors and len(map_.links) == args.links
        base = _time(baseline, args.repeat)
        ours = _time(lambda: read_map(path, "kumu-project"), args.repeat)
    print(f"Kumu project export: {args.factors:,} elements, {args.links:,} connections, "
          f"{size / 1e6:.1f} MB (median of {args.repeat})")  # fmt: skip
    print(f"{'step':<44}{'seconds':>10}{'ratio':>10}")
    print(f"{'json.load (baseline)':<44}{base:>10.3f}{1.0:>10.1f}")
    print(f"{'read_map -> validated Map (kumu-project)':<44}{ours:>10.3f}{ours / base:>10.1f}")
    print(f"target: under 10 s -> {'met' if ours < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
