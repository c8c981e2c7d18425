"""``loopwise history``, ``diff``, ``restore`` and ``undo``: a map's revisions.

Example:
    $ loopwise history breaking-the-cycle
    $ loopwise diff breaking-the-cycle 1 2
    $ loopwise undo breaking-the-cycle
"""

from __future__ import annotations

import json
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
from loopwise.cli.output import (
    FormatOpt,
    check_format,
    print_table,
    write_json,
    write_rows,
)


@clean_errors
def history(map_slug: MapArg, format: FormatOpt = "table") -> None:
    """List a map's revisions: who changed what, when."""
    check_format(format)
    store = open_cli_store()
    rows = [
        {"revision": r.number, "created_at": r.created_at, "author": r.author,
         "changes": _count_changes(r.changes), "message": r.message}
        for r in store.history(map_slug)
    ]  # fmt: skip
    if write_rows(format, {"map": map_slug, "revisions": rows}, rows):
        return
    table = Table("rev", "when (UTC)", "author", "changes", "message")
    for row in rows:
        table.add_row(
            str(row["revision"]),
            f"{row['created_at']:%Y-%m-%d %H:%M:%S}",
            escape_markup(row["author"]),
            row["changes"],
            escape_markup(row["message"]),
        )
    print_table(table)


@clean_errors
def diff(
    map_slug: MapArg,
    rev1: Annotated[int, typer.Argument(help="The older revision.")],
    rev2: Annotated[int, typer.Argument(help="The newer revision.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="Output: text, or json for programs.")
    ] = "text",
) -> None:
    """Show what changed between two revisions of a map: each field's old and new value."""
    check_format(format, ("text", "json"))
    store = open_cli_store()
    changes = [_change_record(change) for change in store.diff(map_slug, rev1, rev2)]
    if format == "json":
        write_json({"map": map_slug, "from": rev1, "to": rev2, "changes": changes})
        return
    if not changes:
        console.print(f"no differences between revisions {rev1} and {rev2}")
        return
    for change in changes:
        mark = {"added": "[green]+[/]", "removed": "[red]-[/]", "changed": "[yellow]~[/]",
                "moved": "[blue]↕[/]"}[change["action"]]  # fmt: skip
        console.print(f"{mark} {change['collection']} {escape_markup(change['id'])}",
                      highlight=False, soft_wrap=True)  # fmt: skip
        for field, values in change.get("fields", {}).items():
            console.print(
                f"    {escape_markup(field)}: {escape_markup(_value_text(values['before']))} "
                f"→ {escape_markup(_value_text(values['after']))}",
                highlight=False, soft_wrap=True,
            )  # fmt: skip
        if change["action"] == "moved":
            console.print(f"    position: {change['position_before']} → "
                          f"{change['position_after']}", highlight=False)  # fmt: skip
    console.print(f"{len(changes)} change(s) from revision {rev1} to {rev2}")


#: Longer values are shortened in the text diff (``--format json`` has them whole).
VALUE_TEXT_LIMIT = 200


def _change_record(change: Any) -> dict[str, Any]:
    """A change as plain data: what, which action, and per changed field the two values."""
    record: dict[str, Any] = {
        "collection": change.collection, "id": change.entity_id, "action": change.action,
    }  # fmt: skip
    before, after = change.before or {}, change.after or {}
    if change.action == "changed":
        record["fields"] = {
            key: {"before": before.get(key), "after": after.get(key)}
            for key in sorted(before.keys() | after.keys())
            if before.get(key) != after.get(key)
        }
    elif change.action == "added":
        record["after"] = change.after
    elif change.action == "removed":
        record["before"] = change.before
    else:
        record["position_before"] = change.position_before
        record["position_after"] = change.position_after
    return record


def _value_text(value: Any) -> str:
    """A field's value as one line: JSON (so text is quoted and absence reads ``null``).

    >>> _value_text("strong"), _value_text(None), _value_text(0.5)
    ('"strong"', 'null', '0.5')
    """
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) > VALUE_TEXT_LIMIT:
        text = text[:VALUE_TEXT_LIMIT] + f"… ({len(text):,} characters; --format json shows all)"
    return text


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
