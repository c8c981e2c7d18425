"""``loopwise history``, ``diff``, ``restore`` and ``undo``: a map's revisions.

Example:
    $ loopwise history breaking-the-cycle
    $ loopwise diff breaking-the-cycle 1 2
    $ loopwise undo breaking-the-cycle
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from loopwise.cli.common import (
    AuthorOpt,
    MapArg,
    SettingsOpt,
    author_name,
    clean_errors,
    console,
    escape_markup,
    open_cli_store,
)


@clean_errors
def history(map_slug: MapArg) -> None:
    """List a map's revisions: who changed what, when."""
    store = open_cli_store()
    table = Table("rev", "when (UTC)", "author", "changes", "message")
    for revision in store.history(map_slug):
        table.add_row(
            str(revision.number),
            f"{revision.created_at:%Y-%m-%d %H:%M:%S}",
            escape_markup(revision.author),
            _count_changes(revision.changes),
            escape_markup(revision.message),
        )
    console.print(table)


@clean_errors
def diff(
    map_slug: MapArg,
    rev1: Annotated[int, typer.Argument(help="The older revision.")],
    rev2: Annotated[int, typer.Argument(help="The newer revision.")],
) -> None:
    """Show what changed between two revisions of a map."""
    store = open_cli_store()
    changes = store.diff(map_slug, rev1, rev2)
    if not changes:
        console.print(f"no differences between revisions {rev1} and {rev2}")
        return
    for change in changes:
        mark = {"added": "[green]+[/]", "removed": "[red]-[/]", "changed": "[yellow]~[/]",
                "moved": "[blue]↕[/]"}[change.action]  # fmt: skip
        detail = ""
        if change.action == "changed":
            keys = sorted(
                k for k in (change.before or {}).keys() | (change.after or {}).keys()
                if (change.before or {}).get(k) != (change.after or {}).get(k)
            )  # fmt: skip
            detail = " (" + ", ".join(keys) + ")"
        console.print(
            f"{mark} {change.collection} {escape_markup(change.entity_id)}{escape_markup(detail)}"
        )
    console.print(f"{len(changes)} change(s) from revision {rev1} to {rev2}")


@clean_errors
def restore(
    map_slug: MapArg,
    revision: Annotated[int, typer.Argument(help="The revision to go back to.")],
    author: AuthorOpt = None,
    settings: SettingsOpt = False,
) -> None:
    """Restore a map to how it was at a revision (recorded as a new revision); its title,
    description, licence and visibility too only with --settings."""
    store = open_cli_store()
    result = store.restore(map_slug, revision, author=author_name(author), settings=settings)
    if result is None:
        console.print(f"{map_slug} already matches revision {revision}; nothing changed")
        return
    console.print(
        f"restored {map_slug} to revision {revision}: now revision {result.number}, "
        f"{len(result.changes)} change(s)"
    )


@clean_errors
def undo(map_slug: MapArg, author: AuthorOpt = None, settings: SettingsOpt = False) -> None:
    """Undo a map's latest revision (recorded as a new revision); a change to its title,
    description, licence or visibility is undone only with --settings."""
    store = open_cli_store()
    result = store.undo(map_slug, author=author_name(author), settings=settings)
    console.print(f"undid the latest change to {map_slug}: now revision {result.number}")


def _count_changes(changes: list[Any]) -> str:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    return ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "-"
