"""``loopwise simulate`` and ``loopwise analyse leverage``: thin layers over
:mod:`loopwise.simulation` and :mod:`loopwise.analysis.leverage`.

Example:
    $ loopwise simulate breaking-the-cycle --set stable-accommodation=1 --transfer tanh
    $ loopwise simulate breaking-the-cycle --push employment=0.5 --samples 2000 --seed 1
    $ loopwise analyse leverage breaking-the-cycle --top 10
"""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from loopwise.builtin import DEFAULT_MAP_SLUG
from loopwise.cli_support import (
    MapArg,
    clean_errors,
    console,
    err_console,
    escape_markup,
    load_cli_map,
)
from loopwise.errors import ValidationError

#: Show a progress bar for Monte Carlo runs of at least this many samples.
PROGRESS_FROM = 2000


def _assignments(texts: list[str], option: str) -> dict[str, float]:
    """Parse repeated ``FACTOR=VALUE`` options (a later one wins)."""
    values: dict[str, float] = {}
    for text in texts:
        factor, sep, number = text.partition("=")
        if not sep or not factor.strip():
            raise ValidationError(f"expected FACTOR=VALUE, got {text!r}", option)
        try:
            value = float(number)
        except ValueError:
            raise ValidationError(
                f"{number.strip()!r} is not a number (in {text!r})", option
            ) from None
        if not math.isfinite(value):
            raise ValidationError(f"expected a finite number, got {text!r}", option)
        values[factor.strip()] = value
    return values


