"""``loopwise analyse``: loops, centrality and paths through the CLI, on a fresh store."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from loopwise.analysis import canonical_cycle
from loopwise.cli import app
from loopwise.model import Map

runner = CliRunner()

HAND_MAP = {
    "slug": "hand",
    "title": "Hand-computed",
    "sources": [{"id": "stats", "kind": "statistic", "title": "Stats"},
                {"id": "talk", "kind": "interview", "title": "Talk"}],
    "factors": [{"id": "a", "label": "A [bold]markup[/bold]"}, {"id": "b", "label": "B"},
                {"id": "c", "label": "C"}, {"id": "d", "label": "D"}],
    "links": [
        {"from": "a", "to": "b", "polarity": "+", "evidence": [{"source": "stats", "text": "x"}]},
        {"from": "b", "to": "a", "polarity": "-", "evidence": [{"source": "talk", "text": "x"}]},
        {"from": "b", "to": "c", "polarity": "+", "evidence": [{"source": "stats", "text": "x"}]},
        {"from": "c", "to": "d", "polarity": "-", "evidence": [{"source": "stats", "text": "x"}]},
        {"from": "d", "to": "b", "polarity": "-", "evidence": [{"source": "stats", "text": "x"}]},
    ],
    "loops": [{"id": "spiral", "name": "The [red]spiral[/red]", "factors": ["c", "d", "b"]}],
}  # fmt: skip


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(folder))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOPWISE_AUTHOR", "tester")
    monkeypatch.setenv("COLUMNS", "250")
    return folder


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def hand(tmp_path: Path) -> str:
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(Map.from_dict(HAND_MAP).to_dict()), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    return "hand"


def test_loops_json(hand: str) -> None:
    result = run("analyse", "loops", hand, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["total"], document["reinforcing"], document["balancing"]) == (2, 1, 1)
    assert document["truncated"] is False
    first, second = document["loops"]
    assert first == {
        "factors": ["a", "b"], "links": ["a--b", "b--a"], "type": "B", "length": 2,
        "weakest_confidence": 0.35, "weakest_link": "b--a", "curated": None, "curated_id": None,
    }  # fmt: skip
    assert second["factors"] == ["b", "c", "d"] and second["type"] == "R"
    assert second["curated"] == "The [red]spiral[/red]" and second["curated_id"] == "spiral"


def test_loops_ranked_by_evidence_and_bounded(hand: str) -> None:
    ranked = json.loads(run("analyse", "loops", hand, "--rank", "evidence", "-f", "json").stdout)
    assert [lp["factors"] for lp in ranked["loops"]] == [
        ["b", "c", "d"],
        ["a", "b"],
    ]  # weakest .6 > .35
    short = json.loads(run("analyse", "loops", hand, "--max-length", "2", "-f", "json").stdout)
    assert [lp["type"] for lp in short["loops"]] == ["B"]
    cut = json.loads(run("analyse", "loops", hand, "--limit", "1", "-f", "json").stdout)
    assert cut["truncated"] is True and cut["total"] == 1


def test_loops_table_escapes_user_text(hand: str) -> None:
    result = run("analyse", "loops", hand)
    assert result.exit_code == 0, result.output
    assert "A [bold]markup[/bold] → B" in result.output
    assert "The [red]spiral[/red]" in result.output
    assert "2 loop(s) in hand: 1 reinforcing (R), 1 balancing (B)" in result.output
    truncated = run("analyse", "loops", hand, "--limit", "1")
    assert "stopped at the limit of 1" in truncated.output


def test_centrality_json_csv_and_table(hand: str) -> None:
    result = run("analyse", "centrality", hand, "--format", "json", "--micmac")
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)["factors"]}
    assert rows["b"]["betweenness"] == pytest.approx(5 / 6)
    assert rows["b"]["in_degree"] == 2 and rows["a"]["reach"] == 3
    assert rows["b"]["quadrant"] == "relay" and rows["a"]["quadrant"] == "autonomous"
    csv = run("analyse", "centrality", hand, "--format", "csv", "--weighted", "--reach-steps", "1")
    frame = pd.read_csv(io.StringIO(csv.stdout), index_col="factor")
    assert frame.loc["a", "out_degree"] == 0.5 and frame.loc["b", "reach"] == 1.0
    table = run("analyse", "centrality", hand)
    assert table.exit_code == 0 and "A [bold]markup[/bold] (a)" in table.output


def test_paths(hand: str) -> None:
    document = json.loads(run("analyse", "paths", hand, "a", "d", "--format", "json").stdout)
    assert document["total"] == 1 and document["negative"] == 1
    assert document["paths"][0]["factors"] == ["a", "b", "c", "d"]
    assert document["paths"][0]["sign"] == "-"
    table = run("analyse", "paths", hand, "a", "d")
    assert "1 path(s) of at most 6 links from a to d: 0 positive (+), 1 negative (-)" in (
        table.output
    )
    none = run("analyse", "paths", hand, "a", "d", "--max-length", "2")
    assert none.exit_code == 0 and "0 path(s)" in none.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("analyse", "paths", "hand", "a", "dd"), "unknown factor 'dd' (did you mean 'd'?)"),
        (("analyse", "paths", "hand", "a", "a"), "same factor 'a'"),
        (("analyse", "loops", "no-such-map"), "unknown map 'no-such-map'"),
        (("analyse", "loops", "hand", "--rank", "size"), "--rank: must be one of"),
        (("analyse", "loops", "hand", "--format", "xml"), "--format: must be one of"),
        (("analyse", "loops", "hand", "--limit", "0"), "limit: must be a whole number"),
        (("analyse", "centrality", "hand", "--reach-steps", "-1"), "reach_steps"),
    ],
)
def test_bad_arguments_fail_with_one_clear_line(
    hand: str, args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.output.strip().startswith("error:")
    assert message in result.output.replace("\n", "")
    assert len(result.output.strip().splitlines()) <= 2


def test_builtin_map_loops_are_the_networkx_cycles() -> None:
    exported = run("export", "breaking-the-cycle", "--format", "json")
    assert exported.exit_code == 0, exported.output
    map_ = Map.from_dict(json.loads(exported.stdout))
    graph = nx.DiGraph([(lk.source_factor, lk.target_factor) for lk in map_.links])
    expected = {canonical_cycle(c) for c in nx.simple_cycles(graph)}
    polarity = {(lk.source_factor, lk.target_factor): lk.polarity for lk in map_.links}
    reinforcing = sum(
        sum(polarity[a, b] == "-" for a, b in zip(c, c[1:] + c[:1], strict=True)) % 2 == 0
        for c in expected
    )

    result = run("analyse", "loops", "breaking-the-cycle", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {tuple(lp["factors"]) for lp in document["loops"]} == expected
    assert document["total"] == len(expected) and not document["truncated"]
    assert document["reinforcing"] == reinforcing
    assert document["balancing"] == len(expected) - reinforcing

    matched = {lp["curated_id"] for lp in document["loops"] if lp["curated_id"]}
    assert map_.curated_loops and matched == {loop.id for loop in map_.curated_loops}
    kinds = {lp["curated_id"]: lp["type"] for lp in document["loops"] if lp["curated_id"]}
    assert all(kinds[loop.id] == loop.kind for loop in map_.curated_loops if loop.kind)


def test_loops_and_centrality_default_to_the_builtin_map() -> None:
    loops = runner.invoke(app, ["analyse", "loops", "--max-length", "2", "--format", "json"])
    assert loops.exit_code == 0, loops.output
    assert json.loads(loops.output)["map"] == "breaking-the-cycle"
    central = runner.invoke(app, ["analyse", "centrality", "--format", "json"])
    assert central.exit_code == 0, central.output
    assert "reoffending" in central.output
