"""``loopwise brief``: an evidence brief for a loop, a factor or a path.

Example:
    $ loopwise brief breaking-the-cycle --loop short-sentence-cycle --format pdf
    $ loopwise brief breaking-the-cycle --path settled-accommodation reoffending
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, cast

import typer

from loopwise.cli.common import (
    MapArg,
    TargetOpt,
    clean_errors,
    err_console,
    escape_markup,
    load_cli_map,
    working,
)
from loopwise.errors import ValidationError


@clean_errors
def brief_command(
    map_slug: MapArg,
    loop: Annotated[
        str | None,
        typer.Option("--loop", help="A named loop's id, or factor ids in order: a,b,c."),
    ] = None,
    factor: Annotated[str | None, typer.Option("--factor", help="A factor id.")] = None,
    path: Annotated[
        tuple[str, str] | None,
        typer.Option("--path", help="From and to factor ids: --path FROM TO."),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="html, pdf or docx (default: from -o, else html)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (default: a name from the brief)."),
    ] = None,
    target: TargetOpt = None,
    length: Annotated[
        str,
        typer.Option(
            "--length",
            help="one-page (for an MP: one A4 page, plain English) or full (default).",
        ),
    ] = "full",
) -> None:
    """Write an evidence brief for a loop, a factor or a path (HTML, PDF or DOCX)."""
    from loopwise.reports import BRIEF_FORMATS, brief_format, build_brief, render_brief

    if format is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        format = suffix if suffix in BRIEF_FORMATS else "html"
    spec = brief_format(format)
    map_ = load_cli_map(map_slug)
    if length not in ("one-page", "full"):
        raise ValidationError(f"must be one-page or full (got {length!r})", "--length")
    with working(f"writing the {format} brief"):
        brief = build_brief(
            map_, loop=loop, factor=factor, path=path, target=target,
            length=cast(Literal["one-page", "full"], length),  # checked above
        )  # fmt: skip
        data = render_brief(brief, format)  # everything is checked before a file is written
    if output is None:
        output = Path(brief.filename_stem + spec.extension)
    output.write_bytes(data)
    err_console.print(
        f"wrote {format} brief ({len(data):,} bytes, {len(brief.evidence)} evidence items) "
        f"to {escape_markup(str(output))}",
        highlight=False,
    )
