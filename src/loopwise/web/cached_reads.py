"""Reads answered from bytes made once per map version: ETag, 304 and compression.

Every read page and JSON document of a map is a function of the map, its version, the
request's path and query, and who may read it. :class:`CachedReads` (an ASGI middleware)
answers the routes listed in :data:`CACHED_READS` (and seeded scenario runs,
:data:`CACHED_POSTS`) from a :class:`~loopwise.web.response_cache.ResponseCache`:

1. One query gives the map's :class:`~loopwise.store.repository.MapStamp` (which map, its
   version, its visibility). A private map is only answered from the cache to a caller whose
   role lets them read it (checked on every request, exactly as the routes check it); anyone
   else goes on to the route, which answers 404. The caller's role is part of the key.
2. The key is ``(slug, map identity, version, visibility, role, method, path, query, body)``:
   a write makes a new version, so the next request misses and the route renders the new
   state; entries of older versions are dropped when a newer one is seen. Nothing stale is
   served, whichever process wrote.
3. On a miss the route answers as usual; a 200 without ``Set-Cookie`` or ``no-store`` (the
   canvas of a signed-in editor carries the session's CSRF token, so it says ``no-store``) is
   kept. Concurrent misses on one key wait for the first one instead of rendering again.
4. The answer carries an ``ETag`` (a digest of the bytes, one per coding), is ``304 Not
   Modified`` when ``If-None-Match`` names it, and is compressed (brotli or gzip, as the
   client's ``Accept-Encoding`` allows), the coding made once per entry.

Files under ``/static/`` (the Cytoscape bundle, scripts, styles) are kept the same way, keyed
by the file's modification time and size.

Responses keep their headers: the security headers middleware outside this one still adds the
CSP, and ``Cache-Control: private, no-store`` for private maps and signed-in callers.

Example:
    >>> route_template("GET", "/api/maps/demo/loops")
    '/api/maps/{slug}/loops'
    >>> route_template("GET", "/maps/demo/edit") is None
    True
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request

from loopwise.web.compression import negotiate
from loopwise.web.response_cache import CachedResponse, ResponseCache

CACHED_READS: tuple[str, ...] = (
    "/maps/{slug}", "/maps/{slug}/canvas", "/maps/{slug}/embed", "/maps/{slug}/text",
    "/maps/{slug}/factors/{factor_id}", "/maps/{slug}/campaigns/{factor_id}",
    "/maps/{slug}/loops", "/maps/{slug}/loops/{loop_id}", "/maps/{slug}/leverage",
    "/maps/{slug}/funding", "/maps/{slug}/paths", "/maps/{slug}/scenario",
    "/api/maps/{slug}", "/api/maps/{slug}/summary", "/api/maps/{slug}/graph",
    "/api/maps/{slug}/views", "/api/maps/{slug}/views/{view_id}",
    "/api/maps/{slug}/factors", "/api/maps/{slug}/factors/{factor_id}",
    "/api/maps/{slug}/links", "/api/maps/{slug}/links/{link_id}",
    "/api/maps/{slug}/loops", "/api/maps/{slug}/loops/curated",
    "/api/maps/{slug}/centrality", "/api/maps/{slug}/paths", "/api/maps/{slug}/leverage",
    "/api/maps/{slug}/brief", "/api/maps/{slug}/funding-gaps",
    "/maps/{slug}/stories", "/maps/{slug}/stories/{story_id}",
    "/maps/{slug}/stories/{story_id}/steps/{number}",
    "/api/maps/{slug}/stories", "/api/maps/{slug}/stories/{story_id}",
)  # fmt: skip
"""GET routes whose answer depends only on the map's version, the path and the query (and
is the same for every caller who may read the map, or says ``no-store`` when it is not)."""

CACHED_POSTS: tuple[str, ...] = ("/api/maps/{slug}/scenarios",)
"""POST routes that only read: a scenario run with a seed is the same every time. A request
with ``"seed": null`` draws a new seed (reported in its answer) and is never cached."""

_UNCACHED_HEADERS = {b"content-length", b"etag", b"content-type", b"vary", b"date",
                     b"server"}  # fmt: skip
_BIG = 64_000
"""Bodies above this many bytes are encoded on a worker thread, not on the event loop."""


def _compile(templates: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    return {
        template: re.compile(
            "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
        )  # fmt: skip
        for template in templates
    }


_PATTERNS = {"GET": _compile(CACHED_READS), "POST": _compile(CACHED_POSTS)}


def route_template(method: str, path: str) -> str | None:
    """The template of :data:`CACHED_READS` (or :data:`CACHED_POSTS`) that ``path`` is, if
    any (the most specific when two match)."""
    found = [t for t, p in _PATTERNS.get(method, {}).items() if p.match(path)]
    return max(found, key=lambda t: (t.count("/"), -t.count("{")), default=None)


_ANY = {
    method: re.compile("|".join(re.sub(r"\?P<\w+>", "?:", p.pattern) for p in patterns.values()))
    for method, patterns in _PATTERNS.items()
}  # one match per request instead of one per route


def _slug(method: str, path: str) -> str | None:
    """The map's slug when ``path`` is a cached route (``/maps/{slug}/...`` or
    ``/api/maps/{slug}/...``)."""
    pattern = _ANY.get(method)
    if pattern is None or not pattern.match(path):
        return None
    return path.split("/")[3 if path.startswith("/api/") else 2]


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _credentials(scope: dict[str, Any]) -> bool:
    return any(
        key == b"authorization" or (key == b"cookie" and b"loopwise_session=" in value)
        for key, value in scope.get("headers", [])
    )


def _seeded_body_key(body: bytes, content_type: str) -> str | None:
    """A digest of a scenario request (keys sorted), or ``None`` when it is not JSON or asks
    for a fresh seed (``"seed": null``)."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or ("seed" in data and data["seed"] is None):
        return None
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.blake2b(canonical, digest_size=16).hexdigest()


