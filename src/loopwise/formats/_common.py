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

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from loopwise.errors import ImportFormatError, ValidationError
from loopwise.model import Map, is_slug, slugify
from loopwise.model.polarity import UNKNOWN_POLARITY_TAG

MAX_ID_LENGTH = 120
_LONG_ID = MAX_ID_LENGTH  # longer generated ids get a readable prefix and a short hash


# ---------------------------------------------------------------------------- import report
@dataclass
class ImportReport:
    """What an import read and what it did not: counts, links of unknown polarity, parallel
    links merged, loops kept as views, fields dropped, other notes.

    Readers add to the report of the import in progress with :func:`report_note`; the
    counts are filled from the finished map by :func:`collecting_report`.
    """

    format: str = ""
    factors: int = 0
    links: int = 0
    loops: int = 0
    views: int = 0
    unknown_polarity: int = 0
    merged_links: list[str] = field(default_factory=list)
    loops_as_views: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as short lines for the CLI (counts first, then one line per note)."""
        out = [
            f"read ({self.format}): {self.factors} factors, {self.links} links, "
            f"{self.loops} named loops, {self.views} views"
        ]
        if self.unknown_polarity:
            out.append(
                f"{self.unknown_polarity} link(s) have no polarity in the file: imported as + "
                f"tagged {UNKNOWN_POLARITY_TAG}; their loops are of type ? (unknown)"
            )
        out += [f"merged: {m}" for m in self.merged_links]
        out += [f"warning: {v}" for v in self.loops_as_views]
        out += [f"not read: {d}" for d in self.dropped]
        out += [f"note: {n}" for n in self.notes]
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (what the API returns)."""
        return {
            "format": self.format,
            "factors": self.factors,
            "links": self.links,
            "loops": self.loops,
            "views": self.views,
            "unknown_polarity": self.unknown_polarity,
            "merged_links": list(self.merged_links),
            "loops_as_views": list(self.loops_as_views),
            "dropped": list(self.dropped),
            "notes": list(self.notes),
        }


_REPORT: ContextVar[ImportReport | None] = ContextVar("loopwise_import_report", default=None)


def report_note(kind: str, message: str) -> None:
    """Add a line to the import in progress's report (``kind``: ``merged_links``,
    ``loops_as_views``, ``dropped`` or ``notes``); without a report being collected, nothing."""
    report = _REPORT.get()
    if report is not None:
        entries = getattr(report, kind)
        if message not in entries and len(entries) < 200:  # a report stays readable
            entries.append(message)


@contextmanager
def collecting_report(format: str) -> Iterator[ImportReport]:
    """Collect the report of the reader called inside the block."""
    report = ImportReport(format=format)
    token = _REPORT.set(report)
    try:
        yield report
    finally:
        _REPORT.reset(token)


