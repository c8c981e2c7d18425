"""Listing commands: ``--format table|json|csv``, and tables that never cut an id."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LOOPWISE_AUTHOR", "tester")
    monkeypatch.delenv("COLUMNS", raising=False)
    return tmp_path


def run(*args: str):
    return runner.invoke(app, list(args))


def test_piped_maps_table_shows_the_whole_slug() -> None:
    result = run("maps")  # CliRunner's output is not a terminal, like a pipe
    assert result.exit_code == 0, result.output
    assert "breaking-the-cycle" in result.output and "…" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("maps",),
        ("analyse", "loops", "--max-length", "3"),
        ("analyse", "centrality", "--micmac"),
        ("analyse", "leverage", "--top", "5"),
        ("portfolio", "gaps", "breaking-the-cycle", "--top", "5"),
        ("evidence", "support", "breaking-the-cycle"),
    ],
)
def test_narrow_terminal_tables_fold_and_never_cut(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_folded_ids_are_whole_when_read_down_the_column(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    loops = json.loads(run("analyse", "loops", "--max-length", "3", "-f", "json").stdout)
    table = run("analyse", "loops", "--max-length", "3").stdout
    # the weakest-link column is the second-to-last: join its pieces row by row
    pieces = [line.split("│")[-3].strip() for line in table.splitlines() if line.startswith("│")]
    joined = "".join(pieces)
    for loop in loops["loops"]:
        assert loop["weakest_link"] in joined


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("maps",), "maps"),
        (("formats",), "formats"),
        (("history", "breaking-the-cycle"), "revisions"),
        (("analyse", "loops", "--max-length", "3"), "loops"),
        (("analyse", "paths", "breaking-the-cycle", "settled-accommodation", "reoffending",
          "--max-length", "3"), "paths"),
        (("evidence", "support", "breaking-the-cycle"), "links"),
        (("user", "list"), "users"),
    ],
)  # fmt: skip
def test_listings_as_json_and_csv_hold_the_same_rows(args: tuple[str, ...], key: str) -> None:
    as_json = run(*args, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)[key]
    as_csv = run(*args, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    read = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(read) == len(rows)
    if rows:
        assert list(read[0]) == list(rows[0])
        first = next(iter(rows[0]))
        assert [r[first] for r in read] == [str(r[first]) if not isinstance(r[first], list)
                                            else ";".join(r[first]) for r in rows]  # fmt: skip


def test_maps_json_names_the_builtin_map() -> None:
    maps = json.loads(run("maps", "--format", "json").stdout)["maps"]
    assert [m["slug"] for m in maps] == ["breaking-the-cycle"]
    assert maps[0]["version"] == 1 and maps[0]["visibility"] == "public"


def test_unknown_format_is_one_line() -> None:
    result = run("maps", "--format", "yaml")
    assert result.exit_code == 1
    assert result.output == "error: --format: must be one of table, json, csv (got 'yaml')\n"


def test_portfolio_gaps_says_what_a_portfolio_is_when_given_a_map(tmp_path: Path) -> None:
    exported = tmp_path / "cycle.json"
    assert run("export", "breaking-the-cycle", "-o", str(exported)).exit_code == 0
    result = run("portfolio", "gaps", "breaking-the-cycle", "--portfolio", str(exported))
    assert result.exit_code == 1
    assert "this is a JSON file (a map?), not a spreadsheet" in result.output
    assert "columns 'name' and 'factors'" in result.output
    assert "columns found" not in result.output and len(result.output.splitlines()) == 1
