"""Feedback loops: every elementary loop (R/B, ranked shortest first) and the named ones."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from loopwise.api.deps import Bundle, input_ids
from loopwise.api.errors import ERROR_RESPONSES
from loopwise.present.convert import curated_loops_out, loop_out
from loopwise.present.payloads import CuratedLoopOut, LoopPage

router = APIRouter(prefix="/api/maps/{slug}", tags=["loops"], responses=ERROR_RESPONSES)


@router.get("/loops", response_model=LoopPage, summary="Feedback loops (filtered, paged)")
def list_loops(
    bundle: Bundle,
    kind: Literal["R", "B", "?"] | None = None,
    factor: Annotated[str | None, Query(description="Only loops through this factor.")] = None,
    curated: Annotated[
        bool | None, Query(description="Only named (true) or unnamed (false).")
    ] = None,
    max_length: Annotated[int | None, Query(ge=2)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> LoopPage:
    """Every elementary feedback loop, shortest first, with R (reinforcing: an even number
    of ``-`` links), B (balancing) or ? (a link on it has unknown polarity), and the weakest
    evidence on it."""
    if factor is not None:
        with input_ids("factor"):
            bundle.factor(factor)
    loops = bundle.loops
    chosen = loops.where(kind=kind, through=factor, curated=curated, max_length=max_length)
    return LoopPage(
        total=len(chosen), offset=offset, limit=limit,
        items=[loop_out(bundle, i, loops[i]) for i in chosen[offset : offset + limit]],
        reinforcing=loops.reinforcing, balancing=loops.balancing, unknown=loops.unknown,
        truncated=loops.truncated,
    )  # fmt: skip


@router.get("/loops/curated", response_model=list[CuratedLoopOut], summary="Named loops")
def list_curated_loops(bundle: Bundle) -> list[CuratedLoopOut]:
    """The map's named vicious circles, with their narratives."""
    return curated_loops_out(bundle)
