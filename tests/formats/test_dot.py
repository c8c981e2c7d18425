from __future__ import annotations

import pydot
import pytest
from hypothesis import given, settings

from loopwise.errors import ImportFormatError
from loopwise.formats.dot import read_dot, write_dot
from loopwise.model import Map
from strategies import maps

FIELDS = ("id", "label", "description", "theme", "stage", "tags", "position", "custom")
LINK_FIELDS = ("id", "from", "to", "polarity", "strength", "delay", "mechanism", "tags", "custom")


def test_written_dot_parses_in_pydot(small_map: Map) -> None:
    (graph,) = pydot.graph_from_dot_data(write_dot(small_map))
    assert graph.get_type() == "digraph"
    names = {n.get_name().strip('"') for n in graph.get_nodes()} - {"node", "edge", "graph"}
    assert names == {f.id for f in small_map.factors}
    assert len(graph.get_edges()) == len(small_map.links)


@settings(max_examples=40, deadline=None)
@given(maps(max_factors=5))
def test_dot_round_trip_keeps_factors_and_links(projection, map_: Map) -> None:
    back = read_dot(write_dot(map_).encode(), "x.dot")
    assert projection(back, FIELDS, LINK_FIELDS) == projection(map_, FIELDS, LINK_FIELDS)


def test_hand_written_dot_with_sign_labels() -> None:
    text = """digraph G {
      rankdir=LR;
      "Debt" -> "Stress" [label="+"];
      "Stress" -> "Sleep" [label="-"];
      Sleep -> Debt;
    }"""
    m = read_dot(text.encode(), "hand.dot")
    assert [f.id for f in m.factors] == ["debt", "stress", "sleep"]
    assert [lk.polarity for lk in m.links] == ["+", "-", "+"]
    assert m.links[2].tags == ["polarity:unknown"]


def test_bad_dot_is_one_clear_line() -> None:
    with pytest.raises(ImportFormatError, match=r"bad\.dot: not valid DOT") as caught:
        read_dot(b"digraph { a -> ", "bad.dot")
    assert "\n" not in str(caught.value)
