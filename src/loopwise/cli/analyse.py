"""``loopwise analyse``: feedback loops, centrality (with MICMAC), paths and leverage of a map.

Thin commands over :mod:`loopwise.analysis`: each loads the map from the store, calls one
analysis function and prints a table (rich) or JSON / CSV for other programs.

Example:
    $ loopwise analyse loops breaking-the-cycle --max-length 4 --rank evidence
    $ loopwise analyse centrality breaking-the-cycle --weighted --micmac --format csv
    $ loopwise analyse paths breaking-the-cycle homelessness reoffending --format json
    $ loopwise analyse leverage breaking-the-cycle --top 10
"""

from __future__ import annotations

import json
import sys
from collections.abc import Hashable, Mapping
from typing import Annotated, Any

import typer
from rich.table import Table

from loopwise.builtin import DEFAULT_MAP_SLUG
from loopwise.cli.common import MapArg, clean_errors, console, escape_markup, load_cli_map
from loopwise.cli.output import (
    FormatOpt,
    check_format,
    id_column,
    print_table,
    write_json,
    write_rows,
)
from loopwise.errors import ValidationError

analyse_app = typer.Typer(
    help="Analyse a map: feedback loops, centrality and MICMAC, causal paths, leverage.",
    no_args_is_help=True,
)

MaxLengthOpt = Annotated[
    int | None, typer.Option("--max-length", help="Only loops / paths of at most N links.")
]


def _print_found(table: Table, any_rows: bool, summary: str, stopped_at: int | None) -> None:
    """Print ``table`` (when it has rows), then the one-line ``summary`` of what a search found,
    saying so when it ``stopped_at`` its limit with more left."""
    if any_rows:
        print_table(table)
    more = (
        f"; stopped at the limit of {stopped_at}, there are more" if stopped_at is not None else ""
    )
    console.print(summary + more, highlight=False)


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise ValidationError(f"must be one of {', '.join(allowed)} (got {value!r})", option)
    return value


def _confidence(score: float) -> str:
    return f"{score:.2f}"


@analyse_app.command("loops")
@clean_errors
def loops_command(
    map_slug: MapArg = DEFAULT_MAP_SLUG,
    max_length: MaxLengthOpt = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", help="Stop after N loops (default 100,000; output says so)."),
    ] = None,
    rank: Annotated[
        str, typer.Option("--rank", help="Order: length (shortest first) or evidence.")
    ] = "length",
    format: FormatOpt = "table",
) -> None:
    """List every feedback loop with its type (R reinforcing / B balancing / ? unknown: a link
    on it has no known polarity) and evidence."""
    from loopwise.analysis import find_feedback_loops, rank_loops

    _choice(rank, ("length", "evidence"), "--rank")
    check_format(format)
    map_ = load_cli_map(map_slug)
    search = find_feedback_loops(map_, max_length=max_length, limit=limit)
    loops = rank_loops(search, by="evidence" if rank == "evidence" else "length")
    rows = [
        {
            "factors": list(lp.factors),
            "links": list(lp.links),
            "type": lp.kind,
            "length": lp.length,
            "weakest_confidence": lp.weakest_confidence,
            "weakest_link": lp.weakest_link,
            "curated": lp.curated.name if lp.curated else None,
            "curated_id": lp.curated.id if lp.curated else None,
        }
        for lp in loops
    ]
    document = {
        "map": map_.slug,
        "total": len(loops),
        "reinforcing": search.reinforcing,
        "balancing": search.balancing,
        "unknown": search.unknown,
        "truncated": search.truncated,
        "max_length": max_length,
        "limit": search.limit,
        "loops": rows,
    }
    if write_rows(format, document, rows):
        return
    labels = {f.id: f.label for f in map_.factors}
    table = Table("#", "type", "links", "loop", "weakest", id_column("weakest link"),
                  "curated loop")  # fmt: skip
    for number, lp in enumerate(loops, start=1):
        ring = " → ".join(escape_markup(labels[f]) for f in [*lp.factors, lp.factors[0]])
        table.add_row(
            str(number),
            lp.kind,
            str(lp.length),
            ring,
            _confidence(lp.weakest_confidence),
            escape_markup(lp.weakest_link),
            escape_markup(lp.curated.name) if lp.curated else "",
        )
    _print_found(
        table,
        bool(loops),
        f"{len(loops)} loop(s) in {map_.slug}: {search.reinforcing} reinforcing (R), "
        f"{search.balancing} balancing (B)"
        + (
            f", {search.unknown} of unknown type (?: a link on it has no known polarity)"
            if search.unknown
            else ""
        ),
        search.limit if search.truncated else None,
    )


