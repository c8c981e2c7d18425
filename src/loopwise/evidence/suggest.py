"""Suggest causal claims in a document: rule-layer claims, matched to the map's factors.

Each :class:`Suggestion` has the exact quote (a sentence) with its offsets in the document,
the cause and effect spans (document offsets too), the polarity, a confidence, the cue that
fired, and for cause and effect the factors of the map they most likely refer to, or a
proposed new factor. ``text[s.start:s.end] == s.quote`` always holds.

Headings and title lines (:func:`is_heading`) are not read for claims.

A sentence that says a feedback loop exists ("It then becomes a vicious circle.") becomes a
suggestion of ``kind="loop"``: its quote runs from the first claim of the sentences just
before it (same paragraph) to the loop sentence, ``loop`` lists the factors of those claims
in order, and its cause and effect are the link that closes the loop (the last claim's
effect back to the first claim's cause), signed so that the loop reinforces itself. It is
reviewed and accepted like a link suggestion.

Example:
    >>> text = "I had no flat. Because I had nowhere to live, I went back to crime."
    >>> s = suggest_claims(text)[0]
    >>> text[s.start:s.end] == s.quote, s.cause.text, s.effect.text, s.polarity
    (True, 'I had nowhere to live', 'I went back to crime', '-')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from loopwise.evidence.cues import Claim, Span, find_loop_claim
from loopwise.evidence.matching import (
    FactorCandidate,
    FactorMatcher,
    label_is_negative,
    names_absence,
)
from loopwise.evidence.sentences import Sentence, split_sentences
from loopwise.model import Map
from loopwise.model.ids import slugify

if TYPE_CHECKING:
    from loopwise.evidence.detect import ClaimDetector

LOOP_WINDOW = 3  # sentences before a loop claim whose claims name the loop's factors


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
    cue_start: int | None = None
    cue_end: int | None = None
    kind: Literal["link", "loop"] = "link"
    loop: list[str] = Field(default_factory=list)
    loop_links: list[dict[str, str]] = Field(default_factory=list)
    loop_new_factors: list[dict[str, str]] = Field(default_factory=list)
    detector: str = "rules"
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
    detector: ClaimDetector | None = None,
) -> list[Suggestion]:
    """Find causal claims in ``text`` and match them to ``map_``'s factors.

    ``matcher`` defaults to the lexical matcher over the map's factors; ``sentences`` to
    :func:`split_sentences` of the text; ``detector`` to the cue rules. Claims under
    ``min_confidence`` are left out.

    >>> text = "Nobody helped me, so it wrecks your life. It then becomes a vicious circle."
    >>> for s in suggest_claims(text):
    ...     print(s.kind, "|", s.cause.text, "->", s.effect.text)
    link | Nobody helped me -> wrecks your life
    loop | wrecks your life -> Nobody helped me
    """
    if detector is None:
        from loopwise.evidence.detect import RuleDetector

        detector = RuleDetector()
    if matcher is None and map_ is not None:
        from loopwise.evidence.matching import LexicalMatcher

        matcher = LexicalMatcher(map_.factors)
    labels = {f.id: f.label for f in map_.factors} if map_ is not None else {}
    sentences = list(sentences if sentences is not None else split_sentences(text))
    # headings and title lines state no claim: the detector does not see them
    prose = [i for i, sentence in enumerate(sentences) if not is_heading(text, sentence)]
    found: list[list[Claim]] = [[] for _ in sentences]
    for i, claims in zip(prose, detector.claims([sentences[i].text for i in prose]), strict=True):
        found[i] = claims
    suggestions: list[Suggestion] = []
    by_sentence: list[list[Suggestion]] = []
    for index, (sentence, claims) in enumerate(zip(sentences, found, strict=True)):
        here = [
            _suggestion(sentence, claim, detector.name)
            for claim in claims
            if claim.confidence >= min_confidence
        ]
        by_sentence.append(here)
        suggestions.extend(here)
        loop = _loop_suggestion(text, sentences, by_sentence, index, detector.name)
        if loop is not None:
            suggestions.append(loop)
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
        _fill_loops(suggestions)
    return suggestions


_TERMINAL = re.compile(r"""[.!?…:;]['"’”)\]]*$""")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SPEAKER = re.compile(r"\b(?:I|I'm|I’m|[Mm]e|[Mm]y|[Yy]ou|[Yy]our)\b")
HEADING_WORDS = 15  # a line without end punctuation this short is a heading
MIN_WORDS = 3  # shorter "sentences" ("Barriers", "Next steps") state no claim


def is_heading(text: str, sentence: Sentence) -> bool:
    """Whether a sentence is a heading or title line, not prose: fewer than three words, or
    a line of its own (the document's structure: a line break or the text's edge on both
    sides, not the whole text) of at most fifteen words that starts with a capital and has
    no end punctuation, no comma and no "I", "me", "my" or "you" (a transcript's
    unpunctuated line has those more often than a heading does).

    >>> text = "Barriers to support\\n\\nThe link between poor health and crime is strong."
    >>> [is_heading(text, s) for s in split_sentences(text)]
    [True, False]
    """
    words = len(_WORDS.findall(sentence.text))
    if words < MIN_WORDS:
        return True
    if words > HEADING_WORDS or "," in sentence.text or _TERMINAL.search(sentence.text.rstrip()):
        return False
    if not sentence.text[:1].isupper() or _SPEAKER.search(sentence.text):
        return False  # "because she trusted me I started to trust them": a transcript line
    before = text[: sentence.start].rstrip(" \t")
    after = text[sentence.end :].lstrip(" \t")
    if not before and not after:
        return False  # the whole text: nothing for it to head
    return (not before or before.endswith("\n")) and (not after or after.startswith("\n"))


