"""Users, sessions, API tokens and roles (loopwise.accounts.service), on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from loopwise.accounts import Accounts, can_read, role_at_least
from loopwise.errors import DuplicateIdError, UnknownIdError, ValidationError
from loopwise.store.tables import ApiTokenRow, SessionRow, UserRow

PASSWORD = "a long passphrase"


@pytest.fixture
def accounts(store) -> Accounts:  # type: ignore[no-untyped-def]
    return Accounts(store)


def test_passwords_are_argon2_hashes_and_checked(accounts: Accounts, store) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user("ana", PASSWORD)
    with store.engine.connect() as conn:
        stored = conn.scalar(select(UserRow.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("ana", PASSWORD).name == "ana"
    assert accounts.authenticate("ana", PASSWORD + "x") is None
    assert accounts.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize(
    ("name", "password", "where"),
    [("ana", "short", "password"), ("", PASSWORD, "name"), ("a b", PASSWORD, "name"),
     ("<script>", PASSWORD, "name")],
)  # fmt: skip
def test_bad_names_and_short_passwords_are_refused(
    accounts: Accounts, name: str, password: str, where: str
) -> None:
    with pytest.raises(ValidationError) as error:
        accounts.add_user(name, password)
    assert error.value.where == where
    assert accounts.list_users() == []


def test_duplicate_user_is_refused(accounts: Accounts) -> None:
    accounts.add_user("ana", PASSWORD)
    with pytest.raises(DuplicateIdError):
        accounts.add_user("ana", PASSWORD)


def test_sessions_are_fresh_hashed_and_end(accounts: Accounts, store) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user("ana", PASSWORD)
    first, session = accounts.create_session("ana")
    second, _ = accounts.create_session("ana")
    assert first != second and session.user.name == "ana" and len(session.csrf_token) >= 40
    with store.engine.connect() as conn:
        hashes = set(conn.scalars(select(SessionRow.token_hash)))
    assert first not in hashes and len(hashes) == 2
    accounts.delete_session(first)
    assert accounts.session_for(first) is None
    assert accounts.session_for(second) is not None
    accounts.set_password("ana", PASSWORD + "!")  # a new password ends every session
    assert accounts.session_for(second) is None
    assert accounts.session_for("") is None and accounts.session_for("x" * 500) is None


def test_tokens_are_hashed_and_revocable(accounts: Accounts, store) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user("ana", PASSWORD)
    secret = accounts.create_token("ana", "script")
    with store.engine.connect() as conn:
        assert secret not in set(conn.scalars(select(ApiTokenRow.token_hash)))
    assert accounts.user_for_token(secret).name == "ana"
    [token] = accounts.list_tokens("ana")
    accounts.revoke_token(token.id)
    assert accounts.user_for_token(secret) is None
    assert accounts.list_tokens()[0].revoked_at is not None
    with pytest.raises(UnknownIdError):
        accounts.revoke_token(token.id + 100)
    assert accounts.user_for_token("not-a-token") is None


def test_roles_on_maps(accounts: Accounts, store, sample_map) -> None:  # type: ignore[no-untyped-def]
    store.create_map(sample_map, author="t")
    admin = accounts.add_user("root", PASSWORD, admin=True)
    bob = accounts.add_user("bob", PASSWORD)
    assert accounts.role_on("demo", admin) == "owner"  # admins own every map, old ones too
    assert accounts.role_on("demo", bob) is None and accounts.role_on("demo", None) is None
    accounts.grant("demo", "bob", "viewer")
    accounts.grant("demo", "bob", "editor")  # replaces
    assert accounts.role_on("demo", bob) == "editor"
    assert accounts.members("demo") == [("bob", "editor")]
    assert accounts.member_maps(bob) == {"demo"}
    with pytest.raises(ValidationError):
        accounts.grant("demo", "bob", "god")
    with pytest.raises(UnknownIdError):
        accounts.grant("nope", "bob", "viewer")
    accounts.revoke("demo", "bob")
    assert accounts.role_on("demo", bob) is None
    accounts.grant("demo", "bob", "viewer")
    accounts.remove_user("bob")
    assert accounts.members("demo") == []


def test_role_rules() -> None:
    assert role_at_least("owner", "viewer") and not role_at_least(None, "viewer")
    assert not role_at_least("viewer", "editor")
    assert can_read("public", None) and not can_read("private", None)
    assert can_read("private", "viewer")
