"""Schema migrations (Alembic), run from Python: no ``alembic.ini`` needed.

The migration scripts live in ``loopwise/store/migrations/versions``. :func:`upgrade_to_head`
brings a database up to date in one transaction; running it again does nothing.

Example:
    >>> from loopwise.store.database import create_database_engine
    >>> engine = create_database_engine("sqlite://")
    >>> current_schema_revision(engine) is None
    True
    >>> upgrade_to_head(engine)
    >>> current_schema_revision(engine) == head_schema_revision()
    True
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from loopwise.errors import StoreError
from loopwise.store.database import WRITE_OPTION

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# any fixed number: PostgreSQL sessions migrating at the same time take turns on it
_MIGRATION_LOCK_KEY = 0x100F_3153


def alembic_config() -> Config:
    """An Alembic :class:`~alembic.config.Config` pointing at loopwise's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    return config


def head_schema_revision() -> str:
    """The newest migration's id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_schema_revision(engine: Engine) -> str | None:
    """The migration the database is at (``None`` for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Apply every migration the database lacks, in one transaction.

    Raises :class:`loopwise.errors.StoreError` if a migration fails (nothing is changed).
    """
    config = alembic_config()
    try:
        writer = engine.connect().execution_options(**{WRITE_OPTION: True})
        with writer as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except StoreError:
        raise
    except Exception as exc:  # a migration failing is the store's problem, named as such
        url = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"could not migrate the database at {url}: {exc}") from exc
