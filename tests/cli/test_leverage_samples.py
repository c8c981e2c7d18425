"""``loopwise analyse leverage --samples N`` and ``GET .../leverage?samples=N``: each
factor's median rank, 5-95% range and share of samples in the top five."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from loopwise.builtin import load_builtin_map
from loopwise.cli import app
from loopwise.store import open_store
from loopwise.web.app import create_app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(folder))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return folder


def test_cli_prints_intervals() -> None:
    result = runner.invoke(app, ["analyse", "leverage", "breaking-the-cycle", "--samples",
                                 "100", "--top", "5"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "median rank" in result.output and "5-95% range" in result.output
    assert "top five" in result.output and "100 samples, seed 0" in result.output
    assert "nine times out of ten" in result.output
    first = next(line for line in result.output.splitlines() if line.startswith("│ 1 "))
    assert "short custodial" in first and "1-1" in first and "100%" in first and "ASK" in first


def test_cli_json_has_interval_columns() -> None:
    result = runner.invoke(app, ["analyse", "leverage", "breaking-the-cycle", "--samples",
                                 "50", "--format", "json", "--top", "3"])  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["samples"] == 50 and 0 <= doc["converged"] <= 1
    row = doc["factors"][0]
    assert {"median_rank", "rank_low", "rank_high", "top_five"} <= set(row)
    assert row["rank_low"] <= row["median_rank"] <= row["rank_high"]


def test_cli_bad_samples_is_one_line() -> None:
    result = runner.invoke(app, ["analyse", "leverage", "breaking-the-cycle", "--samples", "-3"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "--samples" in result.output


def test_api_samples(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'api.db'}")
    store.create_map(load_builtin_map(), author="test")
    client = TestClient(create_app(store))
    doc = client.get("/api/maps/breaking-the-cycle/leverage?samples=60&seed=2").json()
    assert "nine times out of ten" in doc["intervals"]
    assert all(r["rank_low"] <= r["median_rank"] <= r["rank_high"] for r in doc["items"])
    assert doc["items"][0]["top_five"] == 1.0
    plain = client.get("/api/maps/breaking-the-cycle/leverage").json()
    assert plain["items"][0]["median_rank"] is None
    assert client.get("/api/maps/breaking-the-cycle/leverage?samples=99999").status_code == 422
    page = client.get("/maps/breaking-the-cycle/leverage").text
    assert 'class="rank-range"' in page and "How sure is the ranking?" in page
    store.close()
