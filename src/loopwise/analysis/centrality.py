"""Centrality: which factors sit where in the map (degree, betweenness, PageRank, reach).

Every measure comes unweighted (each link counts 1) or weighted by the link's magnitude
(``|strength|`` in [0, 1]), and :func:`centrality_frame` gathers them in one table.

Weighted choices, stated once:

- weighted degree is the sum of the magnitudes of the links in / out;
- weighted betweenness uses shortest paths with distance ``1 / |strength|`` (a strong link is
  a short hop); links of strength 0 carry nothing and are left out;
- weighted PageRank follows links in proportion to their magnitude (a factor whose links
  all have strength 0 counts as having none);
- weighted reach is the *influence reach*: the sum, over the factors within ``k`` steps, of
  the strongest path's product of magnitudes (1 for a chain of full-strength links).

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": i, "label": i} for i in "abc"],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+"},
    ...               {"from": "b", "to": "c", "polarity": "-"}]})
    >>> reach(m, "a", 1), reach(m, "a", 2)
    (1, 2)
    >>> centrality_frame(m).loc["b", ["in_degree", "out_degree", "betweenness"]].tolist()
    [1.0, 1.0, 0.5]

References
----------
.. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
   Sociology 25(2):163-177, 2001.
.. [2] S. Brin and L. Page, "The anatomy of a large-scale hypertextual web search engine",
   Computer Networks and ISDN Systems 30:107-117, 1998.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import networkx as nx

from loopwise.analysis import _graph
from loopwise.analysis._checks import non_negative

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import Map

CENTRALITY_COLUMNS = [
    "label", "in_degree", "out_degree", "betweenness", "pagerank", "reach", "reach_total",
]  # fmt: skip


def reach(map_: Map, factor_id: str, steps: int | None = 3) -> int:
    """How many other factors a factor can influence within ``steps`` links.

    Parameters
    ----------
    map_ : Map
    factor_id : str
        The factor whose reach is counted.
    steps : int or None, default 3
        The most links a chain of influence may have; ``None`` for no limit (every factor
        downstream).

    Returns
    -------
    int
        The number of factors (other than ``factor_id``) reachable along the arrows.

    Raises
    ------
    UnknownIdError
        If the map has no such factor (with suggestions).
    ValidationError
        If ``steps`` is negative or not a whole number.

    Examples
    --------
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": i, "label": i} for i in "abcd"],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+"},
    ...               {"from": "b", "to": "c", "polarity": "+"},
    ...               {"from": "c", "to": "d", "polarity": "+"}]})
    >>> reach(m, "a", 2), reach(m, "a", None), reach(m, "d")
    (2, 3, 0)
    """
    map_.factor(factor_id)
    non_negative("steps", steps)
    return _reach_count(_successors(map_), factor_id, steps)


def centrality_frame(map_: Map, *, weighted: bool = False, reach_steps: int = 3) -> pd.DataFrame:
    """Centrality measures of every factor, as a DataFrame indexed by factor id.

    Parameters
    ----------
    map_ : Map
    weighted : bool, default False
        Weight links by their magnitude ``|strength|`` (see the module notes for what that
        means for each measure) instead of counting each link as 1.
    reach_steps : int, default 3
        The ``k`` of the ``reach`` column.

    Returns
    -------
    pandas.DataFrame
        Columns: ``label``; ``in_degree`` and ``out_degree`` (link counts, or summed
        magnitudes when weighted); ``betweenness`` (normalised by ``(n-1)(n-2)``);
        ``pagerank``; ``reach`` (factors within ``reach_steps`` links, or the influence
        reach when weighted); ``reach_total`` (every factor downstream, always a count).
        ``frame.attrs`` records ``weighted`` and ``reach_steps``.

    Raises
    ------
    ValidationError
        If ``reach_steps`` is negative or not a whole number.

    Examples
    --------
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": i, "label": i.upper()} for i in "ab"],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+", "strength": "strong"}]})
    >>> centrality_frame(m, weighted=True).loc["a", ["out_degree", "reach"]].tolist()
    [0.75, 0.75]

    Notes
    -----
    Unweighted betweenness is computed by rustworkx (parallel Brandes), weighted betweenness
    by networkx's Dijkstra-based Brandes; PageRank by rustworkx (damping 0.85, the same
    definition as networkx's, without needing SciPy).
    """
    import pandas as pd

    non_negative("reach_steps", reach_steps)
    graph = _graph.to_nx(map_)
    ids = [f.id for f in map_.factors]
    labels = {f.id: f.label for f in map_.factors}
    successors = _successors(map_)
    if weighted:
        in_degree = dict(graph.in_degree(weight="magnitude"))
        out_degree = dict(graph.out_degree(weight="magnitude"))
        carrying: nx.DiGraph[str] = nx.DiGraph()
        carrying.add_nodes_from(graph)
        carrying.add_edges_from(
            (u, v, d) for u, v, d in graph.edges(data=True) if d["magnitude"] > 0
        )
        betweenness = nx.betweenness_centrality(carrying, weight="distance", normalized=True)
        pagerank = _graph.pagerank(carrying, weight="magnitude")
        strengths: dict[str, dict[str, float]] = {f: {} for f in ids}
        for lk in map_.links:
            strengths[lk.source_factor][lk.target_factor] = lk.magnitude
        near = {f: _influence_reach(strengths, f, reach_steps) for f in ids}
    else:
        in_degree = dict(graph.in_degree())
        out_degree = dict(graph.out_degree())
        betweenness = _graph.betweenness(graph)
        pagerank = _graph.pagerank(graph)
        near = {f: _reach_count(successors, f, reach_steps) for f in ids}
    rows = [
        {
            "label": labels[f],
            "in_degree": in_degree[f],
            "out_degree": out_degree[f],
            "betweenness": betweenness[f],
            "pagerank": pagerank[f],
            "reach": near[f],
            "reach_total": _reach_count(successors, f, None),
        }
        for f in ids
    ]
    frame = pd.DataFrame(rows, columns=CENTRALITY_COLUMNS, index=pd.Index(ids, name="factor"))
    frame.attrs.update(weighted=weighted, reach_steps=reach_steps)
    return frame


def _successors(map_: Map) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {f.id: [] for f in map_.factors}
    for link in map_.links:
        out[link.source_factor].append(link.target_factor)
    return out


def _reach_count(successors: dict[str, list[str]], start: str, steps: int | None) -> int:
    """Breadth-first search from ``start``, at most ``steps`` levels deep."""
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if steps is not None and depth >= steps:
            continue
        for nxt in successors[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, depth + 1))
    return len(seen) - 1


def _influence_reach(strengths: dict[str, dict[str, float]], start: str, steps: int) -> float:
    """Sum over other factors of the strongest product of magnitudes within ``steps`` links.

    Magnitudes are at most 1, so going round a loop never strengthens a path: the strongest
    walk is a simple path, and ``steps`` rounds of max-product relaxation find it.
    """
    best = {start: 1.0}
    for _ in range(steps):
        updated = dict(best)
        for node, value in best.items():
            for nxt, magnitude in strengths.get(node, {}).items():
                if value * magnitude > updated.get(nxt, 0.0):
                    updated[nxt] = value * magnitude
        if updated == best:
            break
        best = updated
    return float(sum(v for node, v in best.items() if node != start))
