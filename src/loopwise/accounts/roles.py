"""Roles on a map and what they allow.

Example:
    >>> role_at_least("owner", "editor"), role_at_least("viewer", "editor")
    (True, False)
    >>> can_read("private", None), can_read("public", None), can_read("private", "viewer")
    (False, True, True)
"""

from __future__ import annotations

from typing import Literal

Role = Literal["viewer", "editor", "owner"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "owner")
"""From least to most: a viewer reads, an editor also writes, an owner also manages."""

_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES)}


def role_at_least(role: str | None, needed: str) -> bool:
    """Whether ``role`` (``None``: no role) allows what ``needed`` allows."""
    return role is not None and _RANK.get(role, -1) >= _RANK[needed]


def can_read(visibility: str, role: str | None) -> bool:
    """Anyone reads a public map; only members read a private one."""
    return visibility == "public" or role_at_least(role, "viewer")
