"""Persistence: maps and their revisions in SQLite (default) or PostgreSQL.

Example:
    >>> from loopwise.model import Map
    >>> store = open_store("sqlite://")
    >>> store.create_map(Map(slug="demo", title="Demo"), author="ana").number
    1
    >>> [info.slug for info in store.list_maps()]
    ['demo']
"""

from loopwise.store.database import normalise_database_url, resolve_database_url
from loopwise.store.repository import MapInfo, Store, open_store

__all__ = ["MapInfo", "Store", "normalise_database_url", "open_store", "resolve_database_url"]