@analyse_app.command("centrality")
@clean_errors
def centrality_command(
    map_slug: MapArg = DEFAULT_MAP_SLUG,
    weighted: Annotated[
        bool, typer.Option("--weighted", help="Weight links by |strength| instead of 1.")
    ] = False,
    reach_steps: Annotated[
        int, typer.Option("--reach-steps", help="Count the factors reached within N links.")
    ] = 3,
    micmac: Annotated[
        bool,
        typer.Option("--micmac", help="Add MICMAC influence, dependence and quadrants."),
    ] = False,
    format: FormatOpt = "table",
) -> None:
    """Degree, betweenness, PageRank and reach of every factor (and MICMAC quadrants)."""
    from loopwise.analysis import CENTRALITY_COLUMNS, centrality_frame, micmac_frame

    check_format(format)
    map_ = load_cli_map(map_slug)
    frame = centrality_frame(map_, weighted=weighted, reach_steps=reach_steps)
    if micmac:
        extra = micmac_frame(map_, weighted=weighted).drop(columns="label")
        frame = frame.join(extra)
    frame = frame.sort_values(["betweenness", "reach"], ascending=False, kind="stable")
    if format == "csv":
        from loopwise.formats.tables import neutralise_frame

        sys.stdout.write(neutralise_frame(frame).to_csv(float_format="%.6g"))
        return
    if format == "json":
        write_json(
            {
                "map": map_.slug,
                "weighted": weighted,
                "reach_steps": reach_steps,
                "factors": [
                    {"id": factor_id, **_plain(row)}
                    for factor_id, row in frame.to_dict("index").items()
                ],
            }
        )
        return
    groups = [[c for c in frame.columns if c in CENTRALITY_COLUMNS and c != "label"]]
    if micmac:
        groups.append([c for c in frame.columns if c not in CENTRALITY_COLUMNS])
    for columns in groups:  # MICMAC in a second table, so that both fit a terminal
        table = Table("factor", *(c.replace("_", " ") for c in columns))
        for factor_id, row in frame.iterrows():
            table.add_row(
                escape_markup(row["label"]) + f" [dim]({escape_markup(str(factor_id))})[/]",
                *(_cell(row[c]) for c in columns),
            )
        print_table(table)
    how = "weighted by |strength|" if weighted else "unweighted"
    console.print(
        f"{len(frame)} factors in {map_.slug}, {how}; reach within {reach_steps} links",
        highlight=False,
    )


