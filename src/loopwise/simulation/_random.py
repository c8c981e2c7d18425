"""A counter-based random generator for the Monte Carlo kernel (SplitMix64).

Uniform number ``counter`` of a stream is SplitMix64's output for the state
``key + (counter + 1) * golden``, where ``key`` comes from the seed (:func:`seed_key`). The
Monte Carlo kernel numbers the weights ``sample * links + link``, so sample ``k``'s weights
depend only on the seed and ``k``: never on the chunking or the threads, and they never have
to be stored for all samples at once. SplitMix64 passes BigCrush; see Steele, Lea and Flood,
"Fast splittable pseudorandom number generators", OOPSLA 2014.

Example:
    >>> from loopwise.simulation._compiled import vectorised
    >>> u = vectorised(uniforms)(seed_key(7), 0, 2, 3)
    >>> u.shape, bool(((0 <= u) & (u < 1)).all())
    ((2, 3), True)
"""

from __future__ import annotations

import numpy as np
from numba import njit

from loopwise.simulation._compiled import OPTIONS

_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
GOLDEN = np.uint64(_GOLDEN)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
S30, S27, S31, S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
ONE = np.uint64(1)
TWO_TO_MINUS_53 = 1.0 / 9007199254740992.0


def seed_key(seed: int) -> np.uint64:
    """The generator's 64-bit key for a seed (SplitMix64 of the seed).

    >>> int(seed_key(0)) == int(seed_key(0)) != int(seed_key(1))
    True
    """
    z = (seed + _GOLDEN) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return np.uint64(z ^ (z >> 31))


@njit(inline="always", **OPTIONS)
def _uniform(key, counter):  # pragma: no cover - jitted
    z = key + (counter + ONE) * GOLDEN
    z = (z ^ (z >> S30)) * MIX1
    z = (z ^ (z >> S27)) * MIX2
    z = z ^ (z >> S31)
    return np.float64(z >> S11) * TWO_TO_MINUS_53


@njit(**OPTIONS)
def uniforms(key, first, samples, links):  # pragma: no cover - jitted
    """Uniform numbers in [0, 1): row ``s`` is sample ``first + s``'s, one per link."""
    out = np.empty((samples, links))
    for s in range(samples):
        base = np.uint64(first + s) * np.uint64(links)
        for e in range(links):
            out[s, e] = _uniform(key, base + np.uint64(e))
    return out
