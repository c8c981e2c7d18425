"""Small hand-computed maps for the analysis tests."""

from __future__ import annotations

from typing import Any

import pytest

from loopwise.model import Map

SOURCES = [
    {"id": "stats", "kind": "statistic", "title": "Statistics"},  # confidence 0.6
    {"id": "lit", "kind": "literature", "title": "A study"},  # 0.5
    {"id": "talk", "kind": "interview", "title": "An interview"},  # 0.35
]


def build_map(
    links: list[tuple[str, str, str] | tuple[str, str, str, Any] | tuple[str, str, str, Any, list]],
    factors: list[str] | None = None,
    loops: list[dict[str, Any]] | None = None,
) -> Map:
    """A map from ``(from, to, polarity[, strength[, evidence source ids]])`` tuples."""
    ids = factors or sorted({x for link in links for x in link[:2]})
    rows = []
    for link in links:
        source, target, polarity = link[:3]
        row: dict[str, Any] = {"from": source, "to": target, "polarity": polarity}
        if len(link) > 3 and link[3] is not None:
            row["strength"] = link[3]
        if len(link) > 4:
            row["evidence"] = [{"source": s, "text": f"{source} {target}"} for s in link[4]]
        rows.append(row)
    return Map.from_dict(
        {
            "slug": "hand",
            "title": "Hand-computed",
            "sources": SOURCES,
            "factors": [{"id": i, "label": i.upper()} for i in ids],
            "links": rows,
            "loops": loops or [],
        }
    )


@pytest.fixture
def four() -> Map:
    """a <-> b is a balancing loop, b -> c -> d -> b a reinforcing one (two ``-`` links).

    confidence: a--b 0.6, b--a 0.35, b--c 0.74 (statistic + interview), c--d 0.5, d--b 0.
    """
    return build_map(
        [
            ("a", "b", "+", "strong", ["stats"]),
            ("b", "a", "-", "weak", ["talk"]),
            ("b", "c", "+", "medium", ["stats", "talk"]),
            ("c", "d", "-", -1.0, ["lit"]),
            ("d", "b", "-", "weak", []),
        ],
        loops=[
            {
                "id": "spiral",
                "name": "The spiral",
                "narrative": "It <b>feeds</b> itself.",
                "kind": "R",
                "factors": ["c", "d", "b"],
            },
        ],  # fmt: skip
    )


@pytest.fixture
def chain() -> Map:
    """a -> b -> c -> d, and a -> c: no loop at all."""
    return build_map([("a", "b", "+"), ("b", "c", "-"), ("c", "d", "+"), ("a", "c", "+")])


@pytest.fixture
def make_map() -> Any:
    """The :func:`build_map` helper, for tests that need their own small map."""
    return build_map
