"""What every reader and writer shares: size-checked reading, decoding, safe XML, ids.

Readers turn a file into the plain dict :meth:`loopwise.model.Map.from_dict` takes (the
"abstract model" step of the pipeline), then :func:`build_map` validates it as a whole, so an
import is all or nothing.

Example:
    >>> ids = IdAllocator()
    >>> ids.allocate("Housing"), ids.allocate("housing"), ids.allocate("Housing!")
    ('housing', 'housing-2', 'housing-3')
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from loopwise.errors import ImportFormatError, ValidationError
from loopwise.model import Map, is_slug, slugify

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
UNKNOWN_POLARITY_TAG = "polarity:unknown"
"""Tag on links imported as ``+`` from a file that gives no polarity."""


def max_import_bytes() -> int:
    """The largest file an import reads (``LOOPWISE_MAX_IMPORT_BYTES``, default 50 MB)."""
    raw = os.environ.get("LOOPWISE_MAX_IMPORT_BYTES")
    if raw is None:
        return DEFAULT_MAX_BYTES
    try:
        return max(1, int(raw))
    except ValueError:
        raise ImportFormatError(
            f"must be a whole number of bytes, got {raw!r}", "LOOPWISE_MAX_IMPORT_BYTES"
        ) from None


def read_file_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path``, refusing missing files, folders and files over the limit
    (checked before anything is read)."""
    where = str(path)
    limit = max_import_bytes() if max_bytes is None else max_bytes
    try:
        if path.is_dir():
            raise ImportFormatError("is a folder, not a file", where)
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFormatError("no such file", where) from None
    if size > limit:
        raise ImportFormatError(f"file is {size:,} bytes, over the {limit:,}-byte limit", where)
    return path.read_bytes()


def check_size(raw: bytes, where: str) -> None:
    """Refuse data over the import limit (for bytes that did not come from a file)."""
    limit = max_import_bytes()
    if len(raw) > limit:
        raise ImportFormatError(f"data is {len(raw):,} bytes, over the {limit:,}-byte limit", where)


def decode_text(raw: bytes, where: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFormatError("not valid UTF-16 text (truncated?)", where) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"not UTF-8 text (bad byte 0x{raw[exc.start]:02x} at byte {exc.start}); "
            "save the file as UTF-8",
            where,
        ) from None


def load_json(text: str, where: str) -> Any:
    """Parse JSON text; a syntax error names the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", where
        ) from None
    except RecursionError:
        raise ImportFormatError("not valid JSON: nested too deeply", where) from None


def parse_xml(raw: bytes, where: str) -> Element:
    """Parse XML with defusedxml: DTDs, entity declarations and external references are
    refused (billion laughs, XXE), as are malformed or truncated documents."""
    import defusedxml.ElementTree as safe_et
    from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

    try:
        return safe_et.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise ImportFormatError(
            "XML with a DTD (<!DOCTYPE ...>) is refused: DTDs can declare entity bombs "
            "or read local files",
            where,
        ) from None
    except EntitiesForbidden as exc:
        raise ImportFormatError(
            f"XML entity declaration {exc.name!r} is refused (entity expansion / external "
            "entities are not allowed)",
            where,
        ) from None
    except DefusedXmlException as exc:
        raise ImportFormatError(f"unsafe XML refused: {exc}", where) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        raise ImportFormatError(
            f"not well-formed XML ({reason}) at line {line}, column {column + 1}", where
        ) from None


def local_name(tag: str) -> str:
    """An XML tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def stem_slug(where: str) -> str:
    """A map slug from a file name (``Reoffending map.kumu.json`` -> ``reoffending-map``)."""
    name = Path(where).name
    stem = name.split(".")[0] if not name.startswith(".") else name
    return slugify(stem or "imported")


def stem_title(where: str) -> str:
    name = Path(where).name
    return (name.split(".")[0] if not name.startswith(".") else name).strip() or "Imported map"


