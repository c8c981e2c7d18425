"""The account page: your maps, your password, your API tokens."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.conftest import PASSWORD, sign_in
from loopwise.accounts.service import Accounts
from loopwise.store import Store

NEW_PASSWORD = "another long passphrase"


def csrf(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)


def test_the_page_lists_your_maps_and_roles(client: TestClient) -> None:
    assert (
        client.get("/account", follow_redirects=False)
        .headers["location"]
        .startswith("/login?next=")
    )
    sign_in(client, "viewer")
    text = client.get("/account").text
    assert "Signed in as <strong" in text and ">viewer</strong>" in text
    assert 'href="/maps/secret"' in text and 'href="/maps/demo"' in text
    assert "/members" not in text  # viewers manage no one
    sign_in(client, "outsider")
    assert "not a member of any map" in client.get("/account").text


def test_changing_the_password_signs_other_devices_out(client: TestClient, store: Store) -> None:
    other = TestClient(client.app)
    sign_in(other, "editor")
    assert other.get("/account").status_code == 200
    sign_in(client, "editor")
    form = {"csrf_token": csrf(client), "current": PASSWORD, "new": NEW_PASSWORD,
            "repeat": NEW_PASSWORD}  # fmt: skip
    changed = client.post("/account/password", data=form, follow_redirects=False)
    assert changed.status_code == 303
    assert "password changed" in client.get(changed.headers["location"]).text  # still signed in
    assert other.get("/account", follow_redirects=False).status_code == 303  # signed out
    accounts = Accounts(store)
    assert accounts.authenticate("editor", NEW_PASSWORD) is not None
    assert accounts.authenticate("editor", PASSWORD) is None


def test_password_mistakes_are_shown_and_change_nothing(client: TestClient, store: Store) -> None:
    sign_in(client, "editor")
    token = csrf(client)
    for fields, status, words in [
        ({"current": "wrong password", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}, 401,
         "current password is not right"),
        ({"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD + "x"}, 422, "differ"),
        ({"current": PASSWORD, "new": "short", "repeat": "short"}, 422, "at least 10"),
    ]:  # fmt: skip
        response = client.post("/account/password", data={"csrf_token": token, **fields})
        assert response.status_code == status and words in response.text, fields
    no_token = {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    assert client.post("/account/password", data=no_token).status_code == 403
    assert Accounts(store).authenticate("editor", PASSWORD) is not None


def test_tokens_are_shown_once_work_and_can_be_revoked(client: TestClient, store: Store) -> None:
    sign_in(client, "editor")
    made = client.post("/account/tokens", data={"csrf_token": csrf(client), "name": "nightly"})
    assert made.status_code == 200
    secret = re.search(r'id="new-token-value" value="(lw_[^"]+)"', made.text).group(1)
    assert secret not in client.get("/account").text  # only on the answer to the form
    headers = {"Authorization": "Bearer " + secret}
    body = {"based_on": 1, "factor": {"id": "x", "label": "X"}}
    assert client.post("/api/maps/demo/factors", json=body, headers=headers).status_code == 201
    (token,) = Accounts(store).list_tokens("editor")
    revoked = client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf(client)},
                          follow_redirects=False)  # fmt: skip
    assert revoked.status_code == 303
    assert client.get("/api/maps/demo", headers=headers).status_code == 401
    # someone else's token cannot be revoked from here
    other = Accounts(store).create_token("viewer", "theirs")
    theirs = Accounts(store).list_tokens("viewer")[0].id
    refused = client.post(f"/account/tokens/{theirs}/revoke", data={"csrf_token": csrf(client)})
    assert refused.status_code == 404
    assert Accounts(store).user_for_token(other) is not None
    assert client.post("/account/tokens", data={"csrf_token": csrf(client), "name": " "}
                       ).status_code == 422  # fmt: skip


def test_token_names_are_escaped(client: TestClient) -> None:
    sign_in(client, "editor")
    client.post("/account/tokens", data={"csrf_token": csrf(client), "name": "<b>x</b>"})
    text = client.get("/account").text
    assert "<b>x</b>" not in text and "&lt;b&gt;x&lt;/b&gt;" in text
