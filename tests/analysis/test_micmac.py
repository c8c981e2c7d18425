"""MICMAC on a hand-computed map with one factor in each quadrant."""

from __future__ import annotations

import numpy as np
import pytest

from loopwise.analysis import MICMAC_COLUMNS, adjacency_matrix, micmac_frame, quadrant
from loopwise.errors import ValidationError
from loopwise.model import Map


@pytest.fixture
def quadrants(make_map) -> Map:
    """p drives, r relays, o and x depend, y stands aside.

    direct influence  p 3, r 2, x 1, y 1, o 0 (mean 1.4)
    direct dependence p 0, r 2, o 3, x 2, y 0 (mean 1.4)
    walks of 3 links: p->r->x->r, p->x->r->o, p->x->r->x, r->x->r->o, r->x->r->x, x->r->x->r
    so M^3 influence p 3, r 2, x 1, o 0, y 0 (mean 1.2); dependence r 2, o 2, x 2 (mean 1.2)
    """
    return make_map(
        [("p", "r", "+"), ("p", "o", "+"), ("p", "x", "-"), ("r", "o", "+"),
         ("r", "x", "+"), ("x", "r", "-"), ("y", "o", "+", "weak")],
        factors=["p", "r", "o", "x", "y"],
    )  # fmt: skip


def test_direct_and_indirect_quadrants(quadrants: Map) -> None:
    frame = micmac_frame(quadrants)
    assert list(frame.columns) == MICMAC_COLUMNS
    assert frame["influence"].tolist() == [3, 2, 0, 1, 1]
    assert frame["dependence"].tolist() == [0, 2, 3, 2, 0]
    assert frame["quadrant"].to_dict() == {
        "p": "influential", "r": "relay", "o": "dependent", "x": "dependent", "y": "autonomous",
    }  # fmt: skip
    assert frame["indirect_influence"].tolist() == [3, 2, 0, 1, 0]
    assert frame["indirect_dependence"].tolist() == [0, 2, 2, 2, 0]
    assert frame["indirect_quadrant"].to_dict() == {
        "p": "influential", "r": "relay", "o": "dependent", "x": "dependent", "y": "autonomous",
    }  # fmt: skip
    assert frame.attrs["power"] == 3


def test_power_one_repeats_the_direct_values(quadrants: Map) -> None:
    frame = micmac_frame(quadrants, power=1)
    assert frame["indirect_influence"].tolist() == frame["influence"].tolist()
    assert frame["indirect_quadrant"].tolist() == frame["quadrant"].tolist()


def test_weighted_uses_magnitudes(quadrants: Map) -> None:
    frame = micmac_frame(quadrants, weighted=True)
    assert frame.loc["y", "influence"] == 0.25
    assert frame.loc["p", "influence"] == 1.5  # three medium links
    assert frame.attrs["weighted"] is True


def test_stabilised_power(quadrants: Map) -> None:
    frame = micmac_frame(quadrants, power=None)
    assert frame.attrs["power"] >= 2
    direct = adjacency_matrix(quadrants)
    expected = np.linalg.matrix_power(direct, frame.attrs["power"]).sum(axis=1)
    # the stabilised values may be rescaled, but never reordered
    order = np.argsort(-frame["indirect_influence"].to_numpy(), kind="stable")
    assert list(order) == list(np.argsort(-expected, kind="stable"))


def test_adjacency_matrix_rows_are_sources(quadrants: Map) -> None:
    matrix = adjacency_matrix(quadrants)
    assert matrix[0].tolist() == [0, 1, 1, 1, 0]  # p -> r, o, x
    assert matrix[:, 2].tolist() == [1, 1, 0, 0, 1]  # o <- p, r, y


@pytest.mark.parametrize(
    ("influence", "dependence", "expected"),
    [(2, 0, "influential"), (2, 2, "relay"), (0, 2, "dependent"), (0, 0, "autonomous"),
     (1, 1, "autonomous")],  # on the mean counts as low
)  # fmt: skip
def test_quadrant(influence: float, dependence: float, expected: str) -> None:
    assert quadrant(influence, dependence, 1, 1) == expected


def test_bad_power_and_empty_map(quadrants: Map) -> None:
    with pytest.raises(ValidationError, match="power"):
        micmac_frame(quadrants, power=0)
    empty = micmac_frame(Map.from_dict({"slug": "e", "title": "E"}))
    assert empty.empty and list(empty.columns) == MICMAC_COLUMNS
