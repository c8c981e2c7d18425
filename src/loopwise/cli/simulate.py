"""``loopwise simulate``: a thin layer over :mod:`loopwise.simulation`.

Example:
    $ loopwise simulate breaking-the-cycle --set stable-accommodation=1 --transfer tanh
    $ loopwise simulate breaking-the-cycle --push employment=0.5 --samples 2000 --seed 1
"""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from loopwise.builtin import DEFAULT_MAP_SLUG
from loopwise.cli.common import (
    MapArg,
    clean_errors,
    console,
    err_console,
    escape_markup,
    load_cli_map,
)
from loopwise.cli.output import FormatOpt, check_format, print_table, write_csv
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
    format: FormatOpt = "table",
) -> None:
    """Simulate a scenario (fuzzy cognitive map): each factor's baseline, scenario and effect."""
    from loopwise.simulation import simulate

    check_format(format)
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

    if format == "csv":
        write_csv(
            {"id": fid, **{str(k): (v if k == "label" else _number(v)) for k, v in row.items()}}
            for fid, row in frame.iterrows()
        )
        return
    if format == "json":
        document: dict[str, Any] = {
            "map": map_.slug,
            "settings": {**result.settings, **{k: scenario[k] for k in ("clamp", "push",
                                                                      "interventions")}},
            "baseline": _run_info(result.baseline),
            "scenario": _run_info(result.scenario),
            "factors": [
                {"id": fid, **{str(k): (v if k == "label" else _number(v)) for k, v in row.items()}}
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
    print_table(table)
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
