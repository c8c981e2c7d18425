from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings

from loopwise.errors import ImportFormatError
from loopwise.formats.graphml import read_graphml, write_graphml
from loopwise.model import Map
from strategies import maps

FIELDS = ("id", "label", "description", "theme", "stage", "tags", "position", "custom")
LINK_FIELDS = ("id", "from", "to", "polarity", "strength", "delay", "mechanism", "tags", "custom")


@settings(max_examples=60, deadline=None)
@given(maps())
def test_graphml_round_trip_keeps_factors_and_links(projection, clean_for_xml, map_: Map) -> None:
    map_ = clean_for_xml(map_)
    back = read_graphml(write_graphml(map_).encode(), "x.graphml")
    assert projection(back, FIELDS, LINK_FIELDS, ("title", "description", "slug")) == projection(
        map_, FIELDS, LINK_FIELDS, ("title", "description", "slug")
    )


def test_written_graphml_opens_in_networkx(small_map: Map) -> None:
    graph = nx.read_graphml(io.BytesIO(write_graphml(small_map).encode()))
    assert set(graph.nodes) == {f.id for f in small_map.factors}
    assert graph.nodes["homelessness"]["label"] == "Homelessness"
    edge = graph.edges["homelessness", "reoffending"]
    assert edge["polarity"] == "+" and edge["sign"] == 1 and edge["weight"] == 0.75
    assert edge["delay"] is False


def test_graphml_written_by_networkx_reads(small_map: Map) -> None:
    graph = nx.DiGraph()
    graph.add_node("n0", label="Debt", x=1.0, y=2.0)
    graph.add_node("n1", label="Stress")
    graph.add_node("n2", label="Sleep")
    graph.add_edge("n0", "n1", weight=0.8)
    graph.add_edge("n1", "n2", weight=-0.4)
    out = io.BytesIO()
    nx.write_graphml(graph, out)
    m = read_graphml(out.getvalue(), "nx.graphml")
    assert [f.id for f in m.factors] == ["debt", "stress", "sleep"]
    assert m.factor("debt").position.x == 1.0 and m.factor("debt").custom == {"graph_id": "n0"}
    # signed weights: the file has a negative one, so weights give the polarity
    assert [(lk.polarity, lk.strength) for lk in m.links] == [("+", 0.8), ("-", -0.4)]


def test_yed_file_reads_labels_and_geometry(data_dir: Path) -> None:
    m = read_graphml((data_dir / "yed.graphml").read_bytes(), "yed.graphml")
    assert [f.label for f in m.factors] == ["Criminal record", "Employment", "Reoffending"]
    record = m.factor("criminal-record")
    assert record.position.y == 20.0 and record.description == "Hard to find work with a record."
    assert m.link("criminal-record--employment").polarity == "-"
    assert m.link("reoffending--criminal-record").tags == ["polarity:unknown"]


def test_unknown_polarity_survives_a_round_trip(data_dir: Path) -> None:
    first = read_graphml((data_dir / "yed.graphml").read_bytes(), "yed.graphml")
    text = write_graphml(first)
    assert "polarity:unknown" not in text  # written as a missing polarity, not as a tag
    assert read_graphml(text.encode(), "yed.graphml").links == first.links


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<node id="a"/><edge source="a" target="b"/>', r"edge #1: unknown node 'b' as target"),
        ('<node id="a"/><node id="a"/>', r"node 'a': duplicate node id 'a' \(first at node 'a'\)"),
        ('<node id="a"/><edge source="a"/>', r"edge #1: an <edge> needs source and target"),
    ],
)
def test_bad_graphml_names_the_element(body: str, message: str) -> None:
    text = f'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">{body}</graph></graphml>'
    with pytest.raises(ImportFormatError, match=message):
        read_graphml(text.encode(), "bad.graphml")


def test_parallel_edges_and_self_loops_are_merged_or_skipped_and_reported() -> None:
    from loopwise.formats import read_bytes_report

    body = ('<key id="w" for="edge" attr.name="weight" attr.type="double"/>'
            '<graph edgedefault="directed"><node id="a"/><node id="b"/>'
            '<edge source="a" target="b"><data key="w">0.5</data></edge>'
            '<edge source="a" target="b"><data key="w">-0.5</data></edge>'
            '<edge source="a" target="a"/></graph>')  # fmt: skip
    text = f'<graphml xmlns="http://graphml.graphdrawing.org/xmlns">{body}</graphml>'
    m, report = read_bytes_report(text.encode(), "multi.graphml")
    (link,) = m.links
    assert "polarity:unknown" in link.tags  # + and - between one pair
    assert report.merged_links == [
        "a -> b: parallel connections merged into one link (polarity unknown)"
    ]
    assert report.dropped == [
        "edge #3: an edge from 'a' to itself (a loopwise link joins two factors)"
    ]
