"""Reading and writing a map's entities and revisions as table rows.

These functions work inside a transaction the caller opened (see
:class:`loopwise.store.repository.Store`): :func:`load_state` reads a map's entities,
:func:`write_changes` turns a list of :class:`~loopwise.model.revision.Change` into row
inserts, updates and deletes (touching only the entities that changed), and
:func:`record_revision` / :func:`load_revisions` store and read the history.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from loopwise.model.entities import DEFAULT_FACTOR_KIND
from loopwise.model.revision import COLLECTION_ORDER, Change, EntityState, Revision
from loopwise.store.tables import (
    ENTITY_TABLES,
    EvidenceRow,
    FactorRow,
    LinkRow,
    MapRow,
    OrganisationActionRow,
    OrganisationRow,
    RevisionChangeRow,
    RevisionRow,
    SourceRow,
)

# entities whose JSON also fills rows of another table (evidence, organisation actions)
_OWNERS = ("factor", "link", "organisation")


def utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (SQLite hands back naive ones, stored as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def map_fields(meta: dict[str, Any]) -> dict[str, Any]:
    """The ``maps`` columns derived from the map entity's JSON."""
    return {"title": meta["title"], "visibility": meta.get("visibility", "public"), "meta": meta}


def load_state(conn: Connection, map_id: int, slug: str, meta: dict[str, Any]) -> EntityState:
    """Every entity of the map, as :func:`~loopwise.model.revision.decompose` would give."""
    state: EntityState = {("map", slug): (0, meta)}
    for collection, table in ENTITY_TABLES.items():
        rows = conn.execute(
            select(table.slug, table.position, table.data).where(table.map_id == map_id)
        )
        for entity_id, position, data in rows:
            state[(collection, entity_id)] = (position, data)
    return state


def write_changes(conn: Connection, map_id: int, changes: list[Change]) -> None:
    """Make the map's rows match the state after ``changes``.

    The order respects the foreign keys: mirrored rows of changed or removed owners go
    first, then entities are added or updated (things referred to first), then mirrored rows
    are written again, and removed entities are deleted last (things referring first).
    """
    by_collection: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_collection[change.collection].append(change)

    rewritten = {
        collection: [c.entity_id for c in by_collection[collection] if c.before != c.after]
        for collection in _OWNERS
    }
    _delete_mirrored_rows(conn, map_id, rewritten)

    for collection in COLLECTION_ORDER:
        present = [c for c in by_collection[collection] if c.after is not None]
        if not present:
            continue
        if collection == "map":
            assert present[0].after is not None
            conn.execute(
                update(MapRow).where(MapRow.id == map_id).values(map_fields(present[0].after))
            )
            continue
        table = ENTITY_TABLES[collection]
        factor_ids = _ids(conn, FactorRow, map_id) if collection == "link" else {}
        added = [
            {
                "map_id": map_id,
                "slug": c.entity_id,
                "position": c.position_after,
                "data": c.after,
                **_derived_columns(collection, c.after, factor_ids),
            }
            for c in present
            if c.before is None and c.after is not None
        ]
        if added:
            conn.execute(insert(table), added)
        for c in present:
            if c.before is None:
                continue
            values: dict[str, Any] = {"position": c.position_after}
            if c.before != c.after:
                assert c.after is not None
                values.update(data=c.after, **_derived_columns(collection, c.after, factor_ids))
            conn.execute(
                update(table)
                .where(table.map_id == map_id, table.slug == c.entity_id)
                .values(values)
            )

    owners_written = {
        collection: [
            c.after
            for c in by_collection[collection]
            if c.after is not None and c.before != c.after
        ]
        for collection in _OWNERS
    }
    _insert_mirrored_rows(conn, map_id, owners_written)

    for collection in reversed(COLLECTION_ORDER):
        gone = [c.entity_id for c in by_collection[collection] if c.after is None]
        if gone and collection != "map":
            table = ENTITY_TABLES[collection]
            conn.execute(delete(table).where(table.map_id == map_id, table.slug.in_(gone)))


def record_revision(
    conn: Connection,
    *,
    map_id: int,
    slug: str,
    number: int,
    author: str,
    message: str,
    changes: list[Change],
    created_at: datetime,
) -> Revision:
    """Store one revision and its changes; return it."""
    revision_id = conn.execute(
        insert(RevisionRow)
        .values(map_id=map_id, number=number, author=author, message=message, created_at=created_at)
        .returning(RevisionRow.id)
    ).scalar_one()
    conn.execute(
        insert(RevisionChangeRow),
        [
            {"revision_id": revision_id, "seq": seq, **change.model_dump()}
            for seq, change in enumerate(changes)
        ],
    )
    return Revision(
        map_slug=slug,
        number=number,
        author=author,
        created_at=utc(created_at),
        message=message,
        changes=changes,
    )


def load_revisions(
    conn: Connection, map_id: int, slug: str, *, first: int = 1, last: int | None = None
) -> list[Revision]:
    """The map's revisions numbered ``first`` to ``last`` (inclusive), oldest first."""
    bounds = [RevisionRow.map_id == map_id, RevisionRow.number >= first]
    if last is not None:
        bounds.append(RevisionRow.number <= last)
    revisions = {
        row.id: Revision(
            map_slug=slug,
            number=row.number,
            author=row.author,
            created_at=utc(row.created_at),
            message=row.message,
        )
        for row in conn.execute(select(RevisionRow).where(*bounds).order_by(RevisionRow.number))
    }
    if not revisions:
        return []
    change_rows = conn.execute(
        select(RevisionChangeRow)
        .join(RevisionRow, RevisionRow.id == RevisionChangeRow.revision_id)
        .where(*bounds)
        .order_by(RevisionChangeRow.revision_id, RevisionChangeRow.seq)
    )
    for row in change_rows:
        revisions[row.revision_id].changes.append(Change.model_validate(row, from_attributes=True))
    return list(revisions.values())


