"""The scenario route: ``POST /api/maps/{slug}/scenarios`` (the run itself is
:func:`loopwise.present.scenarios.run_scenario`)."""

from __future__ import annotations

from fastapi import APIRouter

from loopwise.api.deps import Bundle, input_ids
from loopwise.api.errors import ERROR_RESPONSES
from loopwise.present.payloads import ScenarioOut, ScenarioRequest
from loopwise.present.scenarios import run_scenario

router = APIRouter(prefix="/api/maps/{slug}", tags=["scenarios"], responses=ERROR_RESPONSES)


@router.post("/scenarios", response_model=ScenarioOut, summary="Run a scenario")
def post_scenario(bundle: Bundle, body: ScenarioRequest) -> ScenarioOut:
    """Push (or clamp) factors and see every factor's effect (scenario - baseline), with
    the median and 5-95% band over ``samples`` draws of the uncertain link weights. The
    slope ``lam`` defaults to ``min(1, 0.9 / spectral radius)`` as in the leverage table."""
    with input_ids("body"):
        return run_scenario(bundle, body)
