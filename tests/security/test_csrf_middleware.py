"""Structure: CSRF is checked once, in middleware, for every unsafe request carrying a live
session cookie: every unsafe operation of the OpenAPI spec and every HTML form route (found
from the app's routes, so a new one is covered without editing this file)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from loopwise.accounts.service import Accounts
from loopwise.store import Store
from loopwise.web.app import create_app
from loopwise.web.csrf import CSRF_EXEMPT
from security.conftest import app_routes, fill, sign_in

VALUES = {"slug": "demo", "factor_id": "stigma", "link_id": "stigma--reoffending",
          "owner_id": "homelessness", "index": "0", "source_id": "npc-2021",
          "organisation_id": "shelter", "user": "viewer", "suggestion_id": "1", "number": "1",
          "name": "viewer", "token_id": "1", "story_id": "tour"}  # fmt: skip


def unsafe_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) of the app that is not GET/HEAD/OPTIONS: the spec's and the
    HTML pages' (which are left out of the spec)."""
    found = set()
    for route in app_routes(client.app):
        if isinstance(route, Route):
            for method in route.methods or ():
                if method not in ("GET", "HEAD", "OPTIONS"):
                    found.add((method.lower(), route.path))
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        found |= {(m, path) for m in item if m in ("post", "put", "patch", "delete")}
    return sorted(found)


def exempt(path: str) -> bool:
    return any(rule.match(fill(path, VALUES)) for rule in CSRF_EXEMPT)


@pytest.fixture
def admin_client(store: Store) -> TestClient:
    Accounts(store).add_user("root", "a long passphrase", admin=True)
    client = TestClient(create_app(store))
    assert sign_in(client, "root").status_code == 303
    return client


def test_every_unsafe_route_needs_the_csrf_token(admin_client: TestClient, store: Store) -> None:
    routes = unsafe_routes(admin_client)
    forms = [r for r in routes if not r[1].startswith("/api/")]
    assert ("post", "/maps/{slug}/undo") in forms and ("post", "/admin/users") in forms
    assert len([r for r in routes if not exempt(r[1])]) >= 35
    versions = store.version("demo"), len(Accounts(store).list_users())
    for method, path in routes:
        if exempt(path):
            continue
        url = fill(path, VALUES)
        for headers in ({}, {"X-CSRF-Token": "wrong"}):
            as_json = admin_client.request(method, url, json={"based_on": 1}, headers=headers)
            assert as_json.status_code == 403, (method, path, as_json.status_code)
            assert "CSRF" in as_json.text
        as_form = admin_client.request(method, url, data={"csrf_token": "wrong", "based_on": "1"})
        assert as_form.status_code == 403, (method, path, as_form.status_code)
    assert (store.version("demo"), len(Accounts(store).list_users())) == versions
    assert admin_client.get("/account").status_code == 200  # still signed in


def test_the_right_token_goes_through(admin_client: TestClient, store: Store) -> None:
    page = admin_client.get("/maps/demo/history").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    body = {"based_on": 1, "factor": {"id": "new", "label": "New"}}
    added = admin_client.post("/api/maps/demo/factors", json=body, headers={"X-CSRF-Token": token})
    assert added.status_code == 201
    undone = admin_client.post("/maps/demo/undo", data={"csrf_token": token, "based_on": "2"},
                               follow_redirects=False)  # fmt: skip
    assert undone.status_code == 303


def test_tokens_and_anonymous_callers_are_not_asked_for_one(
    client: TestClient, tokens: dict[str, dict[str, str]]
) -> None:
    body = {"based_on": 1, "factor": {"id": "new", "label": "New"}}
    assert client.post("/api/maps/demo/factors", json=body).status_code == 401
    added = client.post("/api/maps/demo/factors", json=body, headers=tokens["editor"])
    assert added.status_code == 201
    # a stale or forged session cookie is no session: refused as anonymous, not as CSRF
    client.cookies.set("loopwise_session", "not-a-session")
    assert client.post("/api/maps/demo/factors", json=body).status_code == 401
