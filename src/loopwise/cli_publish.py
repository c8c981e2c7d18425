"""``loopwise publish``: write a map's explorer as a static site (no server needed)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from loopwise.cli_support import MapArg, clean_errors, console, open_cli_store


@clean_errors
def publish_command(
    map_slug: MapArg,
    outdir: Annotated[Path, typer.Argument(help="Folder to write the site into.")],
) -> None:
    """Publish a map as a static site (HTML, JSON, JavaScript) that works from file://."""
    from rich.progress import Progress

    from loopwise.publish import publish_site

    store = open_cli_store()
    map_ = store.get_map(map_slug)
    version = store.version(map_slug)
    start = time.perf_counter()
    with Progress(console=console, transient=True) as bar:
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
