"""The web application: public maps as HTML pages and JSON.

Only public maps are served (accounts and private maps come with the editor); a private or
unknown map is a 404. All user text reaches the page through Jinja2's autoescaping.

Example:
    >>> from fastapi.testclient import TestClient  # doctest: +SKIP
    >>> client = TestClient(create_app(open_store()))  # doctest: +SKIP
    >>> client.get("/api/maps").json()[0]["slug"]  # doctest: +SKIP
    'breaking-the-cycle'
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from loopwise import __version__
from loopwise.errors import UnknownIdError
from loopwise.formats.loopwise_json import dumps_map
from loopwise.model import Map

_HERE = Path(__file__).parent


class MapListItem(BaseModel):
    slug: str
    title: str
    factors: int
    links: int
    version: int


def create_app(store: Any) -> FastAPI:
    """Build the ASGI app serving the maps in ``store``."""
    app = FastAPI(
        title="loopwise",
        version=__version__,
        description="Systems maps with the evidence behind every link.",
    )
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")

    def public_map(slug: str) -> Map:
        try:
            map_ = store.get_map(slug)
        except UnknownIdError:
            raise HTTPException(status_code=404, detail=f"no public map {slug!r}") from None
        if map_.visibility != "public":
            raise HTTPException(status_code=404, detail=f"no public map {slug!r}")
        return map_

    def public_infos() -> list[Any]:
        return [info for info in store.list_maps() if info.visibility == "public"]

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {"maps": public_infos()})

    @app.get("/maps/{slug}", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, slug: str) -> Response:
        map_ = public_map(slug)
        return templates.TemplateResponse(request, "map.html", _map_context(map_))

    @app.get("/api/maps", response_model=list[MapListItem])
    def api_maps() -> list[MapListItem]:
        """The public maps."""
        return [
            MapListItem(
                slug=info.slug,
                title=info.title,
                factors=info.factors,
                links=info.links,
                version=info.version,
            )
            for info in public_infos()
        ]

    @app.get("/api/maps/{slug}")
    def api_map(slug: str) -> Response:
        """A public map as loopwise JSON (factors, links with evidence, sources...)."""
        return Response(dumps_map(public_map(slug)), media_type="application/json")

    @app.exception_handler(HTTPException)
    async def _not_found(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
        )  # fmt: skip

    return app


def _map_context(map_: Map) -> dict[str, Any]:
    """What the map page shows: factors grouped by theme, links with their evidence."""
    labels = {f.id: f.label for f in map_.factors}
    sources = {s.id: s for s in map_.sources}
    theme_labels = {t.id: t.label for t in map_.themes}
    stage_labels = {s.id: s.label for s in map_.stages}
    factors_by_theme: dict[str, list[Any]] = defaultdict(list)
    for factor in map_.factors:
        factors_by_theme[theme_labels.get(factor.theme or "", "Other")].append(factor)
    links = []
    for link in map_.links:
        conf = map_.link_confidence(link.id)
        links.append(
            {
                "link": link,
                "from_label": labels[link.source_factor],
                "to_label": labels[link.target_factor],
                "confidence": conf,
                "evidence": [(ev, sources[ev.source]) for ev in link.evidence],
            }
        )
    return {
        "map": map_,
        "summary": map_.summary(),
        "factors_by_theme": dict(factors_by_theme),
        "stage_labels": stage_labels,
        "links": links,
        "labels": labels,
    }
