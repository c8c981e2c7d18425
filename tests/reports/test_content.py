"""What a brief says: the pathway, leverage, evidence (exact), organisations, what is missing."""

from __future__ import annotations

import pytest

from loopwise.errors import UnknownIdError, ValidationError
from loopwise.model import Map
from loopwise.reports import build_brief
from loopwise.reports.content import parse_loop_spec


def _map_texts(map_: Map) -> set[str]:
    return {ev.text for _, _, ev in map_.evidence_items()}


@pytest.mark.parametrize(
    "loop_id",
    [
        "short-sentence-cycle",
        "homeless-release-cycle",
        "recall-silence-cycle",
        "drugs-crime-prison-cycle",
        "mistrust-crisis-cycle",
        "accommodation-referral-brake",
    ],
)
def test_every_curated_loop_has_a_brief(builtin: Map, loop_id: str) -> None:
    loop = builtin.curated_loop(loop_id)
    brief = build_brief(builtin, loop=loop_id)
    assert brief.kind == "loop" and brief.title == loop.name
    assert brief.narrative == loop.narrative
    assert [s.from_id for s in brief.steps] == loop.factors
    assert brief.steps[-1].to_id == loop.factors[0]
    negatives = sum(s.polarity == "-" for s in brief.steps)
    assert brief.loop_kind == ("R" if negatives % 2 == 0 else "B")
    if loop.kind:
        assert brief.loop_kind == loop.kind
    # every evidence item is copied exactly from the map, with a citation
    texts = _map_texts(builtin)
    assert brief.evidence
    for ev in brief.evidence:
        assert ev.text in texts
        assert ev.citation
    for fig in brief.figures:
        assert fig.year is not None
    # leverage rows for every factor but the target, with ranks
    expected = [f for f in loop.factors if f != "reoffending"]
    assert [row.factor_id for row in brief.leverage] == expected
    assert all(1 <= row.rank <= brief.leverage_count for row in brief.leverage)
    assert 'role="img"' in brief.diagram.svg and brief.diagram.alt


def test_a_computed_loop_by_factor_ids_matches_its_curated_name(builtin: Map) -> None:
    curated = builtin.curated_loop("short-sentence-cycle")
    rotated = [*curated.factors[1:], curated.factors[0]]
    assert parse_loop_spec(builtin, ",".join(rotated)) == (curated.id, curated.factors)
    brief = build_brief(builtin, loop=rotated)
    assert brief.subject == curated.id


def test_an_uncurated_loop_is_named_by_its_factors(builtin: Map) -> None:
    from loopwise.analysis import find_feedback_loops

    curated = {tuple(lp.factors) for lp in builtin.curated_loops}
    loop = next(lp for lp in find_feedback_loops(builtin, max_length=4) if lp.curated is None)
    assert loop.factors not in curated
    brief = build_brief(builtin, loop=">".join(loop.factors))
    assert brief.subject == ",".join(loop.factors)
    assert brief.loop_kind == loop.kind
    assert brief.title.count("→") == len(loop.factors)


def test_factor_brief_draws_causes_and_effects(builtin: Map) -> None:
    brief = build_brief(builtin, factor="financial-hardship")
    incoming = [lk for lk in builtin.links if lk.target_factor == "financial-hardship"]
    outgoing = [lk for lk in builtin.links if lk.source_factor == "financial-hardship"]
    assert len(brief.steps) == len(incoming) + len(outgoing)
    for link in [*incoming, *outgoing]:
        other = (
            link.source_factor if link.target_factor == "financial-hardship" else link.target_factor
        )
        assert builtin.factor(other).label.split()[0] in brief.diagram.svg
    assert [row.factor_id for row in brief.leverage] == ["financial-hardship"]
    assert "feedback loop" in brief.loops_note


def test_factor_brief_of_a_hub_caps_the_diagram_and_counts_the_rest(builtin: Map) -> None:
    brief = build_brief(builtin, factor="reoffending")
    causes = sum(lk.target_factor == "reoffending" for lk in builtin.links)
    assert causes > 8
    assert f"{causes - 8} more causes" in brief.diagram.svg
    assert brief.evidence_omitted > 0
    assert brief.leverage == []  # the target itself is not ranked


