"""Transfer (squashing) functions of a fuzzy cognitive map.

Each maps a factor's summed input ``x`` to its next state. ``lam`` (lambda) sets the slope of
the two smooth functions; the two threshold functions ignore it.

==========  ===============================  ===========
transfer    f(x)                             state range
==========  ===============================  ===========
sigmoid     ``1 / (1 + exp(-lam * x))``      [0, 1]
tanh        ``tanh(lam * x)``                [-1, 1]
bivalent    ``1 if x > 0 else 0``            {0, 1}
trivalent   ``1 if x > 0, -1 if x < 0, 0``   {-1, 0, 1}
==========  ===============================  ===========

Example:
    >>> import numpy as np
    >>> apply_transfer(np.array([-2.0, 0.0, 2.0]), "trivalent").tolist()
    [-1.0, 0.0, 1.0]
    >>> round(float(apply_transfer(np.array([0.0]), "sigmoid")[0]), 2)
    0.5

References:
    Kosko, B. (1986). Fuzzy cognitive maps. International Journal of Man-Machine Studies 24(1).
    Papageorgiou, E. I. (2013). Review study on fuzzy cognitive maps and their applications
    during the last decade. In *Business Process Management*, Springer.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Transfer = Literal["sigmoid", "tanh", "bivalent", "trivalent"]
TRANSFERS: tuple[str, ...] = ("sigmoid", "tanh", "bivalent", "trivalent")

#: The values a state can take under each transfer (clamps and initial states must lie here).
STATE_RANGE: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0),
    "bivalent": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "trivalent": (-1.0, 1.0),
}

#: The default initial state: "neither high nor low" (0.5 for sigmoid, whose range is [0, 1]
#: and f(0) = 0.5; 0 for the others, the "off" state of bivalent).
NEUTRAL_STATE: dict[str, float] = {"sigmoid": 0.5, "bivalent": 0.0, "tanh": 0.0, "trivalent": 0.0}


def apply_transfer(x: np.ndarray, transfer: str, lam: float = 1.0) -> np.ndarray:
    """Apply a transfer function elementwise (a new array; ``x`` is not changed).

    Parameters
    ----------
    x : numpy.ndarray
        Summed inputs, any shape.
    transfer : {"sigmoid", "tanh", "bivalent", "trivalent"}
    lam : float
        Slope (lambda) of sigmoid and tanh.
    """
    if transfer == "sigmoid":
        # exp overflows harmlessly to inf (-> 0.0) for very negative inputs; silence the warning
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-lam * x))
    if transfer == "tanh":
        return np.tanh(lam * x)
    if transfer == "bivalent":
        return (x > 0).astype(float)
    if transfer == "trivalent":
        return np.sign(x).astype(float)
    raise ValueError(f"unknown transfer {transfer!r}")  # callers validate first
