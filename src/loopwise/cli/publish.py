"""``loopwise publish``: write a map's explorer as a static site (no server needed)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from loopwise.cli.common import MapArg, clean_errors, console, err_console, fail, open_cli_store


@clean_errors
def publish_command(
    map_slug: MapArg,
    outdir: Annotated[Path, typer.Argument(help="Folder to write the site into.")],
    include_private: Annotated[
        bool,
        typer.Option("--include-private", help="Publish the map even though it is private."),
    ] = False,
) -> None:
    """Publish a map as a static site (HTML, JSON, JavaScript) that works from file://.

    A private map is refused unless ``--include-private`` is given: a static site has no
    sign-in, so anyone who gets the files can read it."""
    from rich.progress import Progress

    from loopwise.publish import publish_site

    store = open_cli_store()
    map_ = store.get_map(map_slug)
    if map_.visibility != "public" and not include_private:
        raise fail(
            f"{map_slug} is private: a static site has no sign-in; pass --include-private "
            "to publish it anyway"
        )
    version = store.version(map_slug)
    start = time.perf_counter()
    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task("writing pages", total=None)
        report = publish_site(
            map_, outdir, version=version,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )  # fmt: skip
    seconds = time.perf_counter() - start
    console.print(
        f"published {map_slug} (version {version}) to {report.outdir}: {report.pages} pages, "
        f"{report.files} files, {report.bytes / 1e6:.1f} MB in {seconds:.1f} s"
    )
    console.print(f"open {(report.outdir / 'index.html').resolve().as_uri()}")
    console.print("embed the map with:", highlight=False)
    console.print(report.embed, highlight=False, markup=False, soft_wrap=True)
