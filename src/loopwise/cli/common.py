"""What every CLI command shares: consoles, the store, argument types, one-line errors.

Command modules (``cli.py`` and the sub-command modules beside it) import from here, so the
commands stay thin layers over the library.

Example:
    >>> @clean_errors
    ... def command() -> None:
    ...     raise LoopwiseError("bad thing")
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
from collections.abc import Callable, Iterator
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console, ConsoleDimensions
from rich.markup import escape

from loopwise.errors import LoopwiseError

#: The width tables are laid out for when the output is not a terminal (a pipe, a file) and
#: $COLUMNS does not say: wide enough that a row stays one line a program can read.
PIPED_WIDTH = 200


class CliConsole(Console):
    """A rich console that is :data:`PIPED_WIDTH` wide when its output is not a terminal.

    Rich falls back to 80 columns then, so ``loopwise maps | grep`` would see cut slugs.

    Example:
        >>> import io
        >>> CliConsole(file=io.StringIO(), _environ={}).width
        200
    """

    @property
    def size(self) -> ConsoleDimensions:
        size = super().size
        if self._width is None and not self.is_terminal and "COLUMNS" not in self._environ:
            return ConsoleDimensions(max(size.width, PIPED_WIDTH), size.height)
        return size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        # the base class's setter (mypy reads ``Console.size`` as the property's value)
        vars(Console)["size"].fset(self, new_size)


console = CliConsole()
err_console = CliConsole(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")

MapArg = Annotated[str, typer.Argument(help="The map's slug (see `loopwise maps`).")]
AuthorOpt = Annotated[
    str | None,
    typer.Option(
        "--author", help="Who makes the change (default: $LOOPWISE_AUTHOR or your user name)."
    ),
]

TargetOpt = Annotated[
    str | None, typer.Option("--target", help="The outcome leverage is ranked for.")
]


SettingsOpt = Annotated[
    bool,
    typer.Option(
        "--settings",
        help="Also change the map's title, description, licence and visibility (kept otherwise).",
    ),
]


def author_name(author: str | None) -> str:
    """The author recorded on a revision: the option, else $LOOPWISE_AUTHOR, else the user."""
    return author or os.environ.get("LOOPWISE_AUTHOR") or getpass.getuser() or "loopwise"


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr and return the Exit(1) to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def escape_markup(text: str) -> str:
    """Escape user text for rich's console markup."""
    return escape(text)


def clean_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's errors (and file errors) into one clear line and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except LoopwiseError as exc:
            raise fail(escape(str(exc))) from None
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            raise fail(escape(f"{where}{exc.strerror or exc}")) from None

    return wrapper


def open_cli_store() -> Any:
    """Open the configured store (created and migrated on first run) and seed the built-in
    maps it does not have yet."""
    from loopwise.store import open_store
    from loopwise.store.seed import seed_builtin_maps

    store = open_store()
    seed_builtin_maps(store)
    return store


@contextlib.contextmanager
def working(message: str) -> Iterator[None]:
    """Show a spinner and ``message`` on stderr while a slow step runs, on a terminal only:
    piped or redirected output stays clean.

    Example:
        >>> with working("reading the document"):
        ...     pass
    """
    if not err_console.is_terminal:
        yield
        return
    with err_console.status(escape(message), spinner="dots"):
        yield


def load_cli_map(slug: str) -> Any:
    """The current version of a map from the store (``UnknownIdError`` if absent)."""
    return open_cli_store().get_map(slug)
