"""The rule layer: causal cues, spans, polarity."""

from __future__ import annotations

import pytest

from loopwise.evidence.rules import find_claims, sentence_is_causal


@pytest.mark.parametrize(
    ("sentence", "cause", "effect", "polarity"),
    [
        ("Heavy rain caused flooding across the region.", "Heavy rain", "flooding across the region", "+"),
        ("I started using again due to the stress of the court case.", "the stress of the court case", "I started using again", "+"),
        ("I had nowhere to live, so I went back to crime.", "I had nowhere to live", "I went back to crime", "-"),
        ("The threat of recall prevents people from being honest.", "The threat of recall", "being honest", "-"),
        ("If you miss one appointment, they recall you.", "you miss one appointment", "they recall you", "+"),
        ("Without a bank account, you can't get paid.", "a bank account", "you can't get paid", "+"),
        ("Cuts to the outreach team have reduced the number of visits.", "Cuts to the outreach team", "the number of visits", "-"),
        ("Benefits are not going to pay for their addiction, therefore they turn to crime.", "Benefits are not going to pay for their addiction", "they turn to crime", "-"),
    ],
)  # fmt: skip
def test_claims(sentence: str, cause: str, effect: str, polarity: str) -> None:
    claim = find_claims(sentence)[0]
    assert (claim.cause.text, claim.effect.text, claim.polarity) == (cause, effect, polarity)
    assert sentence[claim.cause.start : claim.cause.end] == claim.cause.text
    assert sentence[claim.effect.start : claim.effect.end] == claim.effect.text


@pytest.mark.parametrize(
    "sentence",
    [
        "I've been clean since March.",
        "The cause of the fire is still being investigated.",
        "If you ask me, the food in there was terrible.",
        "If you are interested, please email me.",
        "After lunch we had association for an hour.",
        "",
    ],
)
def test_not_causal(sentence: str) -> None:
    assert not sentence_is_causal(sentence)
