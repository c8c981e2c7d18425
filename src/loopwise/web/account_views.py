"""Signing in and out of the web site (HTML forms; the API uses tokens or the same cookie).

Signing in always makes a new session (a session id set before sign-in is never promoted:
no session fixation) and ends the one the browser had. The cookie is ``HttpOnly``,
``SameSite=Lax`` and ``Secure`` when served over HTTPS (or when
``LOOPWISE_SECURE_COOKIES=1``, for a TLS proxy in front). Failed sign-ins are throttled per
account name and per address (:mod:`loopwise.store.throttle`): 429 with ``Retry-After``.
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
from loopwise.api.auth import SESSION_COOKIE, accounts_of, current_caller
from loopwise.store.accounts import SESSION_LIFETIME
from loopwise.store.throttle import LoginThrottle
from loopwise.web.forms import LOGIN_CSRF_COOKIE, read_form, safe_next, same_token
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
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=secure_cookies(request), path="/login")  # fmt: skip
    return response


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
    if not same_token(form.get("csrf_token"), request.cookies.get(LOGIN_CSRF_COOKIE)):
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
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await read_form(request)
    caller = current_caller(request)
    if caller.session is not None:
        if not same_token(form.get("csrf_token"), caller.session.csrf_token):
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
        accounts_of(request).delete_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
