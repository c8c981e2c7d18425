"""The ``loopwise`` command line: a thin layer over the library.

Every command opens the store (created and seeded with the built-in map on first run), does
one thing, and turns any :class:`loopwise.errors.LoopwiseError` into one line on stderr and
exit code 1, having changed nothing. One module per command group; this module only puts
them together into :data:`app` (the ``loopwise`` console script).

Example:
    $ loopwise maps
    $ loopwise show breaking-the-cycle
    $ loopwise export breaking-the-cycle --format json -o map.json
"""

from __future__ import annotations

import typer

from loopwise.cli import (
    accounts,
    analyse,
    brief,
    db,
    edit,
    evidence,
    maps,
    portfolio,
    publish,
    revisions,
    serve,
    simulate,
)

app = typer.Typer(
    name="loopwise",
    help="Systems maps of social problems, with the evidence behind every link.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help, as click prints it: square brackets in help text (`[nlp]`) print as written,
    # and help does not load rich's Markdown and Pygments (half of `loopwise --help`'s time)
    rich_markup_mode=None,
)

app.command("serve")(serve.serve)
app.command("maps")(maps.list_maps)
app.command("show")(maps.show)
app.command("export")(maps.export_map)
app.command("import")(maps.import_map)
app.command("formats")(maps.list_formats)
app.command("edit")(edit.edit_command)
app.command("history")(revisions.history)
app.command("diff")(revisions.diff)
app.command("restore")(revisions.restore)
app.command("undo")(revisions.undo)
app.add_typer(db.db_app, name="db")
app.add_typer(analyse.analyse_app, name="analyse")
app.command("simulate")(simulate.simulate_command)
app.command("brief")(brief.brief_command)
app.add_typer(portfolio.portfolio_app, name="portfolio")
app.command("publish")(publish.publish_command)
app.add_typer(evidence.evidence_app, name="evidence")
app.add_typer(accounts.user_app, name="user")
app.add_typer(accounts.token_app, name="token")
app.command("visibility")(accounts.visibility_command)


def main() -> None:  # pragma: no cover - console entry point
    """Run the ``loopwise`` command line (``python -m loopwise`` does the same)."""
    app()
