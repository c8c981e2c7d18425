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

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from loopwise.builtin import DEFAULT_MAP_SLUG
from loopwise.cli_support import (
    AuthorOpt,
    MapArg,
    SettingsOpt,
    author_name,
    clean_errors,
    console,
    err_console,
    escape_markup,
    open_cli_store,
)
from loopwise.errors import DuplicateIdError, ValidationError
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


# ---------------------------------------------------------------------------- commands
@app.command()
@clean_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="Worker processes (use PostgreSQL for many users)."),
    ] = 1,
) -> None:
    """Serve the maps in the store as a web site (the built-in map on first run).

    With ``--workers N`` each of N processes serves requests with its own connection pool;
    writes stay safe across them (and across machines sharing one PostgreSQL) because every
    write checks the map's version in the database.
    """
    import uvicorn

    from loopwise.warm import warm_up_in_background
    from loopwise.web.app import create_app

    store = open_cli_store()  # migrate and seed once, before any worker starts
    warm_up_in_background()  # compile the simulation kernels before the first visitor needs them
    console.print(f"loopwise: serving {len(store.list_maps())} map(s) from {store.url}")
    console.print(f"open http://{host}:{port}/ in a browser (Ctrl+C to stop)")
    if workers == 1:
        from loopwise.web.prime import prime_in_background

        served = create_app(store)
        prime_in_background(served)  # each map's canvas, loops and leverage, made in advance
        uvicorn.run(served, host=host, port=port, log_level="warning")
        return
    store.close()
    if store.engine.dialect.name == "sqlite":
        console.print("note: several workers on SQLite take turns to write; "
                      "use PostgreSQL (LOOPWISE_DATABASE_URL) to grow")  # fmt: skip
    uvicorn.run(
        "loopwise.web.app:create_app_from_env", factory=True, host=host, port=port,
        workers=workers, log_level="warning",
    )  # fmt: skip


@app.command("maps")
@clean_errors
def list_maps() -> None:
    """List the maps in the store."""
    store = open_cli_store()
    table = Table("slug", "title", "factors", "links", "version", "visibility", "updated")
    for info in store.list_maps():
        table.add_row(
            info.slug,
            escape_markup(info.title),
            str(info.factors),
            str(info.links),
            str(info.version),
            info.visibility,
            f"{info.updated_at:%Y-%m-%d %H:%M}" if info.updated_at else "",
        )
    console.print(table)


@app.command()
@clean_errors
def show(map_slug: MapArg = DEFAULT_MAP_SLUG) -> None:
    """Summarise a map: counts, themes, evidence."""
    store = open_cli_store()
    map_ = store.get_map(map_slug)
    summary = map_.summary()
    console.print(
        f"[bold]{escape_markup(map_.title)}[/] ({map_.slug}, version {store.version(map_slug)})"
    )
    if map_.description:
        console.print(escape_markup(map_.description), highlight=False)
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
            themes.add_row(escape_markup(theme.label), str(summary["themes"][theme.id]))
        console.print(themes)


@app.command("export")
@clean_errors
def export_map(
    map_slug: MapArg,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (see `loopwise formats`); default: from -o's extension, else json.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    revision: Annotated[
        int | None,
        typer.Option("--revision", "-r", help="Export the map as it was at this revision."),
    ] = None,
) -> None:
    """Export a map as loopwise JSON or another tool's format (see `loopwise formats`)."""
    from loopwise.formats import format_for_output, get_format, write_map

    if format is None:
        format = format_for_output(output) if output is not None else "json"
    if get_format(format).binary and output is None:
        raise ValidationError(
            f"{format} is a binary format: give -o FILE to write it to a file", "--output"
        )
    store = open_cli_store()
    map_ = store.map_at(map_slug, revision) if revision is not None else store.get_map(map_slug)
    data = write_map(map_, format)
    if output is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
    else:
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8")
        err_console.print(f"wrote {map_.slug} ({format}) to {output}")


