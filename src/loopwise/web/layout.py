"""Server-side positions for the map canvas (numpy Fruchterman-Reingold).

Big maps (thousands of factors) cannot be laid out in the browser in reasonable time, so the
server computes positions once per map version and the browser draws them with cytoscape's
``preset`` layout. Factors start grouped by theme round a circle (so themes stay together)
and then a force-directed pass (Fruchterman and Reingold, 1991) spreads them; stored
positions (from an import) win when every factor has one.

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> positions = layout_positions(load_builtin_map())
    >>> len(positions), all(isinstance(x, float) for x, _ in positions.values())
    (75, True)

References:
    T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
    Software: Practice and Experience 21(11):1129-1164, 1991.
"""

from __future__ import annotations

import math

import numpy as np

from loopwise.model import Map

BROWSER_LAYOUT_MAX = 400
"""Up to this many factors the browser refines the server's positions (fcose)."""


def layout_positions(map_: Map, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """A position for every factor, in pixels, centred on 0."""
    factors = map_.factors
    n = len(factors)
    if n == 0:
        return {}
    if all(f.position is not None for f in factors):
        return {f.id: (f.position.x, f.position.y) for f in factors}  # type: ignore[union-attr]
    index = {f.id: i for i, f in enumerate(factors)}
    edges = np.array(
        [(index[lk.source_factor], index[lk.target_factor]) for lk in map_.links], dtype=np.int64
    ).reshape(-1, 2)
    themes = sorted({f.theme or "" for f in factors})
    theme_of = np.array([themes.index(f.theme or "") for f in factors])
    rng = np.random.default_rng(seed)
    angle = 2 * math.pi * theme_of / max(len(themes), 1)
    pos = np.stack([np.cos(angle), np.sin(angle)], axis=1) * 0.5
    pos += rng.normal(scale=0.25, size=(n, 2))
    pos = _fruchterman_reingold(pos, edges, iterations=60 if n <= 1000 else 25)
    pos -= pos.mean(axis=0)
    scale = 110.0 * math.sqrt(n) / max(float(np.abs(pos).max()), 1e-9)
    pos *= scale
    return {f.id: (float(pos[i, 0]), float(pos[i, 1])) for i, f in enumerate(factors)}


def _fruchterman_reingold(pos: np.ndarray, edges: np.ndarray, iterations: int) -> np.ndarray:
    from loopwise.web._layout_kernel import fruchterman_reingold

    return fruchterman_reingold(
        np.ascontiguousarray(pos, dtype=np.float64),
        np.ascontiguousarray(edges, dtype=np.int64).reshape(-1, 2),
        iterations,
    )
