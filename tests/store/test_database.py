"""Tests of loopwise.store.database: where the database is, URL handling, SQLite pragmas."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from loopwise.store import open_store
from loopwise.store.database import (
    create_database_engine,
    data_dir,
    mask_password,
    normalise_database_url,
    resolve_database_url,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/lw", "postgresql+psycopg://u:p@db:5432/lw"),
        ("postgresql://u@db/lw", "postgresql+psycopg://u@db/lw"),
        ("postgresql+psycopg://u@db/lw", "postgresql+psycopg://u@db/lw"),
        ("postgresql+psycopg2://u@db/lw", "postgresql+psycopg2://u@db/lw"),
        ("sqlite:///tmp/x.db", "sqlite:///tmp/x.db"),
        ("  sqlite:////abs/x.db\n", "sqlite:////abs/x.db"),
    ],
)
def test_normalise_database_url(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_explicit_url_wins_over_environment() -> None:
    env = {"LOOPWISE_DATABASE_URL": "postgres://env/db", "LOOPWISE_DATA_DIR": "/data"}
    assert resolve_database_url("sqlite:///given.db", env) == "sqlite:///given.db"
    assert resolve_database_url(None, env) == "postgresql+psycopg://env/db"


def test_data_dir_env_override(tmp_path: Path) -> None:
    env = {"LOOPWISE_DATA_DIR": str(tmp_path / "lw")}
    assert data_dir(env) == tmp_path / "lw"
    assert resolve_database_url(None, env) == f"sqlite:///{tmp_path / 'lw' / 'loopwise.db'}"


def test_default_data_dir_is_the_platform_user_data_dir() -> None:
    import platformdirs

    assert data_dir({}) == Path(platformdirs.user_data_dir("loopwise"))


def test_first_run_creates_the_data_dir_and_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new" / "data"
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(target))
    store = open_store()
    try:
        assert (target / "loopwise.db").is_file()
        assert store.list_maps() == []
        assert store.url == f"sqlite:///{target / 'loopwise.db'}"
    finally:
        store.close()


def test_database_url_env_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(tmp_path / "unused"))
    open_store().close()
    assert (tmp_path / "env.db").is_file()
    assert not (tmp_path / "unused").exists()


def test_mask_password() -> None:
    assert mask_password("postgresql+psycopg://me:secret@db/lw") == (
        "postgresql+psycopg://me:***@db/lw"
    )
    assert mask_password("sqlite:///x.db") == "sqlite:///x.db"


def test_store_url_hides_the_password() -> None:
    engine = create_database_engine("postgresql+psycopg://me:secret@127.0.0.1:1/lw")
    from loopwise.store import Store

    assert Store(engine).url == "postgresql+psycopg://me:***@127.0.0.1:1/lw"
    engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    finally:
        engine.dispose()


def test_sqlite_enforces_foreign_keys(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'fk.db'}")
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"), store.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO factors (map_id, slug, position, data, label) "
                    "VALUES (999, 'x', 0, '{}', 'X')"
                )
            )
    finally:
        store.close()


def test_sqlite_transactions_are_repeatable_reads(tmp_path: Path) -> None:
    """The sqlite3 driver's legacy mode would not BEGIN before a SELECT; ours does."""
    engine = create_database_engine(f"sqlite:///{tmp_path / 't.db'}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as reader, reader.begin():
            assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1
            with engine.begin() as writer:
                writer.execute(text("INSERT INTO t VALUES (2)"))
            assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1
    finally:
        engine.dispose()


def test_schema_is_refused_on_sqlite() -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        create_database_engine("sqlite://", schema="x")
