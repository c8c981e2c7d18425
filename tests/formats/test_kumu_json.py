from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from loopwise.errors import ImportFormatError
from loopwise.formats.kumu_json import (
    project_document,
    read_blueprint,
    read_project,
    write_blueprint,
    write_project,
)
from loopwise.model import Map
from strategies import maps


def test_project_export_keeps_types_tags_descriptions_custom_fields(data_dir: Path) -> None:
    path = data_dir / "kumu-project.json"
    m = read_project(path.read_bytes(), str(path))
    assert m.title == "Cycle of reoffending (Kumu)"
    home = m.factor("homelessness")
    assert home.description == "No settled accommodation on release."
    assert home.tags == ["housing", "release"]
    assert home.theme == "housing"
    assert home.custom == {"kumu_id": "elem-Xh3kPq9a", "kumu_type": "Factor", "Evidence grade": "B"}
    assert m.factor("reoffending").custom["kumu_type"] == "Outcome"
    assert home.position is not None and (home.position.x, home.position.y) == (-120.5, 40)
    assert m.factor("family-contact").position is None


def test_project_export_connection_types_and_delay(data_dir: Path) -> None:
    m = read_project((data_dir / "kumu-project.json").read_bytes(), "k.json")
    polarity = {(lk.source_factor, lk.target_factor): lk.polarity for lk in m.links}
    assert polarity == {
        ("homelessness", "reoffending"): "+",
        ("reoffending", "short-prison-sentences"): "+",  # same
        ("short-prison-sentences", "homelessness"): "+",  # ++
        ("stable-employment", "reoffending"): "-",  # opposite
        ("short-prison-sentences", "stable-employment"): "+",  # -- (both fall: same direction)
        ("family-contact", "reoffending"): "+",  # none: unknown
    }
    assert m.link("family-contact--reoffending").tags == ["polarity:unknown"]
    assert m.link("short-prison-sentences--homelessness").delay is True
    first = m.link("homelessness--reoffending")
    assert first.strength == "strong" and first.mechanism.startswith("No address")


def test_project_loops_become_curated_loops_in_order(data_dir: Path) -> None:
    m = read_project((data_dir / "kumu-project.json").read_bytes(), "k.json")
    (loop,) = m.curated_loops
    assert loop.name == "Revolving door"
    assert loop.narrative.startswith("Prison takes away")
    ring = loop.factors
    start = ring.index("homelessness")
    assert ring[start:] + ring[:start] == ["homelessness", "reoffending", "short-prison-sentences"]


def test_kumu_project_round_trip_is_stable(data_dir: Path) -> None:
    first = read_project((data_dir / "kumu-project.json").read_bytes(), "k.json")
    again = read_project(write_project(first).encode(), "k.json")
    assert again == first
    assert json.loads(write_project(again)) == json.loads(write_project(first))


def test_written_project_has_kumu_shape(small_map: Map) -> None:
    doc = project_document(small_map.model_copy(update={"views": []}))
    element = doc["elements"][0]
    assert (
        set(element) == {"_id", "attributes"} and element["attributes"]["label"] == "Homelessness"
    )
    connection = doc["connections"][0]
    assert connection["attributes"]["connection type"] == "+"
    assert connection["from"] == element["_id"] and connection["direction"] == "directed"
    assert doc["loops"][0]["attributes"]["label"] == "Revolving door"
    assert len(doc["loops"][0]["connections"]) == 3
    assert {"elements", "connections", "loops", "maps", "perspectives"} <= set(doc)


def test_blueprint_reads_labels_as_references(data_dir: Path) -> None:
    m = read_blueprint((data_dir / "kumu-blueprint.json").read_bytes(), "bp.json")
    assert [f.id for f in m.factors] == ["debt", "mental-health", "drug-use", "reoffending"]
    assert m.factor("debt").custom == {"kumu_type": "Factor", "Source": "NPC 2021"}
    assert m.link("mental-health--drug-use").mechanism == "People self-medicate."
    odd = m.link("drug-use--debt")
    assert odd.tags == ["polarity:unknown"] and odd.custom == {"kumu_type": "influence"}


def test_blueprint_round_trip_keeps_a_real_file(data_dir: Path) -> None:
    first = read_blueprint((data_dir / "kumu-blueprint.json").read_bytes(), "bp.json")
    assert read_blueprint(write_blueprint(first).encode(), "bp.json") == first


@settings(max_examples=60, deadline=None)
@given(maps())
def test_blueprint_round_trip_keeps_what_kumu_holds(projection, map_: Map) -> None:
    back = read_blueprint(write_blueprint(map_).encode(), "x.json")
    assert projection(back) == projection(map_)


@settings(max_examples=60, deadline=None)
@given(maps())
def test_project_round_trip_keeps_what_kumu_holds(projection, map_: Map) -> None:
    back = read_project(write_project(map_).encode(), "x.json")
    assert projection(back) == projection(map_)


def test_project_round_trip_keeps_loops_positions_and_views(small_map_data) -> None:
    small_map_data["factors"][0]["position"] = {"x": 1.5, "y": -2}
    small_map_data["views"] = [{"id": "housing", "name": "Housing", "focus": "homelessness"}]
    m = Map.from_dict(small_map_data)
    back = read_project(write_project(m).encode(), "x.json")
    assert back.curated_loops == m.curated_loops
    assert back.factor("homelessness").position == m.factor("homelessness").position
    assert back.views == m.views
    assert [f.theme for f in back.factors] == [f.theme for f in m.factors]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"elements": [{"label": "A"}, {"label": "B"}],
          "connections": [{"from": "A", "to": "C"}]},
         r"x\.json: connections\[0\]\.to: unknown element 'C'"),
        ({"elements": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]},
         r"x\.json: elements\[1\]: duplicate id 'a' \(first used at elements\[0\]\)"),
        ({"elements": [{"label": "A"}, {"label": "A"}, {"label": "B"}],
          "connections": [{"from": "A", "to": "B"}]},
         r"connections\[0\]\.from: 'A' is the label of 2 elements"),
        ({"elements": [{"label": ""}]}, r"elements\[0\]: element has no label"),
        ({"elements": "nope"}, r"'elements' must be a list"),
    ],
)  # fmt: skip
def test_bad_blueprints_name_the_place(document, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        read_blueprint(json.dumps(document).encode(), "x.json")


def test_bad_loop_is_named() -> None:
    doc = {"elements": [{"_id": "e1", "attributes": {"label": "A"}},
                        {"_id": "e2", "attributes": {"label": "B"}}],
           "connections": [{"_id": "c1", "from": "e1", "to": "e2", "attributes": {}}],
           "loops": [{"_id": "l1", "attributes": {"label": "L"}, "connections": ["c1", "c9"]}]}  # fmt: skip
    with pytest.raises(ImportFormatError, match=r"loops\[0\]: unknown connection 'c9'"):
        read_project(json.dumps(doc).encode(), "p.json")
