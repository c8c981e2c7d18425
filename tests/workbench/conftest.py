"""The ``store`` fixture (SQLite and PostgreSQL) of the store tests, for the workbench tests."""

from store.conftest import database, sample_map, store  # noqa: F401
