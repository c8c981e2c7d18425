"""Scenario simulation: fuzzy cognitive maps (:mod:`.fcm`) and Monte Carlo over link
uncertainty (:mod:`.monte_carlo`), with their options in one value (:mod:`.options`). Pure
functions of a :class:`loopwise.model.Map`."""

from loopwise.simulation.fcm import (
    FcmRun,
    ScenarioResult,
    SimulationResult,
    run_fcm,
    simulate,
    weight_matrix,
)
from loopwise.simulation.monte_carlo import MonteCarloResult, monte_carlo, run_fcm_batch
from loopwise.simulation.options import SimulationOptions

__all__ = [
    "MonteCarloResult",
    "monte_carlo",
    "run_fcm_batch",
    "FcmRun",
    "ScenarioResult",
    "SimulationOptions",
    "SimulationResult",
    "run_fcm",
    "simulate",
    "weight_matrix",
]
