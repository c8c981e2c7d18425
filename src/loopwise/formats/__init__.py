"""Readers and writers for map files. Each format lives in its own module.

For now loopwise's canonical JSON; other tools' formats join the registry later.

Example:
    >>> sorted(FORMATS)
    ['json']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loopwise.errors import ValidationError
from loopwise.formats import loopwise_json
from loopwise.model import Map

Reader = Callable[[Path], Map]
Writer = Callable[[Map], str]

FORMATS: dict[str, tuple[Reader, Writer]] = {
    "json": (loopwise_json.read_map_file, loopwise_json.dumps_map),
}


def _get(name: str) -> tuple[Reader, Writer]:
    if name not in FORMATS:
        raise ValidationError(
            f"unknown format {name!r} (known: {', '.join(sorted(FORMATS))})", "--format"
        )
    return FORMATS[name]


def read_map(path: str | Path, format: str = "json") -> Map:
    """Read a map file in the given format."""
    return _get(format)[0](Path(path))


def write_map(map_: Map, format: str = "json") -> str:
    """Serialise a map in the given format."""
    return _get(format)[1](map_)
