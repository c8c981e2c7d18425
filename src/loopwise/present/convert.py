"""Turn a bundle's entities and analyses into payloads (:mod:`loopwise.present.payloads`).

The explorer pages use the same functions, so a page and its JSON always agree.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from loopwise.analysis import FeedbackLoop, find_paths
from loopwise.analysis.coverage import GAP_RULE, FactorCoverage
from loopwise.analysis.leverage import SCORE_FORMULA
from loopwise.model.entities import Factor, Link
from loopwise.model.evidence import Evidence
from loopwise.model.polarity import polarity_known
from loopwise.present.bundle import MapBundle
from loopwise.present.payloads import (
    ActingOrganisation,
    CentralityRow,
    CuratedLoopOut,
    EvidenceOut,
    FactorDetail,
    FactorOut,
    FundingFigure,
    InterventionOut,
    LeverageOut,
    LeverageRow,
    LinkOut,
    LoopOut,
    OrganisationActionOut,
    PathOut,
    PathsOut,
)


def evidence_out(bundle: MapBundle, ev: Evidence) -> EvidenceOut:
    return EvidenceOut(
        **ev.model_dump(), source_detail=bundle.sources_by_id[ev.source]
    )  # fmt: skip


def factor_out(bundle: MapBundle, f: Factor) -> FactorOut:
    return FactorOut(
        id=f.id, label=f.label, kind=f.kind, description=f.description, theme=f.theme,
        stage=f.stage,
        tags=f.tags, indicator=f.indicator, in_links=len(bundle.incoming.get(f.id, [])),
        out_links=len(bundle.outgoing.get(f.id, [])),
    )  # fmt: skip


def link_out(bundle: MapBundle, link: Link) -> LinkOut:
    conf = bundle.confidences[link.id]
    return LinkOut(
        id=link.id, source_factor=link.source_factor, target_factor=link.target_factor,
        from_label=bundle.labels[link.source_factor], to_label=bundle.labels[link.target_factor],
        polarity=link.polarity, strength=link.strength, weight=link.weight, delay=link.delay,
        mechanism=link.mechanism, support=link.support, support_reason=link.support_reason,
        tags=link.tags, confidence=conf.score,
        confidence_level=conf.level, evidence_kinds=bundle.link_kinds(link),
        evidence=[evidence_out(bundle, ev) for ev in link.evidence],
    )  # fmt: skip


def loop_out(bundle: MapBundle, index: int, loop: FeedbackLoop) -> LoopOut:
    curated = loop.curated
    return LoopOut(
        index=index, factors=list(loop.factors), labels=[bundle.labels[f] for f in loop.factors],
        links=list(loop.links), kind=loop.kind, length=loop.length,
        weakest_confidence=loop.weakest_confidence, weakest_link=loop.weakest_link,
        curated_id=curated.id if curated else None, name=curated.name if curated else None,
        narrative=curated.narrative if curated else None,
    )  # fmt: skip


def curated_loops_out(bundle: MapBundle) -> list[CuratedLoopOut]:
    out = []
    for loop in bundle.map.curated_loops:
        kind = loop.kind or _kind_of(bundle, loop.factors)
        out.append(
            CuratedLoopOut(
                **loop.model_dump(exclude={"kind"}),
                kind=kind,
                labels=[bundle.labels[f] for f in loop.factors],
            )  # fmt: skip
        )
    return out


def _kind_of(bundle: MapBundle, factors: list[str]) -> Literal["R", "B", "?"]:
    ring = [*factors, factors[0]]
    by_pair = {(lk.source_factor, lk.target_factor): lk for lk in bundle.map.links}
    on_loop = [by_pair[a, b] for a, b in zip(ring, ring[1:], strict=False) if (a, b) in by_pair]
    if not all(polarity_known(link) for link in on_loop):
        return "?"
    minus = sum(link.polarity == "-" for link in on_loop)
    return "R" if minus % 2 == 0 else "B"


def leverage_out(
    bundle: MapBundle, target: str | None = None, *, include_inferences: bool = False,
    samples: int = 0, seed: int = 0,
) -> LeverageOut:  # fmt: skip
    """The leverage table with who acts on each factor; with ``samples``, rank intervals
    (made once per map version and settings: :meth:`MapBundle.derived`)."""
    key = ("leverage_out", (target or bundle.default_target, include_inferences, samples, seed))
    return bundle.derived(key, lambda: _leverage_out(bundle, target, include_inferences,
                                                     samples, seed))  # fmt: skip


def _leverage_out(
    bundle: MapBundle, target: str | None, include_inferences: bool, samples: int, seed: int
) -> LeverageOut:
    frame = bundle.leverage(target, include_inferences=include_inferences)
    cover = bundle.coverage(include_inferences=include_inferences)
    intervals = None
    if samples:
        intervals = bundle.leverage_intervals(
            target, include_inferences=include_inferences, samples=samples, seed=seed
        )
    columns = ["median_rank", "rank_low", "rank_high", "top_five"]
    rows = [
        LeverageRow(
            factor=str(fid),
            rank=rank,
            **_finite(row),
            acting=acting_out(bundle, cover[str(fid)]),
            funding=funding_out(bundle, cover[str(fid)].direct),
            **(_finite(intervals.loc[str(fid), columns]) if intervals is not None else {}),
        )  # fmt: skip
        for rank, (fid, row) in enumerate(frame.iterrows(), start=1)
    ]
    settings = {k: v for k, v in frame.attrs.items() if k not in ("target", "formula")}
    return LeverageOut(
        target=frame.attrs.get("target", target or ""),
        formula=frame.attrs.get("formula", SCORE_FORMULA),
        rule=GAP_RULE,
        intervals=intervals.attrs["explained"] if intervals is not None else "",
        settings=_plain(settings),
        items=rows,
    )


def acting_out(bundle: MapBundle, cover: FactorCoverage) -> list[ActingOrganisation]:
    """The organisations acting on a factor: directly first, then through each service."""
    orgs = {o.id: o for o in bundle.map.organisations}
    out = [ActingOrganisation(id=o, name=orgs[o].name, url=orgs[o].url) for o in cover.direct]
    for service in cover.upstream:
        out.extend(
            ActingOrganisation(
                id=o,
                name=orgs[o].name,
                url=orgs[o].url,
                via=service.factor,
                via_label=service.label,
            )  # fmt: skip
            for o in service.organisations
        )
    return out


def funding_out(bundle: MapBundle, organisation_ids: Any) -> list[FundingFigure]:
    """The known funding figures of the organisations acting directly on a factor."""
    from loopwise.reports.citations import format_citation

    orgs = {o.id: o for o in bundle.map.organisations}
    return [
        FundingFigure(
            organisation=oid,
            name=orgs[oid].name,
            amount=f.amount,
            currency=f.currency,
            year=f.year,
            source=f.source,
            citation=format_citation(bundle.sources_by_id[f.source]) if f.source else "",
        )  # fmt: skip
        for oid in organisation_ids
        for f in orgs[oid].funding
    ]


def leverage_row(bundle: MapBundle, factor_id: str) -> LeverageRow | None:
    """The factor's row of the default leverage table (``None`` for the target itself)."""
    if bundle.default_target is None:
        return None
    for row in leverage_out(bundle).items:
        if row.factor == factor_id:
            return row
    return None


