"""``loopwise simulate`` and ``loopwise analyse leverage`` end to end on a fresh store."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app
from loopwise.formats.loopwise_json import dumps_map
from loopwise.model import Map

runner = CliRunner()

CHAIN = {
    "slug": "chain",
    "title": "A [bold]chain[/bold]",
    "sources": [{"id": "s", "kind": "statistic", "title": "Stats"}],
    "factors": [
        {"id": "housing", "label": "Housing [red]x[/red]"},
        {"id": "employment", "label": "Employment"},
        {"id": "reoffending", "label": "Reoffending"},
        {"id": "unrelated", "label": "Unrelated"},
    ],
    "links": [
        {"from": "housing", "to": "employment", "polarity": "+", "strength": 1.0,
         "evidence": [{"source": "s", "text": "..."}]},
        {"from": "employment", "to": "reoffending", "polarity": "-", "strength": -0.5,
         "evidence": [{"source": "s", "text": "..."}]},
        {"from": "reoffending", "to": "housing", "polarity": "-", "strength": "weak"},
    ],
    "interventions": [
        {"id": "jobs", "label": "Jobs", "targets": [{"factor": "employment", "effect": 0.5}]}
    ],
    "organisations": [{"id": "o", "name": "O", "acts_on": [{"factor": "employment"}]}],
}  # fmt: skip


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(folder))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOPWISE_AUTHOR", "tester")
    monkeypatch.setenv("COLUMNS", "200")
    path = tmp_path / "chain.json"
    path.write_text(dumps_map(Map.from_dict(CHAIN)), encoding="utf-8")
    imported = runner.invoke(app, ["import", str(path)])
    assert imported.exit_code == 0, imported.output
    return folder


def run(*args: str):
    return runner.invoke(app, list(args))


def simulate_json(*args: str) -> dict:
    result = run("simulate", "chain", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------- simulate
def test_table_sorted_by_effect_with_escaped_labels() -> None:
    result = run("simulate", "chain", "--set", "housing=1", "--transfer", "tanh")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "(" in line and "│" in line]
    order = [line.split("(")[-1].split(")")[0] for line in lines]
    assert order == ["housing", "employment", "reoffending", "unrelated"]
    assert "Housing [red]x[/red]" in result.output  # user text shown literally
    assert "+1.0000" in result.output and "converged after" in result.output


def test_json_has_baseline_scenario_effect() -> None:
    doc = simulate_json("--set", "housing=1", "--transfer", "tanh")
    rows = {row["id"]: row for row in doc["factors"]}
    employment = math.tanh(1.0)
    assert rows["employment"]["effect"] == pytest.approx(employment, abs=1e-5)
    assert rows["reoffending"]["effect"] == pytest.approx(math.tanh(-0.5 * employment), abs=1e-5)
    assert rows["housing"]["baseline"] == 0 and rows["housing"]["scenario"] == 1
    assert [row["id"] for row in doc["factors"]][0] == "housing"
    assert doc["scenario"]["stop"] == "converged" and doc["settings"]["clamp"] == {"housing": 1.0}
    assert "median" not in rows["housing"]


def test_push_and_intervention_options() -> None:
    pushed = simulate_json("--push", "employment=0.5", "--transfer", "tanh")
    jobs = simulate_json("--intervention", "jobs", "--transfer", "tanh")
    assert pushed["factors"] == jobs["factors"]
    first = {row["id"]: row["effect"] for row in pushed["factors"]}
    assert first["reoffending"] < 0 < first["employment"]


def test_monte_carlo_columns_are_reproducible() -> None:
    args = ("--set", "housing=1", "--transfer", "tanh", "--samples", "200", "--seed", "4")
    one, two = simulate_json(*args), simulate_json(*args)
    assert one == two
    rows = {row["id"]: row for row in one["factors"]}
    assert rows["reoffending"]["q05"] <= rows["reoffending"]["median"] <= rows["reoffending"]["q95"]
    assert one["monte_carlo"]["samples"] == 200 and one["monte_carlo"]["seed"] == 4
    table = run("simulate", "chain", *args)
    assert table.exit_code == 0 and "95%" in table.output and "200 samples" in table.output
    assert "[m(1-u), min(1, m(1+u))]" in table.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "housing"], "--set: expected FACTOR=VALUE, got 'housing'"),
        (["--set", "housing=lots"], "--set: 'lots' is not a number (in 'housing=lots')"),
        (["--set", "=1"], "--set: expected FACTOR=VALUE"),
        (["--push", "housing=nan"], "--push: expected a finite number"),
        (["--set", "housng=1"], "unknown factor 'housng' (did you mean 'housing'?)"),
        (["--set", "housing=2"], "clamp[housing]: 2 is outside [0, 1]"),
        (["--rule", "euler"], "rule: unknown value 'euler'"),
        (["--samples", "1000000000"], "samples: expected 1..1,000,000"),
        (["--samples", "-1"], "--samples: expected 0 (none) or more"),
        (["--max-steps", "0"], "max_steps: expected 1..10,000"),
        (["--format", "xml"], "--format: must be one of table, json, csv (got 'xml')"),
        (["--intervention", "job"], "unknown intervention 'job' (did you mean 'jobs'?)"),
    ],
)
def test_bad_arguments_are_one_clear_line(args: list[str], message: str) -> None:
    result = run("simulate", "chain", *args)
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {message}" or message in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_unknown_map() -> None:
    result = run("simulate", "nope")
    assert result.exit_code == 1 and "nope" in result.output


# ---------------------------------------------------------------------------- leverage
def test_leverage_table_with_formula_footer() -> None:
    result = run("analyse", "leverage", "chain")
    assert result.exit_code == 0, result.output
    assert "Leverage on Reoffending" in result.output
    assert "score = (|total_effect|/max|total_effect|" in result.output
    assert "Housing [red]x[/red]" in result.output


def test_leverage_json_and_csv_agree() -> None:
    doc = json.loads(run("analyse", "leverage", "chain", "--format", "json").stdout)
    assert doc["target"] == "reoffending" and "score" in doc["formula"]
    ids = [row["factor"] for row in doc["factors"]]
    assert set(ids) == {"housing", "employment", "unrelated"}
    rows = list(
        csv.DictReader(io.StringIO(run("analyse", "leverage", "chain", "-f", "csv").stdout))
    )
    assert [row["factor"] for row in rows] == ids
    by_id = {row["factor"]: row for row in doc["factors"]}
    assert by_id["employment"]["organisations"] == 1 and by_id["unrelated"]["total_effect"] == 0
    assert by_id["employment"]["total_effect"] < 0  # more jobs, less reoffending


def test_leverage_top_and_target() -> None:
    doc = json.loads(
        run(
            "analyse", "leverage", "chain", "--target", "employment", "--top", "1", "-f", "json"
        ).stdout
    )
    assert doc["target"] == "employment" and len(doc["factors"]) == 1


def test_leverage_errors() -> None:
    bad = run("analyse", "leverage", "chain", "--target", "reofending")
    assert bad.exit_code == 1 and "did you mean 'reoffending'" in bad.output
    fmt = run("analyse", "leverage", "chain", "--format", "xlsx")
    assert fmt.exit_code == 1 and "--format" in fmt.output


def test_builtin_map_simulate_and_leverage() -> None:
    result = run("simulate", "breaking-the-cycle", "--push", "help-finding-accommodation=0.5",
                 "--transfer", "tanh", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)["factors"]}
    assert rows["reoffending"]["effect"] < 0
    lev = run("analyse", "leverage", "breaking-the-cycle", "--top", "5")
    assert lev.exit_code == 0 and "GAP" in lev.output
