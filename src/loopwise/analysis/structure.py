"""Checks of a map's structure that keep analyses from counting one thing twice.

An *aggregate* is a factor that stands for several others together ("multiple unmet needs"
for housing, dependency, mental ill-health and poverty); a map marks one with the tag
``aggregate``. When the parts of an aggregate reach an outcome both through it and by
another route, every analysis that sums paths (loops, leverage, simulation) counts the same
influence twice. :func:`aggregate_double_routes` finds each such case.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D", "factors": [
    ...     {"id": "needs", "label": "Multiple needs", "tags": ["aggregate"]},
    ...     {"id": "housing", "label": "Housing instability"},
    ...     {"id": "reoffending", "label": "Reoffending", "kind": "outcome"}],
    ...   "links": [{"from": "housing", "to": "needs", "polarity": "+"},
    ...             {"from": "needs", "to": "reoffending", "polarity": "+"},
    ...             {"from": "housing", "to": "reoffending", "polarity": "+"}]})
    >>> [(r.part, r.aggregate, r.bypass) for r in aggregate_double_routes(m)]
    [('housing', 'needs', ('housing', 'reoffending'))]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import networkx as nx

if TYPE_CHECKING:
    from loopwise.model import Map

AGGREGATE_TAG = "aggregate"


class DoubleRoute(NamedTuple):
    """``part`` reaches ``outcome`` through ``aggregate`` and also by ``bypass``, a path that
    avoids the aggregate."""

    part: str
    aggregate: str
    outcome: str
    bypass: tuple[str, ...]


def aggregate_double_routes(map_: Map) -> list[DoubleRoute]:
    """Every (part, aggregate, outcome) where a part of an aggregate reaches an outcome both
    through the aggregate and around it.

    Parameters
    ----------
    map_ : loopwise.model.Map
        Aggregates are its factors tagged ``aggregate``; their parts are the factors linked
        into them; outcomes are its factors of kind ``outcome``.

    Returns
    -------
    list of DoubleRoute
        Empty when no influence is counted twice; each entry names a shortest bypass.
    """
    graph = nx.DiGraph((lk.source_factor, lk.target_factor) for lk in map_.links)
    graph.add_nodes_from(f.id for f in map_.factors)
    outcomes = [f.id for f in map_.factors if f.kind == "outcome"]
    found: list[DoubleRoute] = []
    for aggregate in (f.id for f in map_.factors if AGGREGATE_TAG in f.tags):
        around = graph.subgraph(n for n in graph if n != aggregate)
        for part in sorted(graph.predecessors(aggregate)):
            for outcome in outcomes:
                if outcome in (part, aggregate) or not nx.has_path(graph, aggregate, outcome):
                    continue
                if nx.has_path(around, part, outcome):
                    path = nx.shortest_path(around, part, outcome)
                    found.append(DoubleRoute(part, aggregate, outcome, tuple(path)))
    return found