def factor_detail(
    bundle: MapBundle, factor_id: str, loops_limit: int | None = None
) -> FactorDetail:
    """A factor with its evidence, links, loops, organisations, interventions and leverage.

    ``loops_limit`` keeps the first loops through it (shortest first; ``loops_total`` counts
    them all): a factor of a big map sits on thousands.
    """
    f = bundle.factor(factor_id)
    through = bundle.loops.where(through=f.id)  # one pass over the loops' arrays
    shown = through if loops_limit is None else through[:loops_limit]
    loops = [loop_out(bundle, i, bundle.loops[i]) for i in shown]
    return FactorDetail(
        **factor_out(bundle, f).model_dump(),
        evidence=[evidence_out(bundle, ev) for ev in f.evidence],
        incoming=[link_out(bundle, link) for link in bundle.incoming.get(f.id, [])],
        outgoing=[link_out(bundle, link) for link in bundle.outgoing.get(f.id, [])],
        loops=loops,
        loops_total=len(through),
        organisations=[
            OrganisationActionOut(
                organisation=org.id,
                name=org.name,
                kind=org.kind,
                url=org.url,
                note=action.note,
                text=action.text,
                source=action.source,
            )
            for org, action in bundle.organisations_by_factor.get(f.id, [])
        ],  # fmt: skip
        interventions=[
            InterventionOut(
                id=item.id,
                label=item.label,
                description=item.description,
                push=target.effect,
                measured=item.measured,
            )
            for item in bundle.map.interventions
            for target in item.targets
            if target.factor == f.id
        ],  # fmt: skip
        leverage=leverage_row(bundle, f.id),
    )


def _finite(row: Any) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items()}


def centrality_row(factor_id: str, row: Any) -> CentralityRow:
    """One row of the bundle's centrality table as a payload (numpy scalars made plain)."""
    return CentralityRow(factor=factor_id, **_finite(row))


def _plain(value: Any) -> Any:
    """numpy scalars to Python ones; NaN to 0 (JSON has no NaN)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return 0.0
    return value


def paths_out(
    bundle: MapBundle, source: str, target: str, max_length: int = 6, limit: int = 500
) -> PathsOut:
    """Every simple path from ``source`` to ``target`` (bounded), and their net sign."""
    found = find_paths(bundle.map, source, target, max_length=max_length, limit=limit)
    signs = {p.sign for p in found}
    net = "none" if not signs else (signs.pop() if len(signs) == 1 else "mixed")
    return PathsOut(
        source=source, target=target, max_length=max_length, total=len(found),
        positive=found.positive, negative=found.negative, truncated=found.truncated,
        net_sign=net,
        items=[
            PathOut(
                factors=list(p.factors), labels=[bundle.labels[f] for f in p.factors],
                links=list(p.links), sign=p.sign, length=p.length,
                weakest_confidence=p.weakest_confidence, weakest_link=p.weakest_link,
            )
            for p in found
        ],
    )  # fmt: skip
