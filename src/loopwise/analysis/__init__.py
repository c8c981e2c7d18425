"""Analysis of a map's structure: pure functions of a :class:`~loopwise.model.Map`, no I/O.

One module per family of algorithms (as in networkx):

- :mod:`~loopwise.analysis.loops`: feedback loops (every elementary cycle, R/B, evidence);
- :mod:`~loopwise.analysis.centrality`: degree, betweenness, PageRank, reach;
- :mod:`~loopwise.analysis.micmac`: Godet's MICMAC influence/dependence quadrants;
- :mod:`~loopwise.analysis.paths`: all simple paths between two factors with their net sign.

Leverage (:mod:`~loopwise.analysis.leverage`, :mod:`~loopwise.analysis.leverage_intervals`)
ranks factors by what a push on each does, so it runs scenarios: ``analysis`` may import
:mod:`loopwise.simulation`, and ``simulation`` never imports ``analysis`` (one of the layers in
docs/architecture.md, checked by ``lint-imports``).
"""

from loopwise.analysis.centrality import CENTRALITY_COLUMNS, centrality_frame, reach
from loopwise.analysis.loop_result import CuratedMatch, FeedbackLoop, LoopSearch
from loopwise.analysis.loops import (
    DEFAULT_LOOP_LIMIT,
    canonical_cycle,
    find_feedback_loops,
    loops_frame,
    rank_loops,
)
from loopwise.analysis.micmac import MICMAC_COLUMNS, adjacency_matrix, micmac_frame, quadrant
from loopwise.analysis.paths import (
    DEFAULT_PATH_LIMIT,
    CausalPath,
    PathSearch,
    find_paths,
    paths_frame,
)

__all__ = [
    "CENTRALITY_COLUMNS",
    "DEFAULT_LOOP_LIMIT",
    "DEFAULT_PATH_LIMIT",
    "MICMAC_COLUMNS",
    "CausalPath",
    "CuratedMatch",
    "FeedbackLoop",
    "LoopSearch",
    "PathSearch",
    "adjacency_matrix",
    "canonical_cycle",
    "centrality_frame",
    "find_feedback_loops",
    "find_paths",
    "loops_frame",
    "micmac_frame",
    "paths_frame",
    "quadrant",
    "rank_loops",
    "reach",
]
