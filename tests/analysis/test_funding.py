"""The funding-gap table and which loops a portfolio touches."""

from __future__ import annotations

import pytest

from loopwise.analysis import find_feedback_loops
from loopwise.analysis.funding import FUNDING_COLUMNS, funding_gap_frame, portfolio_coverage
from loopwise.analysis.leverage import leverage_frame
from loopwise.builtin import load_builtin_map
from loopwise.errors import ValidationError
from loopwise.model import Map
from loopwise.model.entities import Organisation


@pytest.fixture(scope="module")
def builtin() -> Map:
    return load_builtin_map("breaking-the-cycle")


def _with_funding(data: dict) -> Map:
    data["organisations"][0]["funding"] = [
        {"amount": 1000, "year": 2023}, {"amount": 500, "year": 2024},
        {"amount": 7, "currency": "EUR", "year": 2024},
    ]  # fmt: skip
    data["organisations"].append(
        {"id": "two", "name": "Two", "acts_on": [{"factor": "homelessness"}, {"factor": "prison"}],
         "funding": [{"amount": 250, "year": 2024, "source": "stats"}]}
    )  # fmt: skip
    return Map.from_dict(data)


def test_gap_table_adds_organisations_and_funding(small_map_data: dict) -> None:
    m = _with_funding(small_map_data)
    frame = funding_gap_frame(m)
    assert list(frame.columns) == FUNDING_COLUMNS
    assert frame.loc["homelessness", "organisations"] == 2
    assert frame.loc["homelessness", "funding_total"] == 1750.0  # 1000 + 500 + 250, GBP only
    assert frame.loc["homelessness", "funding_other"] == 1  # the EUR figure, not converted
    assert frame.loc["prison", "funding_total"] == 250.0
    assert "reoffending" not in frame.index  # the target is not ranked
    lev = leverage_frame(m)
    assert (frame["score"] == lev["score"]).all() and list(frame.index) == list(lev.index)
    assert funding_gap_frame(m, currency="EUR").loc["homelessness", "funding_total"] == 7.0


def test_gap_flags_high_leverage_factors_nobody_works_on(builtin: Map) -> None:
    frame = funding_gap_frame(builtin)
    gaps = frame[frame["gap"]]
    assert len(gaps) > 0
    assert (gaps["organisations"] == 0).all()
    assert gaps["score"].min() >= frame["score"].quantile(0.75)
    assert set(gaps["kind"]) <= {"service", "condition"} and set(gaps["coverage"]) == {"none"}
    # the top lever is a policy: a campaign ask, never a funding gap
    top = frame.iloc[0]
    assert frame.index[0] == "short-custodial-sentences" and top["kind"] == "policy"
    assert bool(top["campaign_ask"]) and not bool(top["gap"])


def test_portfolio_column_and_coverage(builtin: Map) -> None:
    portfolio = [Organisation(id="p", name="P", acts_on=[{"factor": "settled-accommodation"}])]
    frame = funding_gap_frame(builtin, portfolio=portfolio)
    assert frame.loc["settled-accommodation", "portfolio"] == 1
    assert frame["portfolio"].sum() == 1
    loops = find_feedback_loops(builtin)
    cover = portfolio_coverage(builtin, portfolio, loops=loops, gap=frame)
    on = [lp for lp in loops if "settled-accommodation" in lp.factors]
    assert cover.computed_touched == len(on)
    assert cover.computed_touched + cover.computed_missed == len(loops)
    touched = {c.id for c in cover.curated if c.touched}
    assert touched == {
        lp.id for lp in builtin.curated_loops if "settled-accommodation" in lp.factors
    }
    assert all(not set(c.factors) & {"settled-accommodation"} for c in cover.missed_loops)
    assert [
        c.length if hasattr(c, "length") else len(c.factors) for c in cover.missed_loops
    ] == sorted(len(c.factors) for c in cover.missed_loops)
    assert "settled-accommodation" not in cover.gap_factors
    assert "short-custodial-sentences" not in cover.gap_factors  # a policy
    assert set(cover.gap_factors) == set(frame.index[frame["gap"]])
    document = cover.to_dict()
    assert document["computed_touched"] == cover.computed_touched
    assert {c["id"] for c in document["curated_touched"]} == touched


def test_an_empty_portfolio_misses_everything(builtin: Map) -> None:
    cover = portfolio_coverage(builtin, [])
    assert cover.computed_touched == 0 and not any(c.touched for c in cover.curated)


def test_funding_source_must_exist(small_map_data: dict) -> None:
    small_map_data["organisations"][0]["funding"] = [{"amount": 1, "year": 2024, "source": "stat"}]
    with pytest.raises(ValidationError, match=r"funding\[0\]\.source.*unknown source 'stat'"):
        Map.from_dict(small_map_data)


@pytest.mark.parametrize(
    "funding",
    [{"amount": -1, "year": 2024}, {"amount": 1}, {"amount": 1, "year": 2024, "currency": "gbp"},
     {"amount": float("inf"), "year": 2024}],
)  # fmt: skip
def test_bad_funding_is_refused(small_map_data: dict, funding: dict) -> None:
    small_map_data["organisations"][0]["funding"] = [funding]
    with pytest.raises(ValidationError, match="organisations"):
        Map.from_dict(small_map_data)


def test_old_maps_stay_valid_and_round_trip(small_map_data: dict) -> None:
    m = Map.from_dict(small_map_data)
    assert m.organisations[0].funding == [] and m.organisations[0].where == ""
    again = _with_funding(small_map_data)
    assert Map.from_dict(again.to_dict()) == again
