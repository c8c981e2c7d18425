"""A loop through a link of unknown polarity is of type ``?``, never R or B (issue 15): in the
analysis (both engines), the CLI, the API, the web pages and briefs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from loopwise.analysis import find_feedback_loops
from loopwise.analysis.leverage import leverage_frame
from loopwise.cli import app
from loopwise.formats import write_map
from loopwise.model import Map
from loopwise.reports import build_brief

UNKNOWN = ["polarity:unknown"]


@pytest.fixture
def mixed() -> Map:
    """Two loops: a-b-a with known signs (B) and b-c-b through a link of unknown sign."""
    return Map.from_dict({
        "slug": "mixed", "title": "Mixed",
        "factors": [{"id": i, "label": i.upper()} for i in "abc"],
        "links": [
            {"from": "a", "to": "b", "polarity": "+"},
            {"from": "b", "to": "a", "polarity": "-"},
            {"from": "b", "to": "c", "polarity": "+", "tags": UNKNOWN},
            {"from": "c", "to": "b", "polarity": "+"},
        ],
        "loops": [{"id": "bc", "name": "Unknown one", "factors": ["b", "c"]}],
    })  # fmt: skip


@pytest.mark.parametrize("engine", ["networkx", "compiled"])
def test_both_engines_type_loops_through_unknown_links_as_unknown(mixed: Map, engine: str) -> None:
    loops = find_feedback_loops(mixed, engine=engine)
    assert [(lp.factors, lp.kind) for lp in loops] == [(("a", "b"), "B"), (("b", "c"), "?")]
    assert (loops.reinforcing, loops.balancing, loops.unknown) == (0, 1, 1)
    assert "1 ?" in repr(loops)


def test_a_known_map_has_no_unknown_loops(mixed: Map) -> None:
    data = mixed.to_dict()
    data["links"][2]["tags"] = []
    loops = find_feedback_loops(Map.from_dict(data))
    assert [lp.kind for lp in loops] == ["B", "R"] and loops.unknown == 0


def test_leverage_counts_unknown_loops_as_neither(mixed: Map) -> None:
    frame = leverage_frame(mixed, "a")
    assert frame.loc["c", "r_loops"] == 0 and frame.loc["c", "b_loops"] == 0


def test_cli_shows_question_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mixed: Map
) -> None:
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    path = tmp_path / "mixed.json"
    path.write_text(write_map(mixed, "json"))
    assert runner.invoke(app, ["import", str(path)]).exit_code == 0
    result = runner.invoke(app, ["analyse", "loops", "mixed"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "→" in line]
    assert any(" ? " in row and "B → C → B" in row for row in rows), result.output
    assert "0 reinforcing (R), 1 balancing (B), 1 of unknown type (?" in result.output
    as_json = runner.invoke(app, ["analyse", "loops", "mixed", "--format", "json"])
    import json

    document = json.loads(as_json.output)
    assert document["unknown"] == 1
    assert [lp["type"] for lp in document["loops"]] == ["B", "?"]


@pytest.fixture
def client(tmp_path: Path, mixed: Map) -> TestClient:
    from loopwise.store import open_store
    from loopwise.web.app import create_app

    store = open_store(f"sqlite:///{tmp_path / 'web.db'}")
    store.create_map(mixed, author="test")
    yield TestClient(create_app(store))
    store.close()


def test_api_and_pages_show_question_mark(client: TestClient) -> None:
    page = client.get("/api/maps/mixed/loops").json()
    assert [lp["kind"] for lp in page["items"]] == ["B", "?"]
    assert (page["reinforcing"], page["balancing"], page["unknown"]) == (0, 1, 1)
    only = client.get("/api/maps/mixed/loops", params={"kind": "?"}).json()
    assert [lp["factors"] for lp in only["items"]] == [["b", "c"]]
    curated = client.get("/api/maps/mixed/loops/curated").json()
    assert curated[0]["kind"] == "?"
    html = client.get("/maps/mixed/loops").text
    assert "? type unknown (a link has no known polarity)" in html
    assert "1 of unknown type" in html
    factor = client.get("/maps/mixed/factors/c").text
    assert "? type unknown" in factor


def test_briefs_say_the_type_is_unknown(mixed: Map) -> None:
    brief = build_brief(mixed, loop="bc")
    assert brief.loop_kind == "?"
    assert "unknown type" in brief.subtitle
    assert "reinforc" not in brief.summary.split("unknown type")[0]
