"""The rule layer: causal cues, spans, polarity."""

from __future__ import annotations

import pytest

from loopwise.evidence.cues import find_claims, find_loop_claim, sentence_is_causal


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


# Every verb family in both voices: the passive ("Y was caused by X") names the cause after
# "by", so direction and sign must come out as in the active voice.
VOICES = [
    ("Heavy rain caused the floods.", "The floods were caused by heavy rain.", "+"),
    ("Poverty drives crime.", "Crime is driven by poverty.", "+"),
    ("The arrest triggered the riots.", "The riots were triggered by the arrest.", "+"),
    ("Rumours fuelled the panic.", "The panic was fuelled by rumours.", "+"),
    ("The eviction sparked protests.", "Protests were sparked by the eviction.", "+"),
    ("Debt worsens anxiety.", "Anxiety is worsened by debt.", "+"),
    ("Stigma compounds the problem.", "The problem is compounded by stigma.", "+"),
    ("Austerity increased demand.", "Demand was increased by austerity.", "+"),
    (
        "The cuts reduced the number of visits.",
        "The number of visits was reduced by the cuts.",
        "-",
    ),
    ("Recall undermines trust.", "Trust is undermined by recall.", "-"),
    ("Fear prevents honesty.", "Honesty is prevented by fear.", "-"),
    ("Short sentences disrupt treatment.", "Treatment is disrupted by short sentences.", "-"),
    ("The scheme enabled people to find work.", "Finding work was enabled by the scheme.", "+"),
    ("Probation affects their housing.", "Their housing is affected by probation.", "+"),
    ("Isolation influences their recovery.", "Their recovery is influenced by isolation.", "+"),
]


@pytest.mark.parametrize(("active", "passive", "polarity"), VOICES)
def test_both_voices_give_one_direction(active: str, passive: str, polarity: str) -> None:
    a, p = find_claims(active)[0], find_claims(passive)[0]
    assert a.polarity == p.polarity == polarity, (a, p)
    # the cause of one voice is the effect's partner in the other: compare content words
    words = lambda text: {w.lower().strip(".") for w in text.split()} - {"the", "a", "of"}  # noqa: E731
    assert words(a.cause.text) & words(p.cause.text), (a.cause.text, p.cause.text)
    assert words(a.effect.text) & words(p.effect.text), (a.effect.text, p.effect.text)


@pytest.mark.parametrize(
    ("sentence", "cause", "effect", "polarity"),
    [
        # temporal and response connectives
        ("Police fired tear gas after protesters threw stones.", "protesters threw stones", "Police fired tear gas", "+"),
        ("Clashes broke out following the arrest of the leader.", "the arrest of the leader", "Clashes broke out", "+"),
        ("Shops closed in the wake of the riots.", "the riots", "Shops closed", "+"),
        ("Three villagers were killed by the soldiers.", "the soldiers", "Three villagers were killed", "+"),
        ("Workers walked out in response to the pay cut.", "the pay cut", "Workers walked out", "+"),
        ("They burned the station in retaliation for the killing.", "the killing", "They burned the station", "+"),
        ("Residents staged a protest on Saturday against the closure of the clinic.", "the closure of the clinic", "Residents staged a protest on Saturday", "+"),
        # nouns and phrasal verbs of causation
        ("Debt is the main cause of their stress.", "Debt", "their stress", "+"),
        ("Crime can stem from a wide range of factors.", "a wide range of factors", "Crime", "+"),
        ("Most problems arise from poor housing.", "poor housing", "Most problems", "-"),
        ("It is a combination of issues that lead people to criminal behaviour.", "a combination of issues", "criminal behaviour", "+"),
        ("Treatment can act as a catalyst for rehabilitation.", "Treatment", "rehabilitation", "+"),
        ("The programme enabled many people to leave prison drug free.", "The programme", "leave prison drug free", "-"),
        ("Hundreds marched to demand the release of the prisoners.", "demand the release of the prisoners", "Hundreds marched", "+"),
        # the effect inside the cue
        ("The debt collectors kept calling, which made my anxiety much worse.", "The debt collectors kept calling", "my anxiety", "+"),
        ("The reason I kept offending was that I had nowhere else to go.", "I had nowhere else to go", "I kept offending", "-"),
        # a condition without a comma
        ("Because she trusted me I started to trust the services.", "she trusted me", "I started to trust the services", "+"),
        ("I had nowhere to live so I ended up sofa surfing.", "I had nowhere to live", "I ended up sofa surfing", "-"),
    ],
)  # fmt: skip
def test_cue_families(sentence: str, cause: str, effect: str, polarity: str) -> None:
    claim = find_claims(sentence)[0]
    assert (claim.cause.text, claim.effect.text, claim.polarity) == (cause, effect, polarity)


