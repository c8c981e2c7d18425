"""FCM update rules (Kosko, modified Kosko, rescaled), each written as two terms so that one
vectorised step serves them all::

    next = f(self_term(A) + sum_j source_term(A)_j * w_ji + push)

=============  ==================  =================
rule           self_term(A)_i      source_term(A)_j
=============  ==================  =================
kosko          0                   A_j
modified       A_i                 A_j
rescaled       2 A_i - 1           2 A_j - 1
=============  ==================  =================

Example:
    >>> import numpy as np
    >>> a = np.array([0.25, 1.0])
    >>> self_term(a, "rescaled").tolist(), source_term(a, "rescaled").tolist()
    ([-0.5, 1.0], [-0.5, 1.0])

References:
    Kosko, B. (1986). Fuzzy cognitive maps. Int. J. Man-Machine Studies 24(1), 65-75.
    Stylios, C. D. and Groumpos, P. P. (2004). Modeling complex systems using fuzzy cognitive
    maps. IEEE Trans. Systems, Man and Cybernetics A 34(1) (modified Kosko).
    Papageorgiou, E. I. (2011). A new methodology for decisions in medical informatics using
    fuzzy cognitive maps based on fuzzy rule-extraction techniques. Applied Soft Computing 11
    (rescaled).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Rule = Literal["kosko", "modified", "rescaled"]
RULES: tuple[str, ...] = ("kosko", "modified", "rescaled")


def self_term(state: np.ndarray, rule: str) -> np.ndarray | float:
    """A factor's own contribution to its next input."""
    if rule == "kosko":
        return 0.0
    if rule == "modified":
        return state
    if rule == "rescaled":
        return 2.0 * state - 1.0
    raise ValueError(f"unknown rule {rule!r}")  # callers validate first


def source_term(state: np.ndarray, rule: str) -> np.ndarray:
    """What each factor sends along its outgoing links."""
    if rule == "rescaled":
        return 2.0 * state - 1.0
    return state
