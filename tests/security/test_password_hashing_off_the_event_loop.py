"""Finding 3: checking a password (argon2, slow on purpose) never blocks the event loop; it
runs in a bounded pool of password threads, so other requests are answered meanwhile."""

from __future__ import annotations

import asyncio
import re
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from loopwise.accounts import passwords
from loopwise.store import Store
from loopwise.web.app import create_app

SLOW = 1.0


@pytest.fixture
def slow_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password check takes a second and notes the thread it ran in."""
    threads: list[str] = []

    def slow_verify(stored: str, password: str) -> bool:
        threads.append(threading.current_thread().name)
        time.sleep(SLOW)
        return False

    from loopwise.accounts import service as accounts

    monkeypatch.setattr(accounts, "verify_password", slow_verify)
    return threads


async def _sign_in_while_reading(store: Store) -> tuple[float, float]:
    transport = httpx.ASGITransport(app=create_app(store))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        start = time.perf_counter()
        login = asyncio.create_task(
            client.post(
                "/login",
                data={"name": "editor", "password": "wrong password", "csrf_token": token.group(1)},
            )  # fmt: skip
        )
        await asyncio.sleep(0.2)  # the password is being checked now
        response = await client.get("/api/maps")
        read = time.perf_counter() - start
        assert response.status_code == 200
        assert (await login).status_code == 401
        return read, time.perf_counter() - start


def test_pages_are_served_while_a_password_is_checked(
    client: TestClient, store: Store, slow_checks: list[str]
) -> None:
    read, login = asyncio.run(_sign_in_while_reading(store))
    assert login >= SLOW
    assert read < SLOW / 2, f"GET /api/maps waited {read:.2f} s for the password check"
    assert slow_checks and all(name.startswith("loopwise-password") for name in slow_checks)


def test_the_password_pool_is_bounded() -> None:
    pool = passwords._pool()
    assert pool._max_workers == passwords.PASSWORD_THREADS == 1
    assert asyncio.run(passwords.password_work(passwords.verify_password,
                                               passwords.DUMMY_HASH, "x")) is False  # fmt: skip
