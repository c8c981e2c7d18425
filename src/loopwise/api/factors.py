"""Factors and links, with their evidence; filters and pagination for long lists."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from loopwise.api.deps import Bundle, input_ids
from loopwise.api.errors import ERROR_RESPONSES
from loopwise.present.convert import factor_detail, factor_out, link_out
from loopwise.present.payloads import FactorDetail, FactorOut, LinkOut, Page

router = APIRouter(prefix="/api/maps/{slug}", tags=["factors and links"], responses=ERROR_RESPONSES)

Offset = Annotated[int, Query(ge=0, description="Skip this many items.")]
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many items.")]


@router.get("/factors", response_model=Page[FactorOut], summary="Factors (filtered, paged)")
def list_factors(
    bundle: Bundle,
    theme: Annotated[list[str] | None, Query(description="Only these themes.")] = None,
    stage: Annotated[list[str] | None, Query(description="Only these stages.")] = None,
    tag: Annotated[
        list[str] | None, Query(description="Only factors with one of these tags.")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in label or description.")
    ] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> Page[FactorOut]:
    found = [
        f
        for f in bundle.map.factors
        if (not theme or f.theme in theme)
        and (not stage or f.stage in stage)
        and (not tag or set(tag) & set(f.tags))
        and (not q or q.lower() in f.label.lower() or q.lower() in f.description.lower())
    ]
    items = [factor_out(bundle, f) for f in found[offset : offset + limit]]
    return Page[FactorOut](total=len(found), offset=offset, limit=limit, items=items)


@router.get("/factors/{factor_id}", response_model=FactorDetail, summary="One factor in full")
def get_factor(bundle: Bundle, factor_id: str) -> FactorDetail:
    """The factor, its links in and out with their evidence, the loops it sits on, the
    organisations acting on it and its leverage components."""
    return factor_detail(bundle, factor_id)


@router.get("/links", response_model=Page[LinkOut], summary="Links with evidence (filtered)")
def list_links(
    bundle: Bundle,
    source: Annotated[
        str | None, Query(alias="from", description="Links out of this factor.")
    ] = None,
    target: Annotated[str | None, Query(alias="to", description="Links into this factor.")] = None,
    polarity: Literal["+", "-"] | None = None,
    evidence_kind: Annotated[
        list[Literal["interview", "literature", "statistic", "practitioner"]] | None,
        Query(description="Only links with evidence from these kinds of source."),
    ] = None,
    confidence: Annotated[
        list[Literal["assumption", "low", "medium", "high"]] | None, Query()
    ] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> Page[LinkOut]:
    with input_ids("from/to"):
        for factor_id in (source, target):
            if factor_id is not None:
                bundle.factor(factor_id)
    found = [
        link
        for link in bundle.map.links
        if (source is None or link.source_factor == source)
        and (target is None or link.target_factor == target)
        and (polarity is None or link.polarity == polarity)
        and (not evidence_kind or set(evidence_kind) & set(bundle.link_kinds(link)))
        and (not confidence or bundle.confidences[link.id].level in confidence)
    ]
    items = [link_out(bundle, link) for link in found[offset : offset + limit]]
    return Page[LinkOut](total=len(found), offset=offset, limit=limit, items=items)


@router.get("/links/{link_id}", response_model=LinkOut, summary="One link with its evidence")
def get_link(bundle: Bundle, link_id: str) -> LinkOut:
    return link_out(bundle, bundle.map.link(link_id))
