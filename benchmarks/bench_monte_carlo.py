"""Monte Carlo over link uncertainty: loopwise against a batched-numpy peer, on one and two cores.

Eight cases: the built-in map (51 factors, 83 links; its first intervention pushed, slope
``min(1, 0.9 / spectral radius)``, up to 300 steps, as the scenario API runs it) and a seeded
random map (500 factors, 2,000 links, evidence of random kinds so that the weight ranges vary;
the first factor clamped at the top of the range, slope 1, up to 100 steps), each with the
sigmoid and tanh transfers and the Kosko and modified Kosko rules (threshold 1e-5).

``loopwise`` is :func:`loopwise.simulation.monte_carlo` (weights drawn, baseline and scenario
run, effects and their quantiles). The baseline is :class:`_numpy_fcm.NumpyPeer`: all samples
of a chunk at once in numpy (sparse segmented sums, converged samples dropped, one thread),
drawing the same weights and computing the same quantiles; the run checks that both give the
same effects (to 1e-9). Both run pinned to one core; loopwise runs again on two cores
(``os.sched_setaffinity``, which is how loopwise decides how many threads to use), in turns
with the one-core runs so that both see the same load. Every time is the best of three runs
(two for the peer); the CPU-time ratio (this process's CPU seconds) is the steadier figure
on a busy machine.

Run: ``python benchmarks/bench_monte_carlo.py [--samples-builtin N] [--samples-random N]``;
``--smoke`` (or ``LOOPWISE_BENCH_SMOKE=1``) runs tiny sizes in seconds, for CI.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _numpy_fcm import NumpyPeer  # noqa: E402

from loopwise import builtin_map  # noqa: E402
from loopwise.analysis.leverage import default_slope  # noqa: E402
from loopwise.model import Map  # noqa: E402
from loopwise.simulation import monte_carlo, weight_matrix  # noqa: E402
from loopwise.simulation.fcm import build_scenario, link_arrays  # noqa: E402
from loopwise.simulation.monte_carlo import link_uncertainty, sample_link_weights  # noqa: E402

T = TypeVar("T")
KINDS = ["statistic", "literature", "interview", "practitioner"]
QUANTILES = (0.05, 0.5, 0.95)


def random_map(n_factors: int = 500, n_links: int = 2000, seed: int = 0) -> Map:
    """A seeded random map: ``n_links`` distinct links, 60% positive, 0-2 evidence each."""
    rng = np.random.default_rng(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_links:
        a, b = (int(x) for x in rng.integers(0, n_factors, 2))
        if a != b:
            pairs.add((a, b))
    links = []
    for a, b in sorted(pairs):
        sign = 1 if rng.random() < 0.6 else -1
        links.append(
            {
                "from": f"f{a}", "to": f"f{b}", "polarity": "+" if sign > 0 else "-",
                "strength": round(sign * float(rng.uniform(0.1, 0.9)), 3),
                "evidence": [{"source": str(rng.choice(KINDS)), "text": "..."}
                             for _ in range(int(rng.integers(0, 3)))],
            }
        )  # fmt: skip
    return Map.from_dict(
        {
            "slug": "bench", "title": "Benchmark",
            "sources": [{"id": k, "kind": k, "title": k} for k in KINDS],
            "factors": [{"id": f"f{i}", "label": f"F{i}"} for i in range(n_factors)],
            "links": links,
        }
    )  # fmt: skip


@dataclass(frozen=True)
class Case:
    name: str
    map: Map
    samples: int
    scenario: dict[str, Any]  # clamp / push / interventions
    settings: dict[str, Any]  # rule / transfer / lam / max_steps


def cases(builtin_samples: int, random_samples: int, random_size: tuple[int, int]) -> list[Case]:
    builtin = builtin_map()
    random = random_map(*random_size)
    out = []
    for label, map_, samples, scenario, lam, steps in (
        ("built-in", builtin, builtin_samples,
         {"interventions": [builtin.interventions[0].id]},
         default_slope(weight_matrix(builtin)), 300),
        (f"random {random_size[0]}/{random_size[1]}", random, random_samples, None, 1.0, 100),
    ):  # fmt: skip
        for transfer in ("sigmoid", "tanh"):
            for rule in ("kosko", "modified"):
                this = scenario if scenario is not None else {"clamp": {"f0": 1.0}}
                out.append(Case(f"{label}, {transfer}, {rule}", map_, samples, this,
                                {"rule": rule, "transfer": transfer, "lam": lam,
                                 "max_steps": steps}))  # fmt: skip
    return out


def best_of(run: Callable[[], T], repeat: int) -> tuple[float, float, T]:
    """The fastest of ``repeat`` runs in wall-clock and in CPU seconds (this process, all
    threads), and the last result. On a busy machine the CPU time of a one-thread run is
    the steadier measure."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, result  # type: ignore[return-value]


