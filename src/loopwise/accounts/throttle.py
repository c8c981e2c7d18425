"""The sign-in throttle: failed sign-ins per account name and per client address, with an
exponential back-off, kept in the store's database so every worker and machine shares it.

After ``free`` failures in a row (5 for an account name, 20 for an address: several people
may share one address), each further failure makes the next attempt wait twice as long as
the one before (1 s, 2 s, 4 s... up to 15 minutes for an account, an hour for an address).
A waiting attempt is refused before its password is checked, so it costs no hashing. A
successful sign-in clears its account's count (not its address's, or one account of the
attacker's own would reset it); counts are forgotten an hour after their last failure.

``LOOPWISE_LOGIN_ACCOUNT_FAILURES`` and ``LOOPWISE_LOGIN_ADDRESS_FAILURES`` set the free
failures. No maintained throttling library keeps its counts in an SQLAlchemy database
(``limits``/slowapi: memory, Redis, Memcached, MongoDB; pyrate-limiter: its own SQLite file,
Redis, or PostgreSQL through psycopg_pool) or counts failures rather than requests, so this
is one table and a few queries.

Example:
    >>> from loopwise.store import open_store
    >>> throttle = LoginThrottle(open_store("sqlite://"))
    >>> [throttle.failed("ana", "10.0.0.1") for _ in range(6)][-1] > 0
    True
    >>> throttle.wait("ana", "10.0.0.2") > 0, throttle.wait("bob", "10.0.0.2")
    (True, 0.0)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from loopwise.store import rows
from loopwise.store.tables import LoginFailureRow

FORGET_AFTER = timedelta(hours=1)
"""Failures older than this (since the last one) no longer count."""


@dataclass(frozen=True)
class BackOff:
    """How one kind of key backs off: ``free`` failures, then waits doubling from ``first``
    seconds up to ``longest``."""

    free: int
    first: float = 1.0
    longest: float = 900.0

    def wait_after(self, failures: int) -> float:
        """Seconds the next attempt waits after ``failures`` failures in a row.

        >>> [BackOff(free=2).wait_after(n) for n in range(1, 6)]
        [0.0, 0.0, 1.0, 2.0, 4.0]
        """
        if failures <= self.free:
            return 0.0
        return float(min(self.longest, self.first * 2 ** min(failures - self.free - 1, 30)))


def account_back_off() -> BackOff:
    return BackOff(free=_env_int("LOOPWISE_LOGIN_ACCOUNT_FAILURES", 5), longest=900.0)


def address_back_off() -> BackOff:
    return BackOff(free=_env_int("LOOPWISE_LOGIN_ADDRESS_FAILURES", 20), longest=3600.0)


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


class LoginThrottle:
    """The throttle over one :class:`~loopwise.store.Store`'s database."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def _keys(self, name: str, address: str | None) -> list[tuple[str, BackOff]]:
        keys = [("account:" + name[:150], account_back_off())]
        if address:
            keys.append(("address:" + address[:150], address_back_off()))
        return keys

    def wait(self, name: str, address: str | None) -> float:
        """Seconds before this name may try again from this address (0: now)."""
        now = datetime.now(UTC)
        keys = [key for key, _ in self._keys(name, address)]
        with self.store.reading() as conn:
            until = conn.scalars(
                select(LoginFailureRow.blocked_until).where(LoginFailureRow.key.in_(keys))
            ).all()
        waits = [(rows.utc(moment) - now).total_seconds() for moment in until if moment]
        return max([0.0, *waits])

    def failed(self, name: str, address: str | None) -> float:
        """Count a failed sign-in; the seconds the next attempt must now wait."""
        now = datetime.now(UTC)
        waits = [0.0]
        with self.store.writing() as conn:
            conn.execute(
                delete(LoginFailureRow).where(LoginFailureRow.last_failed_at < now - FORGET_AFTER)
            )
            for key, back_off in self._keys(name, address):
                waits.append(self._count(conn, key, back_off, now))
        return max(waits)

    def succeeded(self, name: str) -> None:
        """A right password: the account's failures are forgotten."""
        with self.store.writing() as conn:
            conn.execute(
                delete(LoginFailureRow).where(LoginFailureRow.key == "account:" + name[:150])
            )

    def _count(self, conn: Any, key: str, back_off: BackOff, now: datetime) -> float:
        failures = conn.scalar(
            select(LoginFailureRow.failures).where(LoginFailureRow.key == key).with_for_update()
        )
        failures = 1 if failures is None else failures + 1
        wait = back_off.wait_after(failures)
        values = {"failures": failures, "last_failed_at": now,
                  "blocked_until": now + timedelta(seconds=wait) if wait else None}  # fmt: skip
        if failures == 1:
            try:
                with conn.begin_nested():
                    conn.execute(insert(LoginFailureRow).values(key=key, **values))
                return wait
            except IntegrityError:  # another worker counted this key's first failure
                values["failures"] = LoginFailureRow.failures + 1
        conn.execute(update(LoginFailureRow).where(LoginFailureRow.key == key).values(values))
        return wait
