"""One options type for every simulation function: the same results from an options value, from
keywords, or both; checked when made; immutable."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import numpy as np
import pytest

from loopwise.errors import ValidationError
from loopwise.model import Map
from loopwise.simulation import (
    SimulationOptions,
    monte_carlo,
    run_fcm,
    run_fcm_batch,
    simulate,
    weight_matrix,
)
from loopwise.simulation.fcm import build_scenario, link_arrays


def chain() -> Map:
    return Map.from_dict(
        {
            "slug": "c", "title": "C",
            "factors": [{"id": x, "label": x.upper()} for x in "abc"],
            "links": [{"from": "a", "to": "b", "polarity": "+"},
                      {"from": "b", "to": "c", "polarity": "-"},
                      {"from": "c", "to": "a", "polarity": "+", "strength": "weak"}],
        }
    )  # fmt: skip


KEYWORDS: dict[str, Any] = {
    "rule": "modified", "transfer": "tanh", "lam": 0.7, "threshold": 1e-7, "max_steps": 40,
    "clamp": {"a": 0.5}, "push": {"c": 0.2}, "initial": 0.1,
}  # fmt: skip


def test_simulate_gives_the_same_from_options_or_keywords() -> None:
    m = chain()
    by_keywords = simulate(m, **KEYWORDS)
    by_options = simulate(m, SimulationOptions(**KEYWORDS))
    assert by_options.effect.to_dict() == by_keywords.effect.to_dict()
    assert by_options.settings == by_keywords.settings
    assert by_options.settings["rule"] == "modified" and by_options.settings["lam"] == 0.7
    # keywords replace the options' fields
    mixed = simulate(m, SimulationOptions(**{**KEYWORDS, "transfer": "sigmoid"}), transfer="tanh")
    assert mixed.effect.to_dict() == by_keywords.effect.to_dict()


def test_monte_carlo_gives_the_same_from_options_or_keywords() -> None:
    m = chain()
    by_keywords = monte_carlo(m, samples=30, seed=4, **KEYWORDS)
    by_options = monte_carlo(m, SimulationOptions(**KEYWORDS), samples=30, seed=4)
    np.testing.assert_array_equal(by_options.effects.to_numpy(), by_keywords.effects.to_numpy())
    assert by_options.settings == by_keywords.settings
    assert by_options.settings["max_steps"] == 40


def test_the_low_level_runs_take_the_settings_of_an_options_value() -> None:
    m = chain()
    options = SimulationOptions(rule="rescaled", transfer="sigmoid", lam=2.0, max_steps=7)
    matrix = weight_matrix(m)
    by_keywords = run_fcm(matrix, 0.5, **options.settings())
    by_options = run_fcm(matrix, 0.5, options)
    assert by_options.state.tolist() == by_keywords.state.tolist()
    assert by_options.steps == by_keywords.steps
    assert run_fcm(matrix, 0.5, options, max_steps=2).steps <= 2  # a keyword wins
    sources, targets, weights = link_arrays(m)
    batch = run_fcm_batch((sources, targets), weights[None, :], 3, np.full(3, 0.5), options)
    np.testing.assert_allclose(batch[0][0], by_options.state, rtol=0, atol=1e-12)


def test_build_scenario_reads_the_scenario_fields() -> None:
    resolved = build_scenario(chain(), SimulationOptions(transfer="tanh", clamp={"b": -1.0},
                                                         push={"c": 0.25}))  # fmt: skip
    assert resolved.clamp == {1: -1.0} and resolved.push.tolist() == [0.0, 0.0, 0.25]
    assert resolved.initial.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"rule": "kosco"}, "rule", "unknown value 'kosco'"),
        ({"transfer": "relu"}, "transfer", "choose one of sigmoid, tanh"),
        ({"lam": -1.0}, "lambda", "finite number > 0"),
        ({"lam": 5000.0}, "lambda", "at most 1000"),
        ({"threshold": float("nan")}, "threshold", "finite number > 0"),
        ({"max_steps": 0}, "max_steps", "1..10,000"),
        ({"max_steps": 2.5}, "max_steps", "whole number"),
        ({"intervention_mode": "nudge"}, "intervention_mode", "choose one of push, clamp"),
        ({"clamp": [("a", 1.0)]}, "clamp", "mapping of factor id"),
        ({"interventions": "open-university"}, "interventions", "the string"),
    ],
)
def test_bad_options_are_refused_when_made(fields: dict[str, Any], where: str,
                                           message: str) -> None:  # fmt: skip
    with pytest.raises(ValidationError) as info:
        SimulationOptions(**fields)
    assert info.value.where == where and message in str(info.value)
    with pytest.raises(ValidationError) as again:  # and as keywords of every function
        simulate(chain(), **fields)
    assert again.value.where == where


def test_options_are_immutable_and_copy_what_they_are_given() -> None:
    clamp = {"a": 1.0}
    options = SimulationOptions(clamp=clamp, interventions=["x"])
    clamp["a"] = 0.0
    assert options.clamp["a"] == 1.0 and options.interventions == ("x",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.rule = "modified"  # type: ignore[misc]
    with pytest.raises(TypeError):
        options.clamp["a"] = 0.5  # type: ignore[index]
    assert pickle.loads(pickle.dumps(options)) == options
    with pytest.raises(TypeError):  # an unknown keyword is an error, as for any function
        simulate(chain(), stepz=3)  # type: ignore[call-arg]
