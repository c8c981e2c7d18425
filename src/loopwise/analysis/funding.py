"""The funding gap: each factor's leverage beside who works on it and the known money, and
which feedback loops a funder's portfolio touches and which it misses.

"High leverage, nobody working on it" is the question. :func:`funding_gap_frame` puts the
leverage components of every factor (:func:`loopwise.analysis.leverage.leverage_frame`)
beside the number of organisations acting on it and the known funding of those
organisations; :func:`portfolio_coverage` says which loops (the map's named loops and every
computed loop) a set of organisations acts on, and which it misses.

An organisation's funding figures count in full for every factor it acts on (a grant is not
split between factors: the map does not say how). Only figures in ``currency`` are added;
``funding_other`` counts figures in other currencies, never converted.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "factors": [{"id": i, "label": i} for i in ("housing", "debt", "reoffending")],
    ...     "links": [{"from": "housing", "to": "reoffending", "polarity": "-"},
    ...               {"from": "reoffending", "to": "debt", "polarity": "+"},
    ...               {"from": "debt", "to": "housing", "polarity": "-"}],
    ...     "organisations": [{"id": "o", "name": "O", "acts_on": [{"factor": "debt"}],
    ...                        "funding": [{"amount": 5000, "year": 2024}]}]})
    >>> frame = funding_gap_frame(m)
    >>> int(frame.loc["debt", "organisations"]), float(frame.loc["debt", "funding_total"])
    (1, 5000.0)
    >>> cover = portfolio_coverage(m, m.organisations)
    >>> cover.computed_touched, cover.computed_missed
    (1, 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from loopwise.analysis.leverage import leverage_frame
from loopwise.analysis.loop_result import FeedbackLoop, LoopSearch
from loopwise.analysis.loops import find_feedback_loops

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import Map, Organisation

FUNDING_COLUMNS = [
    "label", "kind", "score", "total_effect", "r_loops", "b_loops", "reach",
    "evidence_strength", "organisations", "coverage", "funding_total", "funding_other", "gap",
    "campaign_ask",
]  # fmt: skip
"""The columns of :func:`funding_gap_frame` (``portfolio`` and ``portfolio_funding`` are
added when a portfolio is given)."""


@dataclass(frozen=True)
class LoopCover:
    """One loop and the factors on it that the portfolio acts on (empty: missed)."""

    id: str  # the curated loop's id, or the factor ids joined by ","
    name: str
    kind: str | None
    factors: tuple[str, ...]
    touched_factors: tuple[str, ...]

    @property
    def touched(self) -> bool:
        return bool(self.touched_factors)


@dataclass
class PortfolioCoverage:
    """Which loops a set of organisations acts on.

    ``curated`` covers the map's named loops (in map order); ``computed_touched`` /
    ``computed_missed`` count every elementary loop (``loops_truncated`` when the search
    stopped at its limit); ``missed_loops`` lists the missed computed loops, shortest first,
    at most ``missed_limit`` of them; ``gap_factors`` the high-leverage factors nobody on the
    map works on that the portfolio does not touch either.
    """

    factors: tuple[str, ...]
    curated: list[LoopCover] = field(default_factory=list)
    computed_touched: int = 0
    computed_missed: int = 0
    loops_truncated: bool = False
    missed_loops: list[LoopCover] = field(default_factory=list)
    gap_factors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""

        def cover(c: LoopCover) -> dict[str, Any]:
            return {"id": c.id, "name": c.name, "kind": c.kind, "factors": list(c.factors),
                    "touched_factors": list(c.touched_factors), "touched": c.touched}  # fmt: skip

        return {
            "factors": list(self.factors),
            "curated_touched": [cover(c) for c in self.curated if c.touched],
            "curated_missed": [cover(c) for c in self.curated if not c.touched],
            "computed_touched": self.computed_touched,
            "computed_missed": self.computed_missed,
            "loops_truncated": self.loops_truncated,
            "missed_loops": [cover(c) for c in self.missed_loops],
            "gap_factors": list(self.gap_factors),
        }


def funding_gap_frame(
    map_: Map,
    target: str | None = None,
    *,
    portfolio: Sequence[Organisation] | None = None,
    currency: str = "GBP",
    leverage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each factor's leverage components beside the organisations and known funding on it.

    Parameters
    ----------
    map_ : loopwise.model.Map
    target : str, optional
        The outcome (default ``reoffending``), as for ``leverage_frame``.
    portfolio : sequence of Organisation, optional
        A funder's organisations: adds a ``portfolio`` column (how many of them act on it)
        and ``portfolio_funding`` (their grants in ``currency``, in full for every factor
        each acts on); ``attrs["portfolio_total"]`` is the sum of their grants, each once.
    currency : str
        The currency whose figures are added up in ``funding_total``.
    leverage : pandas.DataFrame, optional
        A ``leverage_frame`` already computed for this map and target (saves the simulation).

    Returns
    -------
    pandas.DataFrame
        Indexed by factor id in leverage order (highest score first), columns
        :data:`FUNDING_COLUMNS` (+ ``portfolio``); ``attrs`` as ``leverage_frame``'s plus
        ``currency``.

    Raises
    ------
    loopwise.errors.UnknownIdError, loopwise.errors.ValidationError
        As :func:`~loopwise.analysis.leverage.leverage_frame`.
    """
    frame = leverage if leverage is not None else leverage_frame(map_, target)
    totals = dict.fromkeys(frame.index, 0.0)
    other = dict.fromkeys(frame.index, 0)
    for org in map_.organisations:
        for fid in {action.factor for action in org.acts_on}:
            if fid not in totals:
                continue  # the target itself
            for funding in org.funding:
                if funding.currency == currency:
                    totals[fid] += funding.amount
                else:
                    other[fid] += 1
    result = frame[[c for c in FUNDING_COLUMNS if c in frame.columns]].copy()
    result["funding_total"] = [totals[fid] for fid in result.index]
    result["funding_other"] = [other[fid] for fid in result.index]
    result = result[FUNDING_COLUMNS]
    result.attrs.update(frame.attrs)
    result.attrs["currency"] = currency
    if portfolio is not None:
        counts = dict.fromkeys(result.index, 0)
        grants = dict.fromkeys(result.index, 0.0)
        for org in portfolio:
            amount = sum(f.amount for f in org.funding if f.currency == currency)
            for fid in {action.factor for action in org.acts_on}:
                if fid in counts:
                    counts[fid] += 1
                    grants[fid] += amount
        result["portfolio"] = [counts[fid] for fid in result.index]
        result["portfolio_funding"] = [grants[fid] for fid in result.index]
        result.attrs["portfolio_total"] = float(
            sum(f.amount for org in portfolio for f in org.funding if f.currency == currency)
        )
    return result


