"""``loopwise db``: database maintenance.

Example:
    $ loopwise db upgrade
"""

from __future__ import annotations

import typer

from loopwise.cli.common import clean_errors, console

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@db_app.command("upgrade")
@clean_errors
def db_upgrade() -> None:
    """Create the database or bring its schema up to date (migrations)."""
    from loopwise.store import open_store

    store = open_store()
    store.upgrade()
    console.print(f"database at {store.url} is at schema {store.current_schema_revision()}")