def count_into(report: ImportReport, map_: Map) -> ImportReport:
    """Fill the report's counts from the map that was read."""
    report.factors = len(map_.factors)
    report.links = len(map_.links)
    report.loops = len(map_.curated_loops)
    report.views = len(map_.views)
    report.unknown_polarity = count_unknown_polarity(map_)
    return report


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
        if len(base) >= MAX_ID_LENGTH - 1:  # cut by slugify: hash the whole label instead
            base = short_id(_full_slug(label))
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            suffix = f"-{n}"
            candidate = base[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
        self._taken.add(candidate)
        return candidate


def _full_slug(label: str) -> str:
    """``slugify`` without its cut at 120 characters (the hash must see the whole label)."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or slugify(label)


def short_id(slug: str, limit: int = _LONG_ID) -> str:
    """A generated id kept short: a slug longer than ``limit`` becomes a readable prefix and
    eight hex digits of its SHA-1, so different long labels never collide and the same label
    always gives the same id.

    >>> short_id("housing")
    'housing'
    >>> long = short_id("a-very-long-label-" * 10)
    >>> len(long), long[:22], long[-9:]
    (120, 'a-very-long-label-a-ve', '-53435ff3')
    """
    if len(slug) <= limit:
        return slug
    digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
    return slug[: limit - 9].rstrip("-_.") + "-" + digest


def link_id(start: str, end: str) -> str:
    """A link's id: ``from--to``, or a shortened form when that is over 120 characters."""
    full = f"{start}--{end}"
    if len(full) <= MAX_ID_LENGTH:
        return full
    digest = hashlib.sha1(full.encode()).hexdigest()[:8]
    return f"{start[:50].rstrip('-_.')}--{end[:50].rstrip('-_.')}-{digest}"


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
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    if text in _SAME:
        return "+"
    if text in _OPPOSITE:
        return "-"
    words = re.findall(r"[a-z]+", text)
    if words and text[:1].isalpha():  # "Positive influence", "negative link"
        if words[0] in _SAME_WORDS:
            return "+"
        if words[0] in _OPPOSITE_WORDS:
            return "-"
    return None


# Kumu's causal-loop convention: ``++`` and ``--`` move the same way, ``+-`` and ``-+``
# opposite ways (the first sign is the cause's change, the second the effect's)
_SAME_WORDS = {"s", "same", "positive", "pos", "plus", "reinforcing", "direct", "increases",
               "increase", "increasing", "supports", "promotes"}  # fmt: skip
_OPPOSITE_WORDS = {"o", "opposite", "negative", "neg", "minus", "inverse", "decreases",
                   "decrease", "decreasing", "reduces", "inhibits"}  # fmt: skip
_SAME = {"+", "++", "--", "1", "+1", "+ve", "(+)", *_SAME_WORDS}
_OPPOSITE = {"-", "+-", "-+", "-1", "-ve", "(-)", *_OPPOSITE_WORDS}


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


def merge_parallel_links(links: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """Merge links with the same endpoints into the first of them, keeping both sides' data.

    Tools such as Kumu and PRSM let a map hold two connections between the same elements
    (one directed and one undirected, two drawn from different workshops, two mechanisms);
    loopwise holds one causal claim per pair, so that loops, centrality and simulations count
    the claim once. The merged link keeps the first one's id and fields; the mechanisms and
    tags of the others are added, their polarity agrees or the merged polarity is unknown,
    and each merged-in link is kept whole in ``custom["merged_links"]``; the import report
    names every merge.
    """
    first: dict[tuple[str, str], dict[str, Any]] = {}
    kept = []
    for link in links:
        key = (link["from"], link["to"])
        if key not in first:
            first[key] = link
            kept.append(link)
            continue
        _merge_into(first[key], link)
        report_note(
            "merged_links",
            f"{link['from']} -> {link['to']}: parallel connections merged into one link "
            f"(polarity {_polarity_word(first[key])})",
        )
    return kept


def _polarity_word(link: dict[str, Any]) -> str:
    return "unknown" if UNKNOWN_POLARITY_TAG in link.get("tags", []) else link["polarity"]


def _merge_into(target: dict[str, Any], other: dict[str, Any]) -> None:
    target_known = UNKNOWN_POLARITY_TAG not in target.get("tags", [])
    other_known = UNKNOWN_POLARITY_TAG not in other.get("tags", [])
    if other_known and not target_known:
        target["polarity"] = other["polarity"]
        target["tags"] = [t for t in target["tags"] if t != UNKNOWN_POLARITY_TAG]
        if isinstance(target.get("strength"), int | float):
            target["strength"] = link_strength(target["strength"], target["polarity"])
    elif other_known and target_known and other["polarity"] != target["polarity"]:
        mark_unknown_polarity(target)  # + and - between the same pair: the net sign is unknown
        target.pop("strength", None)
    mechanisms = [m for m in (target.get("mechanism"), other.get("mechanism")) if m]
    if len(mechanisms) == 2 and mechanisms[0] != mechanisms[1]:
        target["mechanism"] = "\n\n".join(mechanisms)
    elif mechanisms:
        target["mechanism"] = mechanisms[0]
    for tag in other.get("tags", []):
        tags = target.setdefault("tags", [])
        if tag not in tags and tag != UNKNOWN_POLARITY_TAG:
            tags.append(tag)
    if other.get("delay"):
        target["delay"] = True
    if other.get("evidence"):
        target.setdefault("evidence", []).extend(other["evidence"])
    kept = {k: v for k, v in other.items() if k not in ("from", "to", "evidence") and jsonable(v)}
    kept["polarity"] = "unknown" if not other_known else other["polarity"]
    kept.pop("tags", None) if not other.get("tags") else None
    target.setdefault("custom", {}).setdefault("merged_links", []).append(kept)


def build_map(data: dict[str, Any], where: str) -> Map:
    """Validate the abstract model as a whole: the one place an import becomes a Map."""
    for link in data.get("links") or []:
        if isinstance(link, dict) and not link.get("id"):
            start, end = link.get("from"), link.get("to")
            if isinstance(start, str) and isinstance(end, str):
                link["id"] = link_id(start, end)
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
