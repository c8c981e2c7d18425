"""``loopwise portfolio``: a funder's organisations and funding: import, and the funding gap.

Example:
    $ loopwise portfolio import breaking-the-cycle my-portfolio.xlsx
    $ loopwise portfolio gaps breaking-the-cycle --portfolio my-portfolio.csv --format json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from loopwise.cli.common import (
    AuthorOpt,
    MapArg,
    TargetOpt,
    author_name,
    clean_errors,
    console,
    escape_markup,
    load_cli_map,
    open_cli_store,
)
from loopwise.cli.output import FormatOpt, check_format, print_table

portfolio_app = typer.Typer(
    help="A funder's portfolio: import organisations and funding, see the funding gap.",
    no_args_is_help=True,
)


@portfolio_app.command("import")
@clean_errors
def portfolio_import(
    map_slug: MapArg,
    file: Annotated[Path, typer.Argument(help="The portfolio (.csv or .xlsx; see docs).")],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Update organisations already on the map from the file."),
    ] = False,
    author: AuthorOpt = None,
) -> None:
    """Add a portfolio's organisations (factors, funding) to a map, all or nothing."""
    from loopwise.reports.portfolio import apply_portfolio, read_portfolio_file

    store = open_cli_store()
    version = store.version(map_slug)
    map_ = store.get_map(map_slug)
    organisations = read_portfolio_file(file, map_)
    updated = apply_portfolio(map_, organisations, replace=replace)
    revision = store.save_map(
        updated, author=author_name(author), based_on=version,
        message=f"portfolio import {file.name}",
    )  # fmt: skip
    if revision is None:
        console.print(f"{map_slug}: no change (the portfolio matches the map)")
        return
    funding = sum(len(org.funding) for org in organisations)
    console.print(
        f"imported {len(organisations)} organisation(s) with {funding} funding figure(s) into "
        f"{map_slug}: revision {revision.number}",
        highlight=False,
    )


@portfolio_app.command("gaps")
@clean_errors
def portfolio_gaps(
    map_slug: MapArg,
    portfolio: Annotated[
        Path | None,
        typer.Option("--portfolio", help="A funder's portfolio file: which loops it touches."),
    ] = None,
    format: FormatOpt = "table",
    target: TargetOpt = None,
    currency: Annotated[str, typer.Option(help="The currency funding is added up in.")] = "GBP",
    top: Annotated[int | None, typer.Option(help="Only the N highest-leverage factors.")] = None,
) -> None:
    """Per factor: leverage and its components beside organisations and known funding."""
    from loopwise.analysis.funding import funding_gap_frame, portfolio_coverage
    from loopwise.reports.portfolio import read_portfolio_file

    check_format(format)
    map_ = load_cli_map(map_slug)
    organisations = read_portfolio_file(portfolio, map_) if portfolio is not None else None
    frame = funding_gap_frame(map_, target, portfolio=organisations, currency=currency)
    coverage = (
        portfolio_coverage(map_, organisations, gap=frame) if organisations is not None else None
    )
    shown = frame.head(top) if top else frame
    if format == "csv":
        from loopwise.formats.tables import neutralise_frame

        sys.stdout.write(neutralise_frame(shown).to_csv(float_format="%.4f", lineterminator="\n"))
        return
    if format == "json":
        document: dict[str, Any] = {
            "map": map_.slug,
            "target": frame.attrs["target"],
            "formula": frame.attrs["formula"],
            "currency": currency,
            "factors": [{"factor": fid, **_plain(row)} for fid, row in shown.iterrows()],
        }
        if coverage is not None:
            document["portfolio"] = coverage.to_dict()
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    columns = ["factor", "score", "effect", "R", "B", "reach", "evidence", "orgs",
               f"funding ({currency})"]  # fmt: skip
    if organisations is not None:
        columns.append("portfolio")
    table = Table(
        *columns, "gap / ask", title=f"Leverage on {frame.attrs['target']} and who works there"
    )
    for fid, row in shown.iterrows():
        factor = f"{escape_markup(str(row['label']))} [dim]({escape_markup(str(fid))})[/]"
        cells = [factor, f"{row['score']:.2f}",
                 f"{row['total_effect']:+.2f}", str(row["r_loops"]), str(row["b_loops"]),
                 str(row["reach"]), f"{row['evidence_strength']:.2f}", str(row["organisations"]),
                 f"{row['funding_total']:,.0f}" if row["funding_total"] else "-"]  # fmt: skip
        if organisations is not None:
            cells.append(str(row["portfolio"]))
        ask = bool(row.get("campaign_ask", False))
        cells.append("GAP" if row["gap"] else ("ASK" if ask else ""))
        table.add_row(*cells, style="bold" if row["gap"] else None)
    print_table(table)
    console.print(f"score: {escape_markup(frame.attrs['formula'])}", highlight=False)
    console.print(
        "GAP: a service or condition that ranks high and that no organisation acts on, directly "
        "or through the service feeding it; ASK: a policy that moves the outcome, a campaign "
        "ask (policies are never funding gaps)",
        highlight=False,
    )
    if coverage is not None:
        touched = [c for c in coverage.curated if c.touched]
        missed = [c for c in coverage.curated if not c.touched]
        console.print(
            f"portfolio: {len(organisations or [])} organisation(s) acting on "
            f"{len(coverage.factors)} factor(s); named loops touched {len(touched)} of "
            f"{len(coverage.curated)}; computed loops touched {coverage.computed_touched} of "
            f"{coverage.computed_touched + coverage.computed_missed}",
            highlight=False,
        )
        for c in touched:
            console.print(f"  touches  {escape_markup(c.name)}", highlight=False)
        for c in missed:
            console.print(f"  misses   {escape_markup(c.name)}", highlight=False)
        if coverage.gap_factors:
            labels = ", ".join(map_.factor(f).label for f in coverage.gap_factors)
            console.print(
                f"high leverage, nobody working on it, not in the portfolio: "
                f"{escape_markup(labels)}",
                highlight=False,
            )


def _plain(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        out[key] = value.item() if hasattr(value, "item") else value
    return out
