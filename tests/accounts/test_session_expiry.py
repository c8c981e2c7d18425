"""Sessions end when they expire (``SESSION_LIFETIME`` after sign-in), on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from loopwise.accounts import Accounts
from loopwise.accounts.service import SESSION_LIFETIME
from loopwise.store.tables import SessionRow

PASSWORD = "a long passphrase"


@pytest.fixture
def accounts(store) -> Accounts:  # type: ignore[no-untyped-def]
    accounts = Accounts(store)
    accounts.add_user("ana", PASSWORD)
    return accounts


def _set_expiry(store, when: datetime) -> None:  # type: ignore[no-untyped-def]
    with store.engine.begin() as conn:
        conn.execute(update(SessionRow).values(expires_at=when))


def _sessions(store) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(SessionRow)) or 0)


def test_a_new_session_lasts_the_session_lifetime(accounts: Accounts) -> None:
    before = datetime.now(UTC)
    _, session = accounts.create_session("ana")
    after = datetime.now(UTC)
    assert before + SESSION_LIFETIME <= session.expires_at <= after + SESSION_LIFETIME
    assert session.expires_at.tzinfo is not None


def test_an_expired_session_signs_nobody_in(accounts: Accounts, store) -> None:  # type: ignore[no-untyped-def]
    secret, _ = accounts.create_session("ana")
    _set_expiry(store, datetime.now(UTC) + timedelta(minutes=1))
    assert accounts.session_for(secret) is not None  # a minute left: still signed in
    _set_expiry(store, datetime.now(UTC) - timedelta(seconds=1))
    assert accounts.session_for(secret) is None  # expired a second ago: signed out


def test_signing_in_again_clears_the_users_expired_sessions(accounts: Accounts, store) -> None:  # type: ignore[no-untyped-def]
    old, _ = accounts.create_session("ana")
    _set_expiry(store, datetime.now(UTC) - timedelta(days=1))
    assert _sessions(store) == 1
    new, _ = accounts.create_session("ana")
    assert _sessions(store) == 1  # the expired row is gone, the new one is there
    assert accounts.session_for(old) is None and accounts.session_for(new) is not None
