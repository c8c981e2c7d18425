"""Links graded ``inference`` stay out of leverage unless asked for (CLI, API, library)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from loopwise.analysis.leverage import leverage_frame
from loopwise.model import Map

MAP = {
    "slug": "inferred",
    "title": "Inferred",
    "sources": [{"id": "s", "kind": "statistic", "title": "Stats", "year": 2024}],
    "factors": [
        {"id": "housing", "label": "Settled accommodation", "kind": "condition"},
        {"id": "hunch", "label": "A hunch", "kind": "service"},
        {"id": "reoffending", "label": "Reoffending", "kind": "outcome"},
    ],
    "links": [
        {"from": "housing", "to": "reoffending", "polarity": "-", "support": "states",
         "evidence": [{"source": "s", "kind": "figure", "text": "Housed people reoffend less."}]},
        {"from": "hunch", "to": "reoffending", "polarity": "-", "support": "inference",
         "strength": "strong"},
    ],
}  # fmt: skip


def test_inference_links_are_left_out_by_default() -> None:
    m = Map.from_dict(MAP)
    frame = leverage_frame(m)
    assert frame.loc["hunch", "total_effect"] == 0
    assert frame.loc["housing", "total_effect"] < 0
    assert frame.attrs["inferences_left_out"] == 1
    with_them = leverage_frame(m, include_inferences=True)
    assert with_them.loc["hunch", "total_effect"] < 0
    assert with_them.attrs["inferences_left_out"] == 0


def test_without_inferences_drops_named_loops_that_need_them() -> None:
    data = json.loads(json.dumps(MAP))
    data["links"].append({"from": "reoffending", "to": "hunch", "polarity": "-"})
    data["loops"] = [{"id": "l", "name": "L", "factors": ["hunch", "reoffending"], "kind": "R"}]
    m = Map.from_dict(data)
    kept = m.without_inferences()
    assert [lk.id for lk in kept.links] == ["housing--reoffending", "reoffending--hunch"]
    assert kept.curated_loops == [] and len(m.curated_loops) == 1


def test_cli_and_api_leave_inferences_out_unless_asked(tmp_path, monkeypatch) -> None:
    from loopwise.cli import app
    from loopwise.store import open_store
    from loopwise.web.app import create_app

    url = f"sqlite:///{tmp_path / 'lw.db'}"
    monkeypatch.setenv("LOOPWISE_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "250")
    store = open_store(url)
    store.create_map(Map.from_dict(MAP), author="test")
    runner = CliRunner()
    result = runner.invoke(app, ["analyse", "leverage", "inferred", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["inferences_left_out"] == 1
    rows = {row["factor"]: row for row in document["factors"]}
    assert rows["hunch"]["total_effect"] == 0
    result = runner.invoke(
        app, ["analyse", "leverage", "inferred", "--format", "json", "--include-inferences"]
    )
    assert json.loads(result.output)["inferences_left_out"] == 0

    client = TestClient(create_app(store))
    body = client.get("/api/maps/inferred/leverage").json()
    assert body["settings"]["inferences_left_out"] == 1
    assert {r["factor"]: r for r in body["items"]}["hunch"]["total_effect"] == 0
    body = client.get("/api/maps/inferred/leverage?include_inferences=true").json()
    assert {r["factor"]: r for r in body["items"]}["hunch"]["total_effect"] < 0
