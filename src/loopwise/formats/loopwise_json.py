"""loopwise JSON: the canonical, lossless map format.

A document is the map's fields with ``"format": "loopwise"`` and ``"format_version": 1``
first. Each link also carries its derived ``confidence`` (score and level); it is ignored on
read, because it is always recomputed from the evidence.

Example:
    >>> from loopwise.model import Map
    >>> text = dumps_map(Map(slug="demo", title="Demo"))
    >>> loads_map(text, where="demo.json").title
    'Demo'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from loopwise.errors import ImportFormatError
from loopwise.formats.files import DEFAULT_MAX_BYTES, max_import_bytes
from loopwise.model import FORMAT_NAME, FORMAT_VERSION, Map

__all__ = [
    "DEFAULT_MAX_BYTES",
    "dumps_map",
    "loads_map",
    "map_to_document",
    "max_import_bytes",
    "read_map_file",
]


def map_to_document(map_: Map) -> dict[str, Any]:
    """The JSON document for a map, with each link's derived confidence added."""
    document = map_.to_dict()
    for link in document["links"]:
        conf = map_.link_confidence(link["id"])
        link["confidence"] = {"score": conf.score, "level": conf.level}
    return document


def dumps_map(map_: Map) -> str:
    """Serialise a map as pretty-printed loopwise JSON (UTF-8 text, not ASCII-escaped)."""
    return json.dumps(map_to_document(map_), indent=2, ensure_ascii=False) + "\n"


def loads_map(text: str, where: str = "<string>") -> Map:
    """Parse loopwise JSON text into a validated Map; errors name ``where`` and the place."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", where
        ) from None
    if not isinstance(data, dict):
        raise ImportFormatError(f"expected a JSON object, got {type(data).__name__}", where)
    declared = data.get("format", FORMAT_NAME)
    if declared != FORMAT_NAME:
        raise ImportFormatError(f"not a loopwise map (format is {declared!r})", where)
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise ImportFormatError(
            f"unsupported format_version {version!r} (this loopwise reads 1..{FORMAT_VERSION})",
            where,
        )
    return Map.from_dict(data, where=where)


def read_map_file(path: Path, max_bytes: int | None = None) -> Map:
    """Read a loopwise JSON file, refusing files over the size limit before parsing."""
    where = str(path)
    limit = max_import_bytes() if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFormatError("no such file", where) from None
    if path.is_dir():
        raise ImportFormatError("is a folder, not a file", where)
    if size > limit:
        raise ImportFormatError(f"file is {size:,} bytes, over the {limit:,}-byte limit", where)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"not UTF-8 text (bad byte 0x{raw[exc.start]:02x} at byte {exc.start})", where
        ) from None
    return loads_map(text, where=where)
