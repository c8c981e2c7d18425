"""Match a claim's cause or effect span to the map's factors.

Two matchers share one interface (:class:`FactorMatcher`): :class:`LexicalMatcher` (pure
Python: overlap of word stems between the span and a factor's label, id and description),
always available; and :class:`loopwise.evidence.embeddings.EmbeddingMatcher` (sentence
embeddings, in the ``[nlp]`` extra). Both return candidates with a score in [0, 1].

Example:
    >>> from loopwise.model import Factor
    >>> matcher = LexicalMatcher([Factor(id="homelessness", label="Homelessness"),
    ...                           Factor(id="employment", label="Employment after release")])
    >>> [(m.factor, m.score) for m in matcher.match(["I was homeless"])[0]]
    [('homelessness', 1.0)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel

from loopwise.evidence.stopwords import MATCHING_EXTRA, STOPWORDS
from loopwise.model import Factor

_TOKEN = re.compile(r"[a-z]+")
_STOP = STOPWORDS | MATCHING_EXTRA


class FactorCandidate(BaseModel):
    """A factor a span may refer to, with the matcher's score."""

    factor: str
    label: str
    score: float


class FactorMatcher(Protocol):
    name: str

    def match(self, spans: Sequence[str], top: int = 3) -> list[list[FactorCandidate]]:
        """For each span, the best factors (best first), above the matcher's threshold."""
        ...


def stem(word: str) -> str:
    """A crude English stem, enough to make "homeless" meet "homelessness".

    >>> [stem(w) for w in ("homelessness", "sentences", "reoffending", "recalled")]
    ['homeless', 'sentenc', 'reoffend', 'recall']
    """
    for suffix in ("nesses", "ness", "ments", "ment", "ings", "ing", "ies", "es", "ed", "s"):
        if suffix == "s" and word.endswith("ss"):
            continue
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


# Everyday words for the absence of something a map's factors name, and the words those
# factors use. A map names the thing ("Settled accommodation", "Employment after release");
# people name its absence ("I had nowhere to live", "I was homeless"). The first kind carry
# their own negative word, which the claim's polarity already counts ("nowhere", "no job");
# the second kind are absences without one ("homeless"), so matching them to the factor
# flips the link's sign (:func:`names_absence`).
_NEGATED_ABSENCE = (
    (
        re.compile(
            r"\b(?:nowhere|no\s+where|no\s+place)\s+(?:\w+\s+){0,2}(?:to\s+)?(?:live|stay|sleep|go)\b"
            r"|\bno\s+(?:fixed\s+abode|fixed\s+address|address|home|flat|house|housing|"
            r"accommodation|roof)\b",
            re.IGNORECASE,
        ),
        "settled accommodation housing",
    ),
    (
        re.compile(r"\bno\s+(?:job|work|income)\b|\bout\s+of\s+work\b", re.IGNORECASE),
        "employment work",
    ),
)
_BARE_ABSENCE = (
    (
        re.compile(
            r"\bhomeless(?:ness)?\b|\bsleep(?:ing|s)?\s+rough\b|\brough\s+sleep\w*", re.IGNORECASE
        ),  # fmt: skip
        "settled accommodation housing",
    ),
    (re.compile(r"\bunemploy\w*|\bjobless\b", re.IGNORECASE), "employment work"),
)


# a quick test that lets most spans skip the patterns above
_ANY_ABSENCE = re.compile(
    r"\b(?:no|nowhere|out|homeless|sleep|rough|unemploy|jobless)", re.IGNORECASE
)


def content_stems(text: str) -> set[str]:
    """The span's content word stems, with the words a map uses for what an everyday
    phrase of absence names ("nowhere to live" also gives "settled accommodation").

    >>> sorted(content_stems("I came out of prison with nowhere to live"))
    ['accommodation', 'came', 'hous', 'live', 'nowhere', 'prison', 'settl']
    """
    words = _TOKEN.findall(text.lower())
    if _ANY_ABSENCE.search(text):
        for pattern, extra in (*_NEGATED_ABSENCE, *_BARE_ABSENCE):
            if pattern.search(text):
                words.extend(extra.split())
    return {stem(w) for w in words if w not in _STOP and len(w) > 2}


def names_absence(text: str) -> bool:
    """Whether the span names an absence without a negative word of its own ("I was
    homeless", "unemployed"), so that matching it to the factor that names the thing
    ("Settled accommodation") flips the link's sign.

    >>> names_absence("I was homeless"), names_absence("I had nowhere to live")
    (True, False)
    """
    return bool(_ANY_ABSENCE.search(text)) and any(
        pattern.search(text) for pattern, _ in _BARE_ABSENCE
    )


class LexicalMatcher:
    """Scores a factor by the share of its label's word stems found in the span (label words
    count double; id and description words fill in)."""

    name = "lexical"

    def __init__(self, factors: Sequence[Factor], threshold: float = 0.34) -> None:
        self.threshold = threshold
        self._factors = [
            (f, content_stems(f.label), content_stems(f.id.replace("-", " ") + " " + f.description))
            for f in factors
        ]

    def match(self, spans: Sequence[str], top: int = 3) -> list[list[FactorCandidate]]:
        results = []
        for span in spans:
            words = content_stems(span)
            scored = []
            for factor, label, extra in self._factors:
                if not label or not words:
                    continue
                hits = len(words & label)
                score = hits / len(label)
                if hits == 0:
                    continue
                score = min(1.0, score + 0.1 * len((words & extra) - label))
                if score >= self.threshold:
                    scored.append(
                        FactorCandidate(factor=factor.id, label=factor.label, score=round(score, 3))
                    )
            scored.sort(key=lambda c: -c.score)
            results.append(scored[:top])
        return results


def label_is_negative(label: str) -> bool:
    """Whether a factor's label names an absence ("Release without accommodation"), so a
    negated span ("released without support") matches it with its sign flipped back.

    >>> label_is_negative("Release without accommodation"), label_is_negative("Housing")
    (True, False)
    """
    return bool(re.search(r"\b(?:without|lack|no|not)\b", label, re.IGNORECASE))
