"""Reading HTML form posts (``application/x-www-form-urlencoded``) without extra packages,
and the CSRF checks of form posts.

A signed-in form carries the session's CSRF token in ``csrf_token``. The sign-in form, which
has no session yet, uses a double-submit token: a random cookie that the form must echo.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs

from fastapi import HTTPException, Request

MAX_FORM_BYTES = 64_000
LOGIN_CSRF_COOKIE = "loopwise_login_csrf"
SECURE_LOGIN_CSRF_COOKIE = "__Host-loopwise_login_csrf"
"""The sign-in form's cookie over HTTPS: only this exact origin can set a ``__Host-`` one."""


async def read_form(request: Request) -> dict[str, str]:
    """The posted form's fields (first value of each); 415/413 for other bodies."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(status_code=415, detail="expected a form post")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(status_code=413, detail="form too large")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(status_code=400, detail="unreadable form") from None
    return {key: values[0] for key, values in fields.items()}


async def signed_in_form(request: Request) -> dict[str, str]:
    """The fields of a form posted by a signed-in browser with its session's CSRF token.

    401 without a session (the CSRF middleware has refused a missing or wrong token: 403).
    """
    from loopwise.api.auth import current_caller

    form = await read_form(request)
    if current_caller(request).session is None:
        raise HTTPException(status_code=401, detail="sign in first")
    return form  # its CSRF token was checked by loopwise.web.csrf.CsrfMiddleware


def same_token(sent: str | None, expected: str | None) -> bool:
    return bool(sent and expected) and secrets.compare_digest(
        str(sent).encode(), str(expected).encode()
    )


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"
