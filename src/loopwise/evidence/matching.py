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


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in _TOKEN.findall(text.lower()) if w not in _STOP and len(w) > 2}


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
