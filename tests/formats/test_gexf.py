from __future__ import annotations

import io

import networkx as nx
import pytest
from hypothesis import given, settings

from loopwise.errors import ImportFormatError
from loopwise.formats.gexf import read_gexf, write_gexf
from loopwise.model import Map
from strategies import maps

FIELDS = ("id", "label", "description", "theme", "stage", "tags", "position", "custom")
LINK_FIELDS = ("id", "from", "to", "polarity", "strength", "delay", "mechanism", "tags", "custom")
MAP_FIELDS = ("title", "description", "slug")


@settings(max_examples=60, deadline=None)
@given(maps())
def test_gexf_round_trip_keeps_factors_and_links(projection, clean_for_xml, map_: Map) -> None:
    map_ = clean_for_xml(map_)
    back = read_gexf(write_gexf(map_).encode(), "x.gexf")
    assert projection(back, FIELDS, LINK_FIELDS, MAP_FIELDS) == projection(
        map_, FIELDS, LINK_FIELDS, MAP_FIELDS
    )


def test_written_gexf_is_1_3_with_positions_and_opens_in_networkx(small_map_data) -> None:
    small_map_data["factors"][0]["position"] = {"x": 10.0, "y": -5.5}
    m = Map.from_dict(small_map_data)
    text = write_gexf(m)
    assert 'xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text
    assert '<viz:position x="10.0" y="-5.5" z="0.0"' in text
    graph = nx.read_gexf(io.BytesIO(text.encode()))
    assert graph.nodes["homelessness"]["label"] == "Homelessness"
    assert graph.nodes["homelessness"]["viz"]["position"]["x"] == 10.0
    edge = graph.edges["homelessness", "reoffending"]
    assert edge["polarity"] == "+" and edge["weight"] == 0.75


def test_gexf_written_by_networkx_reads() -> None:
    graph = nx.DiGraph()
    graph.add_node("0", label="Isolation")
    graph.add_node("1", label="Drug use")
    graph.add_edge("0", "1", weight=1.0, polarity="+")
    out = io.BytesIO()
    nx.write_gexf(graph, out, version="1.2draft")
    m = read_gexf(out.getvalue(), "nx.gexf")
    assert [f.id for f in m.factors] == ["isolation", "drug-use"]
    assert m.links[0].polarity == "+" and m.links[0].tags == []


def test_gephi_style_weights_without_polarity_are_unknown() -> None:
    text = """<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed">
      <nodes><node id="0" label="A"/><node id="1" label="B"/></nodes>
      <edges><edge id="0" source="0" target="1" weight="1.0"/></edges></graph></gexf>"""
    m = read_gexf(text.encode(), "g.gexf")
    assert m.links[0].tags == ["polarity:unknown"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<nodes><node id="a"/></nodes><edges><edge source="a" target="z"/></edges>',
            r"edge #1: unknown node 'z' as target",
        ),
        ('<nodes><node id="a"/><node id="a"/></nodes>', r"duplicate node id 'a'"),
        (
            '<nodes><node id="a"><viz:position x="left" y="1"/></node></nodes>',
            r"node 'a': viz:position needs numbers",
        ),
    ],
)
def test_bad_gexf_names_the_element(body: str, message: str) -> None:
    text = (
        f'<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">'
        f"<graph>{body}</graph></gexf>"
    )
    with pytest.raises(ImportFormatError, match=message):
        read_gexf(text.encode(), "bad.gexf")
