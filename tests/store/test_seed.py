"""Tests of loopwise.store.seed."""

from __future__ import annotations

import pytest

from loopwise import builtin
from loopwise.model import Map
from loopwise.store import Store
from loopwise.store.seed import seed_builtin_maps

from .conftest import sample_map_data, without_times


@pytest.fixture
def fake_builtins(monkeypatch: pytest.MonkeyPatch) -> dict[str, Map]:
    maps = {slug: Map.from_dict(sample_map_data(slug)) for slug in ("first", "second")}
    monkeypatch.setattr(builtin, "builtin_map_slugs", lambda: sorted(maps))
    monkeypatch.setattr(builtin, "load_builtin_map", lambda slug: maps[slug])
    return maps


def test_seed_creates_missing_builtin_maps(store: Store, fake_builtins: dict[str, Map]) -> None:
    assert seed_builtin_maps(store) == ["first", "second"]
    assert without_times(store.get_map("first")) == fake_builtins["first"]
    revision = store.revision("second", 1)
    assert (revision.author, revision.message) == ("loopwise", "built-in map second")
    assert seed_builtin_maps(store) == []


def test_seed_leaves_existing_maps_alone(store: Store, fake_builtins: dict[str, Map]) -> None:
    store.create_map(Map(slug="first", title="Mine"), author="ana")
    assert seed_builtin_maps(store, author="admin") == ["second"]
    assert store.get_map("first").title == "Mine"
    assert store.revision("second", 1).author == "admin"


def test_seed_the_real_builtin_maps(store: Store) -> None:
    slugs = builtin.builtin_map_slugs()
    assert seed_builtin_maps(store) == slugs
    for slug in slugs:
        assert without_times(store.get_map(slug)) == builtin.load_builtin_map(slug)
