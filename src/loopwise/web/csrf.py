"""CSRF, checked once for the whole app: every unsafe request (not GET, HEAD or OPTIONS) that
carries a live session cookie must also carry that session's CSRF token, in the
``X-CSRF-Token`` header or, for a form post, the ``csrf_token`` field. A new route is
therefore safe by default: it never has to remember a check.

Requests without a live session cookie carry no ambient authority, so there is nothing to
forge (the routes refuse them as anonymous); nor do requests with an ``Authorization``
header (a script's API token says who is calling, and no other site can make a browser send
that header).
Exempt: :data:`CSRF_EXEMPT`, the sign-in form (before a session exists; it has its own
signed token, :mod:`loopwise.web.forms`) and the computations that store nothing.

Example:
    >>> from loopwise.store import open_store  # doctest: +SKIP
    >>> app.add_middleware(CsrfMiddleware)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any
from urllib.parse import parse_qs

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = b"x-csrf-token"
CSRF_FIELD = "csrf_token"
MAX_FORM_BYTES = 64_000

CSRF_EXEMPT = (
    re.compile(r"^/login$"),  # before a session exists; a signed token of its own
    re.compile(r"^/api/maps/[^/]+/scenarios$"),  # runs a simulation, stores nothing
    re.compile(r"^/api/maps/[^/]+/funding-gaps$"),  # reads an uploaded file, stores nothing
    re.compile(r"^/api/import-report$"),  # reports what an uploaded file holds, stores nothing
)
"""Unsafe routes the middleware lets through: none of them changes anything a session owns."""


class CsrfMiddleware:
    """ASGI middleware: 403 for an unsafe request with a live session and no (or a wrong)
    CSRF token. Form bodies are read (up to 64 KB) and handed on unchanged."""

    def __init__(self, app: Any, session_cookie: str = "loopwise_session") -> None:
        self.app = app
        self.session_cookie = session_cookie

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or any(rule.match(scope["path"]) for rule in CSRF_EXEMPT)
        ):
            await self.app(scope, receive, send)
            return
        from fastapi.concurrency import run_in_threadpool

        headers = {name: value for name, value in scope.get("headers", [])}
        if headers.get(b"authorization"):
            # a script with its token: the token, not the cookie, says who is calling, and
            # no other site can make a browser send that header
            await self.app(scope, receive, send)
            return
        secret = _cookie(headers.get(b"cookie", b""), self.session_cookie)
        expected = await run_in_threadpool(self._csrf_token, scope, secret) if secret else None
        if expected is None:  # no live session: nothing to forge
            await self.app(scope, receive, send)
            return
        sent = headers.get(CSRF_HEADER, b"").decode("latin-1")
        body_messages: list[Any] = []
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if not sent and kind == b"application/x-www-form-urlencoded":
            body = b""
            while True:
                message = await receive()
                body_messages.append(message)
                if message["type"] != "http.request":
                    break
                body += message.get("body", b"")
                if len(body) > MAX_FORM_BYTES:
                    await _refuse(scope, send, 413, "form too large")
                    return
                if not message.get("more_body"):
                    break
            sent = _form_token(body)
        if not (sent and secrets.compare_digest(sent.encode(), expected.encode())):
            await _refuse(scope, send, 403, "missing or wrong CSRF token")
            return

        async def replay() -> Any:
            if body_messages:
                return body_messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)

    def _csrf_token(self, scope: Any, secret: str) -> str | None:
        from loopwise.accounts.service import Accounts

        store = scope["app"].state.store
        session = Accounts(store).session_for(secret)
        return None if session is None else session.csrf_token


def _cookie(header: bytes, name: str) -> str | None:
    from starlette.requests import cookie_parser  # what request.cookies uses

    return cookie_parser(header.decode("latin-1")).get(name) or None


def _form_token(body: bytes) -> str:
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        return ""
    values = fields.get(CSRF_FIELD) or [""]
    return values[0]


async def _refuse(scope: Any, send: Any, status: int, detail: str) -> None:
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": detail}).encode()
        kind = b"application/json"
    else:
        from loopwise.web.templating import render

        page = render("error.html", {"status": status, "detail": detail, "urls": None,
                                     "page": "error"})  # fmt: skip
        body, kind = page.encode(), b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"x-frame-options", b"DENY")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})