@pytest.mark.parametrize(
    ("sentence", "cause", "effect"),
    [
        ("“If you miss one appointment, they recall you.", "you miss one appointment", "they recall you"),
        ("'If you miss one appointment, they recall you,' she said.", "you miss one appointment", "they recall you"),
        ("They recall you if your phone is off.", "your phone is off", "They recall you"),
        ("You will lose your flat, if you miss the rent.", "you miss the rent", "You will lose your flat"),
        ("They will only help if your record is clean.", "your record is clean", "They will only help"),
    ],
)  # fmt: skip
def test_if_patterns(sentence: str, cause: str, effect: str) -> None:
    claim = find_claims(sentence)[0]
    assert (claim.cause.text, claim.effect.text) == (cause, effect)


@pytest.mark.parametrize(
    "sentence",
    [
        "She asked if I wanted tea.",
        "It felt as if nobody cared.",
        "I don't know if they will come.",
        "Affected farmers protested in the capital.",
        "Lower yielding crops were planted this year.",
        "The fuel filler cap was missing.",
        "The minister is due to visit the town on Monday.",
        "The increased demand was met.",
        "I got an appointment for the week after I was released.",
        "It was a cause for celebration.",
    ],
)
def test_adjective_noun_and_question_readings_are_not_claims(sentence: str) -> None:
    assert not sentence_is_causal(sentence)


@pytest.mark.parametrize(
    ("sentence", "polarity"),
    [
        # "not only" does not negate
        ("Poverty not only leads to crime but also to illness.", "+"),
        # "free from" and "-free" negate
        ("The scheme helped people to break free from crime.", "-"),
        ("Support helped him to stay drug-free.", "-"),
        # a negative word in another clause of the span leaves the sign alone
        ("It is difficult to get there and the stigma at play can cause further barriers.", "+"),
        ("Without a bank account, you can't get paid.", "+"),
    ],
)
def test_negation(sentence: str, polarity: str) -> None:
    assert find_claims(sentence)[0].polarity == polarity


@pytest.mark.parametrize(
    ("sentence", "cause", "effect"),
    [
        # a list before "which" keeps every item
        ("These factors include mental health issues, substance misuse, poverty and trauma, which lead to crime.", "mental health issues, substance misuse, poverty and trauma", "crime"),
        # "which" with a modal is resolved to its noun phrase
        ("People find it hard to attend and there is also stigma at play which can cause further barriers.", "stigma at play", "further barriers"),
        # the second verb of "which not only ... but also" has the same subject
        ("Poverty and trauma, which not only lead to crime, but also prevent rehabilitation.", "Poverty and trauma", "rehabilitation"),
        # a span does not stop one word short ("afford it")
        ("I couldn't afford it, so I lost the flat.", "I couldn't afford it", "I lost the flat"),
    ],
)  # fmt: skip
def test_spans(sentence: str, cause: str, effect: str) -> None:
    claims = find_claims(sentence)
    assert any((c.cause.text, c.effect.text) == (cause, effect) for c in claims), claims


def test_to_after_likely_is_not_a_purpose_clause() -> None:
    claims = find_claims("People with complex problems are less likely to seek help.")
    assert all(c.cue != "to demand" for c in claims), claims
    [purpose] = find_claims("Hundreds marched to seek justice for the victims.")
    assert purpose.cause.text == "seek justice for the victims"


def test_loop_claim_on_the_seed_sentence() -> None:
    span = find_loop_claim("It then becomes a vicious circle.")
    assert span is not None and span.text == "vicious circle"
    assert find_loop_claim("We sat in a circle.") is None
