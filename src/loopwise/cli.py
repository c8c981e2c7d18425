"""The ``loopwise`` command line: a thin layer over the library.

Every command opens the store (created and seeded with the built-in map on first run), does
one thing, and turns any :class:`loopwise.errors.LoopwiseError` into one line on stderr and
exit code 1, having changed nothing.

Example:
    $ loopwise maps
    $ loopwise show breaking-the-cycle
    $ loopwise export breaking-the-cycle --format json -o map.json
"""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from loopwise.builtin import DEFAULT_MAP_SLUG
from loopwise.errors import DuplicateIdError, LoopwiseError, ValidationError
from loopwise.model.ids import is_slug

app = typer.Typer(
    name="loopwise",
    help="Systems maps of social problems, with the evidence behind every link.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

MapArg = Annotated[str, typer.Argument(help="The map's slug (see `loopwise maps`).")]
AuthorOpt = Annotated[
    str | None, typer.Option("--author", help="Who makes the change (default: $LOOPWISE_AUTHOR or your user name).")
]


def _author(author: str | None) -> str:
    return author or os.environ.get("LOOPWISE_AUTHOR") or getpass.getuser() or "loopwise"


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code=1)


def _clean_errors(command: F) -> F:
    """Turn the project's errors into one clear line and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except LoopwiseError as exc:
            raise _fail(_escape(str(exc))) from None
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            raise _fail(_escape(f"{where}{exc.strerror or exc}")) from None

    return wrapper  # type: ignore[return-value]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _open_store() -> Any:
    from loopwise.store import open_store
    from loopwise.store.seed import seed_builtin_maps

    store = open_store()
    seed_builtin_maps(store)
    return store


# ---------------------------------------------------------------------------- commands
@app.command()
@_clean_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the maps in the store as a web site (the built-in map on first run)."""
    import uvicorn

    from loopwise.web.app import create_app

    store = _open_store()
    console.print(f"loopwise: serving {len(store.list_maps())} map(s) from {store.url}")
    console.print(f"open http://{host}:{port}/ in a browser (Ctrl+C to stop)")
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")


@app.command("maps")
@_clean_errors
def list_maps() -> None:
    """List the maps in the store."""
    store = _open_store()
    table = Table("slug", "title", "factors", "links", "version", "visibility", "updated")
    for info in store.list_maps():
        table.add_row(
            info.slug,
            _escape(info.title),
            str(info.factors),
            str(info.links),
            str(info.version),
            info.visibility,
            f"{info.updated_at:%Y-%m-%d %H:%M}" if info.updated_at else "",
        )
    console.print(table)


@app.command()
@_clean_errors
def show(map_slug: MapArg = DEFAULT_MAP_SLUG) -> None:
    """Summarise a map: counts, themes, evidence."""
    store = _open_store()
    map_ = store.get_map(map_slug)
    summary = map_.summary()
    console.print(f"[bold]{_escape(map_.title)}[/] ({map_.slug}, version {store.version(map_slug)})")
    if map_.description:
        console.print(_escape(map_.description), highlight=False)
    counts = Table("", "count", show_header=False)
    for key in (
        "factors",
        "links",
        "sources",
        "evidence",
        "curated_loops",
        "organisations",
        "links_with_interview_evidence",
        "links_with_literature_evidence",
        "links_without_evidence",
    ):
        counts.add_row(key.replace("_", " "), str(summary[key]))
    console.print(counts)
    if map_.themes:
        themes = Table("theme", "factors")
        for theme in map_.themes:
            themes.add_row(_escape(theme.label), str(summary["themes"][theme.id]))
        console.print(themes)


