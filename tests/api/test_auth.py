"""Security of the API and the pages: roles on every write, private maps, CSRF, sessions,
tokens, escaping and bad input (nothing written on any refusal)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from api.conftest import PASSWORD, sign_in
from loopwise.accounts.service import Accounts
from loopwise.store import Store

READ_ONLY_POSTS = {
    ("post", "/api/maps/{slug}/scenarios"),  # runs a simulation, stores nothing
    ("post", "/api/maps/{slug}/funding-gaps"),  # computes a table from an upload
    ("post", "/api/import-report"),  # reads an upload, reports what an import would read
}
"""The only non-GET operations that write nothing. A new write endpoint cannot slip through:
any other POST/PUT/PATCH/DELETE in the spec is tested for refusals below."""


def write_operations(client: TestClient) -> list[tuple[str, str]]:
    spec = client.get("/openapi.json").json()
    found = [
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("post", "put", "patch", "delete")
    ]
    return [op for op in found if op not in READ_ONLY_POSTS]


def fill(path: str, slug: str = "demo") -> str:
    values = {"slug": slug, "index": "0", "suggestion_id": "1", "number": "1"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "homelessness"), path)


def call(client: TestClient, method: str, path: str, headers: dict[str, str] | None = None) -> Any:
    url = fill(path)
    if method == "delete":
        return client.request(method, url + "?based_on=1", headers=headers)
    return client.request(method, url, json={"based_on": 1}, headers=headers)


def test_the_spec_lists_the_write_endpoints(client: TestClient) -> None:
    ops = write_operations(client)
    for expected in [("post", "/api/maps/{slug}/factors"), ("put", "/api/maps/{slug}/links/{link_id}"),
                     ("delete", "/api/maps/{slug}/sources/{source_id}"),
                     ("post", "/api/maps/{slug}/links/{owner_id}/evidence"),
                     ("post", "/api/maps/{slug}/organisations"), ("post", "/api/maps/{slug}/restore"),
                     ("post", "/api/maps/{slug}/undo"), ("patch", "/api/maps/{slug}"),
                     ("post", "/api/maps/{slug}/suggestions/{suggestion_id}/accept")]:  # fmt: skip
        assert expected in ops
    assert len(ops) >= 24


def test_anonymous_and_viewer_writes_are_refused_everywhere(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    before = store.version("demo")
    for method, path in write_operations(client):
        anonymous = call(client, method, path)
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        viewer = call(client, method, path, tokens["viewer"])
        assert viewer.status_code == 403, (method, path, viewer.text)
        outsider = call(client, method, path, tokens["outsider"])
        assert outsider.status_code == 403, (method, path, outsider.text)
    assert store.version("demo") == before
    assert [r.author for r in store.history("demo")] == ["seed"]


def test_editors_cannot_change_map_settings_owners_can(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    body = {"based_on": 1, "visibility": "private"}
    assert client.patch("/api/maps/demo", json=body, headers=tokens["editor"]).status_code == 403
    assert client.patch("/api/maps/demo", json=body, headers=tokens["owner"]).status_code == 200
    assert client.get("/api/maps/demo").status_code == 404


def read_paths(client: TestClient) -> list[str]:
    spec = client.get("/openapi.json").json()
    return [path for path, item in spec["paths"].items() if "get" in item and "{slug}" in path]


def test_private_maps_are_404_to_outsiders_everywhere(
    client: TestClient, tokens: dict[str, dict[str, str]]
) -> None:
    pages = ["/maps/secret", "/maps/secret/canvas", "/maps/secret/text", "/maps/secret/loops",
             "/maps/secret/factors/homelessness", "/maps/secret/history",
             "/maps/secret/history/1", "/maps/secret/paths?from=stigma&to=reoffending",
             "/maps/secret/edit", "/maps/secret/review", "/maps/secret/embed"]  # fmt: skip
    api = [fill(path, "secret") for path in read_paths(client)]
    assert "/api/maps/secret/history" in api and "/api/maps/secret/brief" in api
    for headers in ({}, tokens["outsider"]):
        for url in pages + api:
            response = client.get(url, headers=headers, follow_redirects=False)
            assert response.status_code == 404, (url, response.status_code)
            assert "Secret map" not in response.text and "Homelessness" not in response.text
        assert "secret" not in {m["slug"] for m in client.get("/api/maps", headers=headers).json()}
        assert "Secret map" not in client.get("/", headers=headers).text
        assert client.get("/api/maps/secret/factors?q=home", headers=headers).status_code == 404
    # members read it
    assert client.get("/api/maps/secret", headers=tokens["viewer"]).status_code == 200
    assert client.get("/api/maps/secret/history", headers=tokens["viewer"]).status_code == 200
    listed = client.get("/api/maps", headers=tokens["viewer"]).json()
    assert {m["slug"] for m in listed} == {"demo", "secret"}


def test_private_map_write_by_outsider_is_404_not_403(
    client: TestClient, tokens: dict[str, dict[str, str]]
) -> None:
    body = {"based_on": 1, "factor": {"id": "x", "label": "X"}}
    assert client.post("/api/maps/secret/factors", json=body).status_code == 404
    assert (
        client.post("/api/maps/secret/factors", json=body, headers=tokens["outsider"]).status_code
        == 404
    )
    assert (
        client.post("/api/maps/secret/factors", json=body, headers=tokens["viewer"]).status_code
        == 403
    )
    assert (
        client.post("/api/maps/secret/factors", json=body, headers=tokens["editor"]).status_code
        == 201
    )


def csrf_of(client: TestClient) -> str:
    page = client.get("/maps/demo/edit").text
    return re.search(r'data-csrf="([^"]+)"', page).group(1)


def test_browser_writes_need_the_csrf_token(client: TestClient, store: Store) -> None:
    assert sign_in(client, "editor").status_code == 303
    body = {"based_on": 1, "factor": {"id": "x", "label": "X"}}
    assert client.post("/api/maps/demo/factors", json=body).status_code == 403
    wrong = {"X-CSRF-Token": "not-the-token"}
    assert client.post("/api/maps/demo/factors", json=body, headers=wrong).status_code == 403
    assert store.version("demo") == 1
    right = {"X-CSRF-Token": csrf_of(client)}
    assert client.post("/api/maps/demo/factors", json=body, headers=right).status_code == 201
    # history forms too
    assert client.post("/maps/demo/undo", data={"based_on": "2"}).status_code == 403
    form = {"based_on": "2", "csrf_token": csrf_of(client)}
    assert client.post("/maps/demo/undo", data=form, follow_redirects=False).status_code == 303
    assert store.history("demo")[-1].author == "editor"


def test_login_needs_csrf_and_the_right_password(client: TestClient) -> None:
    no_token = client.post("/login", data={"name": "editor", "password": PASSWORD})
    assert no_token.status_code == 403
    assert sign_in(client, "editor", "wrong password!").status_code == 401
    assert "loopwise_session" not in client.cookies
    redirect = client.get("/login")
    csrf = client.cookies.get("loopwise_login_csrf")
    evil = client.post("/login", data={"name": "editor", "password": PASSWORD, "csrf_token": csrf,
                                       "next": "//evil.example/"}, follow_redirects=False)  # fmt: skip
    assert redirect.status_code == 200 and evil.headers["location"] == "/"


def test_session_fixation_is_refused(client: TestClient, store: Store) -> None:
    planted = "attacker-chosen-session-id"
    client.cookies.set("loopwise_session", planted, domain="testserver.local")
    response = sign_in(client, "editor")
    assert response.status_code == 303
    assert client.cookies.get("loopwise_session") != planted
    assert planted not in response.headers["set-cookie"]
    assert Accounts(store).session_for(planted) is None
    # a stolen old session cookie dies at sign-in and at sign-out
    old = client.cookies.get("loopwise_session")
    assert sign_in(client, "editor").status_code == 303
    assert Accounts(store).session_for(old) is None
    current = client.cookies.get("loopwise_session")
    form = {"csrf_token": csrf_of(client)}
    assert client.post("/logout", data=form, follow_redirects=False).status_code == 303
    assert Accounts(store).session_for(current) is None


def test_revoked_token_is_refused(client: TestClient, store: Store) -> None:
    accounts = Accounts(store)
    secret = accounts.create_token("editor", "script")
    headers = {"Authorization": "Bearer " + secret}
    body = {"based_on": 1, "factor": {"id": "x", "label": "X"}}
    assert client.post("/api/maps/demo/factors", json=body, headers=headers).status_code == 201
    token_id = [t.id for t in accounts.list_tokens("editor") if t.name == "script"][0]
    accounts.revoke_token(token_id)
    body["based_on"] = 2
    again = client.post("/api/maps/demo/factors", json=body, headers=headers)
    assert again.status_code == 401 and store.version("demo") == 2
    assert client.get("/api/maps/demo", headers=headers).status_code == 401
    garbage = {"Authorization": "Bearer lw_forged"}
    assert client.get("/api/maps/demo", headers=garbage).status_code == 401


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_text_is_escaped(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    factor = {"id": "hostile", "label": HOSTILE, "description": HOSTILE}
    response = client.post("/api/maps/demo/factors", json={"based_on": 1, "factor": factor},
                           headers=tokens["editor"])  # fmt: skip
    assert response.status_code == 201
    assert sign_in(client, "editor").status_code == 303
    for url in ["/maps/demo/factors/hostile", "/maps/demo/history", "/maps/demo/history/2",
                "/maps/demo/text", "/maps/demo/edit", "/maps/demo"]:  # fmt: skip
        html = client.get(url).text
        assert HOSTILE not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;" in client.get("/maps/demo/history/2").text


def test_bad_input_is_a_clear_4xx_and_writes_nothing(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    h = tokens["editor"]
    cases = [
        ("post", "/api/maps/demo/factors", {"based_on": 1, "factor": {"id": "x"}}, 422),
        ("post", "/api/maps/demo/factors", {"based_on": "one", "factor": {"id": "x", "label": "X"}}, 422),
        ("post", "/api/maps/demo/factors", {"based_on": 1, "factor": {"id": "Not A Slug!", "label": "X"}}, 422),
        ("post", "/api/maps/demo/factors", {"based_on": 1, "factor": {"id": "stigma", "label": "X"}}, 422),
        ("post", "/api/maps/demo/links", {"based_on": 1, "link": {"from": "nope", "to": "stigma", "polarity": "+"}}, 422),
        ("post", "/api/maps/demo/links", {"based_on": 1, "link": {"from": "stigma", "to": "reoffending", "polarity": "x"}}, 422),
        ("put", "/api/maps/demo/factors/nope", {"based_on": 1, "factor": {"id": "nope", "label": "X"}}, 404),
        ("put", "/api/maps/demo/factors/stigma", {"based_on": 1, "factor": {"id": "other", "label": "X"}}, 422),
        ("delete", "/api/maps/demo/factors/stigma?based_on=1", None, 422),  # still on a link
        ("delete", "/api/maps/demo/sources/npc-2021?based_on=1", None, 422),  # still cited
        ("delete", "/api/maps/demo/links/nope?based_on=1", None, 404),
        ("put", "/api/maps/demo/links/homelessness--reoffending/evidence/9", {"based_on": 1, "evidence": {"source": "npc-2021", "text": "t"}}, 404),
        ("post", "/api/maps/demo/restore", {"based_on": 1, "number": 7}, 404),
        ("post", "/api/maps/demo/undo", {"based_on": 1}, 422),  # nothing to undo
        ("post", "/api/maps/demo/factors", {"based_on": 9, "factor": {"id": "x", "label": "X"}}, 409),
        ("post", "/api/maps/nope/factors", {"based_on": 1, "factor": {"id": "x", "label": "X"}}, 404),
    ]  # fmt: skip
    for method, url, body, status in cases:
        response = client.request(method, url, json=body, headers=h)
        assert response.status_code == status, (method, url, response.text)
        assert response.json()["detail"]
    huge = client.post("/api/maps/demo/factors", content=b"{" + b" " * 9_000_000 + b"}",
                       headers={**h, "Content-Type": "application/json"})  # fmt: skip
    assert huge.status_code == 413
    not_json = client.post(
        "/api/maps/demo/factors",
        content=b"{nope",
        headers={**h, "Content-Type": "application/json"},
    )
    assert not_json.status_code == 422
    assert store.version("demo") == 1


def test_conflict_names_what_changed(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    h = tokens["editor"]
    first = client.put("/api/maps/demo/factors/stigma",
                       json={"based_on": 1, "factor": {"id": "stigma", "label": "Stigma (theirs)"}}, headers=h)  # fmt: skip
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.put("/api/maps/demo/factors/stigma",
                       json={"based_on": 1, "factor": {"id": "stigma", "label": "Stigma (mine)"}}, headers=h)  # fmt: skip
    assert stale.status_code == 409
    body = stale.json()
    assert body["based_on"] == 1 and body["current"] == 2
    assert [(c["entity_id"], c["after"]["label"]) for c in body["changes"]] == [
        ("stigma", "Stigma (theirs)")
    ]
    assert store.get_map("demo").factor("stigma").label == "Stigma (theirs)"
    # the evidence of the factor was kept by the edit
    assert store.get_map("demo").factor("homelessness").evidence


def test_cycles_of_restores_stay_exact(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    h = tokens["editor"]
    client.put(
        "/api/maps/demo/factors/stigma",
        json={"based_on": 1, "factor": {"id": "stigma", "label": "Two"}},
        headers=h,
    )
    client.put(
        "/api/maps/demo/factors/stigma",
        json={"based_on": 2, "factor": {"id": "stigma", "label": "Three"}},
        headers=h,
    )
    states = {n: store.map_at("demo", n).content() for n in (1, 2, 3)}
    for target in [1, 3, 2, 1, 1, 3]:
        version = store.version("demo")
        response = client.post(
            "/api/maps/demo/restore", json={"based_on": version, "number": target}, headers=h
        )
        assert response.status_code == 200, response.text
        assert store.get_map("demo").content().model_dump(exclude={"created", "updated"}) == states[
            target
        ].model_dump(exclude={"created", "updated"})
    stale = client.post("/api/maps/demo/restore", json={"based_on": 1, "number": 2}, headers=h)
    assert stale.status_code == 409
