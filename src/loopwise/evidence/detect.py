"""Which claim detector finds the causal claims: the cue rules (always there) or the trained
detector shipped with the package (needs the ``[nlp]`` extra), chosen by name.

A detector takes sentences and gives, for each, its claims (:class:`~loopwise.evidence.cues.Claim`,
offsets relative to the sentence), most confident first. ``auto`` is the trained detector
when the ``[nlp]`` extra is installed, else the rules.

Example:
    >>> detector = get_detector("rules")
    >>> [c.cue for c in detector.claims(["Rain caused floods.", "We met on Tuesday."])[0]]
    ['caused']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from loopwise.errors import ValidationError
from loopwise.evidence.cues import Claim, find_claims

DETECTORS = ("auto", "rules", "trained")


class ClaimDetector(Protocol):
    name: str

    def claims(self, sentences: Sequence[str]) -> list[list[Claim]]:
        """For each sentence, its claims, most confident first."""
        ...


class RuleDetector:
    """The cue rules of :mod:`loopwise.evidence.cues`, sentence by sentence."""

    name = "rules"

    def claims(self, sentences: Sequence[str]) -> list[list[Claim]]:
        return [find_claims(sentence) for sentence in sentences]


def get_detector(name: str = "auto") -> ClaimDetector:
    """The detector called ``name`` (``auto``, ``rules`` or ``trained``).

    Raises
    ------
    ValidationError
        For an unknown name.
    NlpExtraMissing
        For ``trained`` without the ``[nlp]`` extra.

    >>> get_detector("rules").name
    'rules'
    """
    if name not in DETECTORS:
        raise ValidationError(f"unknown detector {name!r}: use {', '.join(DETECTORS)}")
    if name == "rules":
        return RuleDetector()
    from loopwise.evidence.embeddings import nlp_available

    if name == "auto" and not nlp_available():
        return RuleDetector()
    from loopwise.evidence.trained import TrainedDetector

    return TrainedDetector.load()
