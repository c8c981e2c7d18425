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
    n = len(pos)
    pos = pos.astype(np.float32)
    k = np.float32(1.0 / math.sqrt(n))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    chunk = max(1, 4_000_000 // max(n, 1))
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        for start in range(0, n, chunk):  # repulsion between every pair, in row blocks
            block = pos[start : start + chunk]
            delta = block[:, None, :] - pos[None, :, :]
            dist2 = np.maximum((delta**2).sum(axis=2), 1e-6)
            disp[start : start + chunk] = (delta * (k * k / dist2)[:, :, None]).sum(axis=1)
        if len(edges):  # attraction along links
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.sqrt(np.maximum((delta**2).sum(axis=1), 1e-9))
            pull = delta * (dist / k)[:, None]
            np.subtract.at(disp, edges[:, 0], pull)
            np.add.at(disp, edges[:, 1], pull)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return pos.astype(np.float64)
