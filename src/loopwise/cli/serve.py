"""``loopwise serve``: the maps in the store as a web site.

Example:
    $ loopwise serve --port 8000
"""

from __future__ import annotations

import errno
from typing import Annotated, Any

import typer

from loopwise.cli.common import clean_errors, console, open_cli_store
from loopwise.errors import LoopwiseError, ValidationError


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

    check_port_free(host, port)  # before saying "open ...": a busy port is one line, exit 1
    store = open_cli_store()  # migrate and seed once, before any worker starts
    warm_up_in_background()  # compile the simulation kernels before the first visitor needs them
    maps = store.list_maps()
    console.print(f"loopwise: serving {len(maps)} map(s) from {store.url}")
    where = f"http://{host}:{port}/" + (f"maps/{maps[0].slug}" if len(maps) == 1 else "")
    console.print(f"open {where} in a browser (Ctrl+C to stop)", highlight=False)
    if workers == 1:
        from loopwise.web.prime import prime_in_background

        served = create_app(store)
        prime_in_background(served)  # each map's main pages, rendered in advance
        _run(uvicorn.run, served, host=host, port=port, log_level="warning")
        return
    store.close()
    if store.engine.dialect.name == "sqlite":
        console.print("note: several workers on SQLite take turns to write; "
                      "use PostgreSQL (LOOPWISE_DATABASE_URL) to grow")  # fmt: skip
    _run(
        uvicorn.run, "loopwise.web.app:create_app_from_env", factory=True, host=host,
        port=port, workers=workers, log_level="warning",
    )  # fmt: skip


def check_port_free(host: str, port: int) -> None:
    """Raise :class:`ValidationError` (``--port``) if ``host:port`` cannot be listened on.

    >>> import socket
    >>> with socket.socket() as busy:
    ...     busy.bind(("127.0.0.1", 0)); busy.listen()
    ...     check_port_free("127.0.0.1", busy.getsockname()[1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    loopwise.errors.ValidationError: --port: cannot listen on 127.0.0.1:... (in use by ...
    """
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ValidationError(f"unknown address {host!r} ({exc.strerror})", "--host") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            raise ValidationError(
                f"cannot listen on {host}:{port} ({_reason(exc)}); choose another port with --port",
                "--port",
            ) from None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "in use by another program?"
    if exc.errno == errno.EACCES:
        return "not allowed: ports below 1024 need privileges"
    return exc.strerror or str(exc)


def _run(run: Any, *args: Any, **options: Any) -> None:
    """``uvicorn.run``, with its exit on a start-up failure turned into one clear line."""
    try:
        run(*args, **options)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise LoopwiseError(
                f"the server could not start (uvicorn exit code {exc.code}); see the message above"
            ) from None
        raise
