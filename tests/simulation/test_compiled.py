"""Running the kernels on all cores: the same result on any number, and after a fork."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

from loopwise.model import Map
from loopwise.simulation import monte_carlo

SCENARIO: dict[str, Any] = {"clamp": {"a": 1.0}, "transfer": "tanh"}


def small_map() -> Map:
    """a -> b -> c -> a with no evidence (wide weight ranges), so samples differ."""
    return Map.from_dict(
        {
            "slug": "c", "title": "C",
            "factors": [{"id": x, "label": x.upper()} for x in "abc"],
            "links": [{"from": "a", "to": "b", "polarity": "+"},
                      {"from": "b", "to": "c", "polarity": "-"},
                      {"from": "c", "to": "a", "polarity": "+", "strength": "weak"}],
        }
    )  # fmt: skip


@pytest.fixture
def m() -> Map:
    return small_map()


def _run_small_monte_carlo() -> None:
    result = monte_carlo(small_map(), samples=100, seed=3, **SCENARIO)
    raise SystemExit(0 if result.converged.all() else 3)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")
def test_a_forked_process_can_run_monte_carlo_after_its_parent_did(m: Map) -> None:
    """The kernels run on a pool of threads; a child forked after the parent made the pool
    (a server forking its workers) must make its own, not wait on threads it does not
    have."""
    import multiprocessing

    monte_carlo(m, samples=100, seed=1, **SCENARIO)  # the parent's pool now exists
    child = multiprocessing.get_context("fork").Process(target=_run_small_monte_carlo)
    child.start()
    child.join(timeout=120)
    if child.is_alive():
        child.kill()
        pytest.fail("the forked child hung")
    assert child.exitcode == 0


@pytest.mark.parametrize("cores", [1, 3])
def test_the_number_of_cores_does_not_change_the_result(
    m: Map, cores: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopwise.simulation import _compiled

    reference = monte_carlo(m, samples=333, seed=21, **SCENARIO)
    monkeypatch.setattr(_compiled, "_cores", lambda: cores)
    again = monte_carlo(m, samples=333, seed=21, **SCENARIO)
    np.testing.assert_array_equal(again.effects.to_numpy(), reference.effects.to_numpy())
    assert again.summary.equals(reference.summary)
