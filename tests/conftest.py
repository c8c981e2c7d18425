from __future__ import annotations

import copy
from typing import Any

import pytest

from loopwise.model import Map

SMALL_MAP: dict[str, Any] = {
    "slug": "small",
    "title": "A small map",
    "description": "Three factors in a vicious circle.",
    "themes": [{"id": "housing", "label": "Housing"}, {"id": "justice", "label": "Justice"}],
    "stages": [{"id": "release", "label": "Release"}],
    "sources": [
        {"id": "talk", "kind": "interview", "title": "An interview"},
        {
            "id": "stats",
            "kind": "statistic",
            "title": "Statistics",
            "year": 2024,
            "citation": {"type": "report", "issued": {"date-parts": [[2024]]}},
        },
    ],  # fmt: skip
    "factors": [
        {"id": "homelessness", "label": "Homelessness", "theme": "housing", "stage": "release"},
        {"id": "reoffending", "label": "Reoffending", "theme": "justice"},
        {"id": "prison", "label": "Short prison sentences", "theme": "justice"},
    ],
    "links": [
        {
            "from": "homelessness",
            "to": "reoffending",
            "polarity": "+",
            "strength": "strong",
            "evidence": [
                {"source": "stats", "kind": "figure", "text": "65 per cent", "year": 2020}
            ],
        },
        {
            "from": "reoffending",
            "to": "prison",
            "polarity": "+",
            "evidence": [{"source": "talk", "text": "in and out six times"}],
        },
        {
            "from": "prison",
            "to": "homelessness",
            "polarity": "+",
            "delay": True,
            "evidence": [{"source": "talk", "text": "she didn't have anywhere to go"}],
        },
    ],  # fmt: skip
    "loops": [
        {
            "id": "revolving-door",
            "name": "Revolving door",
            "kind": "R",
            "factors": ["homelessness", "reoffending", "prison"],
        },
    ],  # fmt: skip
    "organisations": [
        {
            "id": "shelter",
            "name": "A housing charity",
            "acts_on": [{"factor": "homelessness", "note": "finds housing", "source": "talk"}],
        },
    ],  # fmt: skip
}


@pytest.fixture
def small_map_data() -> dict[str, Any]:
    """The small map as plain JSON-like data (a fresh copy each time)."""
    return copy.deepcopy(SMALL_MAP)


@pytest.fixture
def small_map(small_map_data: dict[str, Any]) -> Map:
    return Map.from_dict(small_map_data)
