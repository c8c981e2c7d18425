"""Scenario simulation with a fuzzy cognitive map (FCM): push or clamp factors, iterate.

A map becomes a weight matrix ``W`` with ``W[j, i]`` the signed weight of the link ``j -> i``
(factor order = ``map_.factors``). From an initial state ``A(0)`` the map is iterated with one
of three update rules (:mod:`.rules`) and four transfer functions (:mod:`.transfer`) until the
largest change of any factor is at most ``threshold`` (*converged*), a state repeats exactly
(a *limit cycle*; detected for the bivalent and trivalent transfers only) or ``max_steps`` is
reached. Results say which (``stop``) and after how many ``steps``.

A scenario is compared with a *baseline*: the same rule, transfer, lambda and initial state
with nothing clamped or pushed. **Effect = scenario state - baseline state**, factor by factor.

What a scenario can do to a factor:

- **clamp** it: its state is set to the value before the first step and after every step;
- **push** it: the value is added to its summed input at every step (a steady outside force;
  the factor still responds to the rest of the map);
- apply an **intervention** of the map (its ``targets``): by default each target is *pushed*
  by its signed effect; with ``intervention_mode="clamp"`` each target is clamped at its
  effect mapped onto the state range (``effect`` for tanh/trivalent, ``(1 + effect) / 2`` for
  sigmoid/bivalent). Effects of several interventions on one factor add up (clipped to
  [-1, 1] when clamping).

The default initial state is the transfer's neutral value, 0.5 for sigmoid and 0 otherwise
(:data:`.transfer.NEUTRAL_STATE`). With tanh and no push, the all-zero baseline stays at
zero, so the effect is simply the scenario state.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "-", "strength": -1.0}]})
    >>> result = simulate(m, clamp={"a": 1.0}, transfer="tanh")
    >>> round(float(result.effect["b"]), 4), result.scenario.converged
    (-0.7616, True)

References:
    Kosko, B. (1986). Fuzzy cognitive maps. Int. J. Man-Machine Studies 24(1), 65-75.
    Papageorgiou, E. I. and Salmeron, J. L. (2013). A review of fuzzy cognitive maps research
    during the last decade. IEEE Trans. Fuzzy Systems 21(1).
    Mkhitaryan, S. et al. (2022). FCMpy: a Python module for constructing and analyzing fuzzy
    cognitive maps. PeerJ Computer Science 8:e1078.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Unpack

import numpy as np

from loopwise.errors import UnknownIdError, ValidationError
from loopwise.simulation.options import (
    MAX_STEPS_LIMIT,
    FcmSettings,
    InterventionMode,
    OptionFields,
    SimulationOptions,
    check_settings,
)
from loopwise.simulation.rules import Rule, self_term, source_term
from loopwise.simulation.transfer import (
    NEUTRAL_STATE,
    STATE_RANGE,
    Transfer,
    apply_transfer,
)

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import Map

__all__ = [
    "MAX_STEPS_LIMIT", "CYCLE_WINDOW", "FcmRun", "InterventionMode", "Rule", "Scenario",
    "ScenarioResult", "SimulationOptions", "SimulationResult", "Transfer", "build_scenario",
    "link_arrays", "run_fcm", "simulate", "weight_matrix",
]  # fmt: skip

#: How many past states are compared with each new one to recognise a limit cycle.
CYCLE_WINDOW = 64

Stop = Literal["converged", "cycle", "max_steps"]


# ---------------------------------------------------------------------------- results
class _Ending:
    """Why an iteration ended, read as "did it converge" (shared by the run results)."""

    stop: Stop

    @property
    def converged(self) -> bool:
        return self.stop == "converged"


@dataclass(frozen=True)
class FcmRun(_Ending):
    """The outcome of iterating a weight matrix (:func:`run_fcm`).

    ``state`` is the final state; ``stop`` says why the iteration ended; ``cycle_length`` is
    the period of the limit cycle when ``stop == "cycle"`` (``state`` is then the last state
    computed, one point of the cycle).
    """

    state: np.ndarray
    steps: int
    stop: Stop
    cycle_length: int | None = None


@dataclass(frozen=True)
class SimulationResult(_Ending):
    """One run on a map: the final ``states`` (a Series indexed by factor id)."""

    states: pd.Series
    steps: int
    stop: Stop
    cycle_length: int | None = None


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario run beside its baseline, and the effect (scenario - baseline)."""

    baseline: SimulationResult
    scenario: SimulationResult
    effect: pd.Series
    labels: pd.Series
    settings: dict[str, Any] = field(default_factory=dict)

    def to_frame(self, sort: bool = True) -> pd.DataFrame:
        """A DataFrame indexed by factor id: label, baseline, scenario, effect (sorted by
        |effect|, largest first, when ``sort``)."""
        import pandas as pd

        frame = pd.DataFrame(
            {
                "label": self.labels,
                "baseline": self.baseline.states,
                "scenario": self.scenario.states,
                "effect": self.effect,
            }
        )
        frame.index.name = "factor"
        if sort:
            order = np.argsort(-frame["effect"].abs().to_numpy(), kind="stable")
            frame = frame.iloc[order]
        return frame


