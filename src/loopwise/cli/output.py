"""How CLI commands print what they list: a table for people, JSON or CSV for programs.

Every listing command takes ``--format table|json|csv``. Tables never cut a cell short with
"…": on a narrow terminal text wraps and ids fold onto the next line, whole; a table printed
to a pipe is laid out :data:`loopwise.cli.common.PIPED_WIDTH` columns wide.

Example:
    >>> check_format("csv")
    'csv'
    >>> write_csv([{"id": "a", "score": 0.5}, {"id": "=b", "score": None}])
    id,score
    a,0.5
    '=b,
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Column, Table

from loopwise.errors import ValidationError

OUTPUT_FORMATS = ("table", "json", "csv")

FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="Output: table, json or csv (for programs).")
]


def check_format(value: str, allowed: Sequence[str] = OUTPUT_FORMATS) -> str:
    """``value`` if it is one of ``allowed``, else a :class:`ValidationError` naming --format.

    >>> check_format("yaml")
    Traceback (most recent call last):
    loopwise.errors.ValidationError: --format: must be one of table, json, csv (got 'yaml')
    """
    if value not in allowed:
        raise ValidationError(f"must be one of {', '.join(allowed)} (got {value!r})", "--format")
    return value


def id_column(header: str, **options: Any) -> Column:
    """A table column for ids (slugs, factor and link ids): folded onto the next line when
    the column is narrower than the id, never cut.

    >>> id_column("slug").overflow
    'fold'
    """
    return Column(header, overflow="fold", **options)


def print_table(table: Table, console: Console | None = None) -> None:
    """Print ``table`` (on the CLI's console by default) with no cell cut short: every column
    folds what does not fit onto the next line (rich's default ends it with "…").

    >>> import io
    >>> from loopwise.cli.common import CliConsole
    >>> narrow = CliConsole(file=io.StringIO(), width=16)
    >>> table = Table("link")
    >>> table.add_row("settled-accommodation--reoffending")
    >>> print_table(table, narrow)
    >>> rows = narrow.file.getvalue().splitlines()[3:-1]
    >>> "".join(row.strip("│ ") for row in rows)
    'settled-accommodation--reoffending'
    """
    from loopwise.cli import common

    for column in table.columns:
        if column.overflow == "ellipsis":
            column.overflow = "fold"
    (console or common.console).print(table)


def write_json(document: Any) -> None:
    """Print ``document`` as indented JSON (dates as ISO text) on stdout.

    >>> write_json({"slug": "a"})
    {
      "slug": "a"
    }
    """
    text = json.dumps(document, indent=2, ensure_ascii=False, default=_json_default)
    sys.stdout.write(text + "\n")


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> None:
    """Print ``rows`` as CSV on stdout: a header, then one line per row.

    Text a spreadsheet would run as a formula gets a leading ``'`` (see
    :func:`loopwise.formats.tables.neutralise_formula`); ``None`` is an empty cell.

    >>> write_csv([{"slug": "a", "links": 3}], ["slug"])
    slug
    a
    """
    from loopwise.formats.tables import neutralise_formula

    rows = list(rows)
    names = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_cell(row.get(name), neutralise_formula) for name in names])


def write_rows(format: str, document: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> bool:
    """Write a listing for programs: ``document`` as JSON for ``--format json``, ``rows`` as
    CSV for ``--format csv``; nothing for a table.

    Returns
    -------
    bool
        True when the listing was written (the caller then prints no table).

    Example:
        >>> rows = [{"slug": "a"}]
        >>> write_rows("csv", {"maps": rows}, rows)
        slug
        a
        True
        >>> write_rows("table", {"maps": rows}, rows)
        False
    """
    if format == "json":
        write_json(document)
    elif format == "csv":
        write_csv(rows)
    return format != "table"


def _csv_cell(value: Any, neutralise: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=_json_default)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return neutralise(value)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