def delete_map_rows(conn: Connection, map_id: int) -> None:
    """Delete the map, its entities and its history (referring rows first)."""
    conn.execute(delete(EvidenceRow).where(EvidenceRow.map_id == map_id))
    conn.execute(delete(OrganisationActionRow).where(OrganisationActionRow.map_id == map_id))
    for collection in reversed(list(ENTITY_TABLES)):
        table = ENTITY_TABLES[collection]
        conn.execute(delete(table).where(table.map_id == map_id))
    revision_ids = select(RevisionRow.id).where(RevisionRow.map_id == map_id)
    conn.execute(delete(RevisionChangeRow).where(RevisionChangeRow.revision_id.in_(revision_ids)))
    conn.execute(delete(RevisionRow).where(RevisionRow.map_id == map_id))
    conn.execute(delete(MapRow).where(MapRow.id == map_id))


# ---------------------------------------------------------------------------- helpers


def _ids(conn: Connection, table: Any, map_id: int) -> dict[str, int]:
    """``slug -> primary key`` of one table's rows for the map."""
    return dict(conn.execute(select(table.slug, table.id).where(table.map_id == map_id)).all())


def _derived_columns(
    collection: str, data: dict[str, Any], factor_ids: dict[str, int]
) -> dict[str, Any]:
    """The queryable columns copied out of an entity's JSON."""
    if collection in ("theme", "stage", "intervention"):
        return {"label": data["label"]}
    if collection == "source":
        return {"kind": data["kind"], "title": data["title"]}
    if collection == "factor":
        return {
            "label": data["label"],
            "kind": data.get("kind", DEFAULT_FACTOR_KIND),
            "theme": data.get("theme"),
            "stage": data.get("stage"),
        }
    if collection == "link":
        return {
            "from_factor_id": factor_ids[data["from"]],
            "to_factor_id": factor_ids[data["to"]],
            "polarity": data["polarity"],
        }
    if collection == "organisation":
        return {"name": data["name"], "kind": data.get("kind", "charity")}
    if collection in ("loop", "view"):
        return {"name": data["name"]}
    raise ValueError(f"unknown collection {collection!r}")


def _delete_mirrored_rows(conn: Connection, map_id: int, owners: dict[str, list[str]]) -> None:
    if owners["link"]:
        link_ids = select(LinkRow.id).where(
            LinkRow.map_id == map_id, LinkRow.slug.in_(owners["link"])
        )
        conn.execute(delete(EvidenceRow).where(EvidenceRow.link_id.in_(link_ids)))
    if owners["factor"]:
        factor_ids = select(FactorRow.id).where(
            FactorRow.map_id == map_id, FactorRow.slug.in_(owners["factor"])
        )
        conn.execute(delete(EvidenceRow).where(EvidenceRow.factor_id.in_(factor_ids)))
    if owners["organisation"]:
        organisation_ids = select(OrganisationRow.id).where(
            OrganisationRow.map_id == map_id, OrganisationRow.slug.in_(owners["organisation"])
        )
        conn.execute(
            delete(OrganisationActionRow).where(
                OrganisationActionRow.organisation_id.in_(organisation_ids)
            )
        )


def _insert_mirrored_rows(
    conn: Connection, map_id: int, owners: dict[str, list[dict[str, Any]]]
) -> None:
    if not any(owners.values()):
        return
    source_ids = _ids(conn, SourceRow, map_id)
    factor_ids = _ids(conn, FactorRow, map_id)
    evidence: list[dict[str, Any]] = []
    for collection, table in (("link", LinkRow), ("factor", FactorRow)):
        if not owners[collection]:
            continue
        owner_ids = factor_ids if collection == "factor" else _ids(conn, table, map_id)
        for data in owners[collection]:
            for position, item in enumerate(data.get("evidence", [])):
                evidence.append(
                    {
                        "map_id": map_id,
                        "slug": item["id"],
                        "link_id": owner_ids[data["id"]] if collection == "link" else None,
                        "factor_id": owner_ids[data["id"]] if collection == "factor" else None,
                        "source_id": source_ids[item["source"]],
                        "position": position,
                        "kind": item.get("kind", "quote"),
                        "status": item.get("status", "accepted"),
                        "text": item["text"],
                    }
                )
    if evidence:
        conn.execute(insert(EvidenceRow), evidence)
    actions: list[dict[str, Any]] = []
    if owners["organisation"]:
        organisation_ids = _ids(conn, OrganisationRow, map_id)
        for data in owners["organisation"]:
            for position, action in enumerate(data.get("acts_on", [])):
                source = action.get("source")
                actions.append(
                    {
                        "map_id": map_id,
                        "organisation_id": organisation_ids[data["id"]],
                        "factor_id": factor_ids[action["factor"]],
                        "source_id": source_ids[source] if source else None,
                        "position": position,
                        "note": action.get("note", ""),
                    }
                )
    if actions:
        conn.execute(insert(OrganisationActionRow), actions)