def _choose(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise ValidationError(
            f"unknown value {value!r} (choose one of {', '.join(choices)})", option
        )
    return value


def _number(value: float) -> float:
    return round(float(value), 6)


@clean_errors
def simulate_command(
    map_slug: MapArg = DEFAULT_MAP_SLUG,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Clamp a factor: FACTOR=VALUE (repeatable)."),
    ] = None,
    push: Annotated[
        list[str] | None,
        typer.Option(
            "--push", help="Push a factor every step: FACTOR=VALUE in [-1, 1] (repeatable)."
        ),
    ] = None,
    intervention: Annotated[
        list[str] | None,
        typer.Option(
            "--intervention", "-i", help="Apply one of the map's interventions (repeatable)."
        ),
    ] = None,
    intervention_mode: Annotated[
        str, typer.Option("--intervention-mode", help="push or clamp the intervention targets.")
    ] = "push",
    rule: Annotated[str, typer.Option(help="Update rule: kosko, modified or rescaled.")] = "kosko",
    transfer: Annotated[
        str, typer.Option(help="Transfer: sigmoid, tanh, bivalent or trivalent.")
    ] = "sigmoid",
    lam: Annotated[float, typer.Option("--lambda", help="Slope of sigmoid / tanh.")] = 1.0,
    max_steps: Annotated[int, typer.Option("--max-steps", help="At most this many steps.")] = 100,
    threshold: Annotated[
        float, typer.Option(help="Converged when no factor changes by more than this.")
    ] = 1e-5,
    samples: Annotated[
        int, typer.Option(help="Monte Carlo samples over link uncertainty (0: none).")
    ] = 0,
    seed: Annotated[int | None, typer.Option(help="Random seed of the Monte Carlo run.")] = None,
    uncertainty: Annotated[
        float, typer.Option(help="Scale of the link weight ranges, in [0, 1].")
    ] = 1.0,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Simulate a scenario (fuzzy cognitive map): each factor's baseline, scenario and effect."""
    from loopwise.simulation import simulate

    _choose(format, ("table", "json"), "--format")
    if samples < 0:
        raise ValidationError(f"expected 0 (none) or more, got {samples}", "--samples")
    scenario: dict[str, Any] = dict(
        clamp=_assignments(set_ or [], "--set"),
        push=_assignments(push or [], "--push"),
        interventions=list(intervention or []),
        intervention_mode=intervention_mode,
        rule=rule, transfer=transfer, lam=lam, threshold=threshold, max_steps=max_steps,
    )  # fmt: skip
    map_ = load_cli_map(map_slug)
    result = simulate(map_, **scenario)
    frame = result.to_frame()
    mc = None
    if samples:
        mc = _run_monte_carlo(map_, scenario, samples, seed, uncertainty)
        frame = frame.join(mc.summary[["median", "q05", "q95"]])

    if format == "json":
        document: dict[str, Any] = {
            "map": map_.slug,
            "settings": {**result.settings, **{k: scenario[k] for k in ("clamp", "push",
                                                                      "interventions")}},
            "baseline": _run_info(result.baseline),
            "scenario": _run_info(result.scenario),
            "factors": [
                {"id": fid, **{k: (v if k == "label" else _number(v)) for k, v in row.items()}}
                for fid, row in frame.iterrows()
            ],
        }  # fmt: skip
        if mc is not None:
            document["monte_carlo"] = {
                "samples": mc.samples, "seed": mc.seed, "uncertainty": uncertainty,
                "converged_share": mc.converged_share,
            }  # fmt: skip
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return

    table = Table("factor", "baseline", "scenario", "effect",
                  *(("median", "5%", "95%") if mc is not None else ()),
                  title=f"{escape_markup(map_.title)}: scenario vs baseline")  # fmt: skip
    for fid, row in frame.iterrows():
        cells = [f"{row['baseline']:.4f}", f"{row['scenario']:.4f}", f"{row['effect']:+.4f}"]
        if mc is not None:
            cells += [f"{row['median']:+.4f}", f"{row['q05']:+.4f}", f"{row['q95']:+.4f}"]
        table.add_row(f"{escape_markup(row['label'])} [dim]({escape_markup(str(fid))})[/]", *cells)
    console.print(table)
    for name, run in (("baseline", result.baseline), ("scenario", result.scenario)):
        console.print(f"{name}: {_describe_stop(run)}", highlight=False)
    console.print(
        f"rule {rule}, transfer {transfer}, lambda {lam:g}; effect = scenario - baseline",
        highlight=False,
    )
    if mc is not None:
        console.print(
            f"Monte Carlo: {mc.samples:,} samples (seed {mc.seed}), link weights uniform in "
            "\\[m(1-u), min(1, m(1+u))], "
            f"u = {uncertainty:g} x (1 - confidence); "
            f"{mc.converged_share:.1%} of samples converged",
            highlight=False,
        )


def _run_monte_carlo(
    map_: Any, scenario: dict[str, Any], samples: int, seed: int | None, uncertainty: float
) -> Any:
    from rich.progress import Progress

    from loopwise.simulation.monte_carlo import check_monte_carlo_size, monte_carlo

    check_monte_carlo_size(map_, samples, scenario["max_steps"])
    if samples < PROGRESS_FROM:
        return monte_carlo(map_, samples=samples, seed=seed, uncertainty=uncertainty, **scenario)
    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task("Monte Carlo", total=samples)
        return monte_carlo(
            map_, samples=samples, seed=seed, uncertainty=uncertainty,
            progress=lambda done, total: bar.update(task, completed=done), **scenario,
        )  # fmt: skip


def _run_info(run: Any) -> dict[str, Any]:
    return {"steps": run.steps, "stop": run.stop, "cycle_length": run.cycle_length}


def _describe_stop(run: Any) -> str:
    if run.stop == "converged":
        return f"converged after {run.steps} steps"
    if run.stop == "cycle":
        return (
            f"[yellow]limit cycle of period {run.cycle_length}[/] found at step {run.steps} "
            "(states shown are the last step)"
        )
    return f"[yellow]not converged[/] after {run.steps} steps (raise --max-steps?)"


@clean_errors
def leverage_command(
    map_slug: MapArg = DEFAULT_MAP_SLUG,
    target: Annotated[
        str | None, typer.Option(help="The outcome factor (default: reoffending).")
    ] = None,
    top: Annotated[int, typer.Option(help="Show the top N factors (0: all).")] = 15,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
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

    _choose(format, ("table", "json", "csv"), "--format")
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
    console.print(table)
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