class IdAllocator:
    """Deterministic slug ids for labels: ``slugify`` then ``-2``, ``-3`` for repeats.

    ``prefer`` keeps an id that is already a valid, unused slug (an id from our own export).
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)

    def allocate(self, label: str, prefer: str | None = None) -> str:
        if prefer and is_slug(prefer) and prefer not in self._taken:
            self._taken.add(prefer)
            return prefer
        base = slugify(label)
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            suffix = f"-{n}"
            candidate = base[: 120 - len(suffix)].rstrip("-") + suffix
        self._taken.add(candidate)
        return candidate


def split_multi(value: Any) -> list[str]:
    """Kumu's multi-values: ``"a | b"`` -> ``["a", "b"]``; empty cells give ``[]``."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split("|") if part.strip()]


def polarity_of(value: Any) -> str | None:
    """``+``/``-`` from the ways tools write polarity; None when there is none."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return "-" if value < 0 else ("+" if value > 0 else None)
    text = str(value).strip().lower()
    if text in {"+", "++", "s", "same", "positive", "pos", "plus", "reinforcing", "1", "+1"}:
        return "+"
    if text in {"-", "--", "o", "opposite", "negative", "neg", "minus", "−", "-1"}:
        return "-"
    return None


def mark_unknown_polarity(link: dict[str, Any]) -> dict[str, Any]:
    """Give a link with no polarity in the file ``+`` and the ``polarity:unknown`` tag."""
    link["polarity"] = "+"
    tags = link.setdefault("tags", [])
    if UNKNOWN_POLARITY_TAG not in tags:
        tags.append(UNKNOWN_POLARITY_TAG)
    return link


def count_unknown_polarity(map_: Map) -> int:
    """How many links were imported without a polarity (see :data:`UNKNOWN_POLARITY_TAG`)."""
    return sum(UNKNOWN_POLARITY_TAG in link.tags for link in map_.links)


def drop_duplicate_links(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the first of links with the same endpoints (formats that allow parallel arrows
    would otherwise fail validation; the model holds one link per pair)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for link in links:
        key = (link["from"], link["to"])
        if key not in seen:
            seen.add(key)
            kept.append(link)
    return kept


def build_map(data: dict[str, Any], where: str) -> Map:
    """Validate the abstract model as a whole: the one place an import becomes a Map."""
    try:
        return Map.from_dict(data, where=where)
    except ValidationError:
        raise
    except RecursionError:
        raise ImportFormatError("nested too deeply", where) from None


def text_of(value: Any) -> str:
    """A cell or attribute as text ('' for None; 3.0 -> '3')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def strength_number(value: Any) -> float | None:
    """A number in [-1, 1] from a cell, or None."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or not -1.0 <= number <= 1.0:  # NaN or out of range
        return None
    return number


def link_strength(value: Any, polarity: str) -> str | float | None:
    """A model strength from a label or a number whose sign is forced to agree."""
    if isinstance(value, str) and value.strip().lower() in {"weak", "medium", "strong"}:
        return value.strip().lower()
    number = strength_number(value)
    if number is None:
        return None
    magnitude = abs(number)
    return magnitude if polarity == "+" else -magnitude


def known_polarity(link: Any) -> str | None:
    """The polarity to write for a model link: None when it was imported as unknown."""
    return None if UNKNOWN_POLARITY_TAG in link.tags else link.polarity


def written_tags(link_or_factor: Any) -> list[str]:
    """Tags to write: without the ``polarity:unknown`` marker (the missing polarity says it)."""
    return [t for t in link_or_factor.tags if t != UNKNOWN_POLARITY_TAG]


def jsonable(value: Any) -> bool:
    """True for values a JSON custom field can hold."""
    return value is None or isinstance(value, str | int | float | bool | list | dict)


def as_text(value: Any) -> str:
    """A value as text, keeping strings exactly (whitespace included)."""
    return value if isinstance(value, str) else text_of(value)
