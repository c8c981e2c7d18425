"""Maps: the list, one map as loopwise JSON, its summary, canvas payload and saved views."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from loopwise.api.deps import Bundle
from loopwise.api.errors import ERROR_RESPONSES
from loopwise.model.entities import View
from loopwise.model.map import Map
from loopwise.present.payloads import MapListItem, MapSummary

router = APIRouter(prefix="/api", tags=["maps"], responses=ERROR_RESPONSES)

_JSON_DOC: dict[int | str, dict[str, Any]] = {
    200: {"model": Map, "description": "The map as loopwise JSON"}
}  # the schema goes into the document's components (ReDoc cannot follow inline ``$defs``)


@router.get("/maps", response_model=list[MapListItem], summary="The maps the caller can read")
def list_maps(request: Request) -> list[MapListItem]:
    """Every public map, and the private maps the caller is a member of, with its size and
    current version."""
    from loopwise.api.auth import visible_maps

    maps = visible_maps(request, request.app.state.store.list_maps())
    return [MapListItem.model_validate(info, from_attributes=True) for info in maps]


def cached_json(request: Request, body: bytes, etag: str) -> Response:
    """``body`` as JSON with its ``ETag``; 304 (no body) when the client has that version
    (``If-None-Match``)."""
    sent = request.headers.get("if-none-match", "")
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


VERSION_HEADER = "X-Loopwise-Version"
"""The response header of ``GET /api/maps/{slug}`` that names the map's version."""


@router.get("/maps/{slug}", responses=_JSON_DOC, summary="A map as loopwise JSON")
def get_map(request: Request, bundle: Bundle) -> Response:
    """The whole map as loopwise JSON: factors, links with their evidence, sources,
    curated loops (key ``loops``), organisations, interventions and views. The header
    ``X-Loopwise-Version`` names the map's version (send it as ``based_on`` when editing).
    Send the ``ETag`` back in ``If-None-Match`` to get 304 while the map is unchanged."""
    response = cached_json(request, bundle.map_json, f'"{bundle.map.slug}-{bundle.version}"')
    # the version the document is (an ETag is opaque: the response cache replaces it with a
    # digest of the bytes); editors send it back as ``based_on``
    response.headers[VERSION_HEADER] = str(bundle.version)
    return response


@router.get("/maps/{slug}/summary", response_model=MapSummary, summary="A map's counts")
def get_summary(bundle: Bundle) -> MapSummary:
    summary = bundle.map.summary()
    return MapSummary(
        slug=bundle.map.slug, title=bundle.map.title, description=bundle.map.description,
        licence=bundle.map.licence, version=bundle.version, factors=summary["factors"],
        links=summary["links"], sources=summary["sources"], evidence=summary["evidence"],
        curated_loops=summary["curated_loops"], organisations=summary["organisations"],
        links_without_evidence=summary["links_without_evidence"], themes=bundle.map.themes,
        stages=bundle.map.stages,
    )  # fmt: skip


@router.get("/maps/{slug}/graph", summary="The canvas payload (positions included)")
def get_graph(request: Request, bundle: Bundle) -> Response:
    """Factors with server-computed positions, links with polarity, delay, confidence and
    evidence kinds, and the legend (theme colours and shapes): what the map canvas draws."""
    etag = f'"{bundle.map.slug}-{bundle.version}-graph"'
    return cached_json(request, bundle.graph_json, etag)


@router.get("/maps/{slug}/views", response_model=list[View], summary="Saved views")
def list_views(bundle: Bundle) -> list[View]:
    return bundle.map.views


@router.get("/maps/{slug}/views/{view_id}", response_model=View, summary="One saved view")
def get_view(bundle: Bundle, view_id: str) -> View:
    for view in bundle.map.views:
        if view.id == view_id:
            return view
    from loopwise.errors import UnknownIdError

    raise UnknownIdError("view", view_id, [v.id for v in bundle.map.views][:3])
