"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile).

Example:
    >>> stored = hash_password("correct horse battery staple")
    >>> stored.startswith("$argon2id$")
    True
    >>> verify_password(stored, "correct horse battery staple"), verify_password(stored, "x")
    (True, False)
"""

from __future__ import annotations

from functools import lru_cache

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


# a hash to verify against when the user does not exist, so that the time a login takes
# does not tell whether a name is registered
DUMMY_HASH = hash_password("loopwise-no-such-user")