def _span(base: int, span: Span, negated: bool) -> ClaimSpan:
    return ClaimSpan(text=span.text, start=base + span.start, end=base + span.end, negated=negated)


def _suggestion(sentence: Sentence, claim: Claim, detector: str) -> Suggestion:
    base = sentence.start
    cause = _span(base, claim.cause, claim.cause_negated)
    effect = _span(base, claim.effect, claim.effect_negated)
    return Suggestion(
        key=f"{sentence.start}-{sentence.end}:{cause.start}-{cause.end}:{effect.start}-{effect.end}",
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
        cause=cause,
        effect=effect,
        polarity=claim.polarity,
        cue=claim.cue,
        confidence=claim.confidence,
        cue_start=base + claim.cue_span.start,
        cue_end=base + claim.cue_span.end,
        detector=detector,
    )


def _loop_suggestion(
    text: str,
    sentences: list[Sentence],
    by_sentence: list[list[Suggestion]],
    index: int,
    detector: str,
) -> Suggestion | None:
    """The loop a sentence says exists, closed over the claims just before it (or None)."""
    sentence = sentences[index]
    cue = find_loop_claim(sentence.text)
    if cue is None:
        return None
    claims: list[Suggestion] = []
    first = index
    for j in range(index, max(-1, index - LOOP_WINDOW - 1), -1):
        if j < index and re.search(r"\n\s*\n", text[sentences[j].end : sentences[j + 1].start]):
            break  # another paragraph
        if by_sentence[j]:
            claims[:0] = [s for s in by_sentence[j] if s.kind == "link"]
            first = j
    if not claims:
        return None
    start = sentences[first].start
    sign = 1
    for claim in claims:
        sign *= 1 if claim.polarity == "+" else -1
    closing_cause = claims[-1].effect.model_copy(deep=True)
    closing_effect = claims[0].cause.model_copy(deep=True)
    return Suggestion(
        key=f"{start}-{sentence.end}:loop:{sentence.start + cue.start}-{sentence.start + cue.end}",
        quote=text[start : sentence.end],
        start=start,
        end=sentence.end,
        cause=closing_cause,
        effect=closing_effect,
        polarity="+" if sign > 0 else "-",  # the product round the loop is + (reinforcing)
        cue=cue.text.lower(),
        confidence=0.8,
        cue_start=sentence.start + cue.start,
        cue_end=sentence.start + cue.end,
        kind="loop",
        detector=detector,
    )


def _fill_loops(suggestions: list[Suggestion]) -> None:
    """A loop's factors: those of the claims its quote takes in, in order (a span that
    matched no factor brings its proposed new factor, listed in ``loop_new_factors``); and
    the links those claims and the closing link state (``loop_links``: from, to,
    polarity), which accepting the loop adds where the map lacks them."""
    for loop in suggestions:
        if loop.kind != "loop":
            continue
        factors: list[str] = []
        new: dict[str, dict[str, str]] = {}
        stated: dict[tuple[str, str], str] = {}
        claims = [
            s
            for s in suggestions
            if s.kind == "link" and loop.start <= s.start and s.end <= loop.end
        ]
        for s in [*claims, loop]:
            ends = [_factor_of(span, new) for span in (s.cause, s.effect)]
            for name in ends:
                if s is not loop and name and name not in factors:
                    factors.append(name)
            if ends[0] and ends[1] and ends[0] != ends[1]:
                stated.setdefault((ends[0], ends[1]), s.link_polarity or s.polarity)
        loop.loop = factors
        loop.loop_links = [{"from": a, "to": b, "polarity": p} for (a, b), p in stated.items()]
        loop.loop_new_factors = [new[f] for f in factors if f in new]


def _factor_of(span: ClaimSpan, new: dict[str, dict[str, str]]) -> str | None:
    if span.factors:
        return span.factors[0].factor
    if span.new_factor:
        new[span.new_factor["id"]] = span.new_factor
        return span.new_factor["id"]
    return None


def _link_polarity(suggestion: Suggestion, labels: dict[str, str]) -> Literal["+", "-"]:
    """The claim's polarity re-signed for the matched factors: a negated span that matches
    a factor naming an absence ("released without support" ~ "Release without
    accommodation") is not negated with respect to that factor, and a span naming an
    absence without a negative word ("I was homeless") is, against a factor naming the
    thing ("Settled accommodation")."""
    sign = 1 if suggestion.polarity == "+" else -1
    for span in (suggestion.cause, suggestion.effect):
        if not span.factors:
            continue
        negative_label = label_is_negative(labels.get(span.factors[0].factor, ""))
        if span.negated and negative_label:
            sign = -sign
        if names_absence(span.text) and not negative_label:
            sign = -sign  # "I was homeless" against "Settled accommodation"
    return "+" if sign > 0 else "-"


def _proposed_factor(text: str) -> dict[str, str]:
    words = text.split()
    label = " ".join(words[:8]).strip(" ,.;:")
    label = label[:1].upper() + label[1:]
    return {"id": slugify(label)[:60].strip("-") or "new-factor", "label": label}