@analyse_app.command("paths")
@clean_errors
def paths_command(
    map_slug: MapArg,
    source: Annotated[str, typer.Argument(metavar="FROM", help="The factor id to start from.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="The factor id to end at.")],
    max_length: Annotated[
        int | None, typer.Option("--max-length", help="Only paths of at most N links.")
    ] = 6,
    limit: Annotated[int | None, typer.Option("--limit", help="Stop after N paths.")] = 10_000,
    format: FormatOpt = "table",
) -> None:
    """Every causal path from one factor to another, with its net sign and weakest evidence."""
    from loopwise.analysis import find_paths

    check_format(format)
    map_ = load_cli_map(map_slug)
    paths = find_paths(map_, source, target, max_length=max_length, limit=limit)
    rows = [
        {"factors": list(p.factors), "links": list(p.links), "sign": p.sign,
         "length": p.length, "weakest_confidence": p.weakest_confidence,
         "weakest_link": p.weakest_link}
        for p in paths
    ]  # fmt: skip
    document = {
        "map": map_.slug,
        "from": source,
        "to": target,
        "total": len(paths),
        "positive": paths.positive,
        "negative": paths.negative,
        "truncated": paths.truncated,
        "max_length": max_length,
        "limit": limit,
        "paths": rows,
    }
    if write_rows(format, document, rows):
        return
    labels = {f.id: f.label for f in map_.factors}
    table = Table("#", "net sign", "links", "path", "weakest", id_column("weakest link"))
    for number, path in enumerate(paths, start=1):
        table.add_row(
            str(number),
            path.sign,
            str(path.length),
            " → ".join(escape_markup(labels[f]) for f in path.factors),
            _confidence(path.weakest_confidence),
            escape_markup(path.weakest_link),
        )
    bound = f" of at most {max_length} links" if max_length is not None else ""
    _print_found(
        table,
        bool(paths),
        f"{len(paths)} path(s){bound} from {escape_markup(source)} to {escape_markup(target)}: "
        f"{paths.positive} positive (+), {paths.negative} negative (-)",
        limit if paths.truncated else None,
    )


@analyse_app.command("leverage")
@clean_errors
def leverage_command(
    map_slug: MapArg = DEFAULT_MAP_SLUG,
    target: Annotated[
        str | None, typer.Option(help="The outcome factor (default: reoffending).")
    ] = None,
    top: Annotated[int, typer.Option(help="Show the top N factors (0: all).")] = 15,
    format: FormatOpt = "table",
    include_inferences: Annotated[
        bool,
        typer.Option(
            "--include-inferences",
            help="Count links graded 'inference' (the map maker's reasoning; left out by default).",
        ),
    ] = False,
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            help="Monte Carlo samples of the link strengths: each factor's median rank, "
            "5-95% rank range and share of samples in the top five (0: none).",
        ),
    ] = 0,
    seed: Annotated[int, typer.Option(help="Seed of the samples (same seed, same result).")] = 0,
) -> None:
    """Rank factors by leverage on a target, with funding gaps and campaign asks."""
    from loopwise.analysis.leverage import leverage_frame

    check_format(format)
    if top < 0:
        raise ValidationError(f"expected 0 (all) or more, got {top}", "--top")
    if samples < 0:
        raise ValidationError(f"expected 0 (none) or more, got {samples}", "--samples")
    map_ = load_cli_map(map_slug)
    frame = leverage_frame(map_, target, include_inferences=include_inferences)
    attrs = dict(frame.attrs)
    if samples:
        from loopwise.analysis.leverage_intervals import leverage_intervals

        intervals = leverage_intervals(
            map_, target, samples=samples, seed=seed, include_inferences=include_inferences,
            leverage=frame,
        )  # fmt: skip
        frame = frame.join(intervals[["median_rank", "rank_low", "rank_high", "top_five"]])
        attrs.update(samples=samples, seed=seed, converged=intervals.attrs["converged"],
                     explained=intervals.attrs["explained"])  # fmt: skip
    shown = frame.head(top) if top else frame
    if format == "csv":
        from loopwise.formats.tables import neutralise_frame

        sys.stdout.write(neutralise_frame(shown).to_csv(float_format="%.6g"))
        return
    if format == "json":
        document = {
            "map": map_.slug,
            "target": attrs["target"],
            "formula": attrs["formula"],
            "simulation": {k: attrs[k] for k in ("push", "rule", "transfer", "lam")},
            "loops_truncated": attrs["loops_truncated"],
            "inferences_left_out": attrs["inferences_left_out"],
            **(
                {
                    "samples": samples,
                    "seed": seed,
                    "converged": attrs["converged"],
                    "explained": attrs["explained"],
                }
                if samples
                else {}
            ),
            "factors": json.loads(
                shown.reset_index().to_json(orient="records", double_precision=6)
            ),
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    target_label = map_.factor(attrs["target"]).label
    interval_columns = ["median rank", "5-95% range", "top five"] if samples else []
    table = Table("#", "factor", "kind", "effect", "R", "B", "reach", "evidence", "orgs",
                  "score", *interval_columns, "gap / ask",
                  title=f"Leverage on {escape_markup(target_label)}")  # fmt: skip
    for rank, (fid, row) in enumerate(shown.iterrows(), start=1):
        intervals_cells = (
            [f"{row['median_rank']:g}", f"{row['rank_low']}-{row['rank_high']}",
             f"{row['top_five']:.0%}"] if samples else []
        )  # fmt: skip
        table.add_row(
            str(rank),
            f"{escape_markup(row['label'])} [dim]({escape_markup(str(fid))})[/]",
            str(row["kind"]),
            f"{row['total_effect']:+.3f}",
            str(row["r_loops"]),
            str(row["b_loops"]),
            str(row["reach"]),
            f"{row['evidence_strength']:.2f}",
            str(row["organisations"]) + (" (upstream)" if row["coverage"] == "upstream" else ""),
            f"{row['score']:.3f}",
            *intervals_cells,
            "[bold red]GAP[/]" if row["gap"] else ("ASK" if row["campaign_ask"] else ""),
        )
    print_table(table)
    if samples:
        console.print(
            f"{escape_markup(attrs['explained'])} ({samples:,} samples, seed {seed}; "
            f"{attrs['converged']:.0%} of sampled runs settled)",
            highlight=False,
        )
    console.print(
        "GAP: a service or condition in the top quarter nobody acts on, directly or through a "
        "service feeding it; ASK: a policy (campaign for it, do not fund it)",
        highlight=False,
    )
    console.print(escape_markup(attrs["formula"]), highlight=False)
    console.print(
        f"effect: {attrs['target']}'s change when the factor alone is pushed by {attrs['push']} "
        f"({attrs['rule']}, {attrs['transfer']}, lambda {attrs['lam']}); negative = pushing the "
        "factor up brings the target down",
        highlight=False,
    )
    if attrs["loops_truncated"]:
        console.print("[yellow]loop counts are partial: the loop search hit its limit[/]")
    if attrs["inferences_left_out"]:
        console.print(
            f"{attrs['inferences_left_out']} link(s) graded 'inference' left out "
            "(--include-inferences counts them)",
            highlight=False,
        )


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return escape_markup(str(value))


def _plain(row: Mapping[Hashable, Any]) -> dict[str, Any]:
    """numpy scalars to plain Python numbers, for JSON."""
    return {str(k): v.item() if hasattr(v, "item") else v for k, v in row.items()}
