"""Structural analyses: centrality, paths between two factors, leverage for a target."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from loopwise.api.deps import Bundle, input_ids
from loopwise.api.errors import ERROR_RESPONSES
from loopwise.present.convert import centrality_row, leverage_out, paths_out
from loopwise.present.payloads import CentralityRow, LeverageOut, Page, PathsOut

router = APIRouter(prefix="/api/maps/{slug}", tags=["analysis"], responses=ERROR_RESPONSES)

CentralitySort = Literal[
    "in_degree", "out_degree", "betweenness", "pagerank", "reach", "reach_total", "label"
]


@router.get("/centrality", response_model=Page[CentralityRow], summary="Centrality per factor")
def get_centrality(
    bundle: Bundle,
    sort: CentralitySort = "pagerank",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Page[CentralityRow]:
    """Degree, betweenness, PageRank and reach (3 steps) of every factor, sorted."""
    frame = bundle.centrality.sort_values(sort, ascending=sort == "label", kind="stable")
    rows = [
        centrality_row(str(fid), row) for fid, row in frame.iloc[offset : offset + limit].iterrows()
    ]
    return Page[CentralityRow](total=len(frame), offset=offset, limit=limit, items=rows)


@router.get("/paths", response_model=PathsOut, summary="All paths from A to B with net sign")
def get_paths(
    bundle: Bundle,
    source: Annotated[str, Query(alias="from", description="Start factor id.")],
    target: Annotated[str, Query(alias="to", description="End factor id.")],
    max_length: Annotated[int, Query(ge=1, le=10)] = 6,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> PathsOut:
    """Each path's sign is the product of its links' polarities; ``net_sign`` is ``+`` or
    ``-`` when every path agrees, ``mixed`` when they do not, ``none`` when there is none."""
    with input_ids("from/to"):
        return paths_out(bundle, source, target, max_length, limit)


@router.get("/leverage", response_model=LeverageOut, summary="Leverage and funding gap")
def get_leverage(
    bundle: Bundle,
    target: Annotated[
        str | None, Query(description="Outcome factor (default reoffending).")
    ] = None,
    include_inferences: Annotated[
        bool,
        Query(
            description="Count links graded 'inference' (the map maker's reasoning, left "
            "out by default)."
        ),
    ] = False,
    samples: Annotated[
        int,
        Query(
            ge=0,
            le=5000,
            description="Monte Carlo samples of the link strengths (0: none): each row then "
            "has median_rank, rank_low, rank_high (5th-95th percentile) and top_five.",
        ),
    ] = 0,
    seed: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> LeverageOut:
    """The transparent leverage table: each component in its own column, the score as their
    plain average (``formula``), ``gap`` for a high-scoring service or condition nobody acts
    on (directly or through a service feeding it) and ``campaign_ask`` for a policy (``rule``).
    Links graded ``inference`` are left out unless ``include_inferences`` is true
    (``settings.inferences_left_out`` counts them). With ``samples``, the rank intervals."""
    with input_ids("target"):
        return leverage_out(
            bundle, target, include_inferences=include_inferences, samples=samples, seed=seed
        )
