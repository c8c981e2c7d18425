"""``loopwise brief`` and ``loopwise portfolio`` through the CLI, on a fresh store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app
from loopwise.reports.pdf_brief import weasyprint_problem

runner = CliRunner()
DATA = Path(__file__).parents[1] / "data"
MAP = "breaking-the-cycle"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(folder))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOPWISE_AUTHOR", "tester")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.chdir(tmp_path)
    return folder


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (
            ["--loop", "short-sentence-cycle"],
            "brief-breaking-the-cycle-loop-short-sentence-cycle.html",
        ),
        (
            ["--factor", "financial-hardship", "--format", "docx"],
            "brief-breaking-the-cycle-factor-financial-hardship.docx",
        ),
        (
            ["--path", "financial-hardship", "reoffending"],
            "brief-breaking-the-cycle-path-financial-hardship-to-reoffending.html",
        ),
    ],
)
def test_brief_writes_a_named_file(tmp_path: Path, args: list[str], name: str) -> None:
    result = run("brief", MAP, *args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 1000
    assert f"to {name}" in result.output


def test_brief_format_from_the_output_name(tmp_path: Path) -> None:
    if weasyprint_problem():
        pytest.skip(weasyprint_problem())
    result = run("brief", MAP, "--loop", "drugs-crime-prison-cycle", "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--loop", "nope"], "unknown loop 'nope'"),
        (["--factor", "financial-hardshp"], "did you mean 'financial-hardship'"),
        (["--path", "community-safety", "help-finding-accommodation"], "no path"),
        (["--loop", "financial-hardship,reoffending"], "not a loop"),
        ([], "exactly one"),
        (["--factor", "financial-hardship", "--format", "rtf"], "unknown brief format 'rtf'"),
    ],
)
def test_brief_errors_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("brief", MAP, *args, "-o", "brief.html")
    assert result.exit_code == 1
    assert message in result.output and result.output.startswith("error:")
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "brief.html").exists()
    assert not list(tmp_path.glob("brief-*"))


def test_brief_unknown_map() -> None:
    result = run("brief", "nope", "--factor", "financial-hardship")
    assert result.exit_code == 1 and "unknown map 'nope'" in result.output


def test_portfolio_import_gaps_and_history(tmp_path: Path) -> None:
    result = run("portfolio", "import", MAP, str(DATA / "portfolio.xlsx"))
    assert result.exit_code == 0, result.output
    assert "imported 3 organisation(s) with 3 funding figure(s)" in result.output
    assert "revision 2" in result.output
    again = run("portfolio", "import", MAP, str(DATA / "portfolio.csv"))
    assert again.exit_code == 1 and "already on the map; use --replace" in again.output
    same = run("portfolio", "import", MAP, str(DATA / "portfolio.csv"), "--replace")
    assert same.exit_code == 0 and "no change" in same.output

    result = run("portfolio", "gaps", MAP, "--format", "json")
    document = json.loads(result.output)
    rows = {row["factor"]: row for row in document["factors"]}
    assert rows["settled-accommodation"]["funding_total"] == 165000.0
    assert rows["settled-accommodation"]["organisations"] == 1
    assert rows["settled-accommodation"]["gap"] is False
    assert rows["short-custodial-sentences"]["gap"] is False  # a policy: a campaign ask
    assert rows["short-custodial-sentences"]["campaign_ask"] is True
    assert "portfolio import portfolio.xlsx" in run("history", MAP).output


def test_portfolio_gaps_with_a_portfolio() -> None:
    result = run("portfolio", "gaps", MAP, "--portfolio", str(DATA / "portfolio.csv"), "--top", "5")
    assert result.exit_code == 0, result.output
    assert "Use of short custodial sentences" in result.output and "ask" in result.output.lower()
    from loopwise.analysis import find_feedback_loops
    from loopwise.builtin import load_builtin_map

    builtin = load_builtin_map(MAP)
    named = len(builtin.curated_loops)
    assert f"named loops touched {named - 1} of {named}" in result.output
    assert "touches  " + builtin.curated_loop("homeless-release-cycle").name in result.output
    assert "misses   " + builtin.curated_loop("short-sentence-cycle").name in result.output
    document = json.loads(
        run(
            "portfolio", "gaps", MAP, "--portfolio", str(DATA / "portfolio.csv"), "-f", "json"
        ).output
    )
    assert document["portfolio"]["computed_touched"] + document["portfolio"][
        "computed_missed"
    ] == len(find_feedback_loops(builtin))
    csv = run("portfolio", "gaps", MAP, "--format", "csv").output.splitlines()
    assert csv[0].startswith("factor,label,kind,score,total_effect")
    assert len(csv) == len(builtin.factors)  # a header and every factor but the target


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "portfolio-unknown-factor.csv",
            "row 2, column 'factors': unknown factor 'help-finding-acommodation' (did you mean 'help-finding-accommodation'?)",
        ),
        ("portfolio-bad-amount.csv", "row 3, column 'funding_amount': bad amount 'lots'"),
        ("no-such-file.csv", "no such file"),
    ],
)
def test_bad_portfolios_change_nothing(name: str, message: str) -> None:
    result = run("portfolio", "import", MAP, str(DATA / name))
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
    history = run("history", MAP).output
    assert "portfolio import" not in history
    gaps = run("portfolio", "gaps", MAP, "--portfolio", str(DATA / name))
    assert gaps.exit_code == 1


def test_portfolio_gaps_bad_format() -> None:
    result = run("portfolio", "gaps", MAP, "--format", "xml")
    assert result.exit_code == 1 and "must be one of table, json, csv" in result.output
