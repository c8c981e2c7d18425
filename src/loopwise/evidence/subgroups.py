"""Subgroup views: the map as told by some sources only, and the diff of two such maps.

A subgroup is a filter on source attributes (``{"gender": "female"}``); a value may be a
comparison for numbers (``sentence_months<12``). The subgroup map keeps every factor, and
the links with accepted evidence from a matching source, with only that evidence.

Example:
    >>> parse_filters(["gender=female", "sentence_months<12"])
    [('gender', '=', 'female'), ('sentence_months', '<', '12')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from loopwise.errors import ValidationError
from loopwise.evidence.aggregate import LinkSupport, link_support
from loopwise.model import Map, Source

Filter = tuple[str, str, str]
_FILTER = re.compile(r"^\s*([\w.-]+)\s*(<=|>=|!=|=|<|>)\s*(.*?)\s*$")


def parse_filters(items: Iterable[str]) -> list[Filter]:
    """``key=value``, ``key!=value``, ``key<number`` (also ``<=``, ``>``, ``>=``)."""
    filters = []
    for item in items:
        match = _FILTER.match(item)
        if not match:
            raise ValidationError(f"bad filter {item!r}: use key=value or key<number")
        filters.append((match.group(1), match.group(2), match.group(3)))
    return filters


def source_matches(source: Source, filters: Sequence[Filter]) -> bool:
    values = {**source.attributes, "kind": source.kind}
    for key, op, wanted in filters:
        value = values.get(key)
        if value is None:
            return False
        if op in ("=", "!="):
            if (value.lower() == wanted.lower()) != (op == "="):
                return False
            continue
        try:
            a, b = float(value), float(wanted)
        except ValueError:
            return False
        if not {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]:
            return False
    return True


def subgroup_map(map_: Map, filters: Sequence[Filter]) -> Map:
    """The map as supported by the matching sources' accepted evidence only."""
    keep = {s.id for s in map_.sources if source_matches(s, filters)}
    told = {
        link.id
        for link in map_.links
        if any(ev.source in keep and ev.status == "accepted" for ev in link.evidence)
    }
    data = map_.model_copy(update={"views": map_.views_within(told)}).to_dict()
    links = []
    for link in data.get("links", []):
        evidence = [
            ev for ev in link.get("evidence", [])
            if ev["source"] in keep and ev.get("status", "accepted") == "accepted"
        ]  # fmt: skip
        if evidence:
            links.append({**link, "evidence": evidence})
    data["links"] = links
    edges = {(lk["from"], lk["to"]) for lk in links}
    data["loops"] = [loop for loop in data.get("loops", []) if _closed(loop["factors"], edges)]
    return Map.from_dict(data, where=f"subgroup of {map_.slug}")


def _closed(factors: list[str], edges: set[tuple[str, str]]) -> bool:
    ring = [*factors, factors[0]]
    return all((a, b) in edges for a, b in zip(ring, ring[1:], strict=False))


@dataclass
class LinkDiff:
    link: str
    change: str  # only_a / only_b / polarity / support
    a: str
    b: str


def diff_subgroups(a: Map, b: Map) -> list[LinkDiff]:
    """Links present in one subgroup map and not the other, and links whose polarity or
    support differs (support: evidence count and sources)."""
    sa, sb = link_support(a), link_support(b)
    la, lb = {lk.id: lk for lk in a.links}, {lk.id: lk for lk in b.links}
    out = []
    for link_id in sorted(set(la) | set(lb)):
        if link_id not in lb:
            out.append(LinkDiff(link_id, "only_a", _describe(sa[link_id]), "-"))
        elif link_id not in la:
            out.append(LinkDiff(link_id, "only_b", "-", _describe(sb[link_id])))
        else:
            x, y = sa[link_id], sb[link_id]
            if _stated(x) != _stated(y):
                out.append(LinkDiff(link_id, "polarity", _describe(x), _describe(y)))
            elif (x.evidence, x.sources) != (y.evidence, y.sources):
                out.append(LinkDiff(link_id, "support", _describe(x), _describe(y)))
    return out


def _stated(support: LinkSupport) -> str:
    """The polarity the quotes state: the link's, the opposite, or ± when they conflict."""
    own = support.polarity
    if support.conflicting == 0:
        return own
    if support.supporting == 0:
        return "-" if own == "+" else "+"
    return "±"


def _describe(s: LinkSupport) -> str:
    return (
        f"{_stated(s)} {s.evidence} quote(s), {s.sources} source(s), "
        f"{s.participants} participant(s), {s.level}"
    )
