"""MICMAC (Godet): sort factors by how much they drive the system and how much they depend
on it, directly and through chains of links.

With ``M`` the adjacency matrix (``M[i, j] = 1`` when ``i -> j``, or ``|strength|`` when
weighted), a factor's *influence* is its row sum and its *dependence* its column sum. The
*indirect* values are the same sums on ``M**k``: the number (or weight) of chains of ``k``
links leaving or reaching the factor. Comparing each with the mean over all factors puts
every factor in one of four quadrants:

=============  ==========  ===========  =====================================
quadrant       influence   dependence   reading
=============  ==========  ===========  =====================================
influential    high        low          drives the system (Godet's "driving")
relay          high        high         unstable, passes effects on ("linkage")
dependent      low         high         an outcome
autonomous     low         low          weakly connected
=============  ==========  ===========  =====================================

"High" means strictly above the mean.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": i, "label": i} for i in "abc"],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+"},
    ...               {"from": "a", "to": "c", "polarity": "-"}]})
    >>> micmac_frame(m, power=1)["quadrant"].to_dict()
    {'a': 'influential', 'b': 'dependent', 'c': 'dependent'}

References
----------
.. [1] M. Godet, *From Anticipation to Action: A Handbook of Strategic Prospective*,
   UNESCO Publishing, 1994, ch. 4 (structural analysis, the MICMAC method).
.. [2] J.-C. Duperrin and M. Godet, "Méthode de hiérarchisation des éléments d'un système",
   Rapport économique du CEA R-45-41, 1973.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from loopwise.analysis._checks import positive

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import Map

Quadrant = Literal["influential", "relay", "dependent", "autonomous"]
MICMAC_COLUMNS = [
    "label", "influence", "dependence", "quadrant",
    "indirect_influence", "indirect_dependence", "indirect_quadrant",
]  # fmt: skip
MAX_STABILISING_POWER = 50


def quadrant(influence: float, dependence: float, mean_influence: float,
             mean_dependence: float) -> Quadrant:  # fmt: skip
    """The MICMAC quadrant of a factor, by comparing with the means (strictly above = high).

    >>> quadrant(3, 0, 1.5, 1.5), quadrant(2, 2, 1.5, 1.5), quadrant(1.5, 1.5, 1.5, 1.5)
    ('influential', 'relay', 'autonomous')
    """
    high_influence = influence > mean_influence
    high_dependence = dependence > mean_dependence
    if high_influence:
        return "relay" if high_dependence else "influential"
    return "dependent" if high_dependence else "autonomous"


def adjacency_matrix(map_: Map, *, weighted: bool = False) -> np.ndarray:
    """``M[i, j]`` = 1 (or ``|strength|``) when factor ``i`` links to factor ``j``; rows and
    columns in the order of ``map_.factors``."""
    index = {f.id: i for i, f in enumerate(map_.factors)}
    matrix = np.zeros((len(index), len(index)))
    for link in map_.links:
        matrix[index[link.source_factor], index[link.target_factor]] = (
            link.magnitude if weighted else 1.0
        )
    return matrix


def micmac_frame(map_: Map, *, power: int | None = 3, weighted: bool = False) -> pd.DataFrame:
    """Direct and indirect influence and dependence of every factor, with quadrants.

    Parameters
    ----------
    map_ : Map
    power : int or None, default 3
        The ``k`` of ``M**k`` for the indirect values. ``None``: raise the power until the
        indirect rankings of influence and of dependence no longer change from one power to
        the next (at most 50), as Godet suggests.
    weighted : bool, default False
        Use ``|strength|`` instead of 1 for each link.

    Returns
    -------
    pandas.DataFrame
        Indexed by factor id. Columns ``label``, ``influence``, ``dependence``, ``quadrant``
        (direct), ``indirect_influence``, ``indirect_dependence``, ``indirect_quadrant``.
        ``frame.attrs["power"]`` is the power used.

    Raises
    ------
    ValidationError
        If ``power`` is not a whole number of at least 1.

    Examples
    --------
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "demo", "title": "Demo",
    ...     "factors": [{"id": i, "label": i} for i in "abc"],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+"},
    ...               {"from": "b", "to": "c", "polarity": "+"}]})
    >>> micmac_frame(m, power=2)[["indirect_influence", "indirect_dependence"]].values.tolist()
    [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    """
    import pandas as pd

    positive("power", power)
    direct = adjacency_matrix(map_, weighted=weighted)
    if power is not None:
        indirect = np.linalg.matrix_power(direct, power) if len(direct) else direct
        used = power
    else:
        indirect, used = _stable_power(direct)
    ids = [f.id for f in map_.factors]
    frame = pd.DataFrame(
        {
            "label": [f.label for f in map_.factors],
            "influence": direct.sum(axis=1),
            "dependence": direct.sum(axis=0),
            "indirect_influence": indirect.sum(axis=1),
            "indirect_dependence": indirect.sum(axis=0),
        },
        index=pd.Index(ids, name="factor"),
    )
    for prefix in ("", "indirect_"):
        influence, dependence = frame[prefix + "influence"], frame[prefix + "dependence"]
        mean_i, mean_d = influence.mean(), dependence.mean()
        frame[prefix + "quadrant"] = [
            quadrant(i, d, mean_i, mean_d) for i, d in zip(influence, dependence, strict=True)
        ]
    frame = frame[MICMAC_COLUMNS]
    frame.attrs.update(power=used, weighted=weighted)
    return frame


def _ranking(values: np.ndarray) -> list[int]:
    return list(np.lexsort((np.arange(len(values)), -values)))


def _stable_power(direct: np.ndarray) -> tuple[np.ndarray, int]:
    """Raise ``M`` to higher powers until both rankings repeat; rescale to avoid overflow
    (rankings and quadrants do not change when every entry is divided by the same number)."""
    current = direct.copy()
    rankings = (_ranking(current.sum(axis=1)), _ranking(current.sum(axis=0)))
    for k in range(2, MAX_STABILISING_POWER + 1):
        following = current @ direct
        scale = following.max(initial=0.0)
        if scale > 1e100:
            following = following / scale
        following_rankings = (_ranking(following.sum(axis=1)), _ranking(following.sum(axis=0)))
        current = following
        if following_rankings == rankings:
            return current, k
        rankings = following_rankings
    return current, MAX_STABILISING_POWER
