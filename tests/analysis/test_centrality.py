"""Centrality on hand-computed maps, and agreement with networkx's definitions."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from loopwise.analysis import CENTRALITY_COLUMNS, centrality_frame, reach
from loopwise.errors import UnknownIdError, ValidationError
from loopwise.model import Map
from strategies import maps


def test_unweighted_measures_of_the_four_factor_map(four: Map) -> None:
    frame = centrality_frame(four)
    assert list(frame.columns) == CENTRALITY_COLUMNS
    assert list(frame.index) == ["a", "b", "c", "d"]
    assert frame["label"].tolist() == ["A", "B", "C", "D"]
    assert frame["in_degree"].tolist() == [1, 2, 1, 1]
    assert frame["out_degree"].tolist() == [1, 2, 1, 1]
    # shortest paths through b: a->c, a->d, c->a, d->a, d->c; through c: a->d, b->d;
    # through d: c->b, c->a; normalised by (n-1)(n-2) = 6
    assert frame["betweenness"].tolist() == pytest.approx([0, 5 / 6, 2 / 6, 2 / 6])
    assert frame["reach"].tolist() == [3, 3, 3, 3]
    assert frame["reach_total"].tolist() == [3, 3, 3, 3]
    assert frame["pagerank"].sum() == pytest.approx(1.0)
    assert frame["pagerank"].idxmax() == "b"
    assert frame.attrs == {"weighted": False, "reach_steps": 3}


def test_weighted_measures_of_the_four_factor_map(four: Map) -> None:
    # magnitudes: a--b 0.75, b--a 0.25, b--c 0.5, c--d 1.0, d--b 0.25
    frame = centrality_frame(four, weighted=True)
    assert frame["in_degree"].tolist() == pytest.approx([0.25, 1.0, 0.5, 1.0])
    assert frame["out_degree"].tolist() == pytest.approx([0.75, 0.75, 1.0, 0.25])
    # influence reach of a: b 0.75, c 0.75 * 0.5, d 0.75 * 0.5 * 1.0
    # of b: a 0.25, c 0.5, d 0.5 * 1.0
    assert frame.loc["a", "reach"] == pytest.approx(0.75 + 0.375 + 0.375)
    assert frame.loc["b", "reach"] == pytest.approx(0.25 + 0.5 + 0.5)
    assert frame.loc["a", "reach_total"] == 3
    assert centrality_frame(four, weighted=True, reach_steps=1).loc["a", "reach"] == 0.75


def test_weighted_betweenness_takes_the_strong_road(make_map) -> None:
    # a -> c directly but weakly, or through b strongly (distance 1/0.75 + 1/0.75 < 1/0.25)
    m = make_map([("a", "b", "+", "strong"), ("b", "c", "+", "strong"),
                  ("a", "c", "+", "weak"), ("c", "d", "+")])  # fmt: skip
    plain = centrality_frame(m)["betweenness"]
    weighted = centrality_frame(m, weighted=True)["betweenness"]
    assert plain.tolist() == pytest.approx([0, 0, 2 / 6, 0])  # c: a->d, b->d
    assert weighted.tolist() == pytest.approx([0, 2 / 6, 2 / 6, 0])  # b: a->c, a->d


def test_reach_within_steps_and_in_total(chain: Map) -> None:
    assert [reach(chain, "a", k) for k in (0, 1, 2, 3)] == [0, 2, 3, 3]
    assert [reach(chain, "b", k) for k in (1, 2)] == [1, 2]
    assert reach(chain, "a", None) == 3
    assert reach(chain, "d") == 0
    frame = centrality_frame(chain, reach_steps=1)
    assert frame["reach"].tolist() == [2, 1, 1, 0]
    assert frame["reach_total"].tolist() == [3, 2, 1, 0]


def test_reach_errors(chain: Map) -> None:
    with pytest.raises(UnknownIdError) as info:
        reach(chain, "aa", 2)
    assert info.value.suggestions == ["a"]
    with pytest.raises(ValidationError, match="at least 0"):
        reach(chain, "a", -1)
    with pytest.raises(ValidationError):
        centrality_frame(chain, reach_steps=-2)


def test_zero_strength_links_carry_nothing_when_weighted(make_map) -> None:
    m = make_map([("a", "b", "+", 0.0), ("b", "c", "+", 1.0)])
    frame = centrality_frame(m, weighted=True)
    assert frame.loc["a", "reach"] == 0 and frame.loc["a", "reach_total"] == 2
    assert frame["betweenness"].tolist() == [0, 0, 0]
    assert frame["pagerank"].sum() == pytest.approx(1.0)


def test_empty_map() -> None:
    m = Map.from_dict({"slug": "empty", "title": "Empty"})
    for weighted in (False, True):
        frame = centrality_frame(m, weighted=weighted)
        assert frame.empty and list(frame.columns) == CENTRALITY_COLUMNS


@given(map_=maps(max_factors=8))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_agrees_with_networkx_definitions(map_: Map) -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from(f.id for f in map_.factors)
    graph.add_edges_from((lk.source_factor, lk.target_factor) for lk in map_.links)
    frame = centrality_frame(map_, reach_steps=2)
    expected = nx.betweenness_centrality(graph)
    assert frame["betweenness"].to_dict() == pytest.approx(expected)
    assert frame["pagerank"].to_dict() == pytest.approx(
        _pagerank_python(graph, tol=1e-12, max_iter=1000), abs=1e-6
    )
    for factor in graph:
        within = nx.single_source_shortest_path_length(graph, factor, cutoff=2)
        assert frame.loc[factor, "reach"] == len(within) - 1
        assert frame.loc[factor, "reach_total"] == len(nx.descendants(graph, factor))


def test_betweenness_is_the_same_to_the_last_digit_every_run() -> None:
    """The built-in map (over rustworkx's 50-node parallel threshold) gives bit-identical
    betweenness on every run: its pages and JSON are cached and compared by digest."""
    from loopwise.analysis import _graph
    from loopwise.builtin import load_builtin_map

    graph = load_builtin_map().to_networkx()
    assert graph.number_of_nodes() > 50
    runs = {tuple(sorted(_graph.betweenness(graph).items())) for _ in range(200)}
    assert len(runs) == 1
