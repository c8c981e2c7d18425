"""The members page: owners add, change and remove members with plain forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.conftest import sign_in
from loopwise.accounts.service import Accounts
from loopwise.store import Store

PAGE = "/maps/demo/members"


def csrf(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(PAGE).text).group(1)


def post(client: TestClient, **fields: str) -> object:
    return client.post(PAGE, data={"csrf_token": csrf(client), **fields}, follow_redirects=False)


def test_owner_adds_changes_and_removes_a_member(client: TestClient, store: Store) -> None:
    assert sign_in(client, "owner").status_code == 303
    page = client.get(PAGE)
    assert page.status_code == 200 and 'data-user="editor"' in page.text
    added = post(client, user="outsider", role="viewer")
    assert added.status_code == 303 and "outsider%20is%20now%20viewer" in added.headers["location"]
    assert ("outsider", "viewer") in Accounts(store).members("demo")
    assert "Done: outsider is now viewer." in client.get(added.headers["location"]).text
    post(client, user="outsider", role="editor")
    assert ("outsider", "editor") in Accounts(store).members("demo")
    post(client, user="outsider", remove="1")
    assert "outsider" not in dict(Accounts(store).members("demo"))


def test_mistakes_are_shown_on_the_page_and_change_nothing(
    client: TestClient, store: Store
) -> None:
    sign_in(client, "owner")
    before = Accounts(store).members("demo")
    for fields, status, words in [
        ({"user": "nobody", "role": "editor"}, 404, "There is no user called “nobody”"),
        ({"user": "owner", "role": "viewer"}, 409, "cannot change your own role"),
        ({"user": "viewer", "role": "admin"}, 422, "Choose a role"),
        ({"user": " ", "role": "viewer"}, 422, "Type the user"),
    ]:
        response = post(client, **fields)
        assert response.status_code == status, fields
        assert words in response.text
    assert Accounts(store).members("demo") == before


def test_only_signed_in_owners_with_the_csrf_token(client: TestClient, store: Store) -> None:
    anonymous = client.get(PAGE, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert client.post(PAGE, data={"user": "x", "role": "viewer"}).status_code == 401
    sign_in(client, "editor")
    assert client.get(PAGE).status_code == 403
    assert "/members" not in client.get("/maps/demo/history").text  # no link for editors
    sign_in(client, "owner")
    assert 'href="/maps/demo/members"' in client.get("/maps/demo/history").text
    no_token = client.post(PAGE, data={"user": "outsider", "role": "viewer"})
    assert no_token.status_code == 403
    assert "outsider" not in dict(Accounts(store).members("demo"))
    # a private map's members page is 404 to outsiders, like the map
    sign_in(client, "outsider")
    assert client.get("/maps/secret/members").status_code == 404


def test_typed_names_are_escaped_in_the_error(client: TestClient) -> None:
    sign_in(client, "owner")
    response = post(client, user='<script>alert(1)</script>"x', role="viewer")
    assert response.status_code == 404
    assert "<script>alert" not in response.text and "&lt;script&gt;alert(1)" in response.text