# ---------------------------------------------------------------------------- the map side
def weight_matrix(map_: Map) -> np.ndarray:
    """The FCM weight matrix of a map: ``W[j, i]`` = weight of link ``j -> i``.

    Factor order is ``map_.factors``; weights are :attr:`loopwise.model.Link.weight`
    (the strength with the polarity's sign).

    Example:
        >>> from loopwise.model import Map
        >>> m = Map.from_dict({"slug": "d", "title": "D",
        ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
        ...     "links": [{"from": "a", "to": "b", "polarity": "+", "strength": "weak"}]})
        >>> weight_matrix(m).tolist()
        [[0.0, 0.25], [0.0, 0.0]]
    """
    sources, targets, weights = link_arrays(map_)
    matrix = np.zeros((len(map_.factors), len(map_.factors)))
    matrix[sources, targets] = weights
    return matrix


def link_arrays(map_: Map) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(source index, target index, weight)`` of every link, in ``map_.links`` order."""
    index = {f.id: i for i, f in enumerate(map_.factors)}
    sources = np.array([index[lk.source_factor] for lk in map_.links], dtype=np.intp)
    targets = np.array([index[lk.target_factor] for lk in map_.links], dtype=np.intp)
    weights = np.array([lk.weight for lk in map_.links], dtype=float)
    return sources, targets, weights


# ---------------------------------------------------------------------------- the core
def run_fcm(
    weights: np.ndarray,
    initial: np.ndarray | float,
    options: SimulationOptions | None = None,
    *,
    clamp: Mapping[int, float] | None = None,
    push: np.ndarray | None = None,
    detect_cycles: bool = True,
    **settings: Unpack[FcmSettings],
) -> FcmRun:
    """Iterate an FCM weight matrix from an initial state.

    Parameters
    ----------
    weights : numpy.ndarray, shape (n, n)
        ``weights[j, i]`` is the weight from concept ``j`` to concept ``i`` (the diagonal, a
        self-link, is allowed here although maps have none).
    initial : numpy.ndarray of shape (n,), or float
        The state before the first step (a float is used for every concept).
    options : SimulationOptions, optional
        Its ``rule``, ``transfer``, ``lam``, ``threshold`` (stop when
        ``max |A(t+1) - A(t)| <= threshold``: converged) and ``max_steps`` are used; its
        scenario fields (by factor id) are not: clamps and pushes here are by index.
    clamp : mapping of concept index to value, optional
        Concepts held at a value before the first step and after every step.
    push : numpy.ndarray of shape (n,), optional
        Added to every concept's input at every step.
    detect_cycles : bool
        With the bivalent and trivalent transfers, also stop when the new state equals one of
        the last :data:`CYCLE_WINDOW` states other than the previous one (a limit cycle).
        Smooth transfers never report a cycle: an oscillation runs to ``max_steps``.
    **settings
        ``rule``, ``transfer``, ``lam``, ``threshold``, ``max_steps`` as keywords (replacing
        those of ``options``).

    Returns
    -------
    FcmRun

    Raises
    ------
    loopwise.errors.ValidationError
        A bad matrix shape, a non-finite number, a value outside the transfer's range, an
        unknown rule or transfer, or ``max_steps`` outside 1..10,000.

    Example
    -------
    >>> import numpy as np
    >>> run = run_fcm(np.array([[0.0, 1.0], [0.0, 0.0]]), 0.0, transfer="tanh", clamp={0: 1})
    >>> run.state.round(4).tolist(), run.steps, run.stop
    ([1.0, 0.7616], 2, 'converged')
    """
    chosen = SimulationOptions.of(options, **settings)
    rule, transfer, lam = chosen.rule, chosen.transfer, chosen.lam
    threshold, max_steps = chosen.threshold, chosen.max_steps
    matrix = np.asarray(weights, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValidationError(f"expected a square matrix, got shape {matrix.shape}", "weights")
    if not np.isfinite(matrix).all():
        raise ValidationError("weights must be finite numbers", "weights")
    n = matrix.shape[0]
    state = _initial_vector(initial, n, transfer)
    clamp_idx, clamp_val = _clamp_arrays(clamp or {}, n, transfer)
    push_vec = np.zeros(n) if push is None else np.asarray(push, dtype=float)
    if push_vec.shape != (n,) or not np.isfinite(push_vec).all():
        raise ValidationError(f"expected {n} finite numbers", "push")

    state[clamp_idx] = clamp_val
    # only the threshold transfers can repeat a state exactly; a smooth map that keeps moving
    # (a slow approach or an oscillation) runs to max_steps and says so
    cycles = detect_cycles and transfer in ("bivalent", "trivalent")
    history: list[np.ndarray] = [state]
    for step in range(1, max_steps + 1):
        inputs = source_term(state, rule) @ matrix
        new = apply_transfer(self_term(state, rule) + inputs + push_vec, transfer, lam)
        new[clamp_idx] = clamp_val
        if np.max(np.abs(new - state), initial=0.0) <= threshold:
            return FcmRun(new, step, "converged")
        if cycles:
            past = np.array(history[-CYCLE_WINDOW:-1])  # all but the previous state
            hits = np.nonzero((past == new).all(axis=1))[0] if len(past) else past
            if len(hits):
                return FcmRun(new, step, "cycle", cycle_length=len(past) - int(hits[-1]) + 1)
            history.append(new)
            if len(history) > CYCLE_WINDOW:
                del history[0]
        state = new
    return FcmRun(state, max_steps, "max_steps")


# ---------------------------------------------------------------------------- the public API
def simulate(
    map_: Map, options: SimulationOptions | None = None, **changes: Unpack[OptionFields]
) -> ScenarioResult:
    """Simulate a scenario on a map and compare it with the baseline.

    Parameters
    ----------
    map_ : loopwise.model.Map
    options : SimulationOptions, optional
        The settings and the scenario in one value (default: all defaults); the keywords
        below replace its fields.
    clamp : mapping of factor id to value, optional
        Factors held at a value (in [0, 1] for sigmoid/bivalent, [-1, 1] for tanh/trivalent).
    push : mapping of factor id to value in [-1, 1], optional
        Added to the factor's input at every step.
    interventions : sequence of intervention ids
        Interventions of the map to apply (see ``intervention_mode`` in the module docstring).
    intervention_mode : {"push", "clamp"}
    rule : {"kosko", "modified", "rescaled"}
    transfer : {"sigmoid", "tanh", "bivalent", "trivalent"}
    lam : float
        Slope of sigmoid / tanh (> 0).
    threshold : float
        Convergence threshold on the largest change in one step (> 0).
    max_steps : int
        1..10,000.
    initial : float or mapping of factor id to value, optional
        Initial state (default: the transfer's neutral value; factors missing from a mapping
        start there too). The baseline starts from the same state.

    Returns
    -------
    ScenarioResult
        ``baseline`` and ``scenario`` (:class:`SimulationResult`) and ``effect``
        (scenario - baseline, a Series by factor id).

    Raises
    ------
    loopwise.errors.UnknownIdError
        An unknown factor or intervention id.
    loopwise.errors.ValidationError
        A non-finite or out-of-range value (named by parameter and factor), a factor both
        clamped and clamped by an intervention, or bad settings.

    Example
    -------
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+", "strength": 1.0}]})
    >>> simulate(m, push={"a": 1.0}, transfer="tanh").effect.round(4).to_dict()
    {'a': 0.7616, 'b': 0.642}
    >>> tanh = SimulationOptions(transfer="tanh")  # the same, options kept in one value
    >>> round(float(simulate(m, tanh, push={"a": 1.0}).effect["b"]), 4)
    0.642
    """
    import pandas as pd

    chosen = SimulationOptions.of(options, **changes)
    scenario = build_scenario(map_, chosen)
    matrix = weight_matrix(map_)
    base_run = run_fcm(matrix, scenario.initial, chosen)
    scen_run = run_fcm(matrix, scenario.initial, chosen, clamp=scenario.clamp, push=scenario.push)
    ids = [f.id for f in map_.factors]

    def result(run: FcmRun) -> SimulationResult:
        states = pd.Series(run.state, index=ids, name="state", dtype=float)
        return SimulationResult(states, run.steps, run.stop, run.cycle_length)

    baseline, scenario_result = result(base_run), result(scen_run)
    effect = (scenario_result.states - baseline.states).rename("effect")
    labels = pd.Series([f.label for f in map_.factors], index=ids, name="label")
    settings = {**chosen.settings(), "intervention_mode": chosen.intervention_mode}
    return ScenarioResult(baseline, scenario_result, effect, labels, settings)


@dataclass(frozen=True)
class Scenario:
    """A scenario resolved to factor indices: initial state, clamps and pushes."""

    initial: np.ndarray
    clamp: dict[int, float]
    push: np.ndarray


def build_scenario(
    map_: Map, options: SimulationOptions | None = None, **changes: Unpack[OptionFields]
) -> Scenario:
    """Check a scenario against a map and resolve it to arrays (shared by :func:`simulate`
    and Monte Carlo). Raises ``UnknownIdError`` / ``ValidationError`` as :func:`simulate`.

    ``options`` and ``changes`` as :func:`simulate`; the scenario fields and ``transfer``
    (whose state range the values must lie in) are used.

    Example:
        >>> from loopwise.model import Map
        >>> m = Map.from_dict({"slug": "d", "title": "D",
        ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]})
        >>> build_scenario(m, clamp={"b": 1.0}, transfer="tanh").clamp
        {1: 1.0}
    """
    chosen = SimulationOptions.of(options, **changes)
    clamp, push, interventions = chosen.clamp, chosen.push, chosen.interventions
    intervention_mode, transfer, initial = chosen.intervention_mode, chosen.transfer, chosen.initial
    index = {f.id: i for i, f in enumerate(map_.factors)}
    n = len(index)
    low, high = STATE_RANGE[transfer]

    def position(factor_id: str) -> int:
        if factor_id not in index:
            map_.factor(factor_id)  # raises UnknownIdError with suggestions
        return index[factor_id]

    def value(number: Any, where: str, lo: float, hi: float) -> float:
        if isinstance(number, bool) or not isinstance(number, int | float | np.number):
            raise ValidationError(f"expected a number, got {number!r}", where)
        number = float(number)
        if not math.isfinite(number):
            raise ValidationError(f"expected a finite number, got {number}", where)
        if not lo <= number <= hi:
            raise ValidationError(
                f"{number:g} is outside [{lo:g}, {hi:g}] (the state range of {transfer})"
                if (lo, hi) == (low, high)
                else f"{number:g} is outside [{lo:g}, {hi:g}]",
                where,
            )
        return number

    if initial is None:
        start = np.full(n, NEUTRAL_STATE[transfer])
    elif isinstance(initial, Mapping):
        start = np.full(n, NEUTRAL_STATE[transfer])
        for factor_id, number in initial.items():
            start[position(factor_id)] = value(number, f"initial[{factor_id}]", low, high)
    else:
        start = np.full(n, value(initial, "initial", low, high))

    clamps: dict[int, float] = {}
    for factor_id, number in clamp.items():
        clamps[position(factor_id)] = value(number, f"clamp[{factor_id}]", low, high)
    pushes = np.zeros(n)
    for factor_id, number in push.items():
        pushes[position(factor_id)] += value(number, f"push[{factor_id}]", -1.0, 1.0)

    known = {iv.id: iv for iv in map_.interventions}
    clamped_by_intervention: dict[int, float] = {}
    for intervention_id in interventions:
        if intervention_id not in known:
            close = difflib.get_close_matches(str(intervention_id), list(known), n=3)
            raise UnknownIdError("intervention", intervention_id, close)
        for target in known[intervention_id].targets:
            i = position(target.factor)
            if intervention_mode == "push":
                pushes[i] += target.effect
            else:
                clamped_by_intervention[i] = clamped_by_intervention.get(i, 0.0) + target.effect
    for i, effect in clamped_by_intervention.items():
        if i in clamps:
            raise ValidationError(
                f"factor {map_.factors[i].id!r} is clamped and also clamped by an intervention",
                "clamp",
            )
        effect = min(1.0, max(-1.0, effect))
        clamps[i] = effect if low < 0 else (1.0 + effect) / 2.0
    return Scenario(start, clamps, pushes)


# ---------------------------------------------------------------------------- checks
_check_settings = check_settings  # the name monte_carlo and older callers import


def _initial_vector(initial: np.ndarray | float, n: int, transfer: str) -> np.ndarray:
    low, high = STATE_RANGE[transfer]
    if np.ndim(initial) == 0:
        state = np.full(n, float(initial))
    else:
        state = np.array(initial, dtype=float)
        if state.shape != (n,):
            raise ValidationError(f"expected {n} values, got shape {state.shape}", "initial")
    if not np.isfinite(state).all():
        raise ValidationError("expected finite numbers", "initial")
    if ((state < low) | (state > high)).any():
        raise ValidationError(
            f"values must lie in [{low:g}, {high:g}] (the state range of {transfer})", "initial"
        )
    return state


def _clamp_arrays(
    clamp: Mapping[int, float], n: int, transfer: str
) -> tuple[np.ndarray, np.ndarray]:
    low, high = STATE_RANGE[transfer]
    idx = np.array(list(clamp.keys()), dtype=np.intp)
    val = np.array(list(clamp.values()), dtype=float)
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValidationError(f"indices must lie in 0..{n - 1}", "clamp")
    if not np.isfinite(val).all() or ((val < low) | (val > high)).any():
        raise ValidationError(
            f"values must be finite and lie in [{low:g}, {high:g}] (the state range of {transfer})",
            "clamp",
        )
    return idx, val
