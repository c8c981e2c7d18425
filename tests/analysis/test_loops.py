"""Feedback loops: hand-computed maps, bounds, and the exact networkx cycle set."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from loopwise.analysis import (
    DEFAULT_LOOP_LIMIT,
    FeedbackLoop,
    canonical_cycle,
    find_feedback_loops,
    loops_frame,
    rank_loops,
)
from loopwise.errors import ValidationError
from loopwise.model import Map
from strategies import maps


def nx_cycle_set(map_: Map, length_bound: int | None = None) -> set[tuple[str, ...]]:
    graph = nx.DiGraph([(lk.source_factor, lk.target_factor) for lk in map_.links])
    return {canonical_cycle(c) for c in nx.simple_cycles(graph, length_bound=length_bound)}


def test_two_hand_computed_loops(four: Map) -> None:
    loops = find_feedback_loops(four)
    assert not loops.truncated
    assert [lp.factors for lp in loops] == [("a", "b"), ("b", "c", "d")]
    balancing, reinforcing = loops
    assert balancing.kind == "B" and reinforcing.kind == "R"
    assert balancing.links == ("a--b", "b--a")
    assert reinforcing.links == ("b--c", "c--d", "d--b")
    assert (balancing.weakest_link, balancing.weakest_confidence) == ("b--a", 0.35)
    assert (reinforcing.weakest_link, reinforcing.weakest_confidence) == ("d--b", 0.0)
    assert (loops.reinforcing, loops.balancing) == (1, 1)
    assert [lp.length for lp in loops] == [2, 3]


def test_curated_loop_is_matched_whatever_its_rotation(four: Map) -> None:
    balancing, reinforcing = find_feedback_loops(four)
    assert balancing.curated is None
    assert reinforcing.curated is not None
    assert (reinforcing.curated.id, reinforcing.curated.name) == ("spiral", "The spiral")
    assert reinforcing.curated.narrative == "It <b>feeds</b> itself."
    assert reinforcing.curated.kind == "R"


def test_weakest_link_is_the_first_going_round_when_tied(make_map) -> None:
    m = make_map([("a", "b", "+", None, ["lit"]), ("b", "c", "+", None, ["lit"]),
                  ("c", "a", "+", None, ["lit", "stats"])])  # fmt: skip
    (loop,) = find_feedback_loops(m)
    assert (loop.weakest_link, loop.weakest_confidence) == ("a--b", 0.5)


def test_a_map_without_loops_gives_an_empty_list(chain: Map) -> None:
    loops = find_feedback_loops(chain)
    assert loops == [] and not loops.truncated
    assert find_feedback_loops(chain, max_length=3) == []


def test_max_length_bounds_the_loops(four: Map) -> None:
    assert [lp.factors for lp in find_feedback_loops(four, max_length=2)] == [("a", "b")]
    assert len(find_feedback_loops(four, max_length=3)) == 2
    assert find_feedback_loops(four, max_length=1) == []


@pytest.mark.parametrize(
    ("max_length", "engine"), [(None, "networkx"), (None, "compiled"), (3, "auto")]
)
def test_limit_truncates_and_says_so(max_length: int | None, engine: str) -> None:
    complete = nx.complete_graph(
        5, create_using=nx.DiGraph
    )  # 84 cycles: 10 of 2 links, 20 of 3, 30 of 4, 24 of 5
    m = Map.from_dict(
        {
            "slug": "k5",
            "title": "K5",
            "factors": [{"id": f"f{i}", "label": str(i)} for i in complete.nodes],
            "links": [{"from": f"f{u}", "to": f"f{v}", "polarity": "+"} for u, v in complete.edges],
        }
    )
    everything = find_feedback_loops(m, max_length=max_length, engine=engine)
    assert not everything.truncated
    assert len(everything) == (84 if max_length is None else 10 + 20)
    cut = find_feedback_loops(m, max_length=max_length, limit=7, engine=engine)
    assert cut.truncated and len(cut) == 7 and cut.limit == 7
    assert {lp.factors for lp in cut} <= {lp.factors for lp in everything}
    exact = find_feedback_loops(m, max_length=max_length, limit=len(everything), engine=engine)
    assert not exact.truncated and len(exact) == len(everything)


def test_default_limit_is_reported(four: Map) -> None:
    assert find_feedback_loops(four).limit == DEFAULT_LOOP_LIMIT


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [({"max_length": 0}, "max_length"), ({"limit": 0}, "limit"), ({"limit": -3}, "limit"),
     ({"max_length": 2.5}, "max_length"), ({"limit": True}, "limit")],
)  # fmt: skip
def test_bad_bounds_are_validation_errors(four: Map, kwargs: dict, where: str) -> None:
    with pytest.raises(ValidationError) as info:
        find_feedback_loops(four, **kwargs)
    assert info.value.where == where


@given(map_=maps(max_factors=7))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_loops_are_exactly_networkx_cycles_with_the_right_kind(map_: Map) -> None:
    loops = find_feedback_loops(map_)
    assert not loops.truncated
    assert len({lp.factors for lp in loops}) == len(loops)
    assert {lp.factors for lp in loops} == nx_cycle_set(map_)
    polarity = {lk.id: lk.polarity for lk in map_.links}
    for lp in loops:
        assert lp.factors[0] == min(lp.factors)
        sign = 1
        for link_id in lp.links:
            sign *= -1 if polarity[link_id] == "-" else 1
        assert lp.kind == ("R" if sign == 1 else "B")
        confidences = {lid: map_.link_confidence(lid).score for lid in lp.links}
        assert lp.weakest_confidence == min(confidences.values())
        assert confidences[lp.weakest_link] == lp.weakest_confidence
    bounded = find_feedback_loops(map_, max_length=3)
    assert {lp.factors for lp in bounded} == nx_cycle_set(map_, length_bound=3)


@given(map_=maps(max_factors=8))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_compiled_engine_gives_the_same_loops_as_networkx(map_: Map) -> None:
    compiled = find_feedback_loops(map_, engine="compiled")
    assert compiled == find_feedback_loops(map_, engine="networkx")
    assert {lp.factors for lp in compiled} == nx_cycle_set(map_)


@pytest.mark.parametrize("seed", range(12))
def test_compiled_engine_on_dense_random_graphs(seed: int) -> None:
    graph = nx.gnm_random_graph(9, 30 + 3 * seed, seed=seed, directed=True)
    m = Map.from_dict(
        {
            "slug": "dense",
            "title": "Dense",
            "factors": [{"id": f"n{i}", "label": str(i)} for i in graph.nodes],
            "links": [
                {"from": f"n{u}", "to": f"n{v}", "polarity": "-" if (u * v) % 3 == 1 else "+"}
                for u, v in graph.edges
            ],
        }
    )
    compiled = find_feedback_loops(m, engine="compiled")
    assert len(compiled) == len({lp.factors for lp in compiled})
    assert compiled == find_feedback_loops(m, engine="networkx")


def test_unknown_engine_is_a_validation_error(four: Map) -> None:
    with pytest.raises(ValidationError, match="unknown engine 'fast'"):
        find_feedback_loops(four, engine="fast")  # type: ignore[arg-type]


def test_rank_loops(four: Map) -> None:
    short, long = find_feedback_loops(four)
    assert rank_loops([long, short]) == [short, long]
    assert rank_loops([long, short], by="evidence") == [short, long]  # 0.35 > 0.0
    assert rank_loops([short, long], by="leverage", leverage_factors=["c", "d"]) == [long, short]
    assert rank_loops([long, short], by="leverage") == [short, long]  # ties: shortest first
    with pytest.raises(ValidationError, match="unknown ranking 'size'"):
        rank_loops([short], by="size")  # type: ignore[arg-type]


def test_loops_frame(four: Map) -> None:
    frame = loops_frame(find_feedback_loops(four))
    assert list(frame.index) == [1, 2]
    assert frame.loc[2, "factors"] == "b -> c -> d -> b"
    assert frame.loc[2, "curated_name"] == "The spiral"
    assert frame.loc[1, "curated_id"] == ""
    assert list(frame["kind"]) == ["B", "R"]
    assert loops_frame([]).empty


def test_feedback_loop_is_immutable_and_hashable() -> None:
    loop = FeedbackLoop(("a", "b"), ("a--b", "b--a"), "R", 0.5, "a--b")
    assert hash(loop) == hash(FeedbackLoop(("a", "b"), ("a--b", "b--a"), "R", 0.5, "a--b"))
    with pytest.raises(AttributeError):
        loop.kind = "B"  # type: ignore[misc]
