"""Who may read and change a map: its members and their roles (owners only).

- ``GET /api/maps/{slug}/members``: the members, by name, with their roles;
- ``PUT /api/maps/{slug}/members/{user}`` with ``{"role": "editor"}``: give a user a role
  (``owner``, ``editor`` or ``viewer``), replacing the one they had;
- ``DELETE /api/maps/{slug}/members/{user}``: take their role away.

Users are made by an admin (``loopwise user add``); admins are owners of every map without
being members. An owner cannot change or remove their own role here (another owner or an
admin can), so a slip never locks the person managing a map out of it. Browser calls need
the session's CSRF token, like every write.

Example (with an owner's token)::

    PUT /api/maps/breaking-the-cycle/members/bob  {"role": "editor"}
    -> {"members": [{"user": "ana", "role": "owner"}, {"user": "bob", "role": "editor"}]}
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict

from loopwise.api.auth import Owner, accounts_of
from loopwise.api.edit import WRITE_RESPONSES

Role = Literal["owner", "editor", "viewer"]
UserPath = Annotated[str, Path(min_length=1, max_length=100, description="A user's name.")]

router = APIRouter(prefix="/api/maps/{slug}", tags=["members"], responses=WRITE_RESPONSES)


class MemberOut(BaseModel):
    user: str
    role: Role


class MembersOut(BaseModel):
    """The map's members (admins, owners of every map, are not listed)."""

    members: list[MemberOut]


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


def members_of(request: Request, slug: str) -> MembersOut:
    """The members of a map as the API shows them."""
    pairs = accounts_of(request).members(slug)
    members = [MemberOut.model_validate({"user": name, "role": role}) for name, role in pairs]
    return MembersOut(members=members)


def _not_yourself(access: Any, user: str) -> None:
    if user == access.user.name:
        raise HTTPException(
            status_code=409,
            detail="you cannot change your own role; ask another owner or an admin",
        )


@router.get("/members", response_model=MembersOut, summary="The map's members and roles")
def list_members(request: Request, access: Owner) -> MembersOut:
    """Owners only."""
    return members_of(request, access.slug)


@router.put("/members/{user}", response_model=MembersOut, summary="Give a user a role")
def put_member(request: Request, access: Owner, user: UserPath, body: RoleIn) -> MembersOut:
    """Owners only: the user (who must exist) gets ``role`` on the map."""
    _not_yourself(access, user)
    accounts_of(request).grant(access.slug, user, body.role)
    return members_of(request, access.slug)


@router.delete("/members/{user}", response_model=MembersOut, summary="Take a user's role away")
def delete_member(request: Request, access: Owner, user: UserPath) -> MembersOut:
    """Owners only: the user is no longer a member (a private map is then hidden from them)."""
    _not_yourself(access, user)
    accounts = accounts_of(request)
    if user not in {name for name, _ in accounts.members(access.slug)}:
        accounts.get_user(user)  # an unknown user is 404
        raise HTTPException(status_code=404, detail=f"{user!r} is not a member of {access.slug!r}")
    accounts.revoke(access.slug, user)
    return members_of(request, access.slug)
