"""The notebook shortcuts on Map give the analysis modules' results, on the built-in map."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from loopwise.builtin import load_builtin_map
from loopwise.model import Map


@pytest.fixture(scope="module")
def cycle() -> Map:
    return load_builtin_map()


def test_loops_are_every_cycle_with_kinds(cycle: Map) -> None:
    loops = cycle.loops()
    assert isinstance(loops, pd.DataFrame)
    assert len(loops) == sum(1 for _ in nx.simple_cycles(cycle.to_networkx()))
    assert set(loops["kind"]) == {"R", "B"}
    named = set(loops["curated_id"]) - {""}
    assert named == {lp.id for lp in cycle.curated_loops}


def test_centrality_micmac_and_paths(cycle: Map) -> None:
    central = cycle.centrality()
    assert list(central.index) == [f.id for f in cycle.factors]
    assert central.loc["reoffending", "in_degree"] == sum(
        1 for lk in cycle.links if lk.target_factor == "reoffending"
    )
    assert set(cycle.micmac()["quadrant"]) <= {"influential", "relay", "dependent", "autonomous"}
    paths = cycle.paths("settled-accommodation", "reoffending", max_length=2)
    assert "settled-accommodation -> reoffending" in set(paths["factors"])


def test_simulate_and_leverage(cycle: Map) -> None:
    result = cycle.simulate(push={"help-finding-accommodation": 0.5}, transfer="tanh", lam=0.6)
    assert result.effect["reoffending"] < 0  # more help with housing, less reoffending
    table = cycle.leverage()
    assert "reoffending" not in table.index
    assert {"total_effect", "r_loops", "b_loops", "reach", "organisations", "score"} <= set(
        table.columns
    )
