"""Tests of loopwise.store.repository.Store, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from loopwise.errors import (
    ConflictError,
    DuplicateIdError,
    LoopwiseError,
    NothingToUndoError,
    UnknownIdError,
)
from loopwise.model import Map
from loopwise.model.revision import diff_maps
from loopwise.store import MapInfo, Store, rows
from loopwise.store.tables import (
    EvidenceRow,
    FactorRow,
    LinkRow,
    OrganisationActionRow,
    RevisionChangeRow,
    RevisionRow,
)

from .conftest import TestDatabase, sample_map_data, without_times


def _edited(map_: Map, **changes: object) -> Map:
    return Map.from_dict({**map_.model_dump(mode="json", by_alias=True), **changes})


def _relabelled(map_: Map, factor_id: str, label: str) -> Map:
    data = map_.model_dump(mode="json", by_alias=True)
    for factor in data["factors"]:
        if factor["id"] == factor_id:
            factor["label"] = label
    return Map.from_dict(data)


def _count(store: Store, table: type) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


# ---------------------------------------------------------------------------- create / read


def test_create_and_get_round_trip(store: Store, sample_map: Map) -> None:
    revision = store.create_map(sample_map, author="ana", message="first")
    assert (revision.number, revision.author, revision.message) == (1, "ana", "first")
    assert revision.changes == diff_maps(None, sample_map)
    got = store.get_map("demo")
    assert without_times(got) == sample_map
    assert got.to_dict() == {**sample_map.to_dict(), "created": got.to_dict()["created"],
                             "updated": got.to_dict()["updated"]}  # fmt: skip
    assert got.created is not None and got.created == got.updated
    assert store.version("demo") == 1


def test_tables_hold_queryable_rows(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    with store.engine.connect() as conn:
        labels = conn.execute(select(FactorRow.slug, FactorRow.label, FactorRow.theme)).all()
        assert ("homelessness", "Homelessness", "housing") in labels
        ends = conn.execute(
            select(FactorRow.slug).join(LinkRow, LinkRow.from_factor_id == FactorRow.id)
        ).scalars()
        assert sorted(ends) == ["homelessness", "reoffending", "stigma"]
        statuses = conn.execute(select(EvidenceRow.slug, EvidenceRow.status)).all()
    assert sorted(statuses) == [
        ("homelessness--reoffending.e1", "accepted"),
        ("homelessness--reoffending.e2", "suggested"),
        ("homelessness.e1", "accepted"),
    ]
    assert _count(store, OrganisationActionRow) == 2


def test_list_maps(store: Store, make_map: Callable[..., Map]) -> None:
    assert store.list_maps() == []
    store.create_map(make_map("zeta", factors=[], links=[], loops=[], organisations=[],
                              interventions=[], views=[]), author="ana")  # fmt: skip
    store.create_map(make_map("alpha", visibility="private"), author="bo")
    infos = store.list_maps()
    assert [i.slug for i in infos] == ["alpha", "zeta"]
    assert isinstance(infos[0], MapInfo)
    assert (infos[0].visibility, infos[0].version, infos[0].factors, infos[0].links) == (
        "private", 1, 3, 3,
    )  # fmt: skip
    assert (infos[1].factors, infos[1].links) == (0, 0)
    assert infos[0].created_at.tzinfo is not None
    assert store.has_map("alpha") and not store.has_map("beta")


def test_unknown_map_suggests_close_slugs(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    with pytest.raises(UnknownIdError) as caught:
        store.get_map("dem")
    assert (caught.value.kind, caught.value.id, caught.value.suggestions) == (
        "map",
        "dem",
        ["demo"],
    )
    for call in (
        lambda: store.version("nope"),
        lambda: store.history("nope"),
        lambda: store.save_map(Map(slug="nope", title="N"), author="a", based_on=1, settings=True),
        lambda: store.undo("nope", author="a", settings=True),
        lambda: store.delete_map("nope", author="a"),
    ):
        with pytest.raises(UnknownIdError, match="unknown map 'nope'"):
            call()


def test_duplicate_slug(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    with pytest.raises(DuplicateIdError, match="already exists"):
        store.create_map(sample_map, author="bo")
    assert len(store.history("demo")) == 1


# ---------------------------------------------------------------------------- saving


def test_save_map_writes_a_revision_with_only_the_changes(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    edited = _relabelled(sample_map, "stigma", "Stigma of a record")
    revision = store.save_map(edited, author="bo", based_on=1, message="relabel", settings=True)
    assert revision is not None
    assert (revision.number, revision.author, revision.message) == (2, "bo", "relabel")
    assert [(c.collection, c.entity_id, c.action) for c in revision.changes] == [
        ("factor", "stigma", "changed")
    ]
    assert store.version("demo") == 2
    assert without_times(store.get_map("demo")) == edited
    with store.engine.connect() as conn:
        assert conn.scalar(select(FactorRow.label).where(FactorRow.slug == "stigma")) == (
            "Stigma of a record"
        )


def test_save_map_without_change_writes_nothing(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    before = store.get_map("demo")
    assert store.save_map(sample_map, author="bo", based_on=1, settings=True) is None
    assert store.version("demo") == 1
    assert _count(store, RevisionRow) == 1
    assert store.get_map("demo") == before  # updated time unchanged too


def test_save_map_removing_factors_links_and_evidence(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    data = sample_map.model_dump(mode="json", by_alias=True)
    data["factors"] = [f for f in data["factors"] if f["id"] != "homelessness"]
    data["links"] = [lk for lk in data["links"] if "homelessness" not in lk["id"]]
    data["loops"], data["views"], data["interventions"] = [], [], []
    data["organisations"][0]["acts_on"] = [{"factor": "stigma"}]
    data["sources"] = [s for s in data["sources"] if s["id"] != "interview-1"]
    smaller = Map.from_dict(data)
    store.save_map(smaller, author="ana", based_on=1, settings=True)
    assert without_times(store.get_map("demo")) == smaller
    assert _count(store, EvidenceRow) == 0
    assert _count(store, OrganisationActionRow) == 1
    assert _count(store, LinkRow) == 1
    assert without_times(store.map_at("demo", 1)) == sample_map


def test_moving_evidence_between_owners_and_reordering(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    data = sample_map.model_dump(mode="json", by_alias=True)
    moved = data["links"][0]["evidence"].pop()  # keeps its id
    data["links"][2]["evidence"].append(moved)
    data["factors"].reverse()
    data["links"] = [data["links"][2], data["links"][0], data["links"][1]]
    changed = Map.from_dict(data)
    store.save_map(changed, author="ana", based_on=1, settings=True)
    assert without_times(store.get_map("demo")) == changed
    with store.engine.connect() as conn:
        owner = conn.scalar(
            select(LinkRow.slug).join(EvidenceRow, EvidenceRow.link_id == LinkRow.id)
            .where(EvidenceRow.slug == moved["id"])
        )  # fmt: skip
    assert owner == "stigma--reoffending"


def test_stale_version_is_a_conflict_and_writes_nothing(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    store.save_map(_edited(sample_map, title="Second"), author="ana", based_on=1, settings=True)
    with pytest.raises(ConflictError) as caught:
        store.save_map(_edited(sample_map, title="Lost"), author="bo", based_on=1, settings=True)
    assert (caught.value.based_on, caught.value.current) == (1, 2)
    assert store.get_map("demo").title == "Second"
    assert store.version("demo") == 2
    assert len(store.history("demo")) == 2


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_writers_exactly_one_wins(
    database: TestDatabase, sample_map: Map, writers: int
) -> None:
    database.open().create_map(sample_map, author="ana")
    stores = [database.open() for _ in range(writers)]  # separate engines, separate pools
    barrier = threading.Barrier(writers)
    outcomes: list[object] = [None] * writers

    def write(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = stores[index].save_map(
                _edited(sample_map, title=f"Title {index}"),
                author=f"w{index}",
                based_on=1,
                settings=True,
            )
        except Exception as exc:  # recorded and checked below
            outcomes[index] = exc

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [i for i, out in enumerate(outcomes) if not isinstance(out, Exception)]
    losers = [out for out in outcomes if isinstance(out, Exception)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(out, ConflictError) for out in losers), losers
    assert stores[0].version("demo") == 2
    assert stores[0].get_map("demo").title == f"Title {winners[0]}"
    assert [r.number for r in stores[0].history("demo")] == [1, 2]


def test_a_failing_write_leaves_everything_unchanged(
    store: Store, sample_map: Map, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.create_map(sample_map, author="ana")
    before = store.get_map("demo")
    counts = {t: _count(store, t) for t in (FactorRow, LinkRow, EvidenceRow, RevisionChangeRow)}

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rows, "record_revision", broken)  # fails after the rows are written
    smaller = _edited(sample_map, title="Never", links=[], loops=[])
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save_map(smaller, author="bo", based_on=1, settings=True)
    with pytest.raises(RuntimeError):
        store.create_map(_edited(sample_map, slug="other"), author="bo")
    assert store.get_map("demo") == before
    assert store.version("demo") == 1
    assert not store.has_map("other")
    assert {t: _count(store, t) for t in counts} == counts


# ---------------------------------------------------------------------------- history


@pytest.fixture
def three_versions(store: Store, sample_map: Map) -> list[Map]:
    """A map saved three times: v1 sample, v2 relabel, v3 a link removed and title changed."""
    v2 = _relabelled(sample_map, "stigma", "Stigma of a record")
    data = v2.model_dump(mode="json", by_alias=True)
    data["links"].pop()  # stigma--reoffending
    data["title"] = "Third"
    v3 = Map.from_dict(data)
    store.create_map(sample_map, author="ana")
    store.save_map(v2, author="bo", based_on=1, message="relabel", settings=True)
    store.save_map(v3, author="cy", based_on=2, settings=True)
    return [sample_map, v2, v3]


def test_history_and_revision(store: Store, three_versions: list[Map]) -> None:
    history = store.history("demo")
    assert [(r.number, r.author, r.message) for r in history] == [
        (1, "ana", ""), (2, "bo", "relabel"), (3, "cy", ""),
    ]  # fmt: skip
    assert all(r.map_slug == "demo" for r in history)
    assert [c.entity_id for c in history[2].changes] == ["demo", "stigma--reoffending"]
    assert store.revision("demo", 2) == history[1]
    with pytest.raises(UnknownIdError, match="unknown revision 4"):
        store.revision("demo", 4)


def test_map_at_every_revision(store: Store, three_versions: list[Map]) -> None:
    for number, expected in enumerate(three_versions, start=1):
        assert without_times(store.map_at("demo", number)) == expected
    for bad in (0, 4, -1):
        with pytest.raises(UnknownIdError):
            store.map_at("demo", bad)


def test_diff(store: Store, three_versions: list[Map]) -> None:
    v1, v2, v3 = three_versions
    assert store.diff("demo", 1, 3) == diff_maps(v1, v3)
    assert store.diff("demo", 3, 1) == diff_maps(v3, v1)
    assert store.diff("demo", 2, 2) == []
    assert store.diff("demo", 0, 1) == diff_maps(None, v1)
    with pytest.raises(UnknownIdError):
        store.diff("demo", 1, 9)


def test_restore(store: Store, three_versions: list[Map]) -> None:
    revision = store.restore("demo", 1, author="dee", settings=True)
    assert revision is not None
    assert (revision.number, revision.message) == (4, "restore to revision 1")
    assert without_times(store.get_map("demo")) == three_versions[0]
    assert store.get_map("demo") == store.map_at("demo", 4)
    assert without_times(store.map_at("demo", 4)) == without_times(store.map_at("demo", 1))
    assert store.restore("demo", 4, author="dee", settings=True) is None  # already there
    with pytest.raises(ConflictError):
        store.restore("demo", 2, author="dee", based_on=3, settings=True)
    with pytest.raises(UnknownIdError):
        store.restore("demo", 9, author="dee", settings=True)


def test_undo(store: Store, three_versions: list[Map]) -> None:
    revision = store.undo("demo", author="ed", settings=True)
    assert (revision.number, revision.message) == (4, "undo revision 3")
    assert without_times(store.get_map("demo")) == three_versions[1]
    again = store.undo("demo", author="ed", based_on=4, settings=True)  # undoing the undo
    assert again.number == 5
    assert without_times(store.get_map("demo")) == three_versions[2]
    with pytest.raises(ConflictError):
        store.undo("demo", author="ed", based_on=4, settings=True)


def test_nothing_to_undo(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    with pytest.raises(NothingToUndoError, match="nothing to undo") as caught:
        store.undo("demo", author="ana", settings=True)
    assert isinstance(caught.value, LoopwiseError)
    assert store.version("demo") == 1


def test_delete_map(store: Store, make_map: Callable[..., Map]) -> None:
    store.create_map(make_map("one"), author="ana")
    store.create_map(make_map("two"), author="ana")
    store.save_map(make_map("one", title="One"), author="ana", based_on=1, settings=True)
    store.delete_map("one", author="ana")
    assert [m.slug for m in store.list_maps()] == ["two"]
    assert _count(store, EvidenceRow) == 3  # map two's evidence only
    assert _count(store, RevisionRow) == 1
    store.create_map(make_map("one"), author="ana")  # the slug can be used again
    assert [r.number for r in store.history("one")] == [1]


def test_sample_data_is_valid() -> None:
    assert Map.from_dict(sample_map_data("x")).slug == "x"


def test_a_story_round_trips_through_the_store(store: Store, sample_map: Map) -> None:
    """A story (a view with steps) is saved with the map and read back unchanged; changing
    one step is one revision that changes only the story."""
    store.create_map(sample_map, author="a")
    data = sample_map.to_dict()
    data["views"].append({"id": "tour", "name": "Tour", "steps": [
        {"title": "One", "text": "First.", "factors": ["homelessness"],
         "links": ["homelessness--reoffending"]}]})  # fmt: skip
    with_story = Map.from_dict(data)
    store.save_map(with_story, author="a", based_on=1)
    assert store.get_map("demo").content() == with_story.content()
    data["views"][-1]["steps"][0]["text"] = "First, changed."
    revision = store.save_map(Map.from_dict(data), author="a", based_on=2)
    assert revision is not None
    assert [(c.collection, c.entity_id) for c in revision.changes] == [("view", "tour")]
    assert store.get_map("demo").story("tour").steps[0].text == "First, changed."


def test_map_stamp_follows_writes_and_tells_a_remade_map_apart(
    store: Store, sample_map: Map
) -> None:
    assert store.map_stamp(sample_map.slug) is None
    store.create_map(sample_map, author="ana")
    first = store.map_stamp(sample_map.slug)
    assert first is not None and (first.version, first.visibility) == (1, "public")
    private = sample_map.model_copy(update={"visibility": "private"})
    store.save_map(private, author="ana", based_on=1, settings=True)
    second = store.map_stamp(sample_map.slug)
    assert second == (first.identity, 2, "private")
    store.delete_map(sample_map.slug, author="ana")
    assert store.map_stamp(sample_map.slug) is None
    store.create_map(sample_map, author="ana")  # the same slug, another map
    again = store.map_stamp(sample_map.slug)
    assert again is not None and again.version == 1 and again.identity != first.identity