def test_path_brief_takes_the_shortest_best_supported_path(builtin: Map) -> None:
    brief = build_brief(builtin, path=("criminal-record-stigma", "short-custodial-sentences"))
    assert brief.factor_ids[0] == "criminal-record-stigma"
    assert brief.factor_ids[-1] == "short-custodial-sentences"
    assert len(brief.steps) == len(brief.factor_ids) - 1
    signs = [s.polarity for s in brief.steps]
    assert brief.loop_kind == ("+" if signs.count("-") % 2 == 0 else "-")
    assert "path(s)" in brief.loops_note


def test_quotes_carry_the_participants_attributes(builtin: Map) -> None:
    brief = build_brief(builtin, loop="short-sentence-cycle")
    interview = [ev for ev in brief.quotes if ev.source_kind == "interview"]
    assert interview
    attributes = builtin.source(interview[0].source_id).attributes
    for key, value in attributes.items():
        assert f"{key.replace('_', ' ')}: {value}" in interview[0].attributes


def test_the_same_passage_on_two_links_is_shown_once(builtin: Map) -> None:
    brief = build_brief(builtin, loop="recall-silence-cycle")
    keys = [(ev.source_id, ev.text) for ev in brief.evidence]
    assert len(keys) == len(set(keys))
    assert any(";" in ev.about for ev in brief.evidence)


def test_missing_names_high_leverage_factors_nobody_works_on(builtin: Map) -> None:
    brief = build_brief(builtin, loop="recall-silence-cycle")
    gaps = [row for row in brief.leverage if row.gap]
    assert gaps, "the recall-silence loop has a high-leverage factor nobody works on"
    assert brief.missing[0].startswith("High leverage, nobody working on it")
    assert gaps[0].label in brief.missing[0]


def test_funding_appears_with_its_source(small_map_data: dict) -> None:
    small_map_data["organisations"][0]["funding"] = [
        {"amount": 25000, "year": 2024, "source": "stats", "note": "core grant"}
    ]
    brief = build_brief(Map.from_dict(small_map_data), loop="revolving-door")
    (org,) = brief.organisations
    assert org.funding[0].startswith("GBP 25,000 in 2024 (core grant)")
    assert "Statistics" in org.funding[0]


def test_a_map_without_the_default_target_leaves_leverage_out(small_map_data: dict) -> None:
    small_map_data["factors"][1]["id"] = "crime"
    for link in small_map_data["links"]:
        for end in ("from", "to"):
            if link[end] == "reoffending":
                link[end] = "crime"
    small_map_data["loops"][0]["factors"] = ["homelessness", "crime", "prison"]
    brief = build_brief(Map.from_dict(small_map_data), factor="crime")
    assert brief.leverage == []
    assert any("no factor 'reoffending'" in text for text in brief.missing)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"loop": "no-such-loop"}, UnknownIdError, "unknown loop 'no-such-loop'"),
        ({"loop": "short-sentence-cycl"}, UnknownIdError, "did you mean"),
        ({"factor": "financial-hardshp"}, UnknownIdError, "did you mean 'financial-hardship'"),
        ({"loop": "financial-hardship,reoffending"}, ValidationError, "not a loop"),
        ({"loop": "financial-hardship,nope"}, UnknownIdError, "unknown factor 'nope'"),
        ({"loop": "financial-hardship,financial-hardship"}, ValidationError, "each factor once"),
        ({"path": ("community-safety", "help-finding-accommodation")}, ValidationError, "no path"),
        ({"path": ("financial-hardship", "nope")}, UnknownIdError, "unknown factor 'nope'"),
        ({}, ValidationError, "exactly one"),
        (
            {"factor": "financial-hardship", "loop": "short-sentence-cycle"},
            ValidationError,
            "exactly one",
        ),
    ],
)
def test_bad_subjects_are_clear_errors(
    builtin: Map, kwargs: dict, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        build_brief(builtin, **kwargs)
