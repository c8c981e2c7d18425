"""``loopwise maps``, ``show``, ``export``, ``import`` and ``formats``: the maps in the store
and the files they come from and go to.

Example:
    $ loopwise maps
    $ loopwise show breaking-the-cycle
    $ loopwise export breaking-the-cycle --format json -o map.json
    $ loopwise import map.json --replace
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from loopwise.builtin import DEFAULT_MAP_SLUG
from loopwise.cli.common import (
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
from loopwise.cli.output import (
    FormatOpt,
    check_format,
    id_column,
    print_table,
    write_json,
    write_rows,
)
from loopwise.errors import DuplicateIdError, ValidationError


@clean_errors
def list_maps(format: FormatOpt = "table") -> None:
    """List the maps in the store."""
    check_format(format)
    store = open_cli_store()
    rows = [
        {"slug": info.slug, "title": info.title, "factors": info.factors, "links": info.links,
         "version": info.version, "visibility": info.visibility, "updated": info.updated_at}
        for info in store.list_maps()
    ]  # fmt: skip
    if write_rows(format, {"maps": rows}, rows):
        return
    table = Table(id_column("slug"), "title", "factors", "links", "version", "visibility",
                  "updated")  # fmt: skip
    for row in rows:
        table.add_row(
            row["slug"],
            escape_markup(row["title"]),
            str(row["factors"]),
            str(row["links"]),
            str(row["version"]),
            row["visibility"],
            f"{row['updated']:%Y-%m-%d %H:%M}" if row["updated"] else "",
        )
    print_table(table)


@clean_errors
def show(
    map_slug: MapArg = DEFAULT_MAP_SLUG,
    format: Annotated[str, typer.Option("--format", "-f", help="Output: table or json.")] = "table",
) -> None:
    """Summarise a map: counts, themes, evidence."""
    check_format(format, ("table", "json"))
    store = open_cli_store()
    map_ = store.get_map(map_slug)
    summary = map_.summary()
    if format == "json":
        write_json({"slug": map_.slug, "title": map_.title, "version": store.version(map_slug),
                    "description": map_.description, **summary})  # fmt: skip
        return
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
    print_table(counts)
    if map_.themes:
        themes = Table("theme", "factors")
        for theme in map_.themes:
            themes.add_row(escape_markup(theme.label), str(summary["themes"][theme.id]))
        print_table(themes)


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
    if get_format(format, writable=True).binary and output is None:
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
    from loopwise.model.ids import is_slug

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


@clean_errors
def list_formats(format: FormatOpt = "table") -> None:
    """List the file formats `import` reads and `export` writes."""
    from loopwise.formats import formats_table

    check_format(format)
    rows = formats_table()
    if write_rows(format, {"formats": rows}, rows):
        return
    table = Table(id_column("format"), "extensions", "read", "write", "description")
    for row in rows:
        table.add_row(row["name"], row["extensions"], row["read"], row["write"],
                      escape_markup(row["description"]))  # fmt: skip
    print_table(table)
