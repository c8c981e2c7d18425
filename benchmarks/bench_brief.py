"""Benchmark: the PDF evidence brief for the largest loops of the built-in map, against the
HTML of the same brief (baseline) in the same run.

Run with ``python benchmarks/bench_brief.py`` (``--smoke``: one run of each, the named loop
only). Two loops: the largest named loop
(``drugs-crime-prison-cycle``, 6 factors) and the largest computed loop (15 factors). For
each: building the brief (leverage simulation, evidence, organisations), rendering HTML
(Jinja2) and rendering PDF (WeasyPrint, which also lays the HTML out) are timed separately,
best of ``REPEAT`` runs after one warm-up (numba's JIT, font loading); speed is reported as
a ratio, PDF time / HTML time.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

from pypdf import PdfReader

from loopwise.analysis import find_feedback_loops
from loopwise.builtin import load_builtin_map
from loopwise.reports import build_brief
from loopwise.reports.html_brief import render_html
from loopwise.reports.pdf_brief import render_pdf

REPEAT = 5


def best_of(run: Callable[[], object], repeat: int = REPEAT) -> tuple[float, object]:
    run()  # warm-up
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: does it work?")
    smoke = parser.parse_args().smoke
    repeat = 1 if smoke else REPEAT
    map_ = load_builtin_map("breaking-the-cycle")
    named = max(map_.curated_loops, key=lambda lp: len(lp.factors))
    computed = max(find_feedback_loops(map_), key=lambda lp: (lp.length, lp.factors))
    print(f"{'loop':<34} {'factors':>7} {'build s':>8} {'html s':>8} {'pdf s':>8} "
          f"{'pages':>5} {'pdf/html':>9} {'(pdf+build)/(html+build)':>25}")  # fmt: skip
    loops = [(named.id, named.id), ("largest computed", list(computed.factors))]
    for name, spec in loops[:1] if smoke else loops:
        t_build, brief = best_of(lambda spec=spec: build_brief(map_, loop=spec), repeat)
        t_html, _ = best_of(lambda brief=brief: render_html(brief), repeat)
        t_pdf, pdf = best_of(lambda brief=brief: render_pdf(brief), repeat)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{name:<34} {len(brief.factor_ids):>7} {t_build:>8.3f} {t_html:>8.4f} "
              f"{t_pdf:>8.3f} {pages:>5} {t_pdf / t_html:>9.0f} "
              f"{(t_pdf + t_build) / (t_html + t_build):>25.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
