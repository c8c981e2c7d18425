"""Paths between two factors: hand-computed signs and evidence, bounds, errors."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopwise.analysis import find_paths, paths_frame
from loopwise.errors import UnknownIdError, ValidationError
from loopwise.model import Map
from strategies import maps


def test_paths_in_the_four_factor_map(four: Map) -> None:
    paths = find_paths(four, "a", "d")
    assert [p.factors for p in paths] == [("a", "b", "c", "d")]
    (path,) = paths
    assert path.links == ("a--b", "b--c", "c--d")
    assert path.sign == "-"  # + + -
    assert (path.weakest_link, path.weakest_confidence) == ("c--d", 0.5)
    assert path.length == 3
    assert not paths.truncated


def test_net_sign_and_order(chain: Map) -> None:
    paths = find_paths(chain, "a", "d")
    assert [(p.factors, p.sign) for p in paths] == [
        (("a", "c", "d"), "+"),
        (("a", "b", "c", "d"), "-"),
    ]
    assert (paths.positive, paths.negative) == (1, 1)


def test_bounds(chain: Map) -> None:
    assert [p.factors for p in find_paths(chain, "a", "d", max_length=2)] == [("a", "c", "d")]
    assert find_paths(chain, "a", "d", max_length=1) == []
    cut = find_paths(chain, "a", "d", limit=1)
    assert cut.truncated and len(cut) == 1
    assert not find_paths(chain, "a", "d", limit=2).truncated
    assert len(find_paths(chain, "a", "d", max_length=None, limit=None)) == 2


def test_no_path_is_an_empty_answer(chain: Map) -> None:
    paths = find_paths(chain, "d", "a")
    assert paths == [] and not paths.truncated


def test_errors(chain: Map) -> None:
    with pytest.raises(UnknownIdError) as info:
        find_paths(chain, "a", "dd")
    assert "unknown factor 'dd'" in str(info.value) and info.value.suggestions == ["d"]
    with pytest.raises(UnknownIdError):
        find_paths(chain, "zz", "a")
    with pytest.raises(ValidationError, match="same factor 'a'"):
        find_paths(chain, "a", "a")
    with pytest.raises(ValidationError, match="max_length"):
        find_paths(chain, "a", "d", max_length=0)


def test_paths_frame(chain: Map) -> None:
    frame = paths_frame(find_paths(chain, "a", "d"))
    assert frame["factors"].tolist() == ["a -> c -> d", "a -> b -> c -> d"]
    assert frame["sign"].tolist() == ["+", "-"]


@given(map_=maps(max_factors=7), data=st.data())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_paths_are_exactly_networkx_simple_paths(map_: Map, data: st.DataObject) -> None:
    ids = [f.id for f in map_.factors]
    source, target = data.draw(st.permutations(ids))[:2]
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_edges_from((lk.source_factor, lk.target_factor) for lk in map_.links)
    expected = {tuple(p) for p in nx.all_simple_paths(graph, source, target, cutoff=4)}
    paths = find_paths(map_, source, target, max_length=4)
    assert {p.factors for p in paths} == expected
    polarity = {lk.id: lk.polarity for lk in map_.links}
    for path in paths:
        negatives = sum(polarity[link] == "-" for link in path.links)
        assert path.sign == ("+" if negatives % 2 == 0 else "-")
        assert path.weakest_confidence == min(map_.link_confidence(lk).score for lk in path.links)