def portfolio_coverage(
    map_: Map,
    portfolio: Sequence[Organisation],
    *,
    loops: Sequence[FeedbackLoop] | None = None,
    gap: pd.DataFrame | None = None,
    missed_limit: int = 20,
) -> PortfolioCoverage:
    """Which of the map's loops the organisations of ``portfolio`` act on, and which not.

    A loop is *touched* when an organisation acts on at least one factor on it.

    Parameters
    ----------
    map_ : loopwise.model.Map
    portfolio : sequence of Organisation
    loops : sequence of FeedbackLoop, optional
        The computed loops (default: :func:`find_feedback_loops` of the map).
    gap : pandas.DataFrame, optional
        A leverage or funding-gap frame: its ``gap`` factors not touched by the portfolio
        are listed in ``gap_factors``.
    missed_limit : int
        The most missed computed loops listed.

    Returns
    -------
    PortfolioCoverage
    """
    acted = {action.factor for org in portfolio for action in org.acts_on}
    ordered = tuple(dict.fromkeys(a.factor for org in portfolio for a in org.acts_on))
    cover = PortfolioCoverage(factors=ordered)
    for curated in map_.curated_loops:
        cover.curated.append(
            LoopCover(
                curated.id,
                curated.name,
                curated.kind,
                tuple(curated.factors),
                tuple(f for f in curated.factors if f in acted),
            )  # fmt: skip
        )
    if loops is None:
        loops = find_feedback_loops(map_)
    cover.loops_truncated = bool(getattr(loops, "truncated", False))
    search = loops if isinstance(loops, LoopSearch) else LoopSearch(loops)
    touched = search.where(through=acted)  # on the search's arrays: no loop is made
    cover.computed_touched = len(touched)
    cover.computed_missed = len(search) - len(touched)
    untouched = np.ones(len(search), dtype=np.bool_)
    untouched[touched] = False
    missed_at = np.flatnonzero(untouched).tolist()
    if search.shortest_first:
        missed = [search[i] for i in missed_at[:missed_limit]]
    else:
        missed = sorted((search[i] for i in missed_at), key=lambda lp: (lp.length, lp.factors))
    labels = {f.id: f.label for f in map_.factors}
    for loop in missed[:missed_limit]:
        name = loop.curated.name if loop.curated else " → ".join(labels[f] for f in loop.factors)
        cover.missed_loops.append(
            LoopCover(",".join(loop.factors), name, loop.kind, loop.factors, ())
        )
    if gap is not None and "gap" in gap.columns:
        cover.gap_factors = [fid for fid in gap.index[gap["gap"]] if fid not in acted]
    return cover
