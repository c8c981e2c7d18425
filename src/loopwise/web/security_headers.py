"""The headers every answer carries: no sniffing, no framing (except the embed), the
Content-Security-Policy on pages, and ``Cache-Control: private, no-store`` on anything about a
private map or answered to a signed-in caller (a shared cache must never keep it).

A plain ASGI middleware: it edits the response's first message as it passes, so a request
costs no extra task or stream (Starlette's ``@app.middleware("http")`` costs both).

Example:
    >>> from fastapi import FastAPI
    >>> from fastapi.testclient import TestClient
    >>> app = FastAPI()
    >>> _ = app.get("/")(lambda: {"ok": True})
    >>> app.add_middleware(SecurityHeaders, session_cookie="session")
    >>> TestClient(app).get("/").headers["x-frame-options"]
    'DENY'
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request

from loopwise.web.csp import CONTENT_SECURITY_POLICY, DOCS_POLICY, EMBED_POLICY

DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")
"""The API's documentation pages (the package's own Swagger UI and ReDoc,
:mod:`loopwise.web.docs_views`): :data:`~loopwise.web.csp.DOCS_POLICY`, or the policy the page
set itself (ReDoc's carries its style nonce)."""
EMBED_PATH = re.compile(r"^/maps/[^/]+/embed/?$")
"""The embed is made to be framed by other sites."""


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP answer."""

    def __init__(self, app: Any, session_cookie: str) -> None:
        self.app = app
        self.session_cookie = session_cookie

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                self._add(request, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, with_headers)

    def _add(self, request: Request, headers: MutableHeaders) -> None:
        path = request.url.path
        headers.setdefault("X-Content-Type-Options", "nosniff")
        embed = EMBED_PATH.match(path) is not None
        if not embed:  # no other site may frame a page (clickjacking); the embed is made to be
            headers.setdefault("X-Frame-Options", "DENY")
        if headers.get("content-type", "").startswith("text/html"):
            if path in DOCS_PATHS:
                headers.setdefault("Content-Security-Policy", DOCS_POLICY)
            else:
                policy = EMBED_POLICY if embed else CONTENT_SECURITY_POLICY
                headers["Content-Security-Policy"] = policy
            headers.setdefault("Referrer-Policy", "same-origin")
        credentials = bool(
            request.headers.get("authorization") or request.cookies.get(self.session_cookie)
        )
        if not path.startswith("/static/") and (
            credentials or getattr(request.state, "private_map", False)
        ):  # a private map, or a page made for one person: never kept by a shared cache
            headers["Cache-Control"] = "private, no-store"
