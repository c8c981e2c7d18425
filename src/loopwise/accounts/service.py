"""Users, sessions, API tokens and map roles in the store's database.

Secrets (session cookies, API tokens) are random 256-bit strings given to the client once;
the database keeps only their SHA-256, so a copy of the database lets no one sign in.
Passwords are kept as argon2id hashes (:mod:`loopwise.accounts.passwords`).

Example:
    >>> from loopwise.store import open_store
    >>> accounts = Accounts(open_store("sqlite://"))
    >>> _ = accounts.add_user("ana", "a long passphrase")
    >>> secret, session = accounts.create_session("ana")
    >>> accounts.session_for(secret).user.name
    'ana'
    >>> accounts.delete_session(secret)
    >>> accounts.session_for(secret) is None
    True
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from loopwise.accounts.passwords import (
    DUMMY_HASH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    verify_password,
)
from loopwise.accounts.roles import ROLES
from loopwise.errors import DuplicateIdError, UnknownIdError, ValidationError
from loopwise.store import rows
from loopwise.store.tables import ApiTokenRow, MapMemberRow, MapRow, SessionRow, UserRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from loopwise.store.repository import Store

SESSION_LIFETIME = timedelta(days=14)
TOKEN_PREFIX = "lw_"
_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    is_admin: bool
    created_at: datetime


@dataclass(frozen=True)
class Session:
    """A signed-in browser: who, its CSRF token, when it ends."""

    user: User
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class ApiToken:
    """An API token as listed (never its secret)."""

    id: int
    user: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


def secret_hash(secret: str) -> str:
    """The SHA-256 (hex) kept in place of a session or token secret."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _user(row: Any) -> User:
    return User(id=row.id, name=row.name, is_admin=bool(row.is_admin),
                created_at=rows.utc(row.created_at))  # fmt: skip


