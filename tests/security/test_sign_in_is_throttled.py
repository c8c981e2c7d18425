"""Finding 4: failed sign-ins are throttled per account and per address, with a back-off,
``Retry-After``, and counts in the database (so every worker shares them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from loopwise.accounts.throttle import BackOff
from loopwise.store import Store
from loopwise.store.tables import LoginFailureRow
from loopwise.web.app import create_app
from security.conftest import PASSWORD
from store.conftest import database  # noqa: F401 - fixture (SQLite and PostgreSQL)


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPWISE_LOGIN_ACCOUNT_FAILURES", "3")
    monkeypatch.setenv("LOOPWISE_LOGIN_ADDRESS_FAILURES", "6")


def attempt(client: TestClient, name: str, password: str) -> Any:
    client.get("/login")
    csrf = client.cookies.get("loopwise_login_csrf")
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip


def expire_waits(store: Store) -> None:
    """As if the waits had passed (the failures still count)."""
    with store.writing() as conn:
        past = datetime.now(UTC) - timedelta(seconds=1)
        conn.execute(update(LoginFailureRow).values(blocked_until=past))


def test_an_account_backs_off_and_even_the_right_password_waits(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert [attempt(client, "editor", "wrong password").status_code for _ in range(3)] == [401] * 3
    blocked = attempt(client, "editor", "wrong password")
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "1"
    assert "Too many failed sign-ins" in blocked.text
    # while it waits, no password is checked, not even the right one
    checked: list[str] = []
    from loopwise.accounts import service as accounts_module

    real = accounts_module.verify_password
    monkeypatch.setattr(accounts_module, "verify_password",
                        lambda stored, pw: checked.append(pw) or real(stored, pw))  # fmt: skip
    assert attempt(client, "editor", PASSWORD).status_code == 429
    assert checked == []
    # each further failure doubles the wait
    expire_waits(store)
    again = attempt(client, "editor", "wrong password")
    assert again.status_code == 429 and again.headers["Retry-After"] == "2"
    expire_waits(store)
    assert attempt(client, "editor", "wrong password").headers["Retry-After"] == "4"
    # another account from another client is not held up by this one
    assert attempt(TestClient(client.app), "viewer", PASSWORD).status_code == 303


def test_the_right_password_clears_the_account(client: TestClient, store: Store) -> None:
    for _ in range(3):
        assert attempt(client, "editor", "wrong password").status_code == 401
    assert attempt(client, "editor", PASSWORD).status_code == 303
    assert attempt(client, "editor", "wrong password").status_code == 401  # counts from 0


def test_one_address_trying_many_accounts_is_throttled(client: TestClient) -> None:
    names = ["a1", "a2", "a3", "owner", "viewer", "outsider", "a4"]
    codes = [attempt(client, name, "wrong password").status_code for name in names]
    assert codes == [401] * 6 + [429]
    blocked = attempt(client, "editor", PASSWORD)  # the address waits, whatever the name
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1


def test_every_worker_shares_the_counts(store: Store) -> None:
    first, second = TestClient(create_app(store)), TestClient(create_app(store))
    for _ in range(3):
        assert attempt(first, "editor", "wrong password").status_code == 401
    assert attempt(second, "editor", "wrong password").status_code == 429


def test_back_off_doubles_up_to_its_longest() -> None:
    back_off = BackOff(free=5, longest=900)
    assert [back_off.wait_after(n) for n in (5, 6, 7, 8)] == [0, 1, 2, 4]
    assert back_off.wait_after(10_000) == 900


def test_the_throttle_works_on_both_databases(database: Any) -> None:  # noqa: F811
    """The counts live in the store's database: SQLite and PostgreSQL alike."""
    from loopwise.accounts.throttle import LoginThrottle

    db = database.open()
    try:
        throttle = LoginThrottle(db)
        waits = [throttle.failed("ana", "10.0.0.1") for _ in range(5)]
        assert waits == [0, 0, 0, 1, 2]
        assert 0 < throttle.wait("ana", "10.0.0.9") <= 2
        assert throttle.wait("bob", "10.0.0.9") == 0
        throttle.succeeded("ana")
        assert throttle.wait("ana", "10.0.0.9") == 0
    finally:
        db.close()
