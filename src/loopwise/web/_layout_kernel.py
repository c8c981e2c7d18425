"""Fruchterman-Reingold force layout, compiled with numba (all cores).

Repulsion between every pair of factors is exact (``O(n^2)`` per iteration, but compiled and
parallel: a 5,000-factor map takes a second or two instead of the half minute numpy took);
attraction runs along the links. Same forces, cooling and step limit as the numpy version
it replaced.

Example:
    >>> import numpy as np
    >>> start = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1]])
    >>> end = fruchterman_reingold(start, np.array([[0, 1], [1, 2]]), 10)
    >>> end.shape
    (3, 2)

References:
    T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
    Software: Practice and Experience 21(11):1129-1164, 1991.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange


@njit(cache=True, parallel=True)
def _repulsion(pos, k2, disp):  # pragma: no cover - jitted
    n = pos.shape[0]
    for i in prange(n):
        dx = 0.0
        dy = 0.0
        xi = pos[i, 0]
        yi = pos[i, 1]
        for j in range(n):
            ddx = xi - pos[j, 0]
            ddy = yi - pos[j, 1]
            dist2 = ddx * ddx + ddy * ddy
            if dist2 < 1e-6:
                dist2 = 1e-6
            force = k2 / dist2
            dx += ddx * force
            dy += ddy * force
        disp[i, 0] = dx
        disp[i, 1] = dy


@njit(cache=True)
def _iterate(pos, edges, iterations, k):  # pragma: no cover - jitted
    n = pos.shape[0]
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    disp = np.zeros((n, 2))
    for _ in range(iterations):
        _repulsion(pos, k * k, disp)
        for e in range(edges.shape[0]):
            a = edges[e, 0]
            b = edges[e, 1]
            ddx = pos[a, 0] - pos[b, 0]
            ddy = pos[a, 1] - pos[b, 1]
            dist = math.sqrt(max(ddx * ddx + ddy * ddy, 1e-9))
            pull = dist / k
            disp[a, 0] -= ddx * pull
            disp[a, 1] -= ddy * pull
            disp[b, 0] += ddx * pull
            disp[b, 1] += ddy * pull
        for i in range(n):
            length = max(math.sqrt(disp[i, 0] ** 2 + disp[i, 1] ** 2), 1e-9)
            step = min(length, temperature) / length
            pos[i, 0] += disp[i, 0] * step
            pos[i, 1] += disp[i, 1] * step
        temperature -= cooling
    return pos


def fruchterman_reingold(pos: np.ndarray, edges: np.ndarray, iterations: int) -> np.ndarray:
    """Move ``pos`` (n x 2, a copy is returned) by ``iterations`` rounds of forces."""
    n = len(pos)
    if n == 0:
        return pos.copy()
    return _iterate(pos.copy(), edges, int(iterations), 1.0 / math.sqrt(n))
