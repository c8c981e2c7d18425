"""The signed-in user's own account page: their maps and roles, their password, their API
tokens.

- ``GET /account``: who you are, the maps you are a member of, your tokens;
- ``POST /account/password``: change your password (the current one first). Every session
  of yours ends, this browser gets a new one, so other devices are signed out, and every
  API token of yours is revoked (a token must not outlive the password it was made with);
- ``POST /account/tokens``: a new API token, shown once on the page that answers (never in
  a URL, kept only as a hash);
- ``POST /account/tokens/{id}/revoke``: revoke one of your own tokens.

Plain forms carrying the session's CSRF token; mistakes are shown on the page and change
nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopwise.accounts.passwords import password_work
from loopwise.api.auth import accounts_of, current_caller
from loopwise.api.deps import NumberPath
from loopwise.errors import ValidationError
from loopwise.web.account_views import set_session_cookie
from loopwise.web.forms import signed_in_form
from loopwise.web.templating import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
MAX_TOKEN_NAME = 100


def _page(request: Request, *, error: str = "", new_token: str = "",
          status: int = 200) -> HTMLResponse:  # fmt: skip
    caller = current_caller(request)
    assert caller.user is not None and caller.session is not None
    accounts = accounts_of(request)
    store = request.app.state.store
    maps = []
    for info in store.list_maps():
        role = accounts.role_on(info.slug, caller.user)
        if role is not None:
            maps.append({"slug": info.slug, "title": info.title, "role": role})
    context: dict[str, Any] = {
        "urls": None,
        "page": "account",
        "account": caller.user,
        "csrf_token": caller.session.csrf_token,
        "maps": maps,
        "tokens": accounts.list_tokens(caller.user.name),
        "message": request.query_params.get("done", "")[:200],
        "error": error,
        "new_token": new_token,
    }
    return HTMLResponse(render("account.html", context), status_code=status)


@router.get("/account")
def account(request: Request) -> Response:
    caller = current_caller(request)
    if caller.session is None:
        return RedirectResponse("/login?next=" + quote("/account"), status_code=303)
    return _page(request)


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    form = await signed_in_form(request)
    user = current_caller(request).user
    assert user is not None
    accounts = accounts_of(request)
    if await password_work(accounts.authenticate, user.name, form.get("current", "")) is None:
        return _page(request, error="Your current password is not right.", status=401)
    new = form.get("new", "")
    if new != form.get("repeat", ""):
        return _page(request, error="The two new passwords differ.", status=422)
    try:
        # ends every session of the user, this one too
        await password_work(accounts.set_password, user.name, new)
    except ValidationError as exc:
        return _page(request, error=f"New password: {exc.message}.", status=422)
    secret, _ = accounts.create_session(user.name)
    done = quote("password changed; your other devices are signed out and your API tokens "
                 "revoked")  # fmt: skip
    response = RedirectResponse("/account?done=" + done, status_code=303)
    set_session_cookie(response, request, secret)
    return response


@router.post("/account/tokens")
async def create_token(request: Request) -> Response:
    form = await signed_in_form(request)
    user = current_caller(request).user
    assert user is not None
    name = form.get("name", "").strip()
    if not name or len(name) > MAX_TOKEN_NAME:
        return _page(request, status=422,
                     error=f"Give the token a name (1-{MAX_TOKEN_NAME} characters).")  # fmt: skip
    secret = accounts_of(request).create_token(user.name, name)
    return _page(request, new_token=secret)


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: NumberPath) -> Response:
    await signed_in_form(request)
    user = current_caller(request).user
    assert user is not None
    accounts = accounts_of(request)
    if token_id not in {t.id for t in accounts.list_tokens(user.name)}:
        raise HTTPException(status_code=404, detail="no such token of yours")
    accounts.revoke_token(token_id)
    return RedirectResponse("/account?done=" + quote(f"token {token_id} revoked"),
                            status_code=303)  # fmt: skip
