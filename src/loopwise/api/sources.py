"""Sources (interviews, literature, statistics) and the organisations acting on factors."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from loopwise.api.deps import Bundle
from loopwise.api.errors import ERROR_RESPONSES
from loopwise.model.entities import Organisation
from loopwise.model.evidence import Source
from loopwise.present.payloads import Page

router = APIRouter(prefix="/api/maps/{slug}", tags=["sources and organisations"],
                   responses=ERROR_RESPONSES)  # fmt: skip


@router.get("/sources", response_model=Page[Source], summary="Sources (filtered, paged)")
def list_sources(
    bundle: Bundle,
    kind: Annotated[
        list[Literal["interview", "literature", "statistic", "practitioner"]] | None,
        Query(description="Only these kinds."),
    ] = None,
    attribute: Annotated[
        list[str] | None,
        Query(description="Participant attributes as key=value (all must match)."),
    ] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Page[Source]:
    wanted: dict[str, str] = {}
    for item in attribute or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            from loopwise.errors import ValidationError

            raise ValidationError(f"expected key=value, got {item!r}", "attribute")
        wanted[key] = value
    found = [
        s
        for s in bundle.map.sources
        if (not kind or s.kind in kind) and all(s.attributes.get(k) == v for k, v in wanted.items())
    ]
    return Page[Source](
        total=len(found), offset=offset, limit=limit, items=found[offset : offset + limit]
    )


@router.get("/sources/{source_id}", response_model=Source, summary="One source")
def get_source(bundle: Bundle, source_id: str) -> Source:
    return bundle.map.source(source_id)


@router.get("/organisations", response_model=list[Organisation], summary="Organisations")
def list_organisations(bundle: Bundle) -> list[Organisation]:
    """Charities, services and agencies, with the factors each acts on."""
    return bundle.map.organisations


@router.get("/organisations/{organisation_id}", response_model=Organisation,
            summary="One organisation")  # fmt: skip
def get_organisation(bundle: Bundle, organisation_id: str) -> Organisation:
    """An organisation: what it is, where it works, the factors it acts on, its funding."""
    return bundle.map.organisation(organisation_id)
