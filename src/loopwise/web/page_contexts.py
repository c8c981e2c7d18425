"""What each explorer page shows: plain functions from a map bundle to a template context.

The live server (:mod:`loopwise.web.explorer_views`) and the static publisher
(:mod:`loopwise.publish`) render the same templates with these contexts; only the
:class:`~loopwise.web.urls.Urls` differ.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from loopwise.analysis.coverage import FUNDABLE_KINDS, GAP_RULE
from loopwise.analysis.leverage import SCORE_FORMULA
from loopwise.present.bundle import MapBundle
from loopwise.present.convert import (
    curated_loops_out,
    factor_detail,
    leverage_out,
    loop_out,
    paths_out,
)
from loopwise.present.payloads import ScenarioOut
from loopwise.web.urls import Urls

HOME_LEVERAGE_MAX_FACTORS = 1500
"""Above this size the home page links to the leverage table instead of computing it."""

LEVERAGE_PAGE_SAMPLES = 200
"""Monte Carlo samples behind the leverage page's rank ranges (the API takes ``samples``)."""
SCENARIO_PUSH = 0.5
LOOPS_PER_PAGE = 100
"""Loops listed on one page of the loops table (a big map has tens of thousands)."""
FACTOR_LOOPS_SHOWN = 50
"""Loops through a factor listed on its page (the rest are counted, on the loops pages)."""


def base_context(bundle: MapBundle, urls: Urls, page: str) -> dict[str, Any]:
    return {
        "bundle": bundle,
        "map": bundle.map,
        "labels": bundle.labels,
        "urls": urls,
        "page": page,
        "themes": bundle.theme_styles,
        "stage_labels": {s.id: s.label for s in bundle.map.stages},
    }


def _leverage_available(bundle: MapBundle) -> bool:
    return bundle.default_target is not None


def home_context(bundle: MapBundle, urls: Urls) -> dict[str, Any]:
    """The map's front page: what it is, headline loops, top leverage, two ways in."""
    context = base_context(bundle, urls, "home")
    leverage = None
    if _leverage_available(bundle) and len(bundle.map.factors) <= HOME_LEVERAGE_MAX_FACTORS:
        leverage = leverage_out(bundle)
    context.update(
        summary=bundle.map.summary(),
        curated=curated_loops_out(bundle),
        loops=bundle.loops,
        leverage=leverage,
        top=leverage.items[:5] if leverage else [],
        gaps=[row for row in leverage.items if row.gap][:8] if leverage else [],
        asks=[row for row in leverage.items if row.campaign_ask][:8] if leverage else [],
        rule=GAP_RULE,
        target=bundle.default_target,
        factors_sorted=sorted(bundle.map.factors, key=lambda f: f.label.lower()),
    )
    return context


def canvas_context(bundle: MapBundle, urls: Urls) -> dict[str, Any]:
    context = base_context(bundle, urls, "canvas")
    context.update(
        source_kinds=sorted({s.kind for s in bundle.map.sources}),
        subgroups=sorted({g for link in bundle.map.links for g in bundle.link_subgroups(link)}),
        tags=sorted({t for f in bundle.map.factors for t in f.tags}),
        factors_sorted=sorted(bundle.map.factors, key=lambda f: f.label.lower()),
        # a published site ships the gap list as data/gaps.js (see loopwise.publish)
        has_gap_data=urls.static_site and bundle.default_target is not None,
    )
    return context


def factor_context(bundle: MapBundle, urls: Urls, factor_id: str) -> dict[str, Any]:
    context = base_context(bundle, urls, "factor")
    detail = factor_detail(bundle, factor_id, loops_limit=FACTOR_LOOPS_SHOWN)
    context.update(
        factor=bundle.factor(factor_id),
        detail=detail,
        target=bundle.default_target,
        formula=SCORE_FORMULA,
    )
    return context


def campaign_context(bundle: MapBundle, urls: Urls, factor_id: str) -> dict[str, Any]:
    """The campaign view of a policy: the chain to the outcome with the evidence at each
    step, what was measured (with its caveats), the cost where the map confirms it, who
    already works on it, and the one-page brief to take to an MP."""
    from loopwise.errors import UnknownIdError, ValidationError
    from loopwise.reports.content import build_brief, ordinal

    factor = bundle.factor(factor_id)
    if factor.kind != "policy":
        raise UnknownIdError(
            "policy", factor_id,
            [f.id for f in bundle.map.factors if f.kind == "policy"],
        )  # fmt: skip
    target = bundle.default_target
    if target is None:
        raise ValidationError(f"map {bundle.map.slug!r} has no outcome to campaign on", "target")
    context = base_context(bundle, urls, "campaign")
    brief = build_brief(bundle.map, path=(factor_id, target))
    by_link: dict[str, list[Any]] = defaultdict(list)
    for ev in brief.evidence:
        by_link[ev.link_id or ""].append(ev)
    row = next(r for r in leverage_out(bundle).items if r.factor == factor_id)
    context.update(
        factor=factor, brief=brief, by_link=by_link, row=row, target=target,
        rank_words=ordinal(row.rank),
        links={step.link_id: bundle.links_by_id[step.link_id] for step in brief.steps},
    )  # fmt: skip
    return context


