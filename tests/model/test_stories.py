"""Stories: views with steps. Old documents still read, the JSON round-trips, references are
checked with one-line errors naming the story and step."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from loopwise.errors import ValidationError
from loopwise.model import FORMAT_VERSION, Map, View
from store.conftest import sample_map_data

STORY = {
    "id": "tour",
    "name": "A tour",
    "description": "Two steps.",
    "steps": [
        {"title": "Homes", "text": "Homelessness and reoffending.",
         "factors": ["homelessness", "reoffending"], "links": ["homelessness--reoffending"]},
        {"title": "Stigma", "text": "Stigma.", "factors": ["stigma"], "push": "stigma"},
    ],
}  # fmt: skip


def with_story(story: dict[str, Any] | None = None) -> dict[str, Any]:
    data = sample_map_data()
    data["views"].append(copy.deepcopy(story or STORY))
    return data


def test_a_document_without_stories_reads_and_writes_as_before() -> None:
    data = sample_map_data()
    written = Map.from_dict(data).to_dict()
    assert written["format_version"] == FORMAT_VERSION
    assert written["views"][0].keys() == {"id", "name", "filters", "focus", "depth", "layout"}
    assert Map.from_dict(data).stories == []


def test_a_story_round_trips_through_json() -> None:
    m = Map.from_dict(with_story())
    assert [s.id for s in m.stories] == ["tour"] and m.story("tour").steps[1].push == "stigma"
    again = Map.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m
    assert again.to_dict()["views"][1]["steps"][0]["links"] == ["homelessness--reoffending"]


def test_a_plain_view_is_not_a_story() -> None:
    m = Map.from_dict(with_story())
    assert not m.views[0].is_story
    with pytest.raises(Exception, match="housing-view"):
        m.story("housing-view")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["steps"][1].update(factors=["nowhere"]),
         "story 'tour' step 2 factors: refers to unknown factor 'nowhere'"),
        (lambda s: s["steps"][0].update(links=["stigma--homelessness"]),
         "story 'tour' step 1 links: refers to unknown link 'stigma--homelessness'"),
        (lambda s: s["steps"][1].update(push="nobody"),
         "story 'tour' step 2 push: refers to unknown factor 'nobody'"),
        (lambda s: s["steps"][0].update(factors=[], links=[]),
         "views[1] (tour).steps[0]: a step shows at least one factor or link"),
        (lambda s: s["steps"][0].update(title=""), "views[1] (tour).steps[0].title"),
    ],
)  # fmt: skip
def test_bad_steps_are_one_line_naming_the_story_and_step(change: Any, message: str) -> None:
    story = copy.deepcopy(STORY)
    change(story)
    with pytest.raises(ValidationError) as caught:
        Map.from_dict(with_story(story))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_view_keeps_steps_out_of_plain_views() -> None:
    assert "steps" not in View(id="v", name="V").model_dump()
    assert View.model_validate(STORY).model_dump()["steps"][0]["title"] == "Homes"


def test_a_map_cut_down_to_some_links_keeps_its_stories_consistent() -> None:
    """A subgroup's map and the map without inferences drop the links their story steps no
    longer have (a step showing nothing, then a story with no step, goes), instead of failing
    to build or keeping steps that point at missing links."""
    from loopwise.builtin import load_builtin_map
    from loopwise.evidence.subgroups import parse_filters, subgroup_map

    builtin = load_builtin_map()
    assert builtin.stories
    for cut in (
        subgroup_map(builtin, parse_filters(["sentence_months<12"])),
        subgroup_map(builtin, parse_filters(["gender=female"])),
        builtin.without_inferences(),
    ):
        links = {lk.id for lk in cut.links}
        factors = {f.id for f in cut.factors}
        for story in cut.stories:
            for step in story.steps:
                assert set(step.links) <= links and set(step.factors) <= factors
                assert step.links or step.factors
        Map.from_dict(cut.to_dict())  # the cut map is a valid map
    short = subgroup_map(builtin, parse_filters(["sentence_months<12"]))
    assert len(short.links) < len(builtin.links)
    assert sum(len(s.links) for v in short.stories for s in v.steps) < sum(
        len(s.links) for v in builtin.stories for s in v.steps
    )
