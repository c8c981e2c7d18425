"""Scenario runs for display: push or clamp factors, run the fuzzy cognitive map, with Monte Carlo.

The API route, the explorer's scenario page and the static site all call :func:`run_scenario`.
"""

from __future__ import annotations

from loopwise.errors import ValidationError
from loopwise.present.bundle import MapBundle
from loopwise.present.payloads import EffectOut, ScenarioOut, ScenarioRequest
from loopwise.simulation import monte_carlo, simulate
from loopwise.simulation.options import OptionFields

MAX_CELLS = 2_000_000
"""samples x factors allowed in one web request (the CLI allows far more)."""


def run_scenario(bundle: MapBundle, request: ScenarioRequest) -> ScenarioOut:
    """Run a scenario: the deterministic effects and, with samples, the 5-95% bands."""
    if not (request.push or request.clamp or request.interventions):
        raise ValidationError("set at least one factor to push or clamp", "push")
    if request.samples * len(bundle.map.factors) > MAX_CELLS:
        raise ValidationError(
            f"{request.samples} samples x {len(bundle.map.factors)} factors is too much for "
            f"one request (at most {MAX_CELLS:,} cells); use fewer samples or the CLI",
            "samples",
        )
    lam = request.lam if request.lam is not None else bundle.default_slope
    options: OptionFields = dict(
        clamp=request.clamp, push=request.push, interventions=request.interventions,
        rule=request.rule, transfer=request.transfer, lam=lam, max_steps=request.max_steps,
    )  # fmt: skip
    result = simulate(bundle.map, **options)
    summary = None
    share = None
    if request.samples:
        mc = monte_carlo(
            bundle.map, samples=request.samples, seed=request.seed,
            uncertainty=request.uncertainty, **options,
        )  # fmt: skip
        summary = mc.summary
        share = round(mc.converged_share, 4)
    effects = []
    for fid, value in result.effect.items():
        item = EffectOut(
            factor=str(fid), label=bundle.labels[str(fid)], effect=round(float(value), 6)
        )
        if summary is not None:
            row = summary.loc[str(fid)].to_dict()  # column -> value
            item.median = round(float(row["median"]), 6)
            item.q05 = round(float(row["q05"]), 6)
            item.q95 = round(float(row["q95"]), 6)
        effects.append(item)
    effects.sort(key=lambda e: (-abs(e.median if e.median is not None else e.effect), e.factor))
    settings = {**request.model_dump(), "lam": lam}
    return ScenarioOut(
        settings=settings, converged=result.scenario.converged and result.baseline.converged,
        steps=result.scenario.steps, samples=request.samples, converged_share=share,
        effects=effects,
    )  # fmt: skip
