"""Fixtures of the API's security tests: a store with two maps (one private), four users
with every role, their API tokens, and a browser-like sign-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from loopwise.accounts.service import Accounts
from loopwise.model import Map
from loopwise.store import Store, open_store
from loopwise.web.app import create_app
from store.conftest import sample_map_data

PASSWORD = "a long passphrase"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'auth.db'}")
    store.create_map(Map.from_dict(sample_map_data("demo")), author="seed")
    store.create_map(
        Map.from_dict({**sample_map_data("secret"), "title": "Secret map",
                       "visibility": "private"}), author="seed",
    )  # fmt: skip
    accounts = Accounts(store)
    for name in ("owner", "editor", "viewer", "outsider"):
        accounts.add_user(name, PASSWORD)
    for slug in ("demo", "secret"):
        accounts.grant(slug, "owner", "owner")
        accounts.grant(slug, "editor", "editor")
        accounts.grant(slug, "viewer", "viewer")
    yield store
    store.close()


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


@pytest.fixture
def tokens(store: Store) -> dict[str, dict[str, str]]:
    accounts = Accounts(store)
    return {
        name: {"Authorization": "Bearer " + accounts.create_token(name, "test")}
        for name in ("owner", "editor", "viewer", "outsider")
    }


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    client.get("/login")
    csrf = client.cookies.get("loopwise_login_csrf")
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf,
                                       "next": "/maps/demo/edit"}, follow_redirects=False)  # fmt: skip
