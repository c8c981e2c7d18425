"""A link's confidence, derived from its evidence.

Each piece of *accepted* evidence adds support according to its source's kind; supports
combine as independent chances (``1 - prod(1 - w)``), so more and stronger evidence gives a
higher score that never exceeds 1. A link with no accepted evidence is an *assumption*
(confidence 0). The weights are public and fixed here, not hidden:

=============  ======
source kind    weight
=============  ======
statistic      0.6
literature     0.5
interview      0.35
practitioner   0.3
=============  ======

Example:
    >>> round(confidence_score(["interview", "statistic"]), 3)
    0.74
    >>> confidence_level(0.74)
    'high'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

SOURCE_KIND_WEIGHT: dict[str, float] = {
    "statistic": 0.6,
    "literature": 0.5,
    "interview": 0.35,
    "practitioner": 0.3,
}

ConfidenceLevel = Literal["assumption", "low", "medium", "high"]


def confidence_score(source_kinds: Iterable[str]) -> float:
    """Combine the kinds of the sources behind a link's accepted evidence into [0, 1].

    >>> confidence_score([])
    0.0
    >>> confidence_score(["literature"])
    0.5
    """
    remaining_doubt = 1.0
    for kind in source_kinds:
        remaining_doubt *= 1.0 - SOURCE_KIND_WEIGHT.get(kind, 0.0)
    return 1.0 - remaining_doubt


def confidence_level(score: float) -> ConfidenceLevel:
    """Name a confidence score: assumption (0), low (< 0.4), medium (< 0.7), high.

    >>> [confidence_level(s) for s in (0, 0.35, 0.5, 0.75)]
    ['assumption', 'low', 'medium', 'high']
    """
    if score <= 0:
        return "assumption"
    if score < 0.4:
        return "low"
    if score < 0.7:
        return "medium"
    return "high"
