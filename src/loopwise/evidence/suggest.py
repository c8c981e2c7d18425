"""Suggest causal claims in a document: rule-layer claims, matched to the map's factors.

Each :class:`Suggestion` has the exact quote (a sentence) with its offsets in the document,
the cause and effect spans (document offsets too), the polarity, a confidence, the cue that
fired, and for cause and effect the factors of the map they most likely refer to, or a
proposed new factor. ``text[s.start:s.end] == s.quote`` always holds.

Example:
    >>> text = "I had no flat. Because I had nowhere to live, I went back to crime."
    >>> s = suggest_claims(text)[0]
    >>> text[s.start:s.end] == s.quote, s.cause.text, s.effect.text, s.polarity
    (True, 'I had nowhere to live', 'I went back to crime', '-')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from loopwise.evidence.matching import FactorCandidate, FactorMatcher, label_is_negative
from loopwise.evidence.rules import find_claims
from loopwise.evidence.sentences import Sentence, split_sentences
from loopwise.model import Map
from loopwise.model.ids import slugify


class ClaimSpan(BaseModel):
    """A cause or effect: its text and document offsets, and the factors it may be."""

    text: str
    start: int
    end: int
    negated: bool = False
    factors: list[FactorCandidate] = Field(default_factory=list)
    new_factor: dict[str, str] | None = None


class Suggestion(BaseModel):
    """One suggested causal claim (see the module docstring)."""

    key: str
    quote: str
    start: int
    end: int
    cause: ClaimSpan
    effect: ClaimSpan
    polarity: Literal["+", "-"]
    cue: str
    confidence: float
    link_polarity: Literal["+", "-"] | None = None
    matcher: str = "none"

    def link_endpoints(self) -> tuple[str, str] | None:
        """The best existing factors for cause and effect, if both matched (and differ)."""
        if self.cause.factors and self.effect.factors:
            a, b = self.cause.factors[0].factor, self.effect.factors[0].factor
            if a != b:
                return a, b
        return None


def suggest_claims(
    text: str,
    map_: Map | None = None,
    *,
    matcher: FactorMatcher | None = None,
    sentences: Sequence[Sentence] | None = None,
    min_confidence: float = 0.5,
) -> list[Suggestion]:
    """Find causal claims in ``text`` and match them to ``map_``'s factors.

    ``matcher`` defaults to the lexical matcher over the map's factors; ``sentences`` to
    :func:`split_sentences` of the text. Claims under ``min_confidence`` are left out.
    """
    if matcher is None and map_ is not None:
        from loopwise.evidence.matching import LexicalMatcher

        matcher = LexicalMatcher(map_.factors)
    labels = {f.id: f.label for f in map_.factors} if map_ is not None else {}
    suggestions: list[Suggestion] = []
    for sentence in sentences if sentences is not None else split_sentences(text):
        for claim in find_claims(sentence.text):
            if claim.confidence < min_confidence:
                continue
            base = sentence.start
            cause = ClaimSpan(
                text=claim.cause.text,
                start=base + claim.cause.start,
                end=base + claim.cause.end,
                negated=claim.cause_negated,
            )
            effect = ClaimSpan(
                text=claim.effect.text,
                start=base + claim.effect.start,
                end=base + claim.effect.end,
                negated=claim.effect_negated,
            )
            suggestions.append(
                Suggestion(
                    key=f"{sentence.start}-{sentence.end}:{cause.start}-{cause.end}:"
                    f"{effect.start}-{effect.end}",
                    quote=sentence.text,
                    start=sentence.start,
                    end=sentence.end,
                    cause=cause,
                    effect=effect,
                    polarity=claim.polarity,
                    cue=claim.cue,
                    confidence=claim.confidence,
                )
            )
    if matcher is not None and suggestions:
        spans = [s.cause.text for s in suggestions] + [s.effect.text for s in suggestions]
        matches = matcher.match(spans)
        n = len(suggestions)
        for i, suggestion in enumerate(suggestions):
            suggestion.cause.factors = matches[i]
            suggestion.effect.factors = matches[n + i]
            suggestion.matcher = matcher.name
            for span in (suggestion.cause, suggestion.effect):
                if not span.factors:
                    span.new_factor = _proposed_factor(span.text)
            suggestion.link_polarity = _link_polarity(suggestion, labels)
    return suggestions


def _link_polarity(suggestion: Suggestion, labels: dict[str, str]) -> Literal["+", "-"]:
    """The claim's polarity re-signed for the matched factors: a negated span that matches
    a factor naming an absence ("released without support" ~ "Release without
    accommodation") is not negated with respect to that factor."""
    sign = 1 if suggestion.polarity == "+" else -1
    for span in (suggestion.cause, suggestion.effect):
        if (
            span.factors
            and span.negated
            and label_is_negative(labels.get(span.factors[0].factor, ""))
        ):
            sign = -sign
    return "+" if sign > 0 else "-"


def _proposed_factor(text: str) -> dict[str, str]:
    words = text.split()
    label = " ".join(words[:8]).strip(" ,.;:")
    label = label[:1].upper() + label[1:]
    return {"id": slugify(label)[:60].strip("-") or "new-factor", "label": label}
