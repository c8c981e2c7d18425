"""Tests of the Alembic migrations (loopwise.store.migrate)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from loopwise.errors import StoreError
from loopwise.store import Store, open_store
from loopwise.store.migrate import head_schema_revision
from loopwise.store.tables import Base

from .conftest import TestDatabase

EXPECTED_TABLES = {
    "maps", "themes", "stages", "sources", "factors", "links", "evidence", "curated_loops",
    "organisations", "organisation_actions", "interventions", "views", "revisions",
    "revision_changes", "alembic_version", "evidence_documents", "evidence_suggestions",
    "users", "sessions", "api_tokens", "map_members", "login_failures",
}  # fmt: skip


def test_head_is_the_newest_migration_file_and_the_chain_is_unbroken() -> None:
    """The head is the last file in migrations/versions, reached from 0001 one step at a time
    (a new migration that forgets its down_revision, or a second head, fails here)."""
    from alembic.script import ScriptDirectory

    from loopwise.store.migrate import MIGRATIONS_DIR, alembic_config

    files = sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("0*.py"))
    assert head_schema_revision() == files[-1]
    chain = [s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    assert chain == list(reversed(files))


def test_factors_saved_before_kinds_become_conditions(database: TestDatabase, sample_map) -> None:
    """0004 gives every factor of an older database the documented kind, in its JSON and in
    the new column; a factor that already had a kind keeps it."""
    import sqlalchemy as sa
    from alembic import command

    from loopwise.store.migrate import alembic_config

    data = sample_map.to_dict()
    data["factors"][0]["kind"] = "service"
    store = database.open()
    store.create_map(type(sample_map).from_dict(data), author="ana")
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
        rows = conn.execute(sa.text("SELECT id, slug, data FROM factors")).all()
        for row_id, slug, raw in rows:
            body = raw if isinstance(raw, dict) else __import__("json").loads(raw)
            if slug != "homelessness":
                body.pop("kind")  # as a version-1 map saved it
            conn.execute(
                sa.text("UPDATE factors SET data = :data WHERE id = :id"),
                {"data": __import__("json").dumps(body), "id": row_id},
            )
    store.upgrade()
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT slug, kind, data FROM factors ORDER BY slug")).all()
    kinds = {
        slug: (kind, (raw if isinstance(raw, dict) else __import__("json").loads(raw))["kind"])
        for slug, kind, raw in rows
    }
    assert kinds.pop("homelessness") == ("service", "service")
    assert kinds and set(kinds.values()) == {("condition", "condition")}
    assert {f.kind for f in store.get_map("demo").factors} == {"service", "condition"}


def test_fresh_sqlite_file_gets_the_whole_schema(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert tables == EXPECTED_TABLES
        assert store.current_schema_revision() == head_schema_revision()
        columns = {c["name"] for c in inspect(store.engine).get_columns("links")}
        assert {"map_id", "slug", "position", "data", "from_factor_id", "to_factor_id"} <= columns
    finally:
        store.close()


def test_migrate_false_leaves_the_database_empty(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'empty.db'}", migrate=False)
    try:
        assert store.current_schema_revision() is None
        assert inspect(store.engine).get_table_names() == []
        store.upgrade()
        assert store.current_schema_revision() == head_schema_revision()
    finally:
        store.close()


def test_upgrade_is_idempotent(database: TestDatabase, sample_map) -> None:
    store = database.open()
    store.create_map(sample_map, author="ana")
    store.upgrade()
    store.upgrade()
    again = database.open()  # opening again migrates again: a no-op
    assert again.current_schema_revision() == head_schema_revision()
    assert [m.slug for m in again.list_maps()] == ["demo"]


def test_migrations_match_the_table_definitions(store: Store) -> None:
    """Autogenerate finds nothing to do: the migration creates exactly tables.py."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="could not migrate"):
        open_store("postgresql://nobody@127.0.0.1:1/none")
