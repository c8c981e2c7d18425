"""The web application: the JSON API and the explorer pages over a store.

Public maps are served to anyone; private ones only to their members (to anyone else they are
the same 404 as an unknown map). Writes need a role on the map (:mod:`loopwise.api.auth`).
Every unsafe request with a session cookie needs its CSRF token
(:class:`~loopwise.web.csrf.CsrfMiddleware`, once for all routes). All user text reaches
pages through Jinja2's autoescaping, and pages carry a Content-Security-Policy that allows only
the site's own scripts (no inline script) and no framing except the embed.

Routers are listed in :data:`API_ROUTERS`: a new resource is one more line there.

Example:
    >>> from fastapi.testclient import TestClient  # doctest: +SKIP
    >>> client = TestClient(create_app(open_store()))  # doctest: +SKIP
    >>> client.get("/api/maps").json()[0]["slug"]  # doctest: +SKIP
    'breaking-the-cycle'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from loopwise import __version__
from loopwise.api import (
    analysis,
    briefs,
    edit,
    evidence,
    factors,
    history,
    imports,
    loops,
    maps,
    members,
    scenarios,
    sources,
    stories,
)
from loopwise.api.auth import SESSION_COOKIE, require_editor, require_reader
from loopwise.api.errors import ErrorOut, describe_request_error, error_payload
from loopwise.errors import LoopwiseError
from loopwise.present.bundle import BundleCache
from loopwise.web import (
    account_views,
    admin_views,
    docs_views,
    editor_views,
    member_views,
    my_account_views,
    story_views,
    views,
)
from loopwise.web.cached_reads import CachedReads
from loopwise.web.csrf import CsrfMiddleware
from loopwise.web.limits import BodySizeLimit, HeadAsGet
from loopwise.web.response_cache import ResponseCache, max_bytes_from_env
from loopwise.web.security_headers import SecurityHeaders
from loopwise.web.templating import render

_HERE = Path(__file__).parent

API_ROUTERS: list[APIRouter] = [
    maps.router,
    factors.router,
    sources.router,
    loops.router,
    analysis.router,
    scenarios.router,
    history.router,
    edit.router,
    members.router,
    imports.router,
    stories.router,
]
"""The JSON API's routers, in the order ``/docs`` lists them. Add new resources here."""


def create_app(store: Any) -> FastAPI:
    """Build the ASGI app serving the public maps in ``store``."""
    app = FastAPI(
        docs_url=None,  # served from the package's own files: loopwise.web.docs_views
        redoc_url=None,
        title="loopwise",
        version=__version__,
        description=(
            "Systems maps with the evidence behind every link: factors, causal links with "
            "polarity, evidence, sources, organisations, feedback loops, centrality, paths, "
            "leverage, scenario runs, saved views and history. Public maps are open to all; "
            "private maps to their members. Writes need the editor role: send "
            "`Authorization: Bearer <token>` (`loopwise token create`)."
        ),
    )
    app.state.store = store
    app.state.bundles = BundleCache()
    for router in API_ROUTERS:
        app.include_router(router)
    app.include_router(briefs.router, dependencies=[Depends(require_reader)])
    # the evidence review queue: editors of the map only
    app.include_router(evidence.router, dependencies=[Depends(require_editor)],
                       responses=edit.WRITE_RESPONSES)  # fmt: skip
    app.include_router(views.router)
    app.include_router(docs_views.router)
    app.include_router(story_views.router)
    app.include_router(account_views.router)
    app.include_router(editor_views.router)
    app.include_router(member_views.router)
    app.include_router(my_account_views.router)
    app.include_router(admin_views.router)
    # reads made once per map version, with ETag, 304 and compression (web.cached_reads);
    # inside the CSRF check and the body cap, so those still see every request
    app.state.responses = ResponseCache(max_bytes_from_env())
    app.add_middleware(CachedReads, cache=app.state.responses, static_dir=_HERE / "static")
    app.add_middleware(CsrfMiddleware, session_cookie=SESSION_COOKIE)
    app.add_middleware(BodySizeLimit)  # outside the CSRF check: bodies are capped first
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")

    app.add_middleware(SecurityHeaders, session_cookie=SESSION_COOKIE)
    app.add_middleware(HeadAsGet)  # outermost: HEAD is GET without the body

    def _error(
        request: Request, status: int, body: ErrorOut, headers: Mapping[str, str] | None = None
    ) -> Response:
        headers = _error_headers(status, headers)
        if request.url.path.startswith("/api/"):
            return JSONResponse(body.model_dump(exclude_none=True), status_code=status,
                                headers=headers)  # fmt: skip
        html = render("error.html", {"status": status, "detail": body.detail, "urls": None,
                                     "page": "error"})  # fmt: skip
        return HTMLResponse(html, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "not found"
        return _error(request, exc.status_code, ErrorOut(detail=detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, describe_request_error(exc))

    @app.exception_handler(LoopwiseError)
    async def _loopwise_error(request: Request, exc: LoopwiseError) -> Response:
        status, body = error_payload(exc)
        return _error(request, status, body)

    return app


def _error_headers(status: int, headers: Mapping[str, str] | None) -> dict[str, str]:
    """An error's headers: what the exception carried (``Allow``, ``WWW-Authenticate``,
    ``Retry-After``), and what HTTP requires of the status when it did not."""
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="loopwise"')
    allow = [m.strip() for m in headers.get("Allow", "").split(",") if m.strip()]
    if status == 405 and "GET" in allow and "HEAD" not in allow:
        headers["Allow"] = ", ".join([*allow, "HEAD"])
    return headers


def create_app_from_env() -> FastAPI:
    """The app over the store configured by the environment (``LOOPWISE_DATABASE_URL``, else
    the SQLite file in the data directory), seeded with the built-in maps on first run.

    This is the factory ``loopwise serve --workers N`` gives uvicorn: each worker process
    builds its own app and connection pool.
    """
    from loopwise.store import open_store
    from loopwise.store.seed import seed_builtin_maps
    from loopwise.web.prime import prime_in_background

    store = open_store()
    seed_builtin_maps(store)
    app = create_app(store)
    prime_in_background(app)  # each map's canvas, loops and leverage, made in advance
    return app
