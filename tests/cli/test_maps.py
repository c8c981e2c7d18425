"""The CLI end to end, on a fresh SQLite store in a temporary data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app
from loopwise.formats.loopwise_json import dumps_map
from loopwise.model import Map

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(folder))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOPWISE_AUTHOR", "tester")
    monkeypatch.setenv("COLUMNS", "200")
    return folder


def run(*args: str):
    return runner.invoke(app, list(args))


def test_first_run_creates_the_database_and_seeds_the_builtin_map(data_dir: Path) -> None:
    result = run("maps")
    assert result.exit_code == 0, result.output
    assert "breaking-the-cycle" in result.output
    assert (data_dir / "loopwise.db").exists()


def test_show_prints_counts_and_themes() -> None:
    result = run("show", "breaking-the-cycle")
    assert result.exit_code == 0, result.output
    assert "Breaking the cycle of reoffending" in result.output
    assert "links with interview evidence" in result.output
    assert "Housing" in result.output


def test_export_json_of_the_builtin_map() -> None:
    result = run("export", "breaking-the-cycle", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert len(document["factors"]) >= 45 and len(document["links"]) >= 75
    assert all(link["evidence"] for link in document["links"])
    assert all(link["polarity"] in "+-" for link in document["links"])
    assert document["sources"] and document["organisations"]


def _write(tmp_path: Path, map_: Map, name: str = "small.json") -> Path:
    path = tmp_path / name
    path.write_text(dumps_map(map_), encoding="utf-8")
    return path


def test_import_history_diff_restore_undo(tmp_path: Path, small_map: Map) -> None:
    path = _write(tmp_path, small_map)
    assert run("import", str(path)).exit_code == 0
    again = run("import", str(path))
    assert again.exit_code == 1 and "already exists" in again.output

    changed = small_map.model_copy(deep=True)
    changed.factors[0].label = "Rough sleeping"
    result = run("import", str(_write(tmp_path, changed, "v2.json")), "--replace")
    assert result.exit_code == 0, result.output
    assert "revision 2" in result.output

    history = run("history", "small")
    assert (
        history.exit_code == 0 and "tester" in history.output and "import v2.json" in history.output
    )
    diff = run("diff", "small", "1", "2")
    assert diff.exit_code == 0, diff.output
    assert "~ factor homelessness" in diff.output
    assert 'label: "Homelessness" → "Rough sleeping"' in diff.output
    as_json = json.loads(run("diff", "small", "1", "2", "--format", "json").stdout)
    assert as_json["changes"] == [
        {"collection": "factor", "id": "homelessness", "action": "changed",
         "fields": {"label": {"before": "Homelessness", "after": "Rough sleeping"}}}
    ]  # fmt: skip

    assert run("restore", "small", "1").exit_code == 0
    exported = run("export", "small")
    assert Map.from_dict(json.loads(exported.stdout)).content() == small_map
    assert run("export", "small", "--revision", "2").stdout.count("Rough sleeping") == 1

    undo = run("undo", "small")
    assert undo.exit_code == 0, undo.output
    assert "Rough sleeping" in run("export", "small").stdout


def test_import_as_another_slug(tmp_path: Path, small_map: Map) -> None:
    result = run("import", str(_write(tmp_path, small_map)), "--as", "my-copy")
    assert result.exit_code == 0, result.output
    assert "my-copy" in run("maps").output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"slug": "broken", "title": "B", "factors": [{"id": "a", "label": "A"}], '
         '"links": [{"from": "a", "to": "zz", "polarity": "+"}]}', "refers to unknown factor 'zz'"),
        ('{"slug": "broken", "title": "B", "factors": [{"id": "a", "label": "A"}, '
         '{"id": "a", "label": "A2"}]}', "duplicate id 'a'"),
        ('{"slug": "broken", "title": "B", "factors": [{"id": "a", "label": "A"}, '
         '{"id": "b", "label": "B"}], "links": [{"from": "a", "to": "b", "polarity": "~"}]}',
         "polarity"),
        ('{"slug": "broken", ', "not valid JSON"),
    ],
)  # fmt: skip
def test_bad_import_is_one_line_and_writes_nothing(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    before = run("maps").output
    result = run("import", str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert str(path) in result.output.replace("\n", "")
    assert result.output.strip().startswith("error:")
    assert run("maps").output == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "no-such-map"), "unknown map 'no-such-map'"),
        (("export", "breaking-the-cycle", "--format", "xml"), "unknown format 'xml'"),
        (("diff", "breaking-the-cycle", "1", "99"), "unknown revision 99"),
        (("restore", "breaking-the-cycle", "42"), "unknown revision 42"),
        (("undo", "breaking-the-cycle"), "nothing to undo"),
        (("import", "/no/such/file.json"), "no such file"),
        (("import", "x.json", "--as", "Bad Slug"), "--as"),
    ],
)
def test_bad_arguments_fail_with_one_clear_line(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_db_upgrade_is_idempotent() -> None:
    first = run("db", "upgrade")
    second = run("db", "upgrade")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "schema" in second.output
