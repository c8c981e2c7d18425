"""Benchmark: how long ``loopwise --help`` takes, against ``python -c pass`` in the same run.

Each command runs in a fresh interpreter (what a user waits for at the prompt), the runs of the
different commands interleaved so that a busy machine slows them alike. Reported per command:
the median wall time and the median CPU time (user + system of the child process, steadier
than wall time on a shared machine), and both as a ratio to the baseline ``python -c pass``.
The target is ``loopwise --help`` under 0.3 s.

Run:  python benchmarks/bench_cli_startup.py [--repeat 15] [--smoke]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

TARGET_SECONDS = 0.3

COMMANDS: dict[str, list[str]] = {
    "python -c pass (baseline)": ["-c", "pass"],
    "import loopwise.cli": ["-c", "import loopwise.cli"],
    "loopwise --help": ["-m", "loopwise", "--help"],
    "loopwise analyse --help": ["-m", "loopwise", "analyse", "--help"],
    "numpy + networkx + rustworkx (what --help used to load)": [
        "-c",
        "import numpy, networkx, rustworkx",
    ],
}


def _run(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh interpreter running ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], check=True, stdout=subprocess.DEVNULL, env=os.environ.copy()
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(repeat: int) -> dict[str, tuple[float, float]]:
    """Median (wall, cpu) seconds per command over ``repeat`` interleaved rounds."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
    for args in COMMANDS.values():  # one warm-up round: file-system caches
        _run(args)
    for _ in range(repeat):
        for name, args in COMMANDS.items():
            samples[name].append(_run(args))
    return {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="Two rounds: a quick CI check.")
    options = parser.parse_args()
    repeat = 2 if options.smoke else options.repeat
    results = measure(repeat)
    base_wall, base_cpu = results["python -c pass (baseline)"]
    print(f"{repeat} rounds, medians; ratios against `python -c pass` in this run")
    print(f"{'command':58} {'wall s':>7} {'x base':>7} {'cpu s':>7} {'x base':>7}")
    for name, (wall, cpu) in results.items():
        print(
            f"{name:58} {wall:7.3f} {wall / base_wall:7.1f} {cpu:7.3f} "
            f"{cpu / max(base_cpu, 1e-3):7.1f}"
        )
    help_wall, help_cpu = results["loopwise --help"]
    verdict = "under" if help_cpu < TARGET_SECONDS else "OVER"
    print(f"loopwise --help: {help_cpu:.3f} s CPU, {verdict} the {TARGET_SECONDS} s target "
          f"(wall {help_wall:.3f} s; wall counts waiting for a busy machine's cores)")  # fmt: skip


if __name__ == "__main__":
    main()
