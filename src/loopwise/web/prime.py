"""Make the first visitor's pages as quick as the second's: compute each map's analyses and
compile the page templates when the server starts, on a background thread.

A new server would otherwise build the canvas layout, the loop list and the leverage table of
a map on its first request for them (about a second for the built-in map), and compile each
template on its first render. ``loopwise serve`` calls :func:`prime_in_background` beside
:func:`loopwise.warm.warm_up_in_background` (the compiled kernels).

Example:
    >>> from loopwise.store import open_store
    >>> from loopwise.store.seed import seed_builtin_maps
    >>> from loopwise.web.app import create_app
    >>> store = open_store("sqlite://")
    >>> _ = seed_builtin_maps(store)
    >>> app = create_app(store)
    >>> prime_maps(app)
    ['breaking-the-cycle']
    >>> len(app.state.bundles._items)
    1
"""

from __future__ import annotations

import threading
from typing import Any

from loopwise.web.templating import environment


def prime_maps(app: Any) -> list[str]:
    """Compute the canvas payload, loops, centrality and leverage of every map in the app's
    store (kept in its bundle cache), compile every template; return the slugs primed."""
    store, bundles = app.state.store, app.state.bundles
    env = environment()
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)
    primed = []
    for info in store.list_maps():
        bundle = bundles.get(info.slug, info.version, lambda slug=info.slug: store.get_map(slug))
        _ = bundle.graph_json, bundle.loops, bundle.loops_by_factor, bundle.centrality
        if bundle.default_target is not None:
            from loopwise.api.convert import leverage_out

            leverage_out(bundle)
        primed.append(info.slug)
    return primed


def prime_in_background(app: Any) -> threading.Thread:
    """Start :func:`prime_maps` on a daemon thread and return it."""
    thread = threading.Thread(target=prime_maps, args=(app,), name="loopwise-prime", daemon=True)
    thread.start()
    return thread
