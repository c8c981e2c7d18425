"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served from
the package's own files (``static/vendor``, copied by ``npm run vendor``): they work offline
and under the site's Content-Security-Policy (:func:`loopwise.web.csp.docs_policy`), with no
inline script; ``js/api_docs.js`` starts Swagger UI or ReDoc.

Example:
    >>> from fastapi.testclient import TestClient  # doctest: +SKIP
    >>> "/static/vendor/redoc/redoc.standalone.js" in client.get("/redoc").text  # doctest: +SKIP
    True
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from loopwise.web.csp import docs_policy
from loopwise.web.templating import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over the app's OpenAPI document: try the API in the browser."""
    return HTMLResponse(render("api_docs.html", _context(request, "swagger")))


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over the app's OpenAPI document: the API as one readable page. ReDoc writes its
    styles into ``<style>`` elements: they carry a nonce made for this response, the only
    inline styles its policy allows."""
    nonce = secrets.token_urlsafe(18)
    context = {**_context(request, "redoc"), "style_nonce": nonce}
    response = HTMLResponse(render("api_docs.html", context))
    response.headers["Content-Security-Policy"] = docs_policy(nonce)
    response.headers["Cache-Control"] = "no-store"  # the nonce is for this response only
    return response


@router.get("/docs/oauth2-redirect")
def oauth2_redirect() -> HTMLResponse:
    """Swagger UI's sign-in return page (its own script, no inline code)."""
    return HTMLResponse(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>loopwise API: signing in</title></head><body>"
        '<script src="/static/vendor/swagger-ui/oauth2-redirect.js"></script></body></html>\n'
    )


def _context(request: Request, viewer: str) -> dict[str, object]:
    app = request.app
    return {
        "viewer": viewer,
        "title": app.title,
        "openapi_url": app.openapi_url or "/openapi.json",
        "urls": None,
        "page": "docs",
    }
