from __future__ import annotations

import networkx as nx
import pytest

from loopwise.errors import DuplicateIdError, UnknownIdError, ValidationError
from loopwise.model import Link, Map


def test_small_map_validates_and_looks_up(small_map: Map) -> None:
    assert small_map.factor("homelessness").label == "Homelessness"
    assert small_map.link("homelessness--reoffending").polarity == "+"
    assert (
        small_map.link("homelessness--reoffending").evidence[0].id == "homelessness--reoffending.e1"
    )


def test_unknown_id_suggests_a_close_one(small_map: Map) -> None:
    with pytest.raises(
        UnknownIdError, match=r"unknown factor 'homelesness' \(did you mean 'homelessness'\?\)"
    ):
        small_map.factor("homelesness")
    with pytest.raises(UnknownIdError, match="unknown link"):
        small_map.link("nope")


@pytest.mark.parametrize(
    ("mutate", "error", "message"),
    [
        (lambda d: d["links"].append({"from": "prison", "to": "nowhere", "polarity": "+"}),
         ValidationError, r"links\[3\] \(prison--nowhere\)\.to: refers to unknown factor 'nowhere'"),
        (lambda d: d["factors"].append({"id": "prison", "label": "Again"}),
         DuplicateIdError, r"factors\[3\]: duplicate id 'prison'"),
        (lambda d: d["links"][0].update(polarity="up"),
         ValidationError, r"links\[0\] \(homelessness--reoffending\)\.polarity: .*got 'up'"),
        (lambda d: d["links"][0].update(strength=-0.5),
         ValidationError, r"strength -0.5 disagrees with polarity '\+'"),
        (lambda d: d["links"][0].update(strength=1.5),
         ValidationError, r"outside \[-1, 1\]"),
        (lambda d: d["links"][0]["evidence"][0].update(source="unknown-source"),
         ValidationError, r"evidence\[0\]\.source: refers to unknown source 'unknown-source'"),
        (lambda d: d["factors"][0].update(theme="housin"),
         ValidationError, r"unknown theme 'housin' \(did you mean 'housing'\?\)"),
        (lambda d: d["loops"][0].update(factors=["homelessness", "prison", "reoffending"]),
         ValidationError, r"no link homelessness -> prison, so this is not a loop"),
        (lambda d: d["factors"][0].update(id="Not A Slug"),
         ValidationError, r"ids must be lower-case"),
        (lambda d: d["factors"][0].update(colour="red"),
         ValidationError, r"factors\[0\] \(homelessness\)\.colour: Extra inputs"),
        (lambda d: d["links"].append({"from": "prison", "to": "prison", "polarity": "+"}),
         ValidationError, r"cannot go from 'prison' to itself"),
        (lambda d: d["organisations"][0]["acts_on"][0].update(factor="x"),
         ValidationError, r"acts_on\[0\]\.factor: refers to unknown factor 'x'"),
    ],
)  # fmt: skip
def test_bad_maps_name_the_problem_and_where(small_map_data, mutate, error, message) -> None:
    mutate(small_map_data)
    with pytest.raises(error, match=message) as caught:
        Map.from_dict(small_map_data, where="small.json")
    assert str(caught.value).startswith("small.json: ")
    assert "\n" not in str(caught.value)


def test_link_weights_follow_polarity_and_strength() -> None:
    assert Link(**{"from": "a", "to": "b", "polarity": "-", "strength": "strong"}).weight == -0.75
    assert Link(**{"from": "a", "to": "b", "polarity": "+", "strength": 0.3}).weight == 0.3
    assert Link(**{"from": "a", "to": "b", "polarity": "-", "strength": -0.3}).weight == -0.3


def test_confidence_is_derived_from_accepted_evidence(small_map: Map) -> None:
    assert small_map.link_confidence("homelessness--reoffending").level == "medium"  # 0.6
    assert small_map.link_confidence("reoffending--prison").score == 0.35
    data = small_map.model_dump(by_alias=True)
    data["links"][1]["evidence"][0]["status"] = "rejected"
    assert Map.from_dict(data).link_confidence("reoffending--prison").level == "assumption"


def test_frames_and_networkx(small_map: Map) -> None:
    factors = small_map.factors_frame()
    links = small_map.links_frame()
    assert list(factors.index) == ["homelessness", "reoffending", "prison"]
    assert links.loc["prison--homelessness", "delay"]
    assert links.loc["homelessness--reoffending", "weight"] == 0.75
    graph = small_map.to_networkx()
    assert isinstance(graph, nx.DiGraph)
    assert graph.number_of_nodes() == 3 and graph.number_of_edges() == 3
    assert graph.edges["reoffending", "prison"]["sign"] == 1
    assert list(nx.simple_cycles(graph)) != []


def test_summary_counts(small_map: Map) -> None:
    summary = small_map.summary()
    assert summary["factors"] == 3 and summary["links"] == 3
    assert summary["links_with_interview_evidence"] == 2
    assert summary["links_with_literature_evidence"] == 1
    assert summary["themes"] == {"housing": 1, "justice": 2}


def test_html_view_escapes_user_text(small_map_data) -> None:
    small_map_data["title"] = "<script>alert(1)</script>"
    small_map_data["factors"][0]["label"] = "<b>bold</b>"
    page = Map.from_dict(small_map_data)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