def loops_context(bundle: MapBundle, urls: Urls, page: int = 1) -> dict[str, Any]:
    """Page ``page`` (from 1) of every loop, shortest first, :data:`LOOPS_PER_PAGE` a page.

    Raises :class:`loopwise.errors.ValidationError` for a page past the last.

    Examples
    --------
    >>> from loopwise.builtin import load_builtin_map
    >>> from loopwise.web.urls import ServedUrls
    >>> bundle = MapBundle(load_builtin_map(), version=1)
    >>> context = loops_context(bundle, ServedUrls("breaking-the-cycle"))
    >>> context["page"], context["pages"] >= 1, len(context["loops"]) <= LOOPS_PER_PAGE
    (1, True, True)
    """
    from loopwise.errors import ValidationError

    context = base_context(bundle, urls, "loops")
    loops = bundle.loops
    pages = max(1, -(-len(loops) // LOOPS_PER_PAGE))
    if not 1 <= page <= pages:
        raise ValidationError(f"page {page} is past the last page of loops ({pages})", "page")
    first = (page - 1) * LOOPS_PER_PAGE
    shown = range(first, min(first + LOOPS_PER_PAGE, len(loops)))
    context.update(
        curated=curated_loops_out(bundle) if page == 1 else [],
        loops=[loop_out(bundle, i, loops[i]) for i in shown],
        total=len(loops),
        reinforcing=loops.reinforcing,
        balancing=loops.balancing,
        unknown=loops.unknown,
        truncated=loops.truncated,
        page=page,
        pages=pages,
        first_shown=first + 1,
        loops_per_page=LOOPS_PER_PAGE,
    )
    return context


def loop_context(bundle: MapBundle, urls: Urls, loop_id: str) -> dict[str, Any]:
    """A named loop's own page: the ring with its signs, the story, each step's evidence.

    Raises :class:`loopwise.errors.UnknownIdError` for a loop the map does not name.
    """
    from loopwise.errors import UnknownIdError
    from loopwise.reports.content import build_brief

    named = {c.id: c for c in curated_loops_out(bundle)}
    if loop_id not in named:
        raise UnknownIdError("loop", loop_id, sorted(named))
    brief = build_brief(bundle.map, loop=loop_id, evidence_per_link=None)
    evidence: dict[str, list[Any]] = defaultdict(list)
    for item in brief.evidence:
        if item.link_id:
            evidence[item.link_id].append(item)
    context = base_context(bundle, urls, "loops")
    context.update(
        loop=named[loop_id], brief=brief, evidence=evidence, play=loop_play(bundle, loop_id)
    )
    return context


def loop_play(bundle: MapBundle, loop_id: str, push: float = SCENARIO_PUSH) -> dict[str, Any]:
    """ "What if the loop's first factor rose?": the effect on each factor of the loop after
    1, 2, ... steps of the map's FCM (the scenario page's settings), one more step than the
    loop is long, so the push is seen coming back round.

    Example:
        >>> from loopwise.builtin import load_builtin_map
        >>> builtin = load_builtin_map()
        >>> loop = builtin.curated_loops[0]
        >>> play = loop_play(MapBundle(builtin, 1), loop.id)
        >>> play["factors"] == loop.factors, len(play["steps"]) == len(loop.factors) + 1
        (True, True)
        >>> play["steps"][0][0] > 0  # the pushed factor moves at the first step
        True
    """
    from loopwise.simulation.fcm import simulate

    factors = next(c.factors for c in bundle.map.curated_loops if c.id == loop_id)
    steps = []
    for count in range(1, len(factors) + 2):
        result = simulate(
            bundle.map,
            push={factors[0]: push},
            transfer="tanh",
            lam=bundle.default_slope,
            max_steps=count,
        )
        steps.append([round(float(result.effect[f]), 3) for f in factors])
    return {"factors": factors, "push": push, "steps": steps}


def leverage_context(bundle: MapBundle, urls: Urls) -> dict[str, Any]:
    context = base_context(bundle, urls, "leverage")
    leverage = None
    if _leverage_available(bundle):
        leverage = leverage_out(bundle, samples=LEVERAGE_PAGE_SAMPLES)
    context.update(leverage=leverage, rule=GAP_RULE, samples=LEVERAGE_PAGE_SAMPLES)
    return context


def funding_context(bundle: MapBundle, urls: Urls) -> dict[str, Any]:
    """The funding-gap table: leverage beside who acts on each service and condition and
    known funding; policies are listed apart as campaign asks, outcomes not at all."""
    from loopwise.analysis.funding import funding_gap_frame

    context = base_context(bundle, urls, "funding")
    rows: list[dict[str, Any]] = []
    asks: list[dict[str, Any]] = []
    frame = None
    if bundle.default_target is not None:
        frame = funding_gap_frame(bundle.map, leverage=bundle.leverage())
        named = {row.factor: row for row in leverage_out(bundle).items}
        for rank, (index, row) in enumerate(frame.iterrows(), start=1):
            factor_id = str(index)
            entry = {
                "factor": factor_id,
                "rank": rank,
                **{str(column): value for column, value in row.items()},
                "acting": named[factor_id].acting,
                "funding": named[factor_id].funding,
            }
            if row["kind"] in FUNDABLE_KINDS:  # a funder pays for services and conditions
                rows.append(entry)
            elif row["campaign_ask"]:
                asks.append(entry)  # fmt: skip
    context.update(
        rows=rows,
        asks=asks,
        target=frame.attrs["target"] if frame is not None else None,
        formula=frame.attrs["formula"] if frame is not None else None,
        currency=frame.attrs["currency"] if frame is not None else "GBP",
        gaps=sum(1 for row in rows if row["gap"]),
        rule=GAP_RULE,
    )
    return context


def paths_context(
    bundle: MapBundle, urls: Urls, source: str | None, target: str | None,
    static_sources: set[str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    context = base_context(bundle, urls, "paths")
    result = None
    if source and target:
        result = paths_out(bundle, source, target)
    context.update(
        source=source,
        target=target or bundle.default_target,
        result=result,
        factors_sorted=sorted(bundle.map.factors, key=lambda f: f.label.lower()),
        static_sources=static_sources or set(),
    )
    return context


def scenario_context(
    bundle: MapBundle, urls: Urls, pushes: dict[str, float], result: ScenarioOut | None,
    samples: int, static_choices: set[str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    context = base_context(bundle, urls, "scenario")
    context.update(
        pushes=pushes,
        result=result,
        samples=samples,
        chart=scenario_chart(result) if result else None,
        factors_sorted=sorted(bundle.map.factors, key=lambda f: f.label.lower()),
        default_push=SCENARIO_PUSH,
        static_choices=static_choices or set(),
    )
    return context


def text_context(bundle: MapBundle, urls: Urls) -> dict[str, Any]:
    context = base_context(bundle, urls, "text")
    by_theme: dict[str, list[Any]] = defaultdict(list)
    for f in bundle.map.factors:
        by_theme[f.theme or ""].append(f)
    context.update(
        summary=bundle.map.summary(),
        by_theme=[(key, by_theme[key]) for key in bundle.theme_styles if key in by_theme],
        curated=curated_loops_out(bundle),
    )
    return context


def scenario_chart(result: ScenarioOut, rows: int = 20) -> dict[str, Any]:
    """Geometry of the effects chart (an SVG drawn by the template, no script needed)."""
    effects = result.effects[:rows]
    values = [abs(v) for e in effects for v in (e.effect, e.q05, e.q95) if v is not None]
    top = max(values, default=1.0) or 1.0
    width, label_w, row_h = 720, 300, 26
    plot_w = width - label_w - 20
    mid = label_w + plot_w / 2

    def x(value: float) -> float:
        return round(mid + value / top * (plot_w / 2), 2)

    bars = []
    for i, e in enumerate(effects):
        centre = e.median if e.median is not None else e.effect
        y = 30 + i * row_h
        bars.append({
            "label": e.label, "factor": e.factor, "y": y, "text_y": y + 16,
            "bar_x": min(x(0), x(centre)), "bar_w": max(abs(x(centre) - x(0)), 1),
            "low": x(e.q05) if e.q05 is not None else None,
            "high": x(e.q95) if e.q95 is not None else None,
            "centre": x(centre), "value": centre, "up": centre >= 0,
        })  # fmt: skip
    return {
        "width": width, "height": 40 + len(effects) * row_h, "label_w": label_w, "mid": mid,
        "top": round(top, 3), "left": x(-top), "right": x(top), "bars": bars,
    }  # fmt: skip