@app.command("import")
@clean_errors
def import_map(
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="Input format (default: detected from the name and content)."
        ),
    ] = None,
    as_slug: Annotated[
        str | None, typer.Option("--as", help="Store the map under this slug instead of its own.")
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace an existing map of that slug (a new revision)."),
    ] = False,
    author: AuthorOpt = None,
    settings: SettingsOpt = False,
) -> None:
    """Import a map file, all or nothing: on any error nothing is written.

    With --replace the map keeps its title, description, licence and visibility unless you
    pass --settings (an old export never makes a private map public again)."""
    from loopwise.formats import read_map_report

    if as_slug is not None and not is_slug(as_slug):
        raise ValidationError(
            f"{as_slug!r} is not a valid slug (lower-case letters and digits joined by '-')", "--as"
        )
    map_, report = read_map_report(file, format)
    if as_slug is not None:
        map_ = map_.model_copy(update={"slug": as_slug})
    store = open_cli_store()
    if store.has_map(map_.slug):
        if not replace:
            raise DuplicateIdError(
                f"map {map_.slug!r} already exists; use --replace to make this file its new "
                "version, or --as SLUG to import it as another map",
                str(file),
            )
        kept = [] if settings else _settings_kept(store.get_map(map_.slug), map_)
        revision = store.save_map(
            map_, author=author_name(author), based_on=store.version(map_.slug),
            message=f"import {file.name}", settings=settings,
        )  # fmt: skip
        if kept:
            console.print(f"kept the map's {', '.join(kept)} (pass --settings to take them "
                          "from the file)", highlight=False)  # fmt: skip
        if revision is None:
            console.print(f"{map_.slug}: no change (the file matches the current version)")
            return
        console.print(
            f"replaced {map_.slug}: revision {revision.number}, {len(revision.changes)} change(s)"
        )
        _print_report(report)
        return
    revision = store.create_map(map_, author=author_name(author), message=f"import {file.name}")
    console.print(
        f"imported {map_.slug}: {len(map_.factors)} factors, {len(map_.links)} links "
        f"(revision {revision.number})"
    )
    _print_report(report)


def _settings_kept(current: Any, new: Any) -> list[str]:
    from loopwise.model.revision import OWNER_SETTINGS

    return [name for name in OWNER_SETTINGS if getattr(current, name) != getattr(new, name)]


def _print_report(report: Any) -> None:
    """The import report: what was read and what was not (see ``formats.ImportReport``)."""
    for line in report.lines():
        console.print(escape_markup(line), highlight=False, soft_wrap=True)


@app.command("formats")
@clean_errors
def list_formats() -> None:
    """List the file formats `import` reads and `export` writes."""
    from loopwise.formats import formats_table

    table = Table("format", "extensions", "read", "write", "description")
    for row in formats_table():
        table.add_row(row["name"], row["extensions"], row["read"], row["write"],
                      escape_markup(row["description"]))  # fmt: skip
    console.print(table)


@app.command()
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


@app.command()
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


@app.command()
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


@app.command()
@clean_errors
def undo(map_slug: MapArg, author: AuthorOpt = None, settings: SettingsOpt = False) -> None:
    """Undo a map's latest revision (recorded as a new revision); a change to its title,
    description, licence or visibility is undone only with --settings."""
    store = open_cli_store()
    result = store.undo(map_slug, author=author_name(author), settings=settings)
    console.print(f"undid the latest change to {map_slug}: now revision {result.number}")


@db_app.command("upgrade")
@clean_errors
def db_upgrade() -> None:
    """Create the database or bring its schema up to date (migrations)."""
    from loopwise.store import open_store

    store = open_store()
    store.upgrade()
    console.print(f"database at {store.url} is at schema {store.current_schema_revision()}")


# ---------------------------------------------------------------------------- sub-commands
# analysis and simulation commands live in their own modules; they are registered here
from loopwise.cli_analyse import analyse_app  # noqa: E402
from loopwise.cli_evidence import evidence_app  # noqa: E402
from loopwise.cli_simulate import leverage_command, simulate_command  # noqa: E402

analyse_app.command("leverage")(leverage_command)
app.add_typer(analyse_app, name="analyse")
app.command("simulate")(simulate_command)
from loopwise.cli_brief import brief_command, portfolio_app  # noqa: E402

app.command("brief")(brief_command)
app.add_typer(portfolio_app, name="portfolio")
from loopwise.cli_publish import publish_command  # noqa: E402

app.command("publish")(publish_command)
app.add_typer(evidence_app, name="evidence")
from loopwise.cli_accounts import token_app, user_app, visibility_command  # noqa: E402

app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.command("visibility")(visibility_command)


def _count_changes(changes: list[Any]) -> str:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    return ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "-"


def main() -> None:  # pragma: no cover - console entry point
    app()
