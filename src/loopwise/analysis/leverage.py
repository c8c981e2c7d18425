"""Leverage for a target outcome, with the funding gap: where could money move the target,
and is anyone already working there?

For every factor other than the target, :func:`leverage_frame` lists its components, each in
its own column, then a score that is their plain average after scaling to [0, 1]. Nothing is
hidden and nothing is weighted:

- ``total_effect``: by simulation (:func:`loopwise.simulation.run_fcm`): the factor alone is
  pushed up by ``push`` (0.5) at every step, Kosko rule, tanh transfer, from the all-zero
  state; ``total_effect`` is the target's effect (scenario - baseline). It is signed: negative
  means pushing the factor *up* brings the target *down* (for reoffending, what a funder
  wants); pulling it down does the opposite (tanh is odd), so the score uses its size.
  The slope is ``lambda = min(1, 0.9 / rho)``, ``rho`` the spectral radius of the weight
  matrix, unless given: near zero the map then behaves like ``A <- lambda W^T A``, which
  settles (``lambda rho < 1``), so an effect sums the map's paths, damped by length. With
  ``lambda = 1`` a map whose reinforcing loops have gain above 1 (breaking-the-cycle has
  ``rho`` = 1.38) runs away from any push to the same saturated state, and nearly every
  factor shows an effect of about 1, which ranks nothing.
- ``r_loops``, ``b_loops``: how many reinforcing / balancing feedback loops the factor sits on
  (:func:`loopwise.analysis.loops.find_feedback_loops`).
- ``reach``: how many factors it influences within ``reach_steps`` (3) links
  (:func:`loopwise.analysis.centrality.reach`).
- ``evidence_strength``: the mean confidence of its outgoing links (0 with none).
- ``organisations``: how many organisations act on it directly, and ``coverage``: who acts
  there (``direct``, ``upstream`` through a service that feeds it, or ``none``; see
  :mod:`loopwise.analysis.coverage`): the funding-gap overlay, not part of the score.

The score (:data:`SCORE_FORMULA`)::

    score = (|total_effect| / max|total_effect| + (r_loops + b_loops) / max(r_loops + b_loops)
             + reach / max(reach) + evidence_strength) / 4

each maximum taken over the factors listed (a part is 0 when its maximum is 0); the four
scaled parts are columns too (``effect_part``, ``loops_part``, ``reach_part``,
``evidence_part``). A factor is *high leverage* when its score is in the top quarter (at or
above the 75th percentile of the scores). ``gap`` is true for a high-leverage service or
condition nobody acts on, directly or through a service that feeds it; ``campaign_ask`` for a
policy with an effect on the target (:data:`loopwise.analysis.coverage.GAP_RULE`).

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "factors": [{"id": i, "label": i} for i in ("housing", "debt", "reoffending")],
    ...     "links": [{"from": "housing", "to": "reoffending", "polarity": "-"},
    ...               {"from": "debt", "to": "housing", "polarity": "-", "strength": "weak"}]})
    >>> frame = leverage_frame(m)
    >>> list(frame.index), bool(frame.loc["housing", "total_effect"] < 0)
    (['housing', 'debt'], True)

References:
    Meadows, D. (1999). Leverage points: places to intervene in a system. The Sustainability
    Institute.
    Kosko, B. (1986). Fuzzy cognitive maps. Int. J. Man-Machine Studies 24(1), 65-75.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from loopwise.analysis.centrality import reach
from loopwise.analysis.coverage import CAMPAIGN_KINDS, FUNDABLE_KINDS, acting_on
from loopwise.analysis.loops import find_feedback_loops
from loopwise.errors import ValidationError
from loopwise.simulation.fcm import Rule, Transfer, run_fcm, weight_matrix
from loopwise.simulation.options import FcmSettings

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import Map

DEFAULT_TARGET = "reoffending"

SCORE_FORMULA = (
    "score = (|total_effect|/max|total_effect| + (r_loops+b_loops)/max(r_loops+b_loops) "
    "+ reach/max(reach) + evidence_strength) / 4; gap = a service or condition in the top "
    "quarter that no organisation acts on, directly or through a service feeding it"
)

LEVERAGE_COLUMNS = [
    "label", "kind", "total_effect", "r_loops", "b_loops", "reach", "evidence_strength",
    "organisations", "coverage", "effect_part", "loops_part", "reach_part", "evidence_part",
    "score", "gap", "campaign_ask",
]  # fmt: skip


def leverage_frame(
    map_: Map,
    target: str | None = None,
    *,
    push: float = 0.5,
    rule: Rule = "kosko",
    transfer: Transfer = "tanh",
    lam: float | None = None,
    threshold: float = 1e-5,
    max_steps: int = 1000,
    reach_steps: int = 3,
    max_loop_length: int | None = None,
    loop_limit: int | None = None,
    include_inferences: bool = False,
) -> pd.DataFrame:
    """Rank the factors of a map by leverage on a target, with the funding gap.

    Parameters
    ----------
    map_ : loopwise.model.Map
    target : str, optional
        The outcome factor's id (default ``"reoffending"``). It is left out of the table.
    push : float
        How hard each factor is pushed, in (0, 1].
    rule, transfer, lam, threshold, max_steps
        FCM settings of the simulation (see :func:`loopwise.simulation.simulate`); ``lam``
        defaults to ``min(1, 0.9 / spectral radius)`` (see above). With a sigmoid transfer
        the baseline is not zero; the effect is still scenario - baseline.
    reach_steps : int
        Links counted for ``reach``.
    max_loop_length, loop_limit
        Bounds of the loop search (:func:`~loopwise.analysis.loops.find_feedback_loops`).
    include_inferences : bool
        Links graded ``inference`` (the map maker's reasoning, not a source's claim) are left
        out of every part of the ranking unless this is true; ``attrs["inferences_left_out"]``
        counts them.

    Returns
    -------
    pandas.DataFrame
        Indexed by factor id, sorted by ``score`` (highest first), columns
        :data:`LEVERAGE_COLUMNS`. ``attrs`` holds ``target``, ``formula``,
        ``loops_truncated`` and the simulation settings (``push``, ``rule``, ``transfer``,
        ``lam``).

    Raises
    ------
    loopwise.errors.ValidationError
        No target given and the map has no factor ``reoffending``; a bad ``push``.
    loopwise.errors.UnknownIdError
        The target is not a factor of the map.
    """
    import pandas as pd

    if target is None:
        if not any(f.id == DEFAULT_TARGET for f in map_.factors):
            raise ValidationError(
                f"map {map_.slug!r} has no factor {DEFAULT_TARGET!r}; name the outcome to "
                "rank leverage for (--target FACTOR)",
                "target",
            )
        target = DEFAULT_TARGET
    map_.factor(target)  # UnknownIdError with suggestions
    left_out = 0 if include_inferences else sum(link.is_inference for link in map_.links)
    if left_out:
        map_ = map_.without_inferences()
    if isinstance(push, bool) or not isinstance(push, int | float) or not 0 < push <= 1:
        raise ValidationError(f"expected a number in (0, 1], got {push!r}", "push")

    ids = [f.id for f in map_.factors]
    position = {fid: i for i, fid in enumerate(ids)}
    candidates = [fid for fid in ids if fid != target]

    effects, slope = _total_effects(map_, position[target], candidates, position, push=push,
                             rule=rule, transfer=transfer, lam=lam, threshold=threshold,
                             max_steps=max_steps)  # fmt: skip

    loops = find_feedback_loops(map_, max_length=max_loop_length, limit=loop_limit)
    # counted on the search's arrays; a loop of unknown sign (?) counts as neither R nor B
    r_loops = loops.count_through("R")
    b_loops = loops.count_through("B")

    confidence: dict[str, list[float]] = {fid: [] for fid in ids}
    scores = map_.link_confidences()
    for link in map_.links:
        confidence[link.source_factor].append(scores[link.id].score)
    cover = acting_on(map_)

    frame = pd.DataFrame(
        {
            "label": [map_.factor(fid).label for fid in candidates],
            "kind": [map_.factor(fid).kind for fid in candidates],
            "total_effect": [effects[fid] for fid in candidates],
            "r_loops": [r_loops[fid] for fid in candidates],
            "b_loops": [b_loops[fid] for fid in candidates],
            "reach": [reach(map_, fid, reach_steps) for fid in candidates],
            "evidence_strength": [
                float(np.mean(confidence[fid])) if confidence[fid] else 0.0 for fid in candidates
            ],
            "organisations": [len(cover[fid].direct) for fid in candidates],
            "coverage": [cover[fid].how for fid in candidates],
        },
        index=pd.Index(candidates, name="factor"),
    )
    frame["effect_part"] = _scaled(frame["total_effect"].abs())
    frame["loops_part"] = _scaled(frame["r_loops"] + frame["b_loops"])
    frame["reach_part"] = _scaled(frame["reach"])
    frame["evidence_part"] = frame["evidence_strength"]
    parts = ["effect_part", "loops_part", "reach_part", "evidence_part"]
    frame["score"] = frame[parts].sum(axis=1) / len(parts)
    top_quarter = frame["score"].quantile(0.75) if len(frame) else math.inf
    high = frame["score"] >= top_quarter
    frame["gap"] = high & frame["kind"].isin(FUNDABLE_KINDS) & (frame["coverage"] == "none")
    frame["campaign_ask"] = frame["kind"].isin(CAMPAIGN_KINDS) & (frame["total_effect"] != 0)
    order = np.lexsort((np.arange(len(frame)), -frame["score"].to_numpy()))
    frame = frame.iloc[order][LEVERAGE_COLUMNS]
    frame.attrs.update(
        target=target,
        formula=SCORE_FORMULA,
        loops_truncated=bool(getattr(loops, "truncated", False)),
        push=push,
        rule=rule,
        transfer=transfer,
        lam=slope,
        inferences_left_out=left_out,
    )
    return frame


def _total_effects(
    map_: Map,
    target_index: int,
    candidates: list[str],
    position: dict[str, int],
    *,
    push: float,
    rule: Rule,
    transfer: Transfer,
    lam: float | None,
    threshold: float,
    max_steps: int,
) -> tuple[dict[str, float], float]:
    """The target's effect when each candidate alone is pushed up by ``push``."""
    from loopwise.simulation.transfer import NEUTRAL_STATE

    matrix = weight_matrix(map_)
    n = matrix.shape[0]
    start = NEUTRAL_STATE.get(transfer, 0.0)
    if lam is None:
        lam = default_slope(matrix)
    options: FcmSettings = dict(rule=rule, transfer=transfer, lam=lam, threshold=threshold,
                                max_steps=max_steps)  # fmt: skip
    baseline = run_fcm(matrix, start, **options).state[target_index]
    effects: dict[str, float] = {}
    for fid in candidates:
        vector = np.zeros(n)
        vector[position[fid]] = push
        state = run_fcm(matrix, start, push=vector, **options).state
        effects[fid] = float(state[target_index] - baseline)
    return effects, lam


def default_slope(matrix: np.ndarray) -> float:
    """``min(1, 0.9 / rho)``: the slope at which the linearised map (gain ``lam * rho``)
    settles instead of running away.

    >>> default_slope(np.array([[0.0, 2.0], [1.0, 0.0]]))  # rho = sqrt(2)
    0.6364
    """
    rho = float(np.max(np.abs(np.linalg.eigvals(matrix)), initial=0.0)) if matrix.size else 0.0
    return round(min(1.0, 0.9 / rho), 4) if rho > 0 else 1.0


def _scaled(values: pd.Series) -> pd.Series:
    """Divide by the largest value (all zeros when that is 0)."""
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values * 0.0