@app.command("export")
@_clean_errors
def export_map(
    map_slug: MapArg,
    format: Annotated[str, typer.Option("--format", "-f", help="Output format.")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    revision: Annotated[
        int | None, typer.Option("--revision", "-r", help="Export the map as it was at this revision.")
    ] = None,
) -> None:
    """Export a map (loopwise JSON: factors, links with polarity and evidence, sources...)."""
    from loopwise.formats import write_map

    store = _open_store()
    map_ = store.map_at(map_slug, revision) if revision is not None else store.get_map(map_slug)
    text = write_map(map_, format)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {map_.slug} ({format}) to {output}")


@app.command("import")
@_clean_errors
def import_map(
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    format: Annotated[str, typer.Option("--format", "-f", help="Input format.")] = "json",
    as_slug: Annotated[
        str | None, typer.Option("--as", help="Store the map under this slug instead of its own.")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace an existing map of that slug (a new revision).")
    ] = False,
    author: AuthorOpt = None,
) -> None:
    """Import a map file, all or nothing: on any error nothing is written."""
    from loopwise.formats import read_map

    map_ = read_map(file, format)
    if as_slug is not None:
        if not is_slug(as_slug):
            raise ValidationError(
                "ids must be lower-case letters and digits joined by '-', '_' or '.'", "--as"
            )
        map_ = map_.model_copy(update={"slug": as_slug})
    store = _open_store()
    if store.has_map(map_.slug):
        if not replace:
            raise DuplicateIdError(
                f"map {map_.slug!r} already exists; use --replace to make this file its new "
                "version, or --as SLUG to import it as another map",
                str(file),
            )
        revision = store.save_map(
            map_, author=_author(author), based_on=store.version(map_.slug),
            message=f"import {file.name}",
        )  # fmt: skip
        if revision is None:
            console.print(f"{map_.slug}: no change (the file matches the current version)")
            return
        console.print(
            f"replaced {map_.slug}: revision {revision.number}, {len(revision.changes)} change(s)"
        )
        return
    revision = store.create_map(map_, author=_author(author), message=f"import {file.name}")
    console.print(
        f"imported {map_.slug}: {len(map_.factors)} factors, {len(map_.links)} links "
        f"(revision {revision.number})"
    )


@app.command()
@_clean_errors
def history(map_slug: MapArg) -> None:
    """List a map's revisions: who changed what, when."""
    store = _open_store()
    table = Table("rev", "when (UTC)", "author", "changes", "message")
    for revision in store.history(map_slug):
        table.add_row(
            str(revision.number),
            f"{revision.created_at:%Y-%m-%d %H:%M:%S}",
            _escape(revision.author),
            _count_changes(revision.changes),
            _escape(revision.message),
        )
    console.print(table)


@app.command()
@_clean_errors
def diff(
    map_slug: MapArg,
    rev1: Annotated[int, typer.Argument(help="The older revision.")],
    rev2: Annotated[int, typer.Argument(help="The newer revision.")],
) -> None:
    """Show what changed between two revisions of a map."""
    store = _open_store()
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
        console.print(f"{mark} {change.collection} {_escape(change.entity_id)}{_escape(detail)}")
    console.print(f"{len(changes)} change(s) from revision {rev1} to {rev2}")


@app.command()
@_clean_errors
def restore(
    map_slug: MapArg,
    revision: Annotated[int, typer.Argument(help="The revision to go back to.")],
    author: AuthorOpt = None,
) -> None:
    """Restore a map to how it was at a revision (recorded as a new revision)."""
    store = _open_store()
    result = store.restore(map_slug, revision, author=_author(author))
    if result is None:
        console.print(f"{map_slug} already matches revision {revision}; nothing changed")
        return
    console.print(
        f"restored {map_slug} to revision {revision}: now revision {result.number}, "
        f"{len(result.changes)} change(s)"
    )


@app.command()
@_clean_errors
def undo(map_slug: MapArg, author: AuthorOpt = None) -> None:
    """Undo a map's latest revision (recorded as a new revision)."""
    store = _open_store()
    result = store.undo(map_slug, author=_author(author))
    console.print(f"undid the latest change to {map_slug}: now revision {result.number}")


@db_app.command("upgrade")
@_clean_errors
def db_upgrade() -> None:
    """Create the database or bring its schema up to date (migrations)."""
    from loopwise.store import open_store

    store = open_store()
    store.upgrade()
    console.print(f"database at {store.url} is at schema {store.current_schema_revision()}")


def _count_changes(changes: list[Any]) -> str:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    return ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "-"


def main() -> None:  # pragma: no cover - console entry point
    app()
