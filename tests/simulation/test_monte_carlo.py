"""Monte Carlo over link uncertainty: the sampling rule, reproducibility, the vectorised core."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from loopwise.errors import UnknownIdError, ValidationError
from loopwise.model import Map
from loopwise.simulation import monte_carlo, run_fcm, run_fcm_batch, simulate
from loopwise.simulation.monte_carlo import link_uncertainty


def evidence_map(kinds: dict[str, list[str]]) -> Map:
    """a -> b (+, medium), b -> c (-, strong), c -> a (+, weak), d -> b (+, 0.9); each link's
    evidence from sources of the given kinds (``kinds[link id]``)."""
    links = [("a", "b", "+", "medium"), ("b", "c", "-", "strong"), ("c", "a", "+", "weak"),
             ("d", "b", "+", 0.9)]  # fmt: skip
    return Map.from_dict(
        {
            "slug": "mc", "title": "MC",
            "sources": [{"id": k, "kind": k, "title": k}
                        for k in ("statistic", "literature", "interview")],
            "factors": [{"id": x, "label": x.upper()} for x in "abcd"],
            "links": [
                {"from": a, "to": b, "polarity": p, "strength": s,
                 "evidence": [{"source": k, "text": "..."} for k in kinds.get(f"{a}--{b}", [])]}
                for a, b, p, s in links
            ],
        }
    )  # fmt: skip


@pytest.fixture
def m() -> Map:
    return evidence_map({"a--b": ["statistic"], "b--c": ["literature", "interview"]})


SCENARIO: dict[str, Any] = {"clamp": {"a": 1.0}, "transfer": "tanh"}


# ---------------------------------------------------------------------------- the rule
def test_ranges_follow_strength_and_confidence(m: Map) -> None:
    low, high = link_uncertainty(m)
    # a--b: m .5, c .6 (statistic) -> u .4 -> [.3, .7]
    # b--c: m .75, c 1-.5*.65 = .675 -> u .325 -> -[.50625, .99375]
    # c--a: m .25, no evidence, c 0 -> u 1 -> [0, .5]
    # d--b: m .9, c 0 -> [0, min(1, 1.8)] = [0, 1]
    np.testing.assert_allclose(low, [0.3, -0.50625, 0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(high, [0.7, -0.99375, 0.5, 1.0], atol=1e-9)
    low_half, high_half = link_uncertainty(m, uncertainty=0.5)
    assert (low_half[0], high_half[0]) == pytest.approx((0.4, 0.6))


def test_sampled_weights_stay_in_their_ranges_and_keep_their_sign(m: Map) -> None:
    from loopwise.simulation.monte_carlo import sample_link_weights

    low, high = link_uncertainty(m)
    w = sample_link_weights(low, high, 5000, seed=0)
    assert w.shape == (5000, 4)
    lo, hi = np.minimum(low, high), np.maximum(low, high)
    assert ((w >= lo) & (w <= hi)).all()
    assert (w[:, 1] < 0).all() and (w[:, [0, 2, 3]] >= 0).all()
    # uniform: the mean is near the middle of each range
    np.testing.assert_allclose(w.mean(axis=0), (low + high) / 2, atol=0.02)


def test_reproducible_with_a_seed_and_different_across_seeds(m: Map) -> None:
    one = monte_carlo(m, samples=300, seed=42, **SCENARIO)
    two = monte_carlo(m, samples=300, seed=42, **SCENARIO)
    other = monte_carlo(m, samples=300, seed=43, **SCENARIO)
    assert one.effects.equals(two.effects) and one.summary.equals(two.summary)
    assert not one.effects.equals(other.effects)


def test_chunking_does_not_change_the_result(m: Map) -> None:
    whole = monte_carlo(m, samples=250, seed=5, **SCENARIO)
    chunked = monte_carlo(m, samples=250, seed=5, chunk_size=7, **SCENARIO)
    np.testing.assert_array_equal(whole.effects.to_numpy(), chunked.effects.to_numpy())


def test_quantiles_are_ordered_and_summarise_the_samples(m: Map) -> None:
    result = monte_carlo(m, samples=2000, seed=1, **SCENARIO)
    s = result.summary
    assert list(s.columns) == ["label", "deterministic", "median", "q05", "q95", "mean"]
    assert (s["q05"] <= s["median"]).all() and (s["median"] <= s["q95"]).all()
    assert (s["q05"] < s["q95"])[["b", "c"]].all()  # uncertain links -> a real spread
    assert s.loc["b", "median"] == pytest.approx(np.median(result.effects["b"]))
    assert s.loc["a", "q05"] == s.loc["a", "q95"] == 1.0  # clamped: no uncertainty
    assert (s.loc["d"] == 0).drop("label").all()  # nothing reaches d
    assert s.loc["b", "deterministic"] == pytest.approx(simulate(m, **SCENARIO).effect["b"])
    assert result.converged.all() and result.converged_share == 1.0


def test_summary_lists_the_largest_effects_first(m: Map) -> None:
    # map order is a, b, c, d; clamping c moves c most, and d not at all
    s = monte_carlo(m, samples=300, seed=2, clamp={"c": 1.0}, transfer="tanh").summary
    sizes = s["median"].abs().tolist()
    assert sizes == sorted(sizes, reverse=True)
    assert s.index[0] == "c" and s.index[-1] == "d"
    assert set(s.index) == {f.id for f in m.factors}


def test_zero_uncertainty_collapses_onto_the_deterministic_effect(m: Map) -> None:
    result = monte_carlo(m, samples=50, seed=3, uncertainty=0.0, **SCENARIO)
    expected = simulate(m, **SCENARIO).effect
    for factor in "abcd":
        np.testing.assert_allclose(result.effects[factor], expected[factor], atol=1e-12)
        assert result.summary.loc[factor, "q05"] == pytest.approx(expected[factor], abs=1e-12)
        assert result.summary.loc[factor, "q95"] == pytest.approx(expected[factor], abs=1e-12)


def test_full_confidence_links_do_not_vary() -> None:
    certain = evidence_map({k: ["statistic"] * 40 for k in ("a--b", "b--c", "c--a", "d--b")})
    assert all(certain.link_confidence(lk.id).score == 1.0 for lk in certain.links)
    result = monte_carlo(certain, samples=20, seed=0, **SCENARIO)
    np.testing.assert_allclose(
        result.summary["q95"] - result.summary["q05"], np.zeros(4), atol=1e-12
    )


@pytest.mark.parametrize(
    "options",
    [
        {"rule": "kosko", "transfer": "tanh", "clamp": {"a": 1.0}},
        {"rule": "modified", "transfer": "sigmoid", "push": {"d": 0.5}},
        {"rule": "rescaled", "transfer": "sigmoid", "clamp": {"c": 0.0}},
    ],
)
def test_vectorised_result_equals_a_loop_over_samples(m: Map, options: dict[str, Any]) -> None:
    """The batched core against :func:`run_fcm` called once per sample with that sample's
    dense matrix. Sums are added in a different order (segmented sum vs matrix product), so
    the states agree to 1e-12, and the step counts exactly."""
    from loopwise.simulation.fcm import build_scenario, link_arrays

    sources, targets, _ = link_arrays(m)
    low, high = link_uncertainty(m)
    weights = low + (high - low) * np.random.default_rng(9).random((6, len(m.links)))
    settings = {k: options[k] for k in ("rule", "transfer")}
    scenario = build_scenario(m, clamp=options.get("clamp"), push=options.get("push"),
                              transfer=options["transfer"])  # fmt: skip
    states, steps, converged = run_fcm_batch(
        (sources, targets), weights, 4, scenario.initial, clamp=scenario.clamp,
        push=scenario.push, **settings,
    )  # fmt: skip
    for k in range(6):
        matrix = np.zeros((4, 4))
        matrix[sources, targets] = weights[k]
        single = run_fcm(matrix, scenario.initial, clamp=scenario.clamp, push=scenario.push,
                         detect_cycles=False, **settings)  # fmt: skip
        np.testing.assert_allclose(states[k], single.state, rtol=0, atol=1e-12)
        assert steps[k] == single.steps and converged[k] == single.converged


def test_samples_that_do_not_settle_run_to_max_steps() -> None:
    # a negative two-factor loop under trivalent oscillates forever
    states, steps, converged = run_fcm_batch(
        (np.array([0, 1]), np.array([1, 0])), np.array([[-1.0, 1.0], [0.0, 0.0]]), 2,
        np.array([1.0, 0.0]), transfer="trivalent", max_steps=9,
    )  # fmt: skip
    assert steps.tolist() == [9, 2] and converged.tolist() == [False, True]
    assert states[1].tolist() == [0.0, 0.0]


def test_progress_is_called_after_each_chunk(m: Map) -> None:
    calls: list[tuple[int, int]] = []
    monte_carlo(m, samples=25, seed=0, chunk_size=10, progress=lambda d, t: calls.append((d, t)),
                **SCENARIO)  # fmt: skip
    assert calls == [(10, 25), (20, 25), (25, 25)]


def test_the_effect_of_a_certain_chain_is_exact() -> None:
    """a -> b and b -> c certain; the uncertain links cannot matter (a is clamped, d stays 0):
    every sample gives b = tanh(.5), c = tanh(-.75 tanh(.5))."""
    certain = evidence_map({"a--b": ["statistic"] * 40, "b--c": ["statistic"] * 40})
    result = monte_carlo(certain, samples=40, seed=0, **SCENARIO)
    np.testing.assert_allclose(result.effects["b"], math.tanh(0.5), atol=1e-12)
    np.testing.assert_allclose(result.effects["c"], math.tanh(-0.75 * math.tanh(0.5)), atol=1e-12)


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("kwargs", "where", "message"),
    [
        ({"samples": 0}, "samples", "expected 1..1,000,000, got 0"),
        ({"samples": 10**9}, "samples", "expected 1..1,000,000"),
        ({"samples": 2.5}, "samples", "whole number"),
        ({"samples": True}, "samples", "whole number"),
        ({"uncertainty": -0.1}, "uncertainty", "[0, 1]"),
        ({"uncertainty": float("nan")}, "uncertainty", "[0, 1]"),
        ({"seed": -1}, "seed", "0..2**64 - 1"),
        ({"seed": 2**64}, "seed", "0..2**64 - 1"),
        ({"chunk_size": 0}, "chunk_size", ">= 1"),
        ({"clamp": {"a": float("nan")}}, "clamp[a]", "finite"),
        ({"max_steps": 10**6}, "max_steps", "1..10,000"),
    ],
)
def test_bad_input_is_a_clear_error(
    m: Map, kwargs: dict[str, Any], where: str, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        monte_carlo(m, **{"samples": 10, **kwargs})
    assert info.value.where == where
    assert message in str(info.value)


def test_too_many_sample_factor_cells_is_refused_before_any_work() -> None:
    big = Map.from_dict(
        {
            "slug": "big",
            "title": "Big",
            "factors": [{"id": f"f{i}", "label": "F"} for i in range(60)],
        }
    )
    with pytest.raises(ValidationError, match="at most 416,666 for this map"):
        monte_carlo(big, samples=1_000_000)


def test_unknown_factor(m: Map) -> None:
    with pytest.raises(UnknownIdError, match="unknown factor 'e'"):
        monte_carlo(m, samples=10, clamp={"e": 1.0})


@pytest.mark.parametrize("rule", ["kosko", "modified", "rescaled"])
@pytest.mark.parametrize("transfer", ["sigmoid", "tanh", "bivalent", "trivalent"])
def test_monte_carlo_equals_the_numpy_reference_on_the_same_weights(
    rule: str, transfer: str
) -> None:
    """monte_carlo draws its weights inside the compiled kernel: they must be exactly
    sample_link_weights' (same seed), and the effects those of run_fcm_batch (numpy) run on
    them, baseline and scenario, for every rule and transfer."""
    from loopwise.simulation.fcm import build_scenario, link_arrays
    from loopwise.simulation.monte_carlo import _Links, sample_link_weights

    rng = np.random.default_rng(8)
    n, n_links = 25, 70
    pairs = rng.choice(n * n, size=n_links, replace=False)
    ends = [(int(p // n), int(p % n)) for p in pairs if p // n != p % n]
    m = Map.from_dict(
        {
            "slug": "r", "title": "R",
            "factors": [{"id": f"f{i}", "label": f"F{i}"} for i in range(n)],
            "links": [{"from": f"f{a}", "to": f"f{b}", "polarity": "+" if (a + b) % 3 else "-",
                       "strength": round(float(rng.uniform(0.1, 1)), 2) * (1 if (a + b) % 3 else -1)}
                      for a, b in ends],
        }
    )  # fmt: skip
    options: dict[str, Any] = {"rule": rule, "transfer": transfer, "lam": 0.9,
                               "threshold": 1e-6, "max_steps": 80}  # fmt: skip
    scenario = {"clamp": {"f0": 1.0}, "push": {"f3": 0.4}}
    result = monte_carlo(m, samples=29, seed=77, chunk_size=11, **scenario, **options)

    sources, targets, _ = link_arrays(m)
    table = _Links.build(sources, targets, n)
    low, high = link_uncertainty(m)
    weights = np.empty((29, len(m.links)))
    weights[:, table.order] = sample_link_weights(low[table.order], high[table.order], 29, 77)
    resolved = build_scenario(m, **scenario, transfer=transfer)
    base, _, base_ok = run_fcm_batch((sources, targets), weights, n, resolved.initial, **options)
    scen, _, scen_ok = run_fcm_batch((sources, targets), weights, n, resolved.initial,
                                     clamp=resolved.clamp, push=resolved.push, **options)  # fmt: skip
    np.testing.assert_allclose(result.effects.to_numpy(), scen - base, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(result.converged, base_ok & scen_ok)
