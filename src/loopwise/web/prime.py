"""Make the first visitor's pages as quick as the second's: render each public map's main
pages when the server starts, on a background thread.

A new server would otherwise, on the first request for each, set up the route (FastAPI builds
a route's handler on first use), build the canvas layout, the loop list and the leverage table
of the map, compile the templates and render the page: about a second for the built-in map.
:func:`prime_maps` sends the app the anonymous requests of :data:`PRIMED`, in process, so all of
that is done and the bytes are kept (:mod:`loopwise.web.cached_reads`) before a visitor comes.
``loopwise serve`` calls :func:`prime_in_background` beside
:func:`loopwise.warm.warm_up_in_background` (the compiled kernels).

Example:
    >>> from loopwise.store import open_store
    >>> from loopwise.store.seed import seed_builtin_maps
    >>> from loopwise.web.app import create_app
    >>> store = open_store("sqlite://")
    >>> _ = seed_builtin_maps(store)
    >>> app = create_app(store)
    >>> prime_maps(app, pages=("/api/maps/{slug}/graph",))
    {'/api/maps/breaking-the-cycle/graph': 200}
    >>> len(app.state.responses)
    1
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Sequence
from typing import Any

PRIMED: tuple[str, ...] = (
    "/api/maps/{slug}/graph", "/maps/{slug}", "/maps/{slug}/canvas", "/maps/{slug}/loops",
    "/maps/{slug}/leverage", "/api/maps/{slug}/loops", "/api/maps/{slug}/leverage",
)  # fmt: skip
"""The pages rendered at start for each public map: the canvas and what the home page links."""


def prime_maps(app: Any, pages: Sequence[str] = PRIMED) -> dict[str, int]:
    """GET each of ``pages`` of every public map in the app's store, as an anonymous visitor
    would; return the status of each URL."""
    from urllib.parse import quote

    slugs = [info.slug for info in app.state.store.list_maps() if info.visibility == "public"]
    urls = [page.replace("{slug}", quote(slug, safe="")) for slug in slugs for page in pages]
    return asyncio.run(_get_all(app, urls))


async def _get_all(app: Any, urls: list[str]) -> dict[str, int]:
    return {url: await _get(app, url) for url in urls}


async def _get(app: Any, url: str) -> int:
    from urllib.parse import unquote

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": unquote(url), "raw_path": url.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"localhost")], "server": ("localhost", 80),
        "client": ("127.0.0.1", 0),
    }  # fmt: skip
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def prime_for_serving(app: Any) -> None:
    """:func:`prime_maps`, then leave every object made so far (the app, the maps and their
    analyses: some 300,000 for the built-in map) out of the garbage collector's full passes.
    Each full pass would otherwise walk them all while the server waits (a tenth of a second
    or more), which is what the slowest reads measured."""
    prime_maps(app)
    gc.freeze()


def prime_in_background(app: Any) -> threading.Thread:
    """Start :func:`prime_for_serving` on a daemon thread and return it."""
    thread = threading.Thread(target=prime_for_serving, args=(app,), name="loopwise-prime",
                              daemon=True)  # fmt: skip
    thread.start()
    return thread