@contextmanager
def cores(count: int) -> Iterator[None]:
    """Run the block on the first ``count`` of this process's cores (loopwise uses as many
    threads as it has cores)."""
    available = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, available[:count])
    try:
        yield
    finally:
        os.sched_setaffinity(0, available)


def run_loopwise(case: Case, seed: int) -> np.ndarray:
    result = monte_carlo(case.map, samples=case.samples, seed=seed, **case.scenario,
                         **case.settings)  # fmt: skip
    return result.effects.to_numpy()


def run_peer(case: Case, seed: int) -> np.ndarray:
    sources, targets, _ = link_arrays(case.map)
    low, high = link_uncertainty(case.map)
    resolved = build_scenario(case.map, transfer=case.settings["transfer"], **case.scenario)
    peer = NumpyPeer(sources, targets, len(case.map.factors))
    effects = peer.effects(low, high, samples=case.samples, seed=seed,
                           initial=resolved.initial, clamp=resolved.clamp, push=resolved.push,
                           **case.settings)  # fmt: skip
    np.quantile(effects, QUANTILES, axis=0)  # the summary monte_carlo reports
    return effects


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--samples-builtin", type=int, default=4000)
    parser.add_argument("--samples-random", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat (for CI)")
    args = parser.parse_args()
    size = (500, 2000)
    if args.smoke or os.environ.get("LOOPWISE_BENCH_SMOKE"):
        args.samples_builtin, args.samples_random, args.repeat, size = 40, 24, 1, (40, 120)
    two = len(os.sched_getaffinity(0)) >= 2

    machine = platform.processor() or platform.machine()
    print(f"# Monte Carlo benchmark ({machine}, {os.cpu_count()} CPUs, numpy {np.__version__}, "
          f"load average {os.getloadavg()[0]:.1f})")  # fmt: skip
    print()
    print("Times in seconds, best of runs; ratios = numpy peer / loopwise (higher is faster).")
    print()
    print("| case | samples | numpy peer | loopwise 1 thread | ratio | ratio (CPU time) | "
          "loopwise 2 threads | ratio | 2 vs 1 thread |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    all_same = True
    ratios, cpu_ratios = [], []
    sample_link_weights(np.zeros(1), np.ones(1), 1, 0)  # compile the peer's generator first
    for case in cases(args.samples_builtin, args.samples_random, size):
        with cores(1):
            run_loopwise(case, 0)  # compile (or load the cache) first
            peer, peer_cpu, peer_effects = best_of(lambda c=case: run_peer(c, args.seed),
                                                   max(1, args.repeat - 1))  # fmt: skip
        # one and two threads in turns, so that both see the same load on a busy machine
        one = one_cpu = both = float("inf")
        for _ in range(args.repeat):
            with cores(1):
                wall, cpu, effects = best_of(lambda c=case: run_loopwise(c, args.seed), 1)
            one, one_cpu = min(one, wall), min(one_cpu, cpu)
            if two:
                with cores(2):
                    wall, _, _ = best_of(lambda c=case: run_loopwise(c, args.seed), 1)
                both = min(both, wall)
        same = bool(np.allclose(effects, peer_effects, rtol=0, atol=1e-9))
        all_same &= same
        two_cols = f"{both:.3f} | {peer / both:.1f}x | {one / both:.2f}x" if two else "- | - | -"
        ratios.append(peer / one)
        cpu_ratios.append(peer_cpu / one_cpu)
        flag = "" if same else " (DIFFERENT)"
        print(f"| {case.name}{flag} | {case.samples:,} | {peer:.3f} | {one:.3f} | "
              f"{peer / one:.1f}x | {peer_cpu / one_cpu:.1f}x | {two_cols} |")  # fmt: skip
    print()
    print(f"loopwise on one thread against the numpy peer: {min(ratios):.1f}x to "
          f"{max(ratios):.1f}x wall-clock, {min(cpu_ratios):.1f}x to {max(cpu_ratios):.1f}x "
          f"CPU time (target >= 5x on every case); same effects (to 1e-9): {all_same}")  # fmt: skip
    if not all_same:
        raise SystemExit("loopwise and the numpy peer differ")


if __name__ == "__main__":
    main()
