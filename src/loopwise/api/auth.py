"""Who is calling, and what they may do to a map.

A caller is anonymous, signed in through the browser (the ``loopwise_session`` cookie) or a
script with an API token (``Authorization: Bearer lw_...``). A bad or revoked token is a 401,
never a silent fall-back to anonymous. Browser writes also need the session's CSRF token
(header ``X-CSRF-Token``, or the ``csrf_token`` form field): a cookie alone never writes.
That is checked once for every route, by :class:`loopwise.web.csrf.CsrfMiddleware`.

Map access: a public map is readable by anyone, a private one only by its members (anyone
else gets the same 404 as for a map that does not exist); writes need the editor role
(settings: owner). An admin is owner of every map.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from loopwise.accounts.roles import can_read, role_at_least
from loopwise.accounts.service import Accounts, Session, User
from loopwise.api.deps import SlugPath
from loopwise.errors import UnknownIdError

SESSION_COOKIE = "loopwise_session"


@dataclass(frozen=True)
class Caller:
    """The person behind a request (``user`` is ``None`` when anonymous)."""

    user: User | None = None
    session: Session | None = None
    via: str | None = None  # "session" or "token"


@dataclass(frozen=True)
class MapAccess:
    """A caller allowed to act on one map, and their role there."""

    slug: str
    user: User
    role: str

    @property
    def is_owner(self) -> bool:
        """Whether the caller may change the map's settings (title, visibility...)."""
        return role_at_least(self.role, "owner")


def accounts_of(request: Request) -> Accounts:
    return Accounts(request.app.state.store)


def current_caller(request: Request) -> Caller:
    """The caller of this request (worked out once per request)."""
    cached: Caller | None = getattr(request.state, "loopwise_caller", None)
    if cached is not None:
        return cached
    caller = _identify(request)
    request.state.loopwise_caller = caller
    return caller


def _identify(request: Request) -> Caller:
    accounts = accounts_of(request)
    header = request.headers.get("authorization")
    if header:
        scheme, _, secret = header.partition(" ")
        user = accounts.user_for_token(secret.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise HTTPException(
                status_code=401,
                detail="invalid or revoked API token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return Caller(user=user, via="token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        session = accounts.session_for(cookie)
        if session is not None:
            return Caller(user=session.user, session=session, via="session")
    return Caller()


def role_on_map(request: Request, slug: str) -> tuple[str, str | None]:
    """``(visibility, the caller's role)`` for a map; 404 if it is unknown or hidden from
    the caller."""
    store = request.app.state.store
    try:
        visibility = _visibility(store, slug)
    except UnknownIdError:
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}") from None
    caller = current_caller(request) if _may_identify(request, visibility) else Caller()
    role = accounts_of(request).role_on(slug, caller.user)
    if not can_read(visibility, role):
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}")
    request.state.readable_map = slug
    if visibility != "public":
        request.state.private_map = True  # the answer is never cached (web.app)
    return visibility, role


def visible_maps(request: Request, infos: list[Any]) -> list[Any]:
    """The maps of a list the caller may see: public ones, and private ones they are in."""
    private = [info for info in infos if info.visibility != "public"]
    member: set[str] = set()
    if private and _may_identify(request, "public"):
        member = accounts_of(request).member_maps(current_caller(request).user)
    return [info for info in infos if info.visibility == "public" or info.slug in member]


def _may_identify(request: Request, visibility: str) -> bool:
    # reading a public map needs no account lookup, unless credentials were sent
    return visibility != "public" or bool(
        request.headers.get("authorization") or request.cookies.get(SESSION_COOKIE)
    )


def _visibility(store: Any, slug: str) -> str:
    return str(store.visibility(slug))


def require_role(needed: str) -> Any:
    """A FastAPI dependency: the caller may do what ``needed`` allows on the map in the path.

    404 if the map is unknown or private to the caller, 401 if anonymous, 403 if their role
    is too low (a browser's missing CSRF token is refused before, by the CSRF middleware).
    """

    def dependency(request: Request, slug: SlugPath) -> MapAccess:
        _, role = role_on_map(request, slug)
        caller = current_caller(request)
        if caller.user is None:
            raise HTTPException(
                status_code=401, detail="sign in or send an API token to change a map",
                headers={"WWW-Authenticate": "Bearer"},
            )  # fmt: skip
        if not role_at_least(role, needed):
            raise HTTPException(
                status_code=403, detail=f"you need the {needed} role on {slug!r} to do this"
            )
        assert role is not None
        return MapAccess(slug=slug, user=caller.user, role=role)

    return dependency


def require_reader(request: Request, slug: SlugPath) -> None:
    """A FastAPI dependency: 404 unless the caller may read the map in the path (checked
    before the query is validated, so a private map answers exactly like an unknown one)."""
    role_on_map(request, slug)


require_editor = require_role("editor")
require_owner = require_role("owner")

Editor = Annotated[MapAccess, Depends(require_editor)]
Owner = Annotated[MapAccess, Depends(require_owner)]
