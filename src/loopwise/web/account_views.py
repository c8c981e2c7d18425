"""Signing in and out of the web site (HTML forms; the API uses tokens or the same cookie).

Signing in always makes a new session (a session id set before sign-in is never promoted:
no session fixation) and ends the one the browser had. The cookie is ``HttpOnly``,
``SameSite=Lax`` and ``Secure`` when served over HTTPS (or when
``LOOPWISE_SECURE_COOKIES=1``, for a TLS proxy in front). Failed sign-ins are throttled per
account name and per address (:mod:`loopwise.accounts.throttle`): 429 with ``Retry-After``.
"""

from __future__ import annotations

import math
import os
import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopwise.accounts.passwords import password_work
from loopwise.accounts.service import SESSION_LIFETIME
from loopwise.accounts.throttle import LoginThrottle
from loopwise.api.auth import SESSION_COOKIE, accounts_of, current_caller
from loopwise.web.forms import (
    LOGIN_CSRF_COOKIE,
    SECURE_LOGIN_CSRF_COOKIE,
    read_form,
    safe_next,
    same_token,
)
from loopwise.web.templating import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def secure_cookies(request: Request) -> bool:
    return request.url.scheme == "https" or os.environ.get("LOOPWISE_SECURE_COOKIES") == "1"


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    """Give the browser its session: ``HttpOnly``, ``SameSite=Lax``, ``Secure`` over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE, secret, max_age=int(SESSION_LIFETIME.total_seconds()), httponly=True,
        samesite="lax", secure=secure_cookies(request), path="/",
    )  # fmt: skip


def _login_page(request: Request, next_url: str, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    context: dict[str, Any] = {"urls": None, "page": "login", "csrf_token": token,
                               "next": next_url, "error": error}  # fmt: skip
    response = HTMLResponse(render("login.html", context), status_code=status)
    secure = secure_cookies(request)
    # over HTTPS a __Host- cookie: no other origin of this site (another port or a
    # subdomain) can set or overwrite it
    response.set_cookie(login_cookie(request), token, httponly=True, samesite="strict",
                        secure=secure, path="/" if secure else "/login")  # fmt: skip
    return response


def login_cookie(request: Request) -> str:
    """The sign-in form's double-submit cookie: ``__Host-`` prefixed over HTTPS."""
    return SECURE_LOGIN_CSRF_COOKIE if secure_cookies(request) else LOGIN_CSRF_COOKIE


def same_origin(request: Request) -> bool:
    """Whether the post comes from a page of this site: its ``Origin`` (else ``Referer``)
    names this host and port. Another port of the same host can set a plain cookie for this
    one (cookies ignore ports) but cannot forge these headers. A client that sends neither
    (not a browser) is let through: it cannot ride a victim's browser anyway."""
    from urllib.parse import urlsplit

    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent:
        return True
    if sent == "null":
        return False
    return urlsplit(sent).netloc.lower() == request.headers.get("host", "").lower()


def _throttled(request: Request, next_url: str, wait: float) -> Response:
    seconds = max(1, math.ceil(wait))
    message = f"Too many failed sign-ins. Try again in {_duration(seconds)}."
    response = _login_page(request, next_url, message, status=429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await read_form(request)
    next_url = safe_next(form.get("next"))
    if not same_token(form.get("csrf_token"), request.cookies.get(login_cookie(request))) or (
        not same_origin(request)
    ):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token; reload the page")
    accounts = accounts_of(request)
    name = form.get("name", "")
    throttle = LoginThrottle(request.app.state.store)
    address = request.client.host if request.client else None
    wait = await run_in_threadpool(throttle.wait, name, address)
    if wait > 0:  # refused before the password is checked: no hashing for a guesser
        return _throttled(request, next_url, wait)
    user = await password_work(accounts.authenticate, name, form.get("password", ""))
    if user is None:
        wait = await run_in_threadpool(throttle.failed, name, address)
        if wait > 0:
            return _throttled(request, next_url, wait)
        return _login_page(request, next_url, "Wrong name or password.", status=401)
    await run_in_threadpool(throttle.succeeded, name)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        accounts.delete_session(old)
    secret, _ = accounts.create_session(user.name)
    response = RedirectResponse(next_url, status_code=303)
    set_session_cookie(response, request, secret)
    response.delete_cookie(login_cookie(request), path="/" if secure_cookies(request) else "/login")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Sign out. With a live session its CSRF token is required (the CSRF middleware checks
    it); without a session cookie there is no token to check, so nothing is done (403): a
    cross-site post, which carries no ``SameSite=Lax`` cookie, never signs anyone out."""
    if not request.cookies.get(SESSION_COOKIE):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    await read_form(request)
    if current_caller(request).session is not None:
        accounts_of(request).delete_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
