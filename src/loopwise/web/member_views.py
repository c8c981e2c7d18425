"""The members page: an owner gives people a role on the map, changes it or takes it away.

Plain HTML forms (no script), each carrying the session's CSRF token; they call the same
account functions as the members API (:mod:`loopwise.api.members`) with the same rules:
owners only, the user must exist (an admin makes users: ``loopwise user add``), and nobody
changes their own role here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopwise.accounts.roles import ROLES, role_at_least
from loopwise.api.auth import accounts_of
from loopwise.errors import UnknownIdError
from loopwise.web.editor_views import editor_context, sign_in_first
from loopwise.web.forms import signed_in_form
from loopwise.web.templating import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _owner_context(request: Request, slug: str) -> dict[str, Any]:
    context = editor_context(request, slug, "members")
    if context["account"] is not None and not role_at_least(context["role"], "owner"):
        raise HTTPException(status_code=403, detail=f"you need the owner role on {slug!r}")
    return context


def _page(request: Request, context: dict[str, Any], *, error: str = "",
          status: int = 200) -> HTMLResponse:  # fmt: skip
    slug = context["map"].slug
    context.update(
        members=accounts_of(request).members(slug),
        roles=list(reversed(ROLES)),
        message=request.query_params.get("done", "")[:200],
        error=error,
    )
    return HTMLResponse(render("members.html", context), status_code=status)


@router.get("/maps/{slug}/members")
def members(request: Request, slug: str) -> Response:
    context = _owner_context(request, slug)
    if context["account"] is None:
        return sign_in_first(request)
    return _page(request, context)


@router.post("/maps/{slug}/members")
async def set_member(request: Request, slug: str) -> Response:
    """Give ``user`` the ``role`` (``remove=1``: take their role away)."""
    context = _owner_context(request, slug)
    form = await signed_in_form(request)
    user = form.get("user", "").strip()
    role = form.get("role", "")
    remove = form.get("remove") == "1"
    if not user:
        return _page(request, context, error="Type the user's name.", status=422)
    if user == context["account"].name:
        message = "You cannot change your own role; ask another owner or an admin."
        return _page(request, context, error=message, status=409)
    accounts = accounts_of(request)
    try:
        if remove:
            accounts.revoke(slug, user)
            done = f"{user} is no longer a member"
        elif role not in ROLES:
            return _page(request, context, error="Choose a role.", status=422)
        else:
            accounts.grant(slug, user, role)
            done = f"{user} is now {role}"
    except UnknownIdError:
        message = f"There is no user called “{user}”. An admin adds users with loopwise user add."
        return _page(request, context, error=message, status=404)
    return RedirectResponse(f"/maps/{quote(slug)}/members?done={quote(done)}", status_code=303)
