"""Branch-free elementary functions and transfer loops for the compiled FCM kernel.

A call to the C library's ``exp`` or ``tanh`` keeps a loop scalar (about 20 ns an element for
``tanh``); the functions here are plain arithmetic, selects and one table look-up, so LLVM's
vectoriser packs them (see :func:`~._compiled.vectorised`):

- :func:`_exp`: Cody-Waite reduction ``x = k ln 2 + r`` (``|r| <= ln 2 / 2``), a degree-13
  Taylor polynomial for ``exp(r)`` and a table of powers of two, accurate to about one unit in
  the last place;
- :func:`_expm1`: the same polynomial without its constant term, so ``exp(x) - 1`` keeps its
  relative accuracy near 0 (no cancellation);
- :func:`_tanh`: ``tanh(|x|) = -m / (2 + m)`` with ``m = expm1(-2|x|)``, the sign put back;
  accurate to a few units in the last place for every ``x``.

The four ``*_into`` loops apply a transfer function (:mod:`loopwise.simulation.transfer`) to
an array; each is its own small compiled function, because inlined into the step a loop
stayed scalar.

Example:
    >>> import numpy as np
    >>> from loopwise.simulation._compiled import vectorised
    >>> x = np.array([-3.0, -1e-9, 0.0, 0.5, 30.0])
    >>> bool(np.allclose(vectorised(tanh_values)(x), np.tanh(x), rtol=1e-15, atol=0))
    True
"""

from __future__ import annotations

import numpy as np
from numba import njit

from loopwise.simulation._compiled import OPTIONS

LN2_HI = 6.93147180369123816490e-01  # ln 2 split in two (fdlibm's constants)
LN2_LO = 1.90821492927058770002e-10
LOG2_E = 1.4426950408889634
#: 2**k for k in -1022..1023, looked up by the exponential.
POW2 = np.array([2.0**k for k in range(-1022, 1024)])
EXP_LIMIT = 708.0


@njit(inline="always", **OPTIONS)
def _reduce(x):  # pragma: no cover - jitted
    """``(k, r, p)`` with ``x = k ln 2 + r`` and ``exp(r) = 1 + p r`` (``x`` saturated to
    +-708, where ``exp`` is still a normal number)."""
    x = x if x > -EXP_LIMIT else -EXP_LIMIT
    x = x if x < EXP_LIMIT else EXP_LIMIT
    k = np.floor(x * LOG2_E + 0.5)
    r = (x - k * LN2_HI) - k * LN2_LO
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    return k, r, p


@njit(inline="always", **OPTIONS)
def _exp(x):  # pragma: no cover - jitted
    k, r, p = _reduce(x)
    return (p * r + 1.0) * POW2[np.int64(k) + 1022]


@njit(inline="always", **OPTIONS)
def _expm1(x):  # pragma: no cover - jitted
    k, r, p = _reduce(x)
    scale = POW2[np.int64(k) + 1022]
    return scale * (p * r) + (scale - 1.0)


@njit(inline="always", **OPTIONS)
def _tanh(x):  # pragma: no cover - jitted
    m = _expm1(-2.0 * abs(x))
    t = abs(m / (2.0 + m))
    return t if x >= 0 else -t


@njit(**OPTIONS)
def exp_values(x):  # pragma: no cover - jitted
    """:func:`_exp` over an array (for tests)."""
    out = np.empty_like(x)
    for k in range(x.shape[0]):
        out[k] = _exp(x[k])
    return out


@njit(**OPTIONS)
def expm1_values(x):  # pragma: no cover - jitted
    """:func:`_expm1` over an array (for tests)."""
    out = np.empty_like(x)
    for k in range(x.shape[0]):
        out[k] = _expm1(x[k])
    return out


@njit(**OPTIONS)
def tanh_values(x):  # pragma: no cover - jitted
    """:func:`_tanh` over an array (for tests)."""
    out = np.empty_like(x)
    for k in range(x.shape[0]):
        out[k] = _tanh(x[k])
    return out


@njit(**OPTIONS)
def _sigmoid_into(lam, inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = 1.0 / (1.0 + _exp(-lam * inputs[k]))


@njit(**OPTIONS)
def _tanh_into(lam, inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = _tanh(lam * inputs[k])


@njit(**OPTIONS)
def _bivalent_into(inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        new[k] = 1.0 if inputs[k] > 0.0 else 0.0


@njit(**OPTIONS)
def _trivalent_into(inputs, new):  # pragma: no cover - jitted
    for k in range(inputs.shape[0]):
        x = inputs[k]
        up = 1.0 if x > 0.0 else 0.0
        down = 1.0 if x < 0.0 else 0.0
        new[k] = up - down


@njit(**OPTIONS)
def transfer_into(transfer, lam, inputs, new):  # pragma: no cover - jitted
    """``new = transfer(inputs)`` (codes: 0 sigmoid, 1 tanh, 2 bivalent, 3 trivalent)."""
    if transfer == 0:
        _sigmoid_into(lam, inputs, new)
    elif transfer == 1:
        _tanh_into(lam, inputs, new)
    elif transfer == 2:
        _bivalent_into(inputs, new)
    else:
        _trivalent_into(inputs, new)
