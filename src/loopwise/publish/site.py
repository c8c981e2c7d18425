"""Write a map's explorer as a self-contained static site.

The same templates and page contexts as ``loopwise serve`` (:mod:`loopwise.web.pages`),
rendered with relative links (:class:`~loopwise.web.urls.StaticUrls`), plus the map's JSON,
the canvas data as a script (``data/graph.js``; browsers refuse ``fetch`` on ``file://``) and
the vendored JavaScript. What needs a server is computed ahead: the paths from every factor
to the outcome, a scenario for pushing each factor (for big maps, the top leverage factors)
and the funding gaps (the funding page, and ``data/gaps.js`` for the canvas overlay); only
comparing a funder's own portfolio file needs ``loopwise serve``.

Example:
    >>> from loopwise.builtin import load_builtin_map  # doctest: +SKIP
    >>> publish_site(load_builtin_map(), "site").pages  # doctest: +SKIP
    236
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loopwise.errors import LoopwiseError
from loopwise.model import Map
from loopwise.present.bundle import MapBundle
from loopwise.present.payloads import ScenarioRequest
from loopwise.present.scenarios import run_scenario
from loopwise.publish.briefs import write_briefs
from loopwise.web import pages, story_pages
from loopwise.web.templating import render
from loopwise.web.urls import StaticUrls

_STATIC = Path(__file__).parent.parent / "web" / "static"

PRECOMPUTED_MAX = 80
"""At most this many factors get a precomputed scenario and paths page."""

SCENARIO_SAMPLES = 1000


@dataclass
class PublishReport:
    """What :func:`publish_site` wrote."""

    outdir: Path
    pages: int
    files: int
    bytes: int
    embed: str


def embed_snippet(map_: Map, url: str = "embed.html") -> str:
    """An ``<iframe>`` that embeds the map canvas (``url``: where ``embed.html`` is served)."""
    title = html.escape(map_.title, quote=True)
    return (
        f'<iframe src="{html.escape(url, quote=True)}" title="{title}" width="100%" '
        'height="600" loading="lazy" style="border:0"></iframe>'
    )


def publish_site(
    map_: Map,
    outdir: str | Path,
    *,
    version: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> PublishReport:
    """Write the explorer of ``map_`` into ``outdir`` (created; existing files replaced).

    Raises :class:`loopwise.errors.LoopwiseError` if ``outdir`` is a file.
    """
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise LoopwiseError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    bundle = MapBundle(map_, version)
    page_count = 0

    def write(relative: str, text: str | bytes) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    def page(relative: str, template: str, context: dict[str, Any]) -> None:
        nonlocal page_count
        write(relative, render(template, context))
        page_count += 1

    for folder in ("static", "briefs"):
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    # the API's documentation viewers (``/docs``, ``/redoc``) need a server: not published
    shutil.copytree(_STATIC, out / "static", ignore=_not_published)
    write("data/map.json", bundle.map_json)
    write("data/graph.json", bundle.graph_json)
    graph = bundle.graph_json.decode()
    write("data/graph.js", f"window.loopwiseGraph = {graph};\n")

    chosen = _precomputed_factors(bundle)
    target = bundle.default_target
    path_sources = {f for f in chosen if f != target} if target else set()
    published = write_briefs(bundle, out)

    def urls(depth: int) -> StaticUrls:
        return StaticUrls(map_.slug, depth, published.briefs, published.formats)

    top = urls(0)
    funding = pages.funding_context(bundle, top)  # the funding page and the canvas overlay
    gaps = json.dumps([row["factor"] for row in funding["rows"] if row["gap"]])
    write("data/gaps.js", f"window.loopwiseGaps = {gaps};\n")
    deep = urls(1)
    page("index.html", "home.html", pages.home_context(bundle, top))
    page("canvas.html", "canvas.html", pages.canvas_context(bundle, top))
    page("embed.html", "embed.html", pages.canvas_context(bundle, top))
    loops_first = pages.loops_context(bundle, top)
    page("loops.html", "loops.html", loops_first)
    for number in range(2, loops_first["pages"] + 1):
        page(f"loops-{number}.html", "loops.html", pages.loops_context(bundle, top, number))
    for circle in map_.curated_loops:
        page(f"loops/{circle.id}.html", "loop.html", pages.loop_context(bundle, deep, circle.id))
    page("stories.html", "stories.html", story_pages.stories_context(bundle, top))
    for story in map_.stories:
        page(f"stories/{story.id}.html", "story.html",
             story_pages.story_context(bundle, deep, story.id))  # fmt: skip
        steps = urls(3)  # stories/<id>/steps/<n>.html
        for number in range(1, len(story.steps) + 1):
            page(f"stories/{story.id}/steps/{number}.html", "story_step.html",
                 story_pages.story_step_context(bundle, steps, story.id, number))  # fmt: skip
    page("leverage.html", "leverage.html", pages.leverage_context(bundle, top))
    page("funding.html", "funding.html", funding)
    page("text.html", "text.html", pages.text_context(bundle, top))
    page("paths.html", "paths.html",
         pages.paths_context(bundle, top, None, target, path_sources))  # fmt: skip
    page("scenario.html", "scenario.html",
         pages.scenario_context(bundle, top, {}, None, SCENARIO_SAMPLES, set(chosen)))  # fmt: skip
    total = len(map_.factors) + len(path_sources) + len(chosen)
    done = 0
    for f in map_.factors:
        page(f"factors/{f.id}.html", "factor.html", pages.factor_context(bundle, deep, f.id))
        done += 1
        if progress:
            progress(done, total)
    for f in map_.factors if target else []:
        if f.kind == "policy" and any(p.source_factor == f.id for p in map_.links):
            try:
                context = pages.campaign_context(bundle, deep, f.id)
            except LoopwiseError:  # no path from the policy to the outcome
                continue
            page(f"campaigns/{f.id}.html", "campaign.html", context)
    for fid in sorted(path_sources):
        context = pages.paths_context(bundle, deep, fid, target, path_sources)
        page(f"paths/{fid}.html", "paths.html", context)
        done += 1
        if progress:
            progress(done, total)
    for fid in chosen:
        push = {fid: pages.SCENARIO_PUSH}
        result = run_scenario(bundle, ScenarioRequest(push=push, samples=SCENARIO_SAMPLES))
        context = pages.scenario_context(bundle, deep, push, result, SCENARIO_SAMPLES,
                                         set(chosen))  # fmt: skip
        page(f"scenarios/{fid}.html", "scenario.html", context)
        done += 1
        if progress:
            progress(done, total)
    snippet = embed_snippet(map_)
    write("embed-snippet.html", snippet + "\n")
    write(
        "data/site.json", json.dumps({"slug": map_.slug, "version": version, "pages": page_count})
    )
    files = [p for p in out.rglob("*") if p.is_file()]
    return PublishReport(out, page_count, len(files), sum(p.stat().st_size for p in files), snippet)


def _not_published(folder: str, names: list[str]) -> set[str]:
    """What the static site leaves out of ``static/``: Swagger UI and ReDoc (``/docs``)."""
    if Path(folder).name == "vendor":
        return {name for name in names if name in ("swagger-ui", "redoc", "DOCS-VERSIONS.txt")}
    return set()


def _precomputed_factors(bundle: MapBundle) -> list[str]:
    """Factors with a precomputed scenario and paths page: all, or the top by leverage."""
    ids = [f.id for f in bundle.map.factors]
    if len(ids) <= PRECOMPUTED_MAX:
        return ids
    if bundle.default_target is not None and len(ids) <= pages.HOME_LEVERAGE_MAX_FACTORS:
        ranked = [str(i) for i in bundle.leverage().index[:PRECOMPUTED_MAX]]
    else:
        ranked = list(bundle.centrality.sort_values("pagerank", ascending=False).index)
        ranked = [str(i) for i in ranked[:PRECOMPUTED_MAX]]
    return ranked