class Accounts:
    """The accounts of one :class:`~loopwise.store.Store` (same database, same transactions)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------ users
    def add_user(self, name: str, password: str, *, admin: bool = False) -> User:
        """Create a user. Raises :class:`ValidationError` for a bad name or a short password,
        :class:`DuplicateIdError` if the name is taken."""
        if not _USER_NAME.match(name):
            raise ValidationError(
                "a user name is 1-120 letters, digits, '.', '_', '@' or '-'", "name"
            )
        _check_password(password)
        now = datetime.now(UTC)
        try:
            with self.store.writing() as conn:
                if conn.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
                    raise DuplicateIdError(f"a user named {name!r} already exists", "name")
                conn.execute(
                    insert(UserRow).values(
                        name=name, password_hash=hash_password(password), is_admin=admin,
                        created_at=now,
                    )
                )  # fmt: skip
        except IntegrityError:
            raise DuplicateIdError(f"a user named {name!r} already exists", "name") from None
        return self.get_user(name)

    def get_user(self, name: str) -> User:
        """The user; :class:`UnknownIdError` if there is none by that name."""
        with self.store.reading() as conn:
            row = conn.execute(select(UserRow).where(UserRow.name == name)).first()
        if row is None:
            raise UnknownIdError("user", name)
        return _user(row)

    def list_users(self) -> list[User]:
        with self.store.reading() as conn:
            return [_user(r) for r in conn.execute(select(UserRow).order_by(UserRow.name))]

    def set_password(self, name: str, password: str) -> None:
        """Change a user's password, sign them out everywhere (their sessions end) and
        revoke their API tokens: a new password is how a leak is answered, and a token
        made with the old one must not outlive it."""
        _check_password(password)
        new_hash = hash_password(password)  # slow: outside the write transaction
        with self.store.writing() as conn:
            user_id = self._user_id(conn, name)
            conn.execute(
                update(UserRow).where(UserRow.id == user_id).values(password_hash=new_hash)
            )
            conn.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
            conn.execute(
                update(ApiTokenRow)
                .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )

    def set_admin(self, name: str, admin: bool) -> None:
        with self.store.writing() as conn:
            user_id = self._user_id(conn, name)
            conn.execute(update(UserRow).where(UserRow.id == user_id).values(is_admin=admin))

    def remove_user(self, name: str) -> None:
        """Delete a user with their sessions, tokens and roles (their revisions stay)."""
        with self.store.writing() as conn:
            conn.execute(delete(UserRow).where(UserRow.id == self._user_id(conn, name)))

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is theirs, else ``None`` (same work either way)."""
        with self.store.reading() as conn:
            row = conn.execute(select(UserRow).where(UserRow.name == name)).first()
        if row is None:
            verify_password(DUMMY_HASH, password)
            return None
        return _user(row) if verify_password(row.password_hash, password) else None

    # ------------------------------------------------------------------ sessions
    def create_session(self, name: str) -> tuple[str, Session]:
        """A new session for the user: its secret (for the cookie, given once) and itself.

        Always a fresh secret: a session id an attacker planted before sign-in is never
        promoted (no session fixation)."""
        secret = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.store.writing() as conn:
            user_id = self._user_id(conn, name)
            conn.execute(
                delete(SessionRow).where(SessionRow.user_id == user_id,
                                         SessionRow.expires_at < now)
            )  # fmt: skip
            conn.execute(
                insert(SessionRow).values(
                    token_hash=secret_hash(secret), user_id=user_id, csrf_token=csrf,
                    created_at=now, expires_at=now + SESSION_LIFETIME,
                )
            )  # fmt: skip
        session = self.session_for(secret)
        assert session is not None
        return secret, session

    def session_for(self, secret: str) -> Session | None:
        """The live session with this cookie secret, or ``None`` (unknown or expired)."""
        if not secret or len(secret) > 200:
            return None
        query = (
            select(SessionRow.csrf_token, SessionRow.expires_at, UserRow)
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(SessionRow.token_hash == secret_hash(secret))
        )
        with self.store.reading() as conn:
            row = conn.execute(query).first()
        if row is None or rows.utc(row.expires_at) <= datetime.now(UTC):
            return None
        return Session(user=_user(row), csrf_token=row.csrf_token,
                       expires_at=rows.utc(row.expires_at))  # fmt: skip

    def delete_session(self, secret: str) -> None:
        """End a session (sign out); unknown secrets are ignored."""
        with self.store.writing() as conn:
            conn.execute(delete(SessionRow).where(SessionRow.token_hash == secret_hash(secret)))

    # ------------------------------------------------------------------ API tokens
    def create_token(self, name: str, token_name: str = "") -> str:
        """A new API token for the user; the secret is returned once and kept only hashed."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.store.writing() as conn:
            user_id = self._user_id(conn, name)
            conn.execute(
                insert(ApiTokenRow).values(
                    token_hash=secret_hash(secret), user_id=user_id, name=token_name,
                    created_at=datetime.now(UTC),
                )
            )  # fmt: skip
        return secret

    def user_for_token(self, secret: str) -> User | None:
        """The owner of a live (not revoked) token, or ``None``."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        query = (
            select(UserRow)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == secret_hash(secret), ApiTokenRow.revoked_at.is_(None))
        )
        with self.store.reading() as conn:
            row = conn.execute(query).first()
        return None if row is None else _user(row)

    def list_tokens(self, name: str | None = None) -> list[ApiToken]:
        query = (
            select(ApiTokenRow, UserRow.name.label("user_name"))
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .order_by(ApiTokenRow.id)
        )
        if name is not None:
            query = query.where(UserRow.name == name)
        with self.store.reading() as conn:
            return [
                ApiToken(id=r.id, user=r.user_name, name=r.name,
                         created_at=rows.utc(r.created_at),
                         revoked_at=rows.utc(r.revoked_at) if r.revoked_at else None)
                for r in conn.execute(query)
            ]  # fmt: skip

    def revoke_token(self, token_id: int) -> None:
        """Revoke a token for good (:class:`UnknownIdError` if there is no such token)."""
        with self.store.writing() as conn:
            result = conn.execute(
                update(ApiTokenRow).where(ApiTokenRow.id == token_id)
                .values(revoked_at=datetime.now(UTC))
            )  # fmt: skip
            if result.rowcount != 1:
                raise UnknownIdError("token", str(token_id))

    # ------------------------------------------------------------------ roles
    def grant(self, slug: str, name: str, role: str) -> None:
        """Give the user ``role`` on the map (replacing any role they had)."""
        if role not in ROLES:
            raise ValidationError(f"role must be one of {', '.join(ROLES)}, got {role!r}", "role")
        with self.store.writing() as conn:
            map_id = self.store.map_id(conn, slug)
            user_id = self._user_id(conn, name)
            _drop_member(conn, map_id, user_id)
            conn.execute(insert(MapMemberRow).values(map_id=map_id, user_id=user_id, role=role))

    def revoke(self, slug: str, name: str) -> None:
        """Take away the user's role on the map (nothing happens if they had none)."""
        with self.store.writing() as conn:
            map_id = self.store.map_id(conn, slug)
            user_id = self._user_id(conn, name)
            _drop_member(conn, map_id, user_id)

    def members(self, slug: str) -> list[tuple[str, str]]:
        """``(user name, role)`` of the map's members, by name."""
        with self.store.reading() as conn:
            map_id = self.store.map_id(conn, slug)
            query = (
                select(UserRow.name, MapMemberRow.role)
                .join(MapMemberRow, MapMemberRow.user_id == UserRow.id)
                .where(MapMemberRow.map_id == map_id)
                .order_by(UserRow.name)
            )
            return [(r.name, r.role) for r in conn.execute(query)]

    def role_on(self, slug: str, user: User | None) -> str | None:
        """The user's role on the map: ``owner`` for admins, else their grant, else ``None``."""
        if user is None:
            return None
        if user.is_admin:
            return "owner"
        query = (
            select(MapMemberRow.role)
            .join(MapRow, MapRow.id == MapMemberRow.map_id)
            .where(MapRow.slug == slug, MapMemberRow.user_id == user.id)
        )
        with self.store.reading() as conn:
            return conn.scalar(query)

    def member_maps(self, user: User | None) -> set[str]:
        """Slugs of the maps the user has a role on (every map for an admin)."""
        if user is None:
            return set()
        with self.store.reading() as conn:
            if user.is_admin:
                return set(conn.scalars(select(MapRow.slug)))
            query = (
                select(MapRow.slug)
                .join(MapMemberRow, MapMemberRow.map_id == MapRow.id)
                .where(MapMemberRow.user_id == user.id)
            )
            return set(conn.scalars(query))

    # ------------------------------------------------------------------ internals
    def _user_id(self, conn: Any, name: str) -> int:
        user_id = conn.scalar(select(UserRow.id).where(UserRow.name == name))
        if user_id is None:
            raise UnknownIdError("user", name)
        return int(user_id)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", "password"
        )
    if len(password) > 1000:
        raise ValidationError("a password has at most 1000 characters", "password")


def _drop_member(conn: Connection, map_id: int, user_id: int) -> None:
    """Remove the user's role on the map, if they have one."""
    conn.execute(
        delete(MapMemberRow).where(MapMemberRow.map_id == map_id, MapMemberRow.user_id == user_id)
    )
