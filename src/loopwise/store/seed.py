"""Put the built-in maps (``loopwise/data/maps``) into a store.

Example:
    >>> from loopwise.store import open_store
    >>> store = open_store("sqlite://")
    >>> created = seed_builtin_maps(store)
    >>> seed_builtin_maps(store)  # already there: nothing to do
    []
"""

from __future__ import annotations

from loopwise import builtin
from loopwise.store.repository import Store


def seed_builtin_maps(store: Store, author: str = "loopwise") -> list[str]:
    """Create each built-in map the store does not have yet; return the slugs created.

    Maps already in the store are left alone, whatever their content.
    """
    created: list[str] = []
    for slug in builtin.builtin_map_slugs():
        if store.has_map(slug):
            continue
        map_ = builtin.load_builtin_map(slug)
        store.create_map(map_, author=author, message=f"built-in map {slug}")
        created.append(map_.slug)
    return created
