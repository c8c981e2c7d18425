"""Finding 5: the author of every write is the signed-in user or the token's owner; a
review's ``coder`` or an evidence item's ``coder`` naming someone else is refused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loopwise.store import Store
from loopwise.workbench import list_suggestions
from security.conftest import fill, write_bodies, write_operations


def test_accepting_as_someone_else_is_refused_and_writes_nothing(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]], suggestion: int
) -> None:
    version = store.version("demo")
    body = {"based_on": version, "version": 1, "link": "homelessness--reoffending"}
    url = f"/api/maps/demo/suggestions/{suggestion}/accept"
    forged = client.post(url, json={**body, "coder": "owner"}, headers=tokens["editor"])
    assert forged.status_code == 403 and forged.json()["where"] == "coder"
    assert store.version("demo") == version
    assert list_suggestions(store, "demo")[0].status == "suggested"
    accepted = client.post(url, json=body, headers=tokens["editor"])
    assert accepted.status_code == 200 and accepted.json()["coder"] == "editor"
    assert store.history("demo")[-1].author == "editor"
    link = store.get_map("demo").link("homelessness--reoffending")
    assert link.evidence[-1].coder == "editor"


def test_edit_and_reject_record_the_caller(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]], suggestion: int
) -> None:
    base = f"/api/maps/demo/suggestions/{suggestion}"
    for action, body in (("edit", {"version": 1, "polarity": "-"}), ("reject", {"version": 2})):
        forged = client.post(f"{base}/{action}", json={**body, "coder": "owner"},
                             headers=tokens["editor"])  # fmt: skip
        assert forged.status_code == 403, forged.text
        done = client.post(f"{base}/{action}", json={**body, "coder": "editor"},
                           headers=tokens["editor"])  # fmt: skip
        assert done.status_code == 200 and done.json()["coder"] == "editor"


def test_new_evidence_is_coded_by_its_caller(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    version = store.version("demo")
    evidence = {"source": "npc-2021", "kind": "finding", "text": "A finding", "coder": "owner"}
    forged = client.post("/api/maps/demo/links/homelessness--reoffending/evidence",
                         json={"based_on": version, "evidence": evidence},
                         headers=tokens["editor"])  # fmt: skip
    assert forged.status_code == 403 and store.version("demo") == version
    evidence["coder"] = "editor"
    done = client.post("/api/maps/demo/links/homelessness--reoffending/evidence",
                       json={"based_on": version, "evidence": evidence}, headers=tokens["editor"])  # fmt: skip
    assert done.status_code == 201


def test_every_write_in_the_spec_is_authored_by_the_caller(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]], suggestion: int
) -> None:
    first_new = store.version("demo") + 1
    for method, path in write_operations(client):
        if "/members" in path or method == "patch":
            continue  # owners only, tested elsewhere
        ids, body = write_bodies(store.version("demo"), suggestion)[(method, path)]
        if isinstance(body, dict):
            body = {**body, **({"coder": "owner"} if "suggestions" in path else {})}
        url = fill(path, ids)
        if isinstance(body, str):
            response = client.request(method, url + body, headers=tokens["editor"])
        else:
            response = client.request(method, url, json=body, headers=tokens["editor"])
        assert response.status_code < 500, (method, path, response.text)
        # with the forged coder, no suggestion write goes through
        assert not ("suggestions" in path and response.status_code < 300), (path, response.text)
    authors = {r.author for r in store.history("demo") if r.number >= first_new}
    assert authors == {"editor"}
    assert all(s.coder in (None, "editor") for s in list_suggestions(store, "demo", None))
