"""A link's support from its evidence: how many sources and participants, which kinds,
and whether the quotes agree on polarity.

Extends :mod:`loopwise.model.confidence` (whose score this keeps) with the counts an analyst
asks for. A quote's polarity is read from its note (``polarity -``, as the review queue
writes it) and otherwise taken to be the link's. Conflicting evidence is counted and listed,
never hidden.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "sources": [{"id": "p1", "kind": "interview", "title": "P1",
    ...                  "attributes": {"participant": "p1"}}],
    ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+",
    ...                "evidence": [{"source": "p1", "text": "A made B worse"}]}]})
    >>> s = link_support(m)["a--b"]
    >>> s.sources, s.participants, s.interview, s.agreement, s.level
    (1, 1, 1, 1.0, 'low')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loopwise.model import Map
from loopwise.model.confidence import confidence_level, confidence_score

_NOTE_POLARITY = re.compile(r"\bpolarity\s*([+-])")


@dataclass
class LinkSupport:
    link: str
    polarity: str
    evidence: int
    sources: int
    participants: int
    interview: int
    literature: int
    other: int
    supporting: int
    conflicting: int
    agreement: float  # share of accepted quotes that agree with the link's polarity
    score: float
    level: str
    conflicts: list[str] = field(default_factory=list)  # ids of the disagreeing evidence


def evidence_polarity(note: str, default: str) -> str:
    """The polarity a quote states (from its note), else ``default``."""
    found = _NOTE_POLARITY.search(note or "")
    return found.group(1) if found else default


def link_support(map_: Map) -> dict[str, LinkSupport]:
    """Every link's support from its *accepted* evidence."""
    sources = {s.id: s for s in map_.sources}
    result = {}
    for link in map_.links:
        accepted = [ev for ev in link.evidence if ev.status == "accepted"]
        used = {ev.source for ev in accepted}
        kinds = [sources[s].kind for s in used if s in sources]
        participants = {
            sources[s].attributes.get("participant") or s
            for s in used
            if s in sources and sources[s].kind == "interview"
        }
        conflicts = [
            ev.id or ev.text[:30]
            for ev in accepted
            if evidence_polarity(ev.note, link.polarity) != link.polarity
        ]
        score = confidence_score(sources[ev.source].kind for ev in accepted)
        result[link.id] = LinkSupport(
            link=link.id,
            polarity=link.polarity,
            evidence=len(accepted),
            sources=len(used),
            participants=len(participants),
            interview=kinds.count("interview"),
            literature=kinds.count("literature"),
            other=len(kinds) - kinds.count("interview") - kinds.count("literature"),
            supporting=len(accepted) - len(conflicts),
            conflicting=len(conflicts),
            agreement=round((len(accepted) - len(conflicts)) / len(accepted), 3)
            if accepted
            else 0.0,
            score=round(score, 4),
            level=confidence_level(score),
            conflicts=conflicts,
        )
    return result