def _reader(request: Request, slug: str) -> tuple[Any, str | None] | None:
    """``(stamp, role)`` when the caller may read map ``slug``; ``None`` when the map is
    unknown or hidden from them (the route then answers, with its 404). Raises the route's
    :class:`HTTPException` for a bad API token."""
    from loopwise.accounts.roles import can_read
    from loopwise.api.auth import SESSION_COOKIE, accounts_of, current_caller

    store = request.app.state.store
    stamp = store.map_stamp(slug) if hasattr(store, "map_stamp") else None
    if stamp is None:
        return None
    role = None
    if request.headers.get("authorization") or request.cookies.get(SESSION_COOKIE):
        role = accounts_of(request).role_on(slug, current_caller(request).user)
    if not can_read(stamp.visibility, role):
        return None
    return stamp, role


class CachedReads:
    """ASGI middleware answering cacheable reads from a :class:`ResponseCache`."""

    def __init__(
        self, app: Any, cache: ResponseCache, static_dir: str | Path | None = None,
        static_prefix: str = "/static/",
    ) -> None:  # fmt: skip
        self.app = app
        self.cache = cache
        self.static_dir = Path(static_dir) if static_dir is not None else None
        self.static_prefix = static_prefix
        self._pending: dict[Hashable, asyncio.Future[CachedResponse | None]] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.cache.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if method == "GET" and self.static_dir and path.startswith(self.static_prefix):
            await self._static(scope, receive, send)
            return
        slug = _slug(method, path)
        if slug is None:
            await self.app(scope, receive, send)
            return
        body_key = ""
        if method == "POST":
            body, receive = await _buffered(receive)
            body_key = _seeded_body_key(body, _header(scope, b"content-type")) or ""
            if not body_key:
                await self.app(scope, receive, send)
                return
        request = Request(scope)
        try:
            if _credentials(scope):  # accounts to look up: on a worker thread
                reader = await run_in_threadpool(_reader, request, slug)
            else:  # one indexed read of a pooled connection: cheaper than a thread hop
                reader = _reader(request, slug)
        except HTTPException:
            reader = None  # a bad token: the route says so
        if reader is None:
            await self.app(scope, receive, send)
            return
        stamp, role = reader
        if stamp.visibility != "public":
            request.state.private_map = True  # never kept by a shared cache (web.app)
        self.cache.forget_map(slug, (stamp.identity, stamp.version))
        key = (slug, stamp.identity, stamp.version, stamp.visibility, role, method, path,
               scope.get("query_string", b""), body_key)  # fmt: skip
        await self._serve(key, scope, receive, send)

    async def _static(self, scope: Any, receive: Any, send: Any) -> None:
        assert self.static_dir is not None
        relative = scope["path"][len(self.static_prefix) :]
        try:
            found = os.stat(self.static_dir / relative)
        except (OSError, ValueError):
            found = None
        if found is None or _header(scope, b"range"):
            await self.app(scope, receive, send)
            return
        key = ("/static/", relative, found.st_mtime_ns, found.st_size)
        await self._serve(key, scope, receive, send)

    async def _serve(self, key: Hashable, scope: Any, receive: Any, send: Any) -> None:
        entry = self.cache.get(key)
        if entry is None:
            loop = asyncio.get_running_loop()
            pending = self._pending.get(key)
            if pending is not None and pending.get_loop() is loop:
                entry = await asyncio.shield(pending)
                if entry is None:  # the first one was not cacheable: answer on our own
                    await self.app(scope, receive, send)
                    return
            else:  # the first to ask (or the one made on another loop: the priming thread)
                future: asyncio.Future[CachedResponse | None] = loop.create_future()
                if pending is None:
                    self._pending[key] = future
                try:
                    entry = await self._render(scope, receive, send)
                    if entry is not None:
                        self.cache.put(key, entry)
                finally:
                    if self._pending.get(key) is future:
                        del self._pending[key]
                    future.set_result(entry)
                if entry is None:
                    return  # already answered, as the route made it
        await self._answer(key, entry, scope, send)

    async def _render(self, scope: Any, receive: Any, send: Any) -> CachedResponse | None:
        """Run the route; return its answer as an entry if it may be kept, else send it on
        as it is and return ``None``."""
        headers = [(k, v) for k, v in scope.get("headers", [])
                   if k not in (b"if-none-match", b"if-modified-since")]  # fmt: skip
        messages: list[Any] = []

        async def capture(message: Any) -> None:
            messages.append(message)

        await self.app({**scope, "headers": headers}, receive, capture)
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        sent = dict(start["headers"]) if start is not None else {}
        keep = (
            start is not None
            and start["status"] == 200
            and b"set-cookie" not in sent
            and b"content-encoding" not in sent
            and b"no-store" not in sent.get(b"cache-control", b"")
        )
        if not keep:
            for message in messages:
                await send(message)
            return None
        assert start is not None
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        media_type = sent.get(b"content-type", b"application/octet-stream").decode("latin-1")
        kept = [(k, v) for k, v in start["headers"] if k not in _UNCACHED_HEADERS]
        return CachedResponse.make(body, media_type, kept)

    async def _answer(self, key: Hashable, entry: CachedResponse, scope: Any, send: Any) -> None:
        coding = negotiate(_header(scope, b"accept-encoding")) if entry.compressible else "identity"
        headers = [(b"content-type", entry.media_type.encode("latin-1")), *entry.headers,
                   (b"etag", entry.etag_for(coding).encode())]  # fmt: skip
        if entry.compressible:
            headers.append((b"vary", b"Accept-Encoding"))
        if_none_match = _header(scope, b"if-none-match")
        if scope["method"] == "GET" and if_none_match and entry.matches(if_none_match):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [h for h in headers if h[0] != b"content-type"]})  # fmt: skip
            await send({"type": "http.response.body", "body": b""})
            return
        if coding == "identity" or coding in entry.codings or len(entry.body) <= _BIG:
            body = self.cache.coded(key, entry, coding)
        else:
            body = await run_in_threadpool(self.cache.coded, key, entry, coding)
        if coding != "identity":
            headers.append((b"content-encoding", coding.encode()))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _buffered(receive: Any) -> tuple[bytes, Any]:
    """Read the whole request body; return it and a ``receive`` that plays it again."""
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
    replay = iter(messages)

    async def again() -> Any:
        try:
            return next(replay)
        except StopIteration:
            return await receive()

    return body, again
