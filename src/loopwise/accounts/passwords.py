"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile).

Hashing is slow on purpose (tens of milliseconds of CPU and 64 MiB), so the web server never
runs it on its event loop: :func:`password_work` runs it in a small pool of its own threads
(``LOOPWISE_PASSWORD_THREADS``, default 1), at a lower CPU priority where the system allows,
so sign-ins wait their turn and everyone else's pages keep coming.

Example:
    >>> stored = hash_password("correct horse battery staple")
    >>> stored.startswith("$argon2id$")
    True
    >>> verify_password(stored, "correct horse battery staple"), verify_password(stored, "x")
    (True, False)
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
"""Shorter passwords are refused (``loopwise user add`` says so)."""


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted; a PHC string)."""
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (never raises on a mismatch)."""
    try:
        return _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether the hash was made with weaker parameters than today's defaults."""
    return _hasher().check_needs_rehash(stored)


T = TypeVar("T")

PASSWORD_THREADS = max(1, int(os.environ.get("LOOPWISE_PASSWORD_THREADS", "1") or 1))
"""How many password hashes one server process computes at once (the rest queue)."""


def _lower_priority() -> None:
    # on Linux a thread has its own nice value, and argon2's lane threads inherit it: hashing
    # yields the CPU to the requests being served
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=PASSWORD_THREADS,
        thread_name_prefix="loopwise-password",
        initializer=_lower_priority,
    )


async def password_work(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``function`` (anything that hashes or verifies a password) in the password
    threads, off the event loop.

    Example:
        >>> import asyncio
        >>> asyncio.run(password_work(verify_password, DUMMY_HASH, "wrong"))
        False
    """
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(), functools.partial(function, *args, **kwargs))


# a hash to verify against when the user does not exist, so that the time a login takes
# does not tell whether a name is registered
DUMMY_HASH = hash_password("loopwise-no-such-user")
