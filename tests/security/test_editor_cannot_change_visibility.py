"""Finding 1: an editor cannot make a private map public (or rename it) by any write route:
undo, restore, import --replace, an accepted suggestion, or any other write in the spec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from loopwise.store import Store
from security.conftest import add_suggestion, fill, sign_in, write_bodies, write_operations

SECRET_TITLE = "Owner's private title"


def make_private(client: TestClient, owner: dict[str, str]) -> int:
    """The owner makes the public map ``demo`` private and renames it (revision 2)."""
    body = {"based_on": 1, "visibility": "private", "title": SECRET_TITLE}
    response = client.patch("/api/maps/demo", json=body, headers=owner)
    assert response.status_code == 200, response.text
    return int(response.json()["version"])


def assert_still_private(client: TestClient, store: Store) -> None:
    map_ = store.get_map("demo")
    assert (map_.visibility, map_.title) == ("private", SECRET_TITLE)
    assert client.get("/api/maps/demo").status_code == 404
    assert "demo" not in {m["slug"] for m in client.get("/api/maps").json()}


def test_every_write_route_keeps_the_owners_settings(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    make_private(client, tokens["owner"])
    suggestion = add_suggestion(store)
    ops = write_operations(client)
    known = write_bodies(0, suggestion)
    assert set(ops) <= set(known), f"add the new write routes here: {set(ops) - set(known)}"
    succeeded = []
    # the suggestion first: a restore to revision 1 removes the document's source
    for method, path in sorted(ops, key=lambda op: "accept" not in op[1]):
        ids, body = write_bodies(store.version("demo"), suggestion)[(method, path)]
        url = fill(path, ids)
        if isinstance(body, str):
            response = client.request(method, url + body, headers=tokens["editor"])
        else:
            response = client.request(method, url, json=body, headers=tokens["editor"])
        assert response.status_code < 500, (method, path, response.text)
        if response.status_code < 300:
            succeeded.append((method, path))
        assert_still_private(client, store)
    # the whole-map writes really ran (and still kept the settings)
    assert ("post", "/api/maps/{slug}/restore") in succeeded
    assert ("post", "/api/maps/{slug}/suggestions/{suggestion_id}/accept") in succeeded
    assert len(succeeded) >= 15


def test_an_editors_restore_and_undo_keep_the_map_private(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    version = make_private(client, tokens["owner"])
    editor = tokens["editor"]
    restored = client.post("/api/maps/demo/restore", json={"based_on": version, "number": 1},
                           headers=editor)  # fmt: skip
    assert restored.status_code == 200 and restored.json()["revision"] is None  # nothing else
    undone = client.post("/api/maps/demo/undo", json={"based_on": version}, headers=editor)
    assert undone.status_code == 403
    assert "only an owner can undo it" in undone.json()["detail"]
    assert store.version("demo") == version
    assert_still_private(client, store)
    # a content change, then undo it, undo the undo, restore to before the owner's change
    body = {"based_on": version, "factor": {"id": "new", "label": "New"}}
    assert client.post("/api/maps/demo/factors", json=body, headers=editor).status_code == 201
    for _ in range(2):
        current = store.version("demo")
        assert client.post("/api/maps/demo/undo", json={"based_on": current},
                           headers=editor).status_code == 200  # fmt: skip
        assert_still_private(client, store)
    restored = client.post("/api/maps/demo/restore",
                           json={"based_on": store.version("demo"), "number": 1}, headers=editor)  # fmt: skip
    assert restored.status_code == 200 and restored.json()["revision"] is not None
    assert "new" not in {f.id for f in store.get_map("demo").factors}
    assert_still_private(client, store)


def test_an_owner_still_restores_and_undoes_the_settings(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    version = make_private(client, tokens["owner"])
    undone = client.post("/api/maps/demo/undo", json={"based_on": version},
                         headers=tokens["owner"])  # fmt: skip
    assert undone.status_code == 200
    assert store.get_map("demo").visibility == "public"


def test_the_history_pages_keep_the_owners_settings(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    version = make_private(client, tokens["owner"])
    assert sign_in(client, "editor").status_code == 303
    csrf = _csrf(client)
    restore = client.post("/maps/demo/history/1/restore",
                          data={"based_on": version, "csrf_token": csrf}, follow_redirects=False)  # fmt: skip
    assert restore.status_code == 303
    undo = client.post("/maps/demo/undo", data={"based_on": version, "csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip
    assert undo.status_code == 403
    client.cookies.clear()
    assert_still_private(client, store)


def _csrf(client: TestClient) -> str:
    import re

    page = client.get("/maps/demo/history").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


@pytest.mark.parametrize("command", [["undo", "demo"], ["restore", "demo", "1"]])
def test_cli_undo_and_restore_keep_the_settings_unless_asked(
    store: Store, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from loopwise.cli import app

    monkeypatch.setenv("LOOPWISE_DATABASE_URL", str(store.engine.url))
    runner = CliRunner()
    assert runner.invoke(app, ["visibility", "demo", "private"]).exit_code == 0
    kept = runner.invoke(app, command)
    assert store.get_map("demo").visibility == "private", kept.output
    assert runner.invoke(app, [*command, "--settings"]).exit_code == 0
    assert store.get_map("demo").visibility == "public"


def test_import_replace_keeps_the_settings_unless_asked(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopwise.cli import app

    monkeypatch.setenv("LOOPWISE_DATABASE_URL", str(store.engine.url))
    old_export = tmp_path / "demo.json"
    data = store.get_map("demo").to_dict()
    data["factors"].append({"id": "new", "label": "New"})
    old_export.write_text(json.dumps(data))
    runner = CliRunner()
    assert runner.invoke(app, ["visibility", "demo", "private"]).exit_code == 0
    result = runner.invoke(app, ["import", str(old_export), "--replace"])
    assert result.exit_code == 0, result.output
    assert "kept the map's visibility" in result.output
    map_ = store.get_map("demo")
    assert map_.visibility == "private" and "new" in {f.id for f in map_.factors}
    assert runner.invoke(app, ["import", str(old_export), "--replace", "--settings"]).exit_code == 0
    assert store.get_map("demo").visibility == "public"
