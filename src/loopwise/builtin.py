"""Maps shipped with loopwise as data (``loopwise/data/maps/<slug>.json``).

Example:
    >>> sorted(builtin_map_slugs())
    ['breaking-the-cycle']
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING

from loopwise.errors import UnknownIdError

if TYPE_CHECKING:  # the model loads pydantic: not needed to name the default map (CLI start-up)
    from loopwise.model import Map

DEFAULT_MAP_SLUG = "breaking-the-cycle"


def builtin_map_slugs() -> list[str]:
    """The slugs of the maps that ship with loopwise."""
    folder = resources.files("loopwise") / "data" / "maps"
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def load_builtin_map(slug: str = DEFAULT_MAP_SLUG) -> Map:
    """Read and validate a built-in map."""
    from loopwise.model import Map

    if slug not in builtin_map_slugs():
        raise UnknownIdError("built-in map", slug, builtin_map_slugs())
    path = resources.files("loopwise") / "data" / "maps" / f"{slug}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return Map.from_dict(data, where=f"built-in map {slug}.json")
