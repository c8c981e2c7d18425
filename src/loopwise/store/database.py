"""Where the database is and how to connect to it.

The URL comes from the caller, else ``LOOPWISE_DATABASE_URL``, else an SQLite file
``loopwise.db`` in the data directory (``LOOPWISE_DATA_DIR`` or the platform's user data
directory), created on first run. PostgreSQL URLs are rewritten to use psycopg 3.

SQLite connections run in WAL mode with foreign keys on and a busy timeout; every transaction
starts with an explicit ``BEGIN`` (``BEGIN IMMEDIATE`` for writes) so that reads inside it are
repeatable and two writers queue instead of failing half-way.

Example:
    >>> normalise_database_url("postgres://me:secret@db/loopwise")
    'postgresql+psycopg://me:secret@db/loopwise'
    >>> mask_password("postgresql+psycopg://me:secret@db/loopwise")
    'postgresql+psycopg://me:***@db/loopwise'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

DATABASE_URL_ENV = "LOOPWISE_DATABASE_URL"
DATA_DIR_ENV = "LOOPWISE_DATA_DIR"
DATABASE_FILE_NAME = "loopwise.db"
SQLITE_BUSY_TIMEOUT_SECONDS = 30
SQLITE_POOL_SIZE = 40
"""Connections kept open to an SQLite file: one per thread of the web server's thread pool
(40), so that busy moments do not open and close overflow connections for each request."""

WRITE_OPTION = "loopwise_write"
"""Execution option marking a connection whose transaction will write (``BEGIN IMMEDIATE``)."""


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder loopwise keeps its data in: ``LOOPWISE_DATA_DIR`` or the user data dir.

    >>> data_dir({"LOOPWISE_DATA_DIR": "/srv/loopwise"})
    PosixPath('/srv/loopwise')
    """
    env = os.environ if env is None else env
    configured = env.get(DATA_DIR_ENV)
    return (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_data_dir("loopwise"))
    )


def normalise_database_url(url: str) -> str:
    """Make ``postgres://`` and ``postgresql://`` URLs use the psycopg 3 driver.

    Other URLs (``sqlite:///path``, an explicit ``postgresql+driver://``) are left alone.
    """
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def resolve_database_url(url: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The database URL to use: ``url``, else ``LOOPWISE_DATABASE_URL``, else the default
    SQLite file in :func:`data_dir` (not created here)."""
    env = os.environ if env is None else env
    chosen = url or env.get(DATABASE_URL_ENV)
    if chosen:
        return normalise_database_url(chosen)
    return f"sqlite:///{data_dir(env) / DATABASE_FILE_NAME}"


def mask_password(url: str) -> str:
    """The URL with its password (if any) replaced by ``***``."""
    return make_url(url).render_as_string(hide_password=True)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_database_engine(
    url: str,
    *,
    schema: str | None = None,
    engine_options: Mapping[str, Any] | None = None,
) -> Engine:
    """An Engine for ``url`` (already resolved), set up for loopwise.

    ``schema`` (PostgreSQL only) puts that schema first on the ``search_path``, so that all
    tables live there (the tests use one schema per test). ``engine_options`` are passed to
    :func:`sqlalchemy.create_engine`.
    """
    options: dict[str, Any] = dict(engine_options or {})
    connect_args: dict[str, Any] = dict(options.pop("connect_args", {}))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if schema:
            raise ValueError("schema is only supported on PostgreSQL")
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        if not in_memory:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
        connect_args.setdefault("check_same_thread", False)
        if in_memory:
            options.setdefault("poolclass", StaticPool)
        elif "poolclass" not in options:
            options.setdefault("pool_size", SQLITE_POOL_SIZE)
            options.setdefault("max_overflow", SQLITE_POOL_SIZE // 4)
        engine = create_engine(url, connect_args=connect_args, **options)
        _configure_sqlite(engine)
        return engine
    if schema:
        connect_args["options"] = (
            f"{connect_args.get('options', '')} -csearch_path={schema}".strip()
        )
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, connect_args=connect_args, **options)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # let SQLAlchemy's "begin" event (below) emit BEGIN itself, instead of the sqlite3
        # driver's legacy mode that only begins before INSERT/UPDATE/DELETE
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # a writer takes the write lock at once, so two writers queue (busy timeout) rather
        # than one failing when it upgrades a read transaction to a write
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
