"""Leverage rank intervals: the vectorised Monte Carlo against the deterministic leverage
run once per sample.

On the built-in map, :func:`loopwise.analysis.leverage_intervals.leverage_intervals` ranks
every factor over ``--samples`` draws of the link strengths (one compiled batch of all
samples per factor pushed). Two baselines do the same work one sample at a time:

- **deterministic leverage N times**: :func:`loopwise.analysis.leverage.leverage_frame` (the
  whole table: simulation, loops, reach, evidence), measured on ``--naive`` runs and scaled
  per run to N, as a user would get intervals without the batch;
- **effects only, one sample at a time**: for each sample, its weight matrix and one
  :func:`loopwise.simulation.run_fcm` per factor (the part that changes between samples),
  measured on ``--naive`` samples and scaled to N.

Only ratios are reported (absolute times depend on the machine); every time is the best of
three runs, after a warm-up that compiles the kernels.

Run: ``python benchmarks/bench_leverage_intervals.py [--samples N] [--naive N]``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from loopwise.analysis.leverage import leverage_frame
from loopwise.analysis.leverage_intervals import leverage_intervals
from loopwise.builtin import load_builtin_map
from loopwise.simulation.fcm import run_fcm
from loopwise.simulation.monte_carlo import link_uncertainty, sample_link_weights

REPEAT = 3


def best_of(run: Callable[[], object], repeat: int = REPEAT) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def effects_one_sample_at_a_time(map_, frame, samples: int) -> None:  # type: ignore[no-untyped-def]
    ids = [f.id for f in map_.factors]
    position = {fid: i for i, fid in enumerate(ids)}
    low, high = link_uncertainty(map_)
    weights = sample_link_weights(low, high, samples, seed=1)
    attrs = frame.attrs
    target = position[attrs["target"]]
    for row in weights:
        matrix = np.zeros((len(ids), len(ids)))
        for link, w in zip(map_.links, row, strict=True):
            matrix[position[link.source_factor], position[link.target_factor]] = w
        options = dict(rule=attrs["rule"], transfer=attrs["transfer"], lam=attrs["lam"],
                       max_steps=1000)  # fmt: skip
        base = run_fcm(matrix, 0.0, **options).state[target]
        for fid in frame.index:
            push = np.zeros(len(ids))
            push[position[fid]] = attrs["push"]
            _ = run_fcm(matrix, 0.0, push=push, **options).state[target] - base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="tiny run: 20 samples, 2 naive")
    args = parser.parse_args()
    if args.smoke:
        args.samples, args.naive = 20, 2
    map_ = load_builtin_map().without_inferences()
    frame = leverage_frame(map_)
    leverage_intervals(map_, samples=16, leverage=frame)  # compile the kernels
    ours = best_of(lambda: leverage_intervals(map_, samples=args.samples, leverage=frame))
    full = best_of(lambda: [leverage_frame(map_) for _ in range(args.naive)])
    full_scaled = full / args.naive * args.samples
    effects = best_of(lambda: effects_one_sample_at_a_time(map_, frame, args.naive))
    effects_scaled = effects / args.naive * args.samples
    print(f"# Leverage intervals on the built-in map ({len(map_.factors)} factors, "
          f"{len(map_.links)} links), {args.samples:,} samples")  # fmt: skip
    print()
    print("| baseline, one sample at a time (scaled from its measured runs) | ratio to ours |")
    print("|---|---:|")
    print(f"| deterministic leverage_frame x {args.samples:,} | {full_scaled / ours:.1f}x |")
    print(f"| effects only (run_fcm per factor) x {args.samples:,} | "
          f"{effects_scaled / ours:.1f}x |")  # fmt: skip


if __name__ == "__main__":
    main()
