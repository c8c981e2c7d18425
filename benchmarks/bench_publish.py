"""Benchmark: ``loopwise publish`` of the built-in map: time and size, against writing the
map's JSON alone (the baseline) in the same run.

Run with ``python benchmarks/bench_publish.py`` (``--smoke``: no warm-up run; the map is
small already).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from loopwise.builtin import load_builtin_map
from loopwise.formats.loopwise_json import dumps_map
from loopwise.publish import publish_site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: does it work?")
    smoke = parser.parse_args().smoke
    map_ = load_builtin_map()
    if not smoke:
        publish_site(map_, tempfile.mkdtemp())  # warm-up: numba compilation, imports
    out = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    report = publish_site(map_, out)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    (out / "baseline.json").write_text(dumps_map(map_))
    baseline = time.perf_counter() - start
    print(f"publish built-in map: {seconds:.2f} s, {report.pages} pages, {report.files} files, "
          f"{report.bytes / 1e6:.2f} MB")  # fmt: skip
    print(
        f"JSON alone: {baseline * 1000:.1f} ms; publish/JSON time ratio {seconds / baseline:.0f}x"
    )


if __name__ == "__main__":
    main()
