"""``loopwise serve``: the maps in the store as a web site.

Example:
    $ loopwise serve --port 8000
"""

from __future__ import annotations

from typing import Annotated

import typer

from loopwise.cli.common import clean_errors, console, open_cli_store


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
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
        return
    store.close()
    if store.engine.dialect.name == "sqlite":
        console.print("note: several workers on SQLite take turns to write; "
                      "use PostgreSQL (LOOPWISE_DATABASE_URL) to grow")  # fmt: skip
    uvicorn.run(
        "loopwise.web.app:create_app_from_env", factory=True, host=host, port=port,
        workers=workers, log_level="warning",
    )  # fmt: skip
