"""The admin's users page: add users, set a password, remove users; admins only."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.conftest import PASSWORD, sign_in
from loopwise.accounts.service import Accounts
from loopwise.errors import UnknownIdError
from loopwise.store import Store

PAGE = "/admin/users"


@pytest.fixture
def admin(client: TestClient, store: Store) -> TestClient:
    Accounts(store).add_user("root", PASSWORD, admin=True)
    assert sign_in(client, "root").status_code == 303
    return client


def csrf(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(PAGE).text).group(1)


def test_admin_adds_resets_and_removes_a_user(admin: TestClient, store: Store) -> None:
    accounts = Accounts(store)
    form = {"csrf_token": csrf(admin), "name": "dana", "password": "a fine passphrase",
            "repeat": "a fine passphrase"}  # fmt: skip
    added = admin.post(PAGE, data=form, follow_redirects=False)
    assert added.status_code == 303 and accounts.authenticate("dana", "a fine passphrase")
    assert not accounts.get_user("dana").is_admin
    assert 'data-user="dana"' in admin.get(PAGE).text
    reset = admin.post(PAGE + "/dana/password",
                       data={"csrf_token": csrf(admin), "password": "another passphrase"},
                       follow_redirects=False)  # fmt: skip
    assert reset.status_code == 303 and accounts.authenticate("dana", "another passphrase")
    assert 'href="/admin/users/dana/remove"' in admin.get(PAGE).text
    confirm = admin.get(PAGE + "/dana/remove").text  # asks first
    assert "Remove the user dana?" in confirm and accounts.get_user("dana")
    token = re.search(r'name="csrf_token" value="([^"]+)"', confirm).group(1)
    removed = admin.post(PAGE + "/dana/remove", data={"csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert removed.status_code == 303
    with pytest.raises(UnknownIdError):
        accounts.get_user("dana")


def test_mistakes_are_shown_and_change_nothing(admin: TestClient, store: Store) -> None:
    before = [u.name for u in Accounts(store).list_users()]
    token = csrf(admin)
    for fields, words in [
        ({"name": "bad name!", "password": PASSWORD, "repeat": PASSWORD}, "user name"),
        ({"name": "dana", "password": "short", "repeat": "short"}, "at least 10"),
        ({"name": "dana", "password": PASSWORD, "repeat": PASSWORD + "x"}, "differ"),
        ({"name": "editor", "password": PASSWORD, "repeat": PASSWORD}, "already exists"),
    ]:
        response = admin.post(PAGE, data={"csrf_token": token, **fields})
        assert response.status_code == 422 and words in response.text, fields
    short = admin.post(PAGE + "/editor/password", data={"csrf_token": token, "password": "x"})
    assert short.status_code == 422 and "at least 10" in short.text
    yourself = admin.post(PAGE + "/root/remove", data={"csrf_token": token})
    assert yourself.status_code == 409 and "cannot remove yourself" in yourself.text
    assert admin.post(PAGE + "/nobody/remove", data={"csrf_token": token}).status_code == 404
    assert admin.get(PAGE + "/nobody/remove").status_code == 404
    no_csrf = admin.post(PAGE + "/editor/remove", data={"csrf_token": "wrong"})
    assert no_csrf.status_code == 403
    assert [u.name for u in Accounts(store).list_users()] == before
    assert Accounts(store).authenticate("editor", PASSWORD) is not None


def test_only_admins(client: TestClient, store: Store) -> None:
    assert client.get(PAGE, follow_redirects=False).headers["location"].startswith("/login")
    assert client.post(PAGE, data={"name": "x"}).status_code == 401
    sign_in(client, "owner")  # owner of maps, not an admin
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE + "/editor/remove").status_code == 403
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    form = {"csrf_token": token, "name": "sneaky", "password": PASSWORD, "repeat": PASSWORD}
    assert client.post(PAGE, data=form).status_code == 403
    assert "sneaky" not in [u.name for u in Accounts(store).list_users()]
    assert "manage users" not in client.get("/account").text
