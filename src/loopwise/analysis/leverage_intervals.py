"""How stable the leverage ranking is when the map's link strengths are uncertain.

The leverage score (:func:`loopwise.analysis.leverage.leverage_frame`) takes each link at its
stated strength. :func:`leverage_intervals` draws the strengths many times instead, with the
Monte Carlo rule of :mod:`loopwise.simulation.monte_carlo` (a well-evidenced link barely
moves, an assumption ranges from no effect to twice its stated strength), recomputes every
factor's effect on the target with those strengths, re-ranks the factors, and reports for
each factor:

- ``median_rank``: its middle rank over the samples;
- ``rank_low`` and ``rank_high``: the 5th and 95th percentiles of its rank (in nine samples
  of ten its rank is in this range);
- ``top_five``: the share of samples in which it is among the five highest.

In plain words: a factor whose range is narrow holds its place whatever the true strengths
are; two factors whose ranges overlap cannot be told apart by this map, so choosing between
them is a coin toss. Only the effect part of the score moves from sample to sample; loops,
reach and evidence are properties of the map's structure and stay as they are.

The samples run through the compiled, vectorised FCM kernel
(:mod:`loopwise.simulation._kernel`): one batch of all samples per factor pushed, never a
Python loop over samples.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "factors": [{"id": i, "label": i} for i in ("housing", "debt", "reoffending")],
    ...     "links": [{"from": "housing", "to": "reoffending", "polarity": "-"},
    ...               {"from": "debt", "to": "housing", "polarity": "-", "strength": "weak"}]})
    >>> frame = leverage_intervals(m, samples=200, seed=1)
    >>> row = frame.loc["housing"]
    >>> float(row["median_rank"]), int(row["rank_low"]), int(row["rank_high"])
    (1.0, 1, 1)
    >>> float(row["top_five"])
    1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from loopwise.analysis.leverage import leverage_frame
from loopwise.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import Map

INTERVAL_COLUMNS = [
    "label", "kind", "rank", "median_rank", "rank_low", "rank_high", "top_five", "score",
    "gap", "campaign_ask",
]  # fmt: skip
TOP = 5
INTERVALS_EXPLAINED = (
    "The map's link strengths are uncertain, so the ranking was repeated with strengths drawn "
    "at random within what the evidence allows (a link backed by strong evidence barely "
    "moves; an assumption ranges from no effect to twice its stated strength). For each "
    "factor: its middle rank, the range its rank stays in nine times out of ten, and how "
    "often it comes in the top five. A narrow range is a robust ranking; ranges that overlap "
    "cannot be told apart by this map."
)
"""What the rank intervals mean, in plain words."""


def leverage_intervals(
    map_: Map,
    target: str | None = None,
    *,
    samples: int = 1000,
    seed: int | None = 0,
    uncertainty: float = 1.0,
    include_inferences: bool = False,
    leverage: pd.DataFrame | None = None,
    max_steps: int = 1000,
    threshold: float = 1e-5,
) -> pd.DataFrame:
    """Each factor's leverage rank across Monte Carlo samples of the link strengths.

    Parameters
    ----------
    map_ : loopwise.model.Map
    target : str, optional
        The outcome (default ``reoffending``), as :func:`~.leverage.leverage_frame`.
    samples : int
        Number of draws of the link strengths, 1..100,000.
    seed : int or None
        The same seed gives the same result (default 0); ``None`` draws one at random.
    uncertainty : float
        Scale of every link's spread in [0, 1] (0: every sample is the map as stated).
    include_inferences : bool
        Keep links graded ``inference`` (left out by default, as in the leverage table).
    leverage : pandas.DataFrame, optional
        The deterministic leverage table already computed with the same settings.
    max_steps, threshold
        When a sampled run stops (as :func:`loopwise.simulation.run_fcm`).

    Returns
    -------
    pandas.DataFrame
        Indexed by factor id in the deterministic leverage order, columns
        :data:`INTERVAL_COLUMNS`; ``attrs`` holds ``samples``, ``seed``, ``uncertainty``,
        ``converged`` (the share of sampled runs that settled), ``target`` and
        ``explained`` (:data:`INTERVALS_EXPLAINED`).

    Raises
    ------
    loopwise.errors.ValidationError
        ``samples`` outside 1..100,000, a bad ``seed`` or ``uncertainty``; as
        :func:`~.leverage.leverage_frame`.
    loopwise.errors.UnknownIdError
        The target is not a factor of the map.
    """
    import pandas as pd

    from loopwise.simulation.fcm import link_arrays
    from loopwise.simulation.monte_carlo import (
        _compiled_iterate,
        _Links,
        link_uncertainty,
        sample_link_weights,
    )
    from loopwise.simulation.transfer import NEUTRAL_STATE

    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= 100_000:
        raise ValidationError(f"expected a whole number in 1..100,000, got {samples!r}", "samples")
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63
    ):
        raise ValidationError(f"expected a whole number in 0..2**63 - 1, got {seed!r}", "seed")
    frame = leverage if leverage is not None else leverage_frame(
        map_, target, include_inferences=include_inferences
    )  # fmt: skip
    target = frame.attrs["target"]
    used = map_ if include_inferences else map_.without_inferences()
    low, high = link_uncertainty(used, uncertainty)
    if seed is None:
        seed = int(np.random.default_rng().integers(0, 2**63 - 1))
    weights = sample_link_weights(low, high, samples, seed)

    ids = [f.id for f in used.factors]
    position = {fid: i for i, fid in enumerate(ids)}
    n = len(ids)
    sources, targets, _ = link_arrays(used)
    table = _Links.build(sources, targets, n)
    sorted_weights = np.ascontiguousarray(weights[:, table.order])
    transfer, rule, lam, push = (frame.attrs[k] for k in ("transfer", "rule", "lam", "push"))
    start = np.full(n, NEUTRAL_STATE.get(transfer, 0.0))
    options = dict(rule=rule, transfer=transfer, lam=lam, clamp={}, threshold=threshold,
                   max_steps=max_steps)  # fmt: skip
    base, _, ok = _compiled_iterate(table, sorted_weights, start, push=None, **options)
    converged = ok.copy()
    candidates = list(frame.index)
    effects = np.empty((samples, len(candidates)))
    t = position[target]
    for column, fid in enumerate(candidates):
        vector = np.zeros(n)
        vector[position[fid]] = push
        state, _, ok = _compiled_iterate(table, sorted_weights, start, push=vector, **options)
        effects[:, column] = state[:, t] - base[:, t]
        converged &= ok

    size = np.abs(effects)
    top = size.max(axis=1, keepdims=True)
    effect_part = np.divide(size, top, out=np.zeros_like(size), where=top > 0)
    fixed = frame[["loops_part", "reach_part", "evidence_part"]].sum(axis=1).to_numpy()
    scores = (effect_part + fixed) / 4
    # rank 1 = highest score; ties keep the deterministic order (a stable sort)
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, len(candidates) + 1), axis=1)
    low_rank, high_rank = np.quantile(ranks, [0.05, 0.95], axis=0, method="inverted_cdf")
    result = pd.DataFrame(
        {
            "label": frame["label"],
            "kind": frame["kind"],
            "rank": np.arange(1, len(candidates) + 1),
            "median_rank": np.median(ranks, axis=0),
            "rank_low": low_rank.astype(int),
            "rank_high": high_rank.astype(int),
            "top_five": (ranks <= TOP).mean(axis=0),
            "score": frame["score"],
            "gap": frame["gap"],
            "campaign_ask": frame["campaign_ask"],
        },
        index=frame.index,
    )[INTERVAL_COLUMNS]
    result.attrs.update(
        target=target,
        samples=samples,
        seed=seed,
        uncertainty=uncertainty,
        converged=float(converged.mean()),
        explained=INTERVALS_EXPLAINED,
    )
    return result
