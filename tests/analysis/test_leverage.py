"""Leverage for a target, with the funding gap: every component checked by hand."""

from __future__ import annotations

import math

import pytest

from loopwise.analysis.leverage import LEVERAGE_COLUMNS, SCORE_FORMULA, leverage_frame
from loopwise.errors import UnknownIdError, ValidationError
from loopwise.model import Map

# a -> reoffending (+.5), reoffending -> b (+.5), b -> a (-.5): one balancing loop;
# c -> a (+.5) feeds it from outside. Spectral radius .5, so the slope is 1.
LINKS = [
    ("a", "reoffending", 0.5, ["stats"]),
    ("reoffending", "b", 0.5, ["stats", "talk"]),
    ("b", "a", -0.5, []),
    ("c", "a", 0.5, ["paper"]),
]


@pytest.fixture
def m() -> Map:
    return Map.from_dict(
        {
            "slug": "lev", "title": "Leverage",
            "sources": [{"id": "stats", "kind": "statistic", "title": "S"},
                        {"id": "paper", "kind": "literature", "title": "P"},
                        {"id": "talk", "kind": "interview", "title": "T"}],
            "factors": [{"id": x, "label": x.title()} for x in ("a", "b", "c", "reoffending")],
            "links": [
                {"from": f, "to": t, "polarity": "+" if w > 0 else "-", "strength": w,
                 "evidence": [{"source": s, "text": "..."} for s in sources]}
                for f, t, w, sources in LINKS
            ],
            "organisations": [
                {"id": "one", "name": "One", "acts_on": [{"factor": "a"}, {"factor": "a"}]},
                {"id": "two", "name": "Two", "acts_on": [{"factor": "a"}, {"factor": "b"}]},
            ],
        }
    )  # fmt: skip


def target_effect(pushed: str, push: float = 0.5) -> float:
    """Kosko/tanh fixed point of the map above, with plain floats."""
    a = b = c = r = 0.0
    for _ in range(2000):
        p = {k: (push if k == pushed else 0.0) for k in "abcr"}
        a, b, c, r = (
            math.tanh(0.5 * c - 0.5 * b + p["a"]),
            math.tanh(0.5 * r + p["b"]),
            math.tanh(p["c"]),
            math.tanh(0.5 * a + p["r"]),
        )
    return r


def test_components(m: Map) -> None:
    frame = leverage_frame(m)
    assert list(frame.columns) == LEVERAGE_COLUMNS
    assert set(frame.index) == {"a", "b", "c"}  # the target is left out
    assert frame.attrs["target"] == "reoffending" and frame.attrs["lam"] == 1.0
    for factor in "abc":
        assert frame.loc[factor, "total_effect"] == pytest.approx(target_effect(factor), abs=1e-5)
    assert frame.loc["a", "total_effect"] > 0 and frame.loc["b", "total_effect"] < 0
    assert frame.loc[["a", "b", "c"], "r_loops"].tolist() == [0, 0, 0]
    assert frame.loc[["a", "b", "c"], "b_loops"].tolist() == [1, 1, 0]
    assert frame.loc[["a", "b", "c"], "reach"].tolist() == [2, 2, 3]
    # outgoing links: a -> reoffending (statistic .6), b -> a (none: 0), c -> a (literature .5)
    assert frame.loc[["a", "b", "c"], "evidence_strength"].tolist() == [0.6, 0.0, 0.5]
    # "one" lists a twice: still one organisation
    assert frame.loc[["a", "b", "c"], "organisations"].tolist() == [2, 1, 0]


def test_score_is_the_plain_average_of_the_scaled_parts(m: Map) -> None:
    frame = leverage_frame(m)
    effects = {f: abs(target_effect(f)) for f in "abc"}
    top = max(effects.values())
    expected = {
        "a": (effects["a"] / top + 1 + 2 / 3 + 0.6) / 4,
        "b": (effects["b"] / top + 1 + 2 / 3 + 0.0) / 4,
        "c": (effects["c"] / top + 0 + 1 + 0.5) / 4,
    }
    for factor, score in expected.items():
        assert frame.loc[factor, "score"] == pytest.approx(score, abs=1e-5)
    assert list(frame.index) == sorted(expected, key=lambda f: -expected[f])
    parts = frame[["effect_part", "loops_part", "reach_part", "evidence_part"]]
    assert (parts.mean(axis=1) - frame["score"]).abs().max() < 1e-12
    assert "max|total_effect|" in SCORE_FORMULA and "/ 4" in SCORE_FORMULA


def test_gap_is_a_high_score_nobody_works_on(m: Map) -> None:
    frame = leverage_frame(m)
    threshold = frame["score"].quantile(0.75)
    for factor, row in frame.iterrows():
        assert row["gap"] == (row["organisations"] == 0 and row["score"] >= threshold), factor
    # a (top) has organisations; c has none: a gap exactly when its score is in the top quarter
    assert not frame.loc["a", "gap"] and not frame.loc["b", "gap"]


def test_another_target(m: Map) -> None:
    frame = leverage_frame(m, target="a")
    assert "a" not in frame.index and "reoffending" in frame.index
    assert frame.loc["b", "total_effect"] < 0 and frame.loc["c", "total_effect"] > 0


def test_a_map_without_reoffending_needs_a_target() -> None:
    m = Map.from_dict({"slug": "x", "title": "X", "factors": [{"id": "a", "label": "A"}]})
    with pytest.raises(ValidationError, match="no factor 'reoffending'") as info:
        leverage_frame(m)
    assert info.value.where == "target"


def test_unknown_target_suggests(m: Map) -> None:
    with pytest.raises(UnknownIdError, match="did you mean 'reoffending'"):
        leverage_frame(m, target="reofending")


@pytest.mark.parametrize("push", [0, -0.5, 1.5, float("nan")])
def test_bad_push(m: Map, push: float) -> None:
    with pytest.raises(ValidationError, match=r"\(0, 1\]"):
        leverage_frame(m, push=push)


def test_builtin_map_ranks_with_discriminating_effects() -> None:
    from loopwise.builtin import load_builtin_map

    m = load_builtin_map()
    frame = leverage_frame(m)
    assert len(frame) == len(m.factors) - 1 and "reoffending" not in frame.index
    # the slope keeps the map's loops from running away: lambda * spectral radius < 1
    import numpy as np

    from loopwise.simulation.fcm import weight_matrix

    rho = max(abs(np.linalg.eigvals(weight_matrix(m.without_inferences()))))
    assert frame.attrs["lam"] * rho < 1
    effects = frame["total_effect"].abs()
    assert effects.max() < 0.95 and effects.std() > 0.05  # not saturated
    assert frame["score"].is_monotonic_decreasing
    assert frame["gap"].any() and not (frame["gap"] & (frame["organisations"] > 0)).any()
