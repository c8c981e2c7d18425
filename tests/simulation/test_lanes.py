"""The compiled kernel's lanes: vectorised tanh, converged samples replaced at once, samples
handed out to threads on demand, and results pinned to the previous kernel's on fixed seeds."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from loopwise import builtin_map
from loopwise.simulation import monte_carlo


def _vectorised(name: str) -> Any:
    from loopwise.simulation import _vector_math
    from loopwise.simulation._compiled import vectorised

    return vectorised(getattr(_vector_math, name))


def test_the_vectorised_tanh_matches_numpy_to_a_few_units_in_the_last_place() -> None:
    rng = np.random.default_rng(4)
    x = np.concatenate([
        np.linspace(-40, 40, 400_001), rng.normal(0, 1e-3, 50_000), rng.normal(0, 3, 50_000),
        np.geomspace(1e-300, 1.0, 2_000), -np.geomspace(1e-300, 1.0, 2_000),
    ])  # fmt: skip
    got, want = _vectorised("tanh_values")(x), np.tanh(x)
    # relative accuracy everywhere, also next to 0 (no cancellation in 1 - exp(-2x))
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)
    # saturates to +-1 instead of overflowing; odd; 0 at 0
    edges = _vectorised("tanh_values")(np.array([1e6, -1e6, 800.0, -800.0, 0.0, np.inf, -np.inf]))
    assert edges.tolist() == [1.0, -1.0, 1.0, -1.0, 0.0, 1.0, -1.0]


def test_the_vectorised_expm1_keeps_its_relative_accuracy_near_zero() -> None:
    x = np.concatenate([np.linspace(-700, 700, 100_001), np.geomspace(1e-200, 1e-3, 1_000),
                        -np.geomspace(1e-200, 1e-3, 1_000)])  # fmt: skip
    np.testing.assert_allclose(_vectorised("expm1_values")(x), np.expm1(x), rtol=1e-15, atol=0)


@pytest.mark.parametrize("transfer", ["bivalent", "trivalent"])
def test_the_threshold_transfers_match_numpy(transfer: str) -> None:
    from loopwise.simulation._kernel import TRANSFER_CODES
    from loopwise.simulation._vector_math import transfer_into
    from loopwise.simulation.transfer import apply_transfer

    x = np.array([-2.0, -1e-300, -0.0, 0.0, 1e-300, 3.0, np.inf, -np.inf])
    out = np.empty_like(x)
    transfer_into(TRANSFER_CODES[transfer], 1.0, x, out)
    assert out.tolist() == apply_transfer(x, transfer).tolist()


def test_a_converged_sample_frees_its_lane_for_the_next() -> None:
    """One slow sample in every eight (a negative loop under tanh: 50 steps, not settled), the
    rest settle in two. With static blocks of eight every block would take 50 steps
    (400 in all); with lanes refilled the fast samples flow through the other seven lanes,
    so the lanes take about (sum of steps) / 8 steps plus one slow run at the end."""
    from loopwise.simulation._compiled import vectorised
    from loopwise.simulation._kernel import run_fcm_samples

    indptr, sources = np.array([0, 1, 2]), np.array([1, 0])  # 1 -> 0 and 0 -> 1
    weights = np.zeros((64, 2))
    weights[::8] = [1.0, -1.0]
    final, steps, ok, lane_steps = vectorised(run_fcm_samples)(
        indptr, sources, weights, np.array([0.5, 0.0]), np.zeros(2, dtype=bool), np.zeros(2),
        np.zeros(2), 0, 1, 1.0, 1e-9, 50,
    )  # fmt: skip
    assert steps[::8].tolist() == [50] * 8 and not ok[::8].any()
    fast = np.ones(64, dtype=bool)
    fast[::8] = False
    assert (steps[fast] == 2).all() and ok[fast].all() and (final[fast] == 0).all()
    assert lane_steps <= math.ceil(steps.sum() / 8) + 50  # 114; static blocks: 400
    assert lane_steps >= math.ceil(steps.sum() / 8)


def test_one_thread_takes_every_sample_the_others_have_not() -> None:
    """Samples are handed out from a shared counter, not split in advance: a single call
    (as if the other thread never started) runs every sample of the chunk."""
    from loopwise.simulation._compiled import vectorised
    from loopwise.simulation._kernel import RULE_CODES, TRANSFER_CODES, monte_carlo_samples
    from loopwise.simulation._random import seed_key
    from loopwise.simulation.fcm import link_arrays
    from loopwise.simulation.monte_carlo import _Links, link_uncertainty

    m = builtin_map()
    n = len(m.factors)
    sources, targets, _ = link_arrays(m)
    table = _Links.build(sources, targets, n)
    low, high = link_uncertainty(m)
    effects = np.full((n, 40), np.nan)
    converged = np.zeros(40, dtype=bool)
    counter = np.zeros(1, dtype=np.int64)
    push = np.zeros(n)
    push[0] = 0.5
    vectorised(monte_carlo_samples)(
        table.indptr, table.sources.astype(np.int64), low[table.order], high[table.order],
        seed_key(3), 5, 30, counter, effects, converged, np.zeros(n), np.zeros(n, dtype=bool),
        np.zeros(n), push, RULE_CODES["kosko"], TRANSFER_CODES["tanh"], 0.5, 1e-5, 100, 0, 2,
    )  # fmt: skip
    assert counter[0] >= 30  # every sample taken
    assert not np.isnan(effects[:, 5:35]).any() and converged[5:35].all()
    assert np.isnan(effects[:, :5]).all() and np.isnan(effects[:, 35:]).all()  # not others'
    reference = monte_carlo(m, samples=35, seed=3, push={m.factors[0].id: 0.5},
                            transfer="tanh", lam=0.5).effects.to_numpy()  # fmt: skip
    np.testing.assert_allclose(effects[:, 5:35].T, reference[5:], rtol=0, atol=1e-12)


def test_the_atomic_counter_hands_out_each_number_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from loopwise.simulation._kernel import take_next

    counter = np.zeros(1, dtype=np.int64)
    assert [take_next(counter) for _ in range(3)] == [0, 1, 2]
    with ThreadPoolExecutor(4) as pool:
        taken = list(pool.map(lambda _: take_next(counter), range(400)))
    assert sorted(taken) == list(range(3, 403)) and counter[0] == 403


# Sums over 300 samples x 51 factors of the built-in map's effects (its first intervention
# pushed, slope min(1, 0.9 / spectral radius), seed 2024), as the kernel before the lanes and
# the vectorised tanh gave them: (sum, sum of absolute values, samples converged).
PINNED = {
    ("kosko", "sigmoid"): (26.731369181425723, 28.44690562371798, 300),
    ("kosko", "tanh"): (11.80803660602011, 528.8137506619975, 300),
    ("kosko", "trivalent"): (884.0, 9000.0, 142),
    ("modified", "sigmoid"): (27.719663736599266, 28.64220720336293, 300),
    ("modified", "tanh"): (848.502380006161, 7508.692453226986, 265),
    ("modified", "bivalent"): (900.0, 900.0, 300),
}


@pytest.mark.parametrize(("rule", "transfer"), list(PINNED))
def test_results_on_a_fixed_seed_are_the_previous_kernels(rule: str, transfer: str) -> None:
    from loopwise.analysis.leverage import default_slope
    from loopwise.simulation import weight_matrix

    m = builtin_map()
    lam = default_slope(weight_matrix(m))
    result = monte_carlo(m, samples=300, seed=2024, interventions=[m.interventions[0].id],
                         rule=rule, transfer=transfer, lam=lam, max_steps=300)  # fmt: skip
    effects = result.effects.to_numpy()
    total, size, settled = PINNED[(rule, transfer)]
    assert float(effects.sum()) == pytest.approx(total, rel=1e-11, abs=1e-11)
    assert float(np.abs(effects).sum()) == pytest.approx(size, rel=1e-11)
    assert int(result.converged.sum()) == settled


@pytest.mark.parametrize("cores", [1, 3])
def test_runs_on_given_weights_do_not_depend_on_the_number_of_threads(
    cores: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The explicit-weights runs (behind the leverage rank ranges) share their samples between
    threads too: the same states, steps and convergence on one core or three."""
    from loopwise.simulation import _compiled
    from loopwise.simulation.fcm import link_arrays
    from loopwise.simulation.monte_carlo import (
        _compiled_iterate,
        _Links,
        link_uncertainty,
        sample_link_weights,
    )

    m = builtin_map()
    n = len(m.factors)
    sources, targets, _ = link_arrays(m)
    table = _Links.build(sources, targets, n)
    low, high = link_uncertainty(m)
    weights = sample_link_weights(low[table.order], high[table.order], 101, seed=6)
    push = np.zeros(n)
    push[2] = 0.4
    options: dict[str, Any] = dict(rule="modified", transfer="tanh", lam=0.6, clamp={0: 0.5},
                                   push=push, threshold=1e-6, max_steps=200)  # fmt: skip
    reference = _compiled_iterate(table, weights, np.zeros(n), **options)
    monkeypatch.setattr(_compiled, "_cores", lambda: cores)
    again = _compiled_iterate(table, weights, np.zeros(n), **options)
    for got, want in zip(again, reference, strict=True):
        np.testing.assert_array_equal(got, want)
