"""The admin's users page: make users, set a new password for one, remove one.

``/admin/users`` is for admins only (403 for other signed-in users; anonymous visitors are
sent to the sign-in form). Plain forms carrying the session's CSRF token, calling the same
account functions as ``loopwise user add | passwd | remove``. An admin cannot remove
themselves here (another admin or the CLI can). Roles on maps are given by each map's owners
on its members page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopwise.accounts.passwords import password_work
from loopwise.api.auth import accounts_of, current_caller
from loopwise.errors import UnknownIdError, ValidationError
from loopwise.web.forms import signed_in_form
from loopwise.web.templating import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = "/admin/users"


def _page(request: Request, *, error: str = "", status: int = 200) -> HTMLResponse:
    caller = current_caller(request)
    assert caller.user is not None and caller.session is not None
    context: dict[str, Any] = {
        "urls": None,
        "page": "admin",
        "account": caller.user,
        "csrf_token": caller.session.csrf_token,
        "users": accounts_of(request).list_users(),
        "message": request.query_params.get("done", "")[:200],
        "error": error,
    }
    return HTMLResponse(render("admin_users.html", context), status_code=status)


def _require_admin(request: Request) -> None:
    caller = current_caller(request)
    if caller.user is None or caller.session is None:
        raise HTTPException(status_code=401, detail="sign in first")
    if not caller.user.is_admin:
        raise HTTPException(status_code=403, detail="only admins manage users")


async def _admin_form(request: Request) -> dict[str, str]:
    form = await signed_in_form(request)
    _require_admin(request)
    return form


def _done(message: str) -> Response:
    return RedirectResponse(f"{PAGE}?done={quote(message)}", status_code=303)


@router.get(PAGE)
def users(request: Request) -> Response:
    if current_caller(request).session is None:
        return RedirectResponse("/login?next=" + quote(PAGE), status_code=303)
    _require_admin(request)
    return _page(request)


@router.post(PAGE)
async def add_user(request: Request) -> Response:
    form = await _admin_form(request)
    name = form.get("name", "").strip()
    password = form.get("password", "")
    if password != form.get("repeat", ""):
        return _page(request, error="The two passwords differ.", status=422)
    try:
        await password_work(accounts_of(request).add_user, name, password,
                            admin=form.get("admin") == "1")  # fmt: skip
    except ValidationError as exc:  # a bad name or password, or the name is taken
        return _page(request, error=f"Not added: {exc.message}.", status=422)
    return _done(f"{name} added")


@router.post(PAGE + "/{name}/password")
async def set_password(request: Request, name: str) -> Response:
    form = await _admin_form(request)
    try:
        await password_work(accounts_of(request).set_password, name, form.get("password", ""))
    except ValidationError as exc:
        return _page(request, error=f"Password of {name} not changed: {exc.message}.",
                     status=422)  # fmt: skip
    except UnknownIdError:
        raise HTTPException(status_code=404, detail="no such user") from None
    return _done(f"new password set for {name}; they are signed out everywhere and their API "
                 "tokens are revoked")  # fmt: skip


@router.get(PAGE + "/{name}/remove")
def confirm_remove(request: Request, name: str) -> Response:
    """Ask before removing: it ends their sessions, revokes their tokens, drops their roles."""
    if current_caller(request).session is None:
        return RedirectResponse("/login?next=" + quote(PAGE), status_code=303)
    _require_admin(request)
    try:
        user = accounts_of(request).get_user(name)
    except UnknownIdError:
        raise HTTPException(status_code=404, detail="no such user") from None
    caller = current_caller(request)
    assert caller.session is not None
    context = {"urls": None, "page": "admin", "user": user, "account": caller.user,
               "csrf_token": caller.session.csrf_token}  # fmt: skip
    return HTMLResponse(render("admin_remove_user.html", context))


@router.post(PAGE + "/{name}/remove")
async def remove_user(request: Request, name: str) -> Response:
    await _admin_form(request)
    me = current_caller(request).user  # an admin: _admin_form let the request through
    if me is not None and name == me.name:
        return _page(request, error="You cannot remove yourself.", status=409)
    try:
        accounts_of(request).remove_user(name)
    except UnknownIdError:
        raise HTTPException(status_code=404, detail="no such user") from None
    return _done(f"{name} removed")
