"""The evidence briefs a published site carries: each named loop's and the top factors', as
HTML, PDF and Word, written ahead because a static site has no server to make them. An HTML
brief is the standalone file ``loopwise brief`` writes: its own policy (no script at all)
allows its own styles.

Example:
    >>> from loopwise.builtin import load_builtin_map  # doctest: +SKIP
    >>> sorted(write_briefs(MapBundle(load_builtin_map(), 1), "site").briefs)[:1]  # doctest: +SKIP
    [('factor', 'help-finding-accommodation')]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loopwise.errors import LoopwiseError
from loopwise.present.bundle import MapBundle
from loopwise.web.urls import STATIC_BRIEF_FORMATS

TOP_FACTOR_BRIEFS = 5
"""This many factors get a published brief: the top by leverage on the map's outcome (by
PageRank when the map has none)."""


@dataclass(frozen=True)
class PublishedBriefs:
    """What :func:`write_briefs` wrote: the ``(kind, id)`` of each brief and the formats."""

    briefs: frozenset[tuple[str, str]]
    formats: tuple[str, ...]
    files: int


def top_factors(bundle: MapBundle, count: int = TOP_FACTOR_BRIEFS) -> list[str]:
    """The factors whose briefs a site publishes (the outcome itself left out).

    >>> from loopwise.builtin import load_builtin_map
    >>> top = top_factors(MapBundle(load_builtin_map(), 1))
    >>> len(top), "reoffending" in top
    (5, False)
    """
    target = bundle.default_target
    if target is not None:
        ranked = [str(i) for i in bundle.leverage().index]
    else:
        ranked = [str(i) for i in bundle.centrality.sort_values("pagerank", ascending=False).index]
    return [f for f in ranked if f != target][:count]


def write_briefs(bundle: MapBundle, outdir: str | Path) -> PublishedBriefs:
    """Write ``briefs/loops/<id>.<fmt>`` and ``briefs/factors/<id>.<fmt>`` under ``outdir``.

    PDF needs WeasyPrint's system libraries: without them the site gets HTML and Word briefs
    only (``formats`` says which). A factor with no links to write about is skipped.
    """
    from loopwise.reports import build_brief, render_brief
    from loopwise.reports.pdf_brief import weasyprint_problem

    out = Path(outdir) / "briefs"
    formats = tuple(f for f in STATIC_BRIEF_FORMATS if f != "pdf" or weasyprint_problem() is None)
    out.mkdir(parents=True, exist_ok=True)
    written: set[tuple[str, str]] = set()
    files = 0
    subjects = [("loop", lp.id) for lp in bundle.map.curated_loops]
    subjects += [("factor", f) for f in top_factors(bundle)]
    for kind, id_ in subjects:
        try:
            brief = (build_brief(bundle.map, loop=id_) if kind == "loop"
                     else build_brief(bundle.map, factor=id_))  # fmt: skip
        except LoopwiseError:  # nothing to brief on (no evidenced link)
            continue
        folder = out / f"{kind}s"
        folder.mkdir(exist_ok=True)
        for fmt in formats:
            data = render_brief(brief, fmt)
            (folder / f"{id_}.{fmt}").write_bytes(data)
            files += 1
        written.add((kind, id_))
    return PublishedBriefs(frozenset(written), formats, files)
