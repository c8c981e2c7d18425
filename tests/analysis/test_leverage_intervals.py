"""Leverage rank intervals over Monte Carlo samples of the link strengths: a known dominant
lever always ranks first; two interchangeable ones have overlapping ranges."""

from __future__ import annotations

import pytest

from loopwise.analysis.leverage import leverage_frame
from loopwise.analysis.leverage_intervals import INTERVAL_COLUMNS, leverage_intervals
from loopwise.errors import UnknownIdError, ValidationError
from loopwise.model import Map


@pytest.fixture
def levers() -> Map:
    """``dominant`` moves the target strongly on well-evidenced links and reaches both others;
    ``left`` and ``right`` are mirror images: weak, unevidenced links (assumptions), so their
    sampled strengths range from 0 to twice the stated one."""

    def stats() -> list[dict]:
        return [{"source": s, "text": "..."} for s in ("stats", "paper")]

    return Map.from_dict({
        "slug": "levers", "title": "Levers",
        "sources": [{"id": "stats", "kind": "statistic", "title": "S"},
                    {"id": "paper", "kind": "literature", "title": "P"}],
        "factors": [{"id": i, "label": i.title()}
                    for i in ("dominant", "left", "right", "reoffending")],
        "links": [
            {"from": "dominant", "to": "reoffending", "polarity": "-", "strength": -0.9,
             "evidence": stats()},
            {"from": "dominant", "to": "left", "polarity": "+", "strength": "weak",
             "evidence": stats()},
            {"from": "dominant", "to": "right", "polarity": "+", "strength": "weak",
             "evidence": stats()},
            {"from": "left", "to": "reoffending", "polarity": "-", "strength": "weak"},
            {"from": "right", "to": "reoffending", "polarity": "-", "strength": "weak"},
        ],
    })  # fmt: skip


def test_dominant_lever_always_first_and_twins_overlap(levers: Map) -> None:
    frame = leverage_intervals(levers, samples=400, seed=3)
    assert list(frame.columns) == INTERVAL_COLUMNS
    top = frame.loc["dominant"]
    assert (top["median_rank"], top["rank_low"], top["rank_high"]) == (1.0, 1, 1)
    left, right = frame.loc["left"], frame.loc["right"]
    # interchangeable: each is sometimes second and sometimes third
    assert (left["rank_low"], left["rank_high"]) == (2, 3)
    assert (right["rank_low"], right["rank_high"]) == (2, 3)
    assert frame.attrs["samples"] == 400 and frame.attrs["converged"] == 1.0


def test_no_uncertainty_reproduces_the_deterministic_ranking(levers: Map) -> None:
    frame = leverage_intervals(levers, samples=20, seed=1, uncertainty=0.0)
    assert (frame["median_rank"] == frame["rank"]).all()
    assert (frame["rank_low"] == frame["rank"]).all() and (
        frame["rank_high"] == frame["rank"]
    ).all()
    assert list(frame.index) == list(leverage_frame(levers).index)


def test_same_seed_same_result(levers: Map) -> None:
    one = leverage_intervals(levers, samples=50, seed=9)
    two = leverage_intervals(levers, samples=50, seed=9)
    assert one.equals(two)


@pytest.mark.parametrize("samples", [0, -1, 100_001, 2.5, True])
def test_bad_samples(levers: Map, samples: object) -> None:
    with pytest.raises(ValidationError, match="samples|1..100,000"):
        leverage_intervals(levers, samples=samples)  # type: ignore[arg-type]


def test_unknown_target(levers: Map) -> None:
    with pytest.raises(UnknownIdError):
        leverage_intervals(levers, "nope", samples=5)
