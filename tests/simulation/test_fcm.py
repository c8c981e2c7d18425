"""FCM simulation: update rules, transfers, clamps, the direction check, real FCMs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from loopwise.errors import UnknownIdError, ValidationError
from loopwise.model import Map
from loopwise.simulation import run_fcm, simulate, weight_matrix
from loopwise.simulation.transfer import NEUTRAL_STATE, STATE_RANGE, TRANSFERS
from loopwise.simulation.update_rules import RULES


def make_map(links: list[tuple[str, str, float]], **extra: Any) -> Map:
    """A map from ``(from, to, signed strength)`` triples (factor ids sorted)."""
    ids = sorted({end for a, b, _ in links for end in (a, b)} | set(extra.pop("factors", [])))
    return Map.from_dict(
        {
            "slug": "t",
            "title": "T",
            "factors": [{"id": f, "label": f.upper()} for f in ids],
            "links": [
                {"from": a, "to": b, "polarity": "+" if w >= 0 else "-", "strength": w}
                for a, b, w in links
            ],
            **extra,
        }
    )


# ---------------------------------------------------------------------------- the matrix
def test_weight_matrix_puts_link_j_to_i_at_row_j_column_i() -> None:
    m = make_map([("a", "b", 0.5), ("c", "a", -0.25)])
    assert [f.id for f in m.factors] == ["a", "b", "c"]
    np.testing.assert_array_equal(
        weight_matrix(m), [[0.0, 0.5, 0.0], [0.0, 0.0, 0.0], [-0.25, 0.0, 0.0]]
    )


def test_strength_labels_become_weights() -> None:
    m = Map.from_dict(
        {
            "slug": "t", "title": "T",
            "factors": [{"id": x, "label": x} for x in "abcd"],
            "links": [
                {"from": "a", "to": "b", "polarity": "+", "strength": "weak"},
                {"from": "b", "to": "c", "polarity": "-", "strength": "strong"},
                {"from": "c", "to": "d", "polarity": "-"},
            ],
        }
    )  # fmt: skip
    w = weight_matrix(m)
    assert (w[0, 1], w[1, 2], w[2, 3]) == (0.25, -0.75, -0.5)


# ---------------------------------------------------------------------------- the direction check
def test_direction_follows_the_arrows() -> None:
    """A->B, D->B, B->C, C->D all weight 1, A clamped at 1, Kosko, tanh: the effect runs
    along the arrows (B, C, D rise), never against them."""
    m = make_map([("a", "b", 1.0), ("d", "b", 1.0), ("b", "c", 1.0), ("c", "d", 1.0)])
    result = simulate(m, clamp={"a": 1.0}, rule="kosko", transfer="tanh")
    state = result.scenario.states
    assert result.scenario.converged
    assert state["a"] == 1.0
    for factor in "bcd":
        assert state[factor] > 0.5, (factor, state[factor])
    # the fixed point: B = tanh(1 + D), C = tanh(B), D = tanh(C)
    assert state["b"] == pytest.approx(math.tanh(1 + state["d"]), abs=1e-4)
    assert state["c"] == pytest.approx(math.tanh(state["b"]), abs=1e-4)
    assert state["d"] == pytest.approx(math.tanh(state["c"]), abs=1e-4)
    assert (result.baseline.states == 0).all()
    assert result.effect.equals(result.scenario.states - result.baseline.states)


# ---------------------------------------------------------------------------- hand-computed steps
# two concepts: 0 -> 1 weight 0.5, 1 -> 0 weight -0.25; A(0) = (0.2, 0.6)
W2 = np.array([[0.0, 0.5], [-0.25, 0.0]])
A0 = np.array([0.2, 0.6])
# summed inputs after one step, written out by hand from the rules table in simulation/update_rules.py
FIRST_INPUTS = {
    "kosko": (0.6 * -0.25, 0.2 * 0.5),  # (-0.15, 0.1)
    "modified": (0.2 + 0.6 * -0.25, 0.6 + 0.2 * 0.5),  # (0.05, 0.7)
    "rescaled": (-0.6 + 0.2 * -0.25, 0.2 + -0.6 * 0.5),  # 2A-1 = (-0.6, 0.2) -> (-0.65, -0.1)
}
LAM = 2.0
F = {
    "sigmoid": lambda x: 1 / (1 + math.exp(-LAM * x)),
    "tanh": lambda x: math.tanh(LAM * x),
    "bivalent": lambda x: 1.0 if x > 0 else 0.0,
    "trivalent": lambda x: 1.0 if x > 0 else (-1.0 if x < 0 else 0.0),
}


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("transfer", TRANSFERS)
def test_one_step(rule: str, transfer: str) -> None:
    run = run_fcm(W2, A0, rule=rule, transfer=transfer, lam=LAM, max_steps=1)
    expected = [F[transfer](x) for x in FIRST_INPUTS[rule]]
    np.testing.assert_allclose(run.state, expected, rtol=0, atol=1e-12)
    assert run.steps == 1 and run.stop == "max_steps"


def _second_inputs(rule: str, a: list[float]) -> tuple[float, float]:
    if rule == "kosko":
        return a[1] * -0.25, a[0] * 0.5
    if rule == "modified":
        return a[0] + a[1] * -0.25, a[1] + a[0] * 0.5
    s = [2 * v - 1 for v in a]
    return s[0] + s[1] * -0.25, s[1] + s[0] * 0.5


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("transfer", ["sigmoid", "tanh"])
def test_two_steps(rule: str, transfer: str) -> None:
    first = [F[transfer](x) for x in FIRST_INPUTS[rule]]
    expected = [F[transfer](x) for x in _second_inputs(rule, first)]
    run = run_fcm(W2, A0, rule=rule, transfer=transfer, lam=LAM, max_steps=2)
    np.testing.assert_allclose(run.state, expected, rtol=0, atol=1e-12)


def test_two_kosko_tanh_steps_as_numbers() -> None:
    run = run_fcm(W2, A0, rule="kosko", transfer="tanh", max_steps=2)
    # step 1: tanh(-0.15) = -0.148885, tanh(0.1) = 0.099668
    # step 2: tanh(0.099668 * -0.25) = -0.024912, tanh(-0.148885 * 0.5) = -0.074305
    np.testing.assert_allclose(run.state, [-0.024912, -0.074305], atol=1e-6)


def test_push_is_added_to_the_input_every_step() -> None:
    run = run_fcm(W2, A0, rule="kosko", transfer="tanh", push=np.array([0.0, 0.3]), max_steps=1)
    np.testing.assert_allclose(run.state, [math.tanh(-0.15), math.tanh(0.1 + 0.3)], atol=1e-12)


# ---------------------------------------------------------------------------- clamps, stopping
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("transfer", TRANSFERS)
def test_clamped_factors_keep_their_value(rule: str, transfer: str) -> None:
    m = make_map([("a", "b", -1.0), ("b", "a", 1.0), ("b", "c", 0.5), ("c", "b", 0.75)])
    low = STATE_RANGE[transfer][0]
    result = simulate(m, clamp={"b": low}, rule=rule, transfer=transfer)
    assert result.scenario.states["b"] == low


def test_convergence_is_reported_with_the_number_of_steps() -> None:
    run = run_fcm(np.array([[0.0, 1.0], [0.0, 0.0]]), 0.0, transfer="tanh", clamp={0: 1.0})
    # step 1: (1, tanh(1)); step 2: the same -> converged at step 2
    assert (run.stop, run.steps, run.converged) == ("converged", 2, True)
    assert run.state[1] == pytest.approx(math.tanh(1.0))


def test_max_steps_is_reported() -> None:
    run = run_fcm(W2, A0, rule="kosko", transfer="sigmoid", max_steps=3)
    assert (run.stop, run.steps, run.converged) == ("max_steps", 3, False)


def test_a_trivalent_negative_loop_is_a_limit_cycle_of_four() -> None:
    # a -> b weight -1, b -> a weight 1: (1,0) -> (0,-1) -> (-1,0) -> (0,1) -> (1,0)
    run = run_fcm(np.array([[0.0, -1.0], [1.0, 0.0]]), np.array([1.0, 0.0]), transfer="trivalent")
    assert (run.stop, run.cycle_length, run.steps) == ("cycle", 4, 4)
    assert run.state.tolist() == [1.0, 0.0]


def test_smooth_transfers_never_report_a_cycle() -> None:
    run = run_fcm(np.array([[0.0, -1.0], [1.0, 0.0]]), np.array([1.0, 0.0]), transfer="tanh",
                  lam=5.0, max_steps=50)  # fmt: skip
    assert run.stop in ("converged", "max_steps") and run.cycle_length is None


# ---------------------------------------------------------------------------- the map API
def test_effect_is_scenario_minus_baseline_with_sigmoid() -> None:
    m = make_map([("a", "b", 1.0)])
    result = simulate(m, clamp={"a": 1.0}, transfer="sigmoid")
    # baseline: a = sigmoid(0) = 0.5, b = sigmoid(0.5); scenario: a = 1, b = sigmoid(1)
    base_b = 1 / (1 + math.exp(-0.5))
    assert result.baseline.states["a"] == pytest.approx(0.5)
    assert result.baseline.states["b"] == pytest.approx(base_b, abs=1e-6)
    assert result.effect["b"] == pytest.approx(1 / (1 + math.exp(-1)) - base_b, abs=1e-6)
    assert result.effect["a"] == pytest.approx(0.5)


def test_push_through_the_map() -> None:
    m = make_map([("a", "b", 1.0), ("b", "c", -0.5)])
    effect = simulate(m, push={"a": 1.0}, transfer="tanh").effect
    a = math.tanh(1.0)
    assert effect["a"] == pytest.approx(a)
    assert effect["b"] == pytest.approx(math.tanh(a))
    assert effect["c"] == pytest.approx(math.tanh(-0.5 * math.tanh(a)))


def test_to_frame_sorts_by_absolute_effect() -> None:
    m = make_map([("a", "b", 1.0), ("b", "c", -0.5)], factors=["z"])
    frame = simulate(m, push={"a": 1.0}, transfer="tanh").to_frame()
    assert list(frame.index) == ["a", "b", "c", "z"]
    assert list(frame.columns) == ["label", "baseline", "scenario", "effect"]
    assert frame.loc["z", "effect"] == 0 and frame.loc["a", "label"] == "A"


def _with_interventions() -> Map:
    return make_map(
        [("a", "b", 1.0), ("c", "b", 1.0)],
        interventions=[
            {"id": "housing-first", "label": "Housing first",
             "targets": [{"factor": "a", "effect": 0.5}, {"factor": "c", "effect": -0.25}]},
        ],
    )  # fmt: skip


def test_interventions_push_their_targets_by_default() -> None:
    result = simulate(_with_interventions(), interventions=["housing-first"], transfer="tanh")
    a, c = math.tanh(0.5), math.tanh(-0.25)
    assert result.effect["a"] == pytest.approx(a)
    assert result.effect["c"] == pytest.approx(c)
    assert result.effect["b"] == pytest.approx(math.tanh(a + c))


def test_interventions_can_clamp_their_targets() -> None:
    result = simulate(
        _with_interventions(), interventions=["housing-first"], intervention_mode="clamp",
        transfer="sigmoid",
    )  # fmt: skip
    # effects map onto [0, 1]: (1 + 0.5) / 2 = 0.75 and (1 - 0.25) / 2 = 0.375
    assert result.scenario.states["a"] == 0.75 and result.scenario.states["c"] == 0.375
    assert result.scenario.states["b"] == pytest.approx(1 / (1 + math.exp(-1.125)), abs=1e-6)


def test_unknown_intervention_is_named_with_a_suggestion() -> None:
    with pytest.raises(UnknownIdError, match="housing-first"):
        simulate(_with_interventions(), interventions=["housing-frist"])


# ---------------------------------------------------------------------------- bad input
@pytest.fixture
def abc() -> Map:
    return make_map([("a", "b", 1.0), ("b", "c", 1.0)])


def test_unknown_factor_suggests_a_close_id(abc: Map) -> None:
    m = make_map([("housing", "reoffending", 0.5)])
    with pytest.raises(UnknownIdError, match="did you mean 'housing'"):
        simulate(m, clamp={"housng": 1.0})


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"clamp": {"a": float("nan")}}, "clamp[a]"),
        ({"clamp": {"a": float("inf")}, "transfer": "tanh"}, "clamp[a]"),
        ({"clamp": {"a": -0.5}, "transfer": "sigmoid"}, "clamp[a]"),
        ({"clamp": {"a": 1.5}, "transfer": "tanh"}, "clamp[a]"),
        ({"clamp": {"a": "high"}}, "clamp[a]"),
        ({"push": {"b": float("nan")}}, "push[b]"),
        ({"push": {"b": 2.0}}, "push[b]"),
        ({"initial": -0.1}, "initial"),
        ({"initial": {"c": 2.0}, "transfer": "trivalent"}, "initial[c]"),
        ({"max_steps": 0}, "max_steps"),
        ({"max_steps": 10_001}, "max_steps"),
        ({"threshold": float("nan")}, "threshold"),
        ({"lam": 0}, "lambda"),
        ({"rule": "euler"}, "rule"),
        ({"transfer": "relu"}, "transfer"),
    ],
)
def test_bad_values_name_the_parameter(abc: Map, kwargs: dict[str, Any], where: str) -> None:
    with pytest.raises(ValidationError) as info:
        simulate(abc, **kwargs)
    assert info.value.where == where, str(info.value)


def test_range_errors_say_the_range(abc: Map) -> None:
    with pytest.raises(ValidationError, match=r"outside \[0, 1\] \(the state range of sigmoid\)"):
        simulate(abc, clamp={"a": -0.5})


def test_run_fcm_rejects_bad_matrices() -> None:
    with pytest.raises(ValidationError, match="square"):
        run_fcm(np.zeros((2, 3)), 0.0)
    with pytest.raises(ValidationError, match="finite"):
        run_fcm(np.array([[0.0, np.nan], [0.0, 0.0]]), 0.0)
    with pytest.raises(ValidationError, match="state range of tanh"):
        run_fcm(W2, np.array([0.0, 1.5]), transfer="tanh")


@settings(max_examples=60, deadline=None)
@given(
    weights=arrays(float, (4, 4), elements=st.floats(-1, 1)),
    rule=st.sampled_from(RULES),
    transfer=st.sampled_from(TRANSFERS),
    lam=st.floats(0.1, 10),
)
def test_states_stay_in_the_transfer_range(
    weights: np.ndarray, rule: str, transfer: str, lam: float
) -> None:
    run = run_fcm(weights, NEUTRAL_STATE[transfer], rule=rule, transfer=transfer, lam=lam,
                  max_steps=30)  # fmt: skip
    low, high = STATE_RANGE[transfer]
    assert ((run.state >= low) & (run.state <= high)).all()
    assert 1 <= run.steps <= 30


# ---------------------------------------------------------------------------- real FCMs
@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("transfer", TRANSFERS)
@pytest.mark.parametrize("name", ["clot", "psot"])
def test_fixture_fcms_reach_a_fixed_point_with_the_first_concept_clamped(
    request: pytest.FixtureRequest, name: str, rule: str, transfer: str
) -> None:
    """Every rule/transfer pair: from the neutral state, with the first concept clamped at
    the top of the range, both maps settle on a fixed point (checked by one more step)."""
    fcm = request.getfixturevalue(name)
    high = STATE_RANGE[transfer][1]
    options: dict[str, Any] = dict(rule=rule, transfer=transfer, clamp={0: high})
    run = run_fcm(fcm.weights, NEUTRAL_STATE[transfer], max_steps=1000, **options)
    assert run.stop == "converged", (run.stop, run.steps)
    again = run_fcm(fcm.weights, run.state, max_steps=1, **options)
    np.testing.assert_allclose(again.state, run.state, atol=1e-4)


def test_fixture_sizes(clot: Any, psot: Any) -> None:
    assert len(clot.concepts) == 12 and np.count_nonzero(clot.weights) == 18
    assert clot.concepts[:3] == ["HCP", "stas", "inju"]
    assert len(psot.concepts) == 34 and np.count_nonzero(psot.weights) == 44
    assert psot.concepts[-1] == "PSOT*"


def test_psot_trivalent_kosko_falls_into_a_two_cycle(psot: Any) -> None:
    """What really happens: switching on 'reli' alone under Kosko/trivalent never settles;
    the states of steps 4 and 6 are equal, so a 2-cycle is reported at step 6."""
    start = np.zeros(len(psot.concepts))
    start[psot.concepts.index("reli")] = 1.0
    run = run_fcm(psot.weights, start, rule="kosko", transfer="trivalent", max_steps=1000)
    assert (run.stop, run.cycle_length, run.steps) == ("cycle", 2, 6)
    plain = {
        k: run_fcm(
            psot.weights,
            start,
            rule="kosko",
            transfer="trivalent",
            max_steps=k,
            detect_cycles=False,
        ).state  # fmt: skip
        for k in (4, 5, 6, 7)
    }
    np.testing.assert_array_equal(plain[4], plain[6])
    np.testing.assert_array_equal(plain[5], plain[7])
    assert not np.array_equal(plain[5], plain[6])


def test_clot_modified_tanh_from_all_high_is_still_moving_at_max_steps(clot: Any) -> None:
    """What really happens: with a self-link of weight 1 on HCP plus the modified rule's own
    term, the state creeps and does not settle within 1,000 steps: reported, not hidden."""
    run = run_fcm(clot.weights, 1.0, rule="modified", transfer="tanh", max_steps=1000)
    assert (run.stop, run.steps, run.converged) == ("max_steps", 1000, False)
