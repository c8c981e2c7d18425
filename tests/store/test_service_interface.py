"""The store's public interface for the services above it (accounts, the evidence workbench):
transactions, a map's id and visibility, and the one revision write. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from loopwise.errors import ConflictError, UnknownIdError
from loopwise.model import Map
from loopwise.model.revision import compose, decompose
from loopwise.store import Store
from loopwise.store.tables import MapRow


def test_visibility_and_map_id(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    store.create_map(Map(slug="secret", title="Secret", visibility="private"), author="ana")
    assert store.visibility("demo") == "public"
    assert store.visibility("secret") == "private"
    with store.reading() as conn:
        ids = {slug: store.map_id(conn, slug) for slug in ("demo", "secret")}
        assert conn.scalar(select(MapRow.slug).where(MapRow.id == ids["secret"])) == "secret"
    assert len(set(ids.values())) == 2


def test_unknown_map_is_named_with_suggestions(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    with pytest.raises(UnknownIdError, match="unknown map 'dmeo' \\(did you mean 'demo'\\?\\)"):
        store.visibility("dmeo")
    with store.reading() as conn, pytest.raises(UnknownIdError, match="did you mean 'demo'"):
        store.map_id(conn, "dmeo")


def test_writing_rolls_back_when_the_block_raises(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    with pytest.raises(RuntimeError), store.writing() as conn:
        conn.execute(update(MapRow).values(title="Changed"))
        assert conn.scalar(select(MapRow.title)) == "Changed"  # seen inside the transaction
        raise RuntimeError("stop")
    assert store.get_map("demo").title == sample_map.title


def _retitle_first_factor(conn, row, version, current):  # type: ignore[no-untyped-def]
    data = compose(current).to_dict()
    data["factors"][0]["label"] = "Renamed"
    return decompose(Map.from_dict(data))


def test_write_revision_is_one_checked_revision(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    revision = store.write_revision(
        "demo", based_on=1, author="bo", message="rename", target=_retitle_first_factor
    )
    assert revision is not None and (revision.number, revision.author) == (2, "bo")
    assert store.get_map("demo").factors[0].label == "Renamed"
    # the same change again changes nothing: no revision
    assert store.write_revision(
        "demo", based_on=2, author="bo", message="again", target=_retitle_first_factor
    ) is None  # fmt: skip
    # based on an old version: a conflict, and nothing written
    with pytest.raises(ConflictError):
        store.write_revision(
            "demo", based_on=1, author="bo", message="stale", target=_retitle_first_factor
        )
    assert store.version("demo") == 2
