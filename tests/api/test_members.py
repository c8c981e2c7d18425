"""Managing a map's members through the API: owners only, every refusal changes nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.conftest import sign_in
from loopwise.accounts.service import Accounts
from loopwise.store import Store

URL = "/api/maps/demo/members"
START = [
    {"user": "editor", "role": "editor"},
    {"user": "owner", "role": "owner"},
    {"user": "viewer", "role": "viewer"},
]


def test_owners_list_grant_change_and_revoke(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    owner = tokens["owner"]
    assert client.get(URL, headers=owner).json() == {"members": START}
    granted = client.put(URL + "/outsider", json={"role": "editor"}, headers=owner)
    assert granted.status_code == 200, granted.text
    assert {"user": "outsider", "role": "editor"} in granted.json()["members"]
    assert Accounts(store).role_on("demo", Accounts(store).get_user("outsider")) == "editor"
    # the new editor can write now; a change of role replaces the old one
    body = {"based_on": 1, "factor": {"id": "x", "label": "X"}}
    assert client.post("/api/maps/demo/factors", json=body, headers=tokens["outsider"]).is_success
    client.put(URL + "/outsider", json={"role": "viewer"}, headers=owner)
    assert Accounts(store).members("demo").count(("outsider", "viewer")) == 1
    removed = client.delete(URL + "/outsider", headers=owner)
    assert removed.status_code == 200 and removed.json() == {"members": START}
    # a private map is then hidden from them
    client.patch("/api/maps/demo", json={"based_on": 2, "visibility": "private"}, headers=owner)
    assert client.get("/api/maps/demo", headers=tokens["outsider"]).status_code == 404


def test_only_owners_manage_members(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    for name, status in (("editor", 403), ("viewer", 403), ("outsider", 403)):
        headers = tokens[name]
        assert client.get(URL, headers=headers).status_code == status
        put = client.put(URL + "/outsider", json={"role": "owner"}, headers=headers)
        assert put.status_code == status, (name, put.text)
        assert client.delete(URL + "/viewer", headers=headers).status_code == status
    assert client.get(URL).status_code == 401
    assert client.put(URL + "/outsider", json={"role": "owner"}).status_code == 401
    # a private map's members are 404 to outsiders, like the map
    assert client.get("/api/maps/secret/members", headers=tokens["outsider"]).status_code == 404
    assert Accounts(store).members("demo") == [(m["user"], m["role"]) for m in START]


def test_bad_requests_are_clear_and_change_nothing(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    owner = tokens["owner"]
    cases = [
        ("put", "/nobody", {"role": "editor"}, 404, "unknown user 'nobody'"),
        ("put", "/viewer", {"role": "admin"}, 422, "role"),
        ("put", "/viewer", {"role": "editor", "extra": 1}, 422, "extra"),
        ("put", "/viewer", None, 422, ""),
        ("put", "/owner", {"role": "viewer"}, 409, "your own role"),
        ("delete", "/owner", None, 409, "your own role"),
        ("delete", "/outsider", None, 404, "not a member"),
        ("delete", "/nobody", None, 404, "unknown user 'nobody'"),
    ]
    for method, path, body, status, words in cases:
        kwargs = {"json": body} if body is not None else {}
        response = client.request(method, URL + path, headers=owner, **kwargs)
        assert response.status_code == status, (method, path, response.text)
        assert (
            words in response.json()["detail"]
            if isinstance(response.json()["detail"], str)
            else True
        )
    assert Accounts(store).members("demo") == [(m["user"], m["role"]) for m in START]


def test_browser_calls_need_the_csrf_token(client: TestClient, store: Store) -> None:
    assert sign_in(client, "owner").status_code == 303
    assert client.put(URL + "/outsider", json={"role": "viewer"}).status_code == 403
    page = client.get("/maps/demo/edit").text
    csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)
    ok = client.put(URL + "/outsider", json={"role": "viewer"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
