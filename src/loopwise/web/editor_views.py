"""The editor's pages: the table editor, the history (diff, restore, undo) and the evidence
review queue, for signed-in members of a map.

The table editor and the review queue are static scripts over the JSON API (every write
names its version; a 409 shows what changed and lets the editor merge). History is plain
HTML: restore and undo are form posts carrying the session's CSRF token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopwise.accounts.roles import role_at_least
from loopwise.api.auth import current_caller, role_on_map
from loopwise.api.deps import NumberPath, public_bundle
from loopwise.errors import ConflictError, NothingToUndoError
from loopwise.web.forms import signed_in_form
from loopwise.web.page_contexts import base_context
from loopwise.web.templating import render
from loopwise.web.urls import ServedUrls

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def editor_context(request: Request, slug: str, page: str) -> dict[str, Any]:
    """A page for the map's members: who is signed in, their role, the CSRF token."""
    bundle = public_bundle(request, slug)  # 404 unless the caller may read it
    _, role = role_on_map(request, slug)
    caller = current_caller(request)
    context = base_context(bundle, ServedUrls(slug), page)
    context.update(
        account=caller.user,
        role=role,
        can_edit=caller.user is not None and role_at_least(role, "editor"),
        csrf_token=caller.session.csrf_token if caller.session else "",
    )
    return context


def sign_in_first(request: Request) -> Response:
    return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)


def _editor_page(request: Request, slug: str, template: str, page: str) -> Response:
    context = editor_context(request, slug, page)
    if context["account"] is None:
        return sign_in_first(request)
    if not context["can_edit"]:
        raise HTTPException(status_code=403, detail=f"you need the editor role on {slug!r}")
    context["coder"] = context["account"].name
    return HTMLResponse(render(template, context))


@router.get("/maps/{slug}/edit")
def editor(request: Request, slug: str) -> Response:
    return _editor_page(request, slug, "editor.html", "edit")


@router.get("/maps/{slug}/review")
def review(request: Request, slug: str) -> Response:
    return _editor_page(request, slug, "evidence_review.html", "review")


@router.get("/maps/{slug}/history")
def history(request: Request, slug: str) -> Response:
    context = editor_context(request, slug, "history")
    store = request.app.state.store
    context["revisions"] = list(reversed(store.history(slug)))
    context["message"] = request.query_params.get("done", "")[:200]
    return HTMLResponse(render("history.html", context))


@router.get("/maps/{slug}/history/{number}")
def revision(request: Request, slug: str, number: NumberPath) -> Response:
    context = editor_context(request, slug, "history")
    store = request.app.state.store
    revision = store.revision(slug, number)
    context.update(revision=revision, changes=[_change_view(c) for c in revision.changes])
    return HTMLResponse(render("revision.html", context))


async def _history_form(request: Request, slug: str) -> tuple[dict[str, Any], dict[str, str]]:
    context = editor_context(request, slug, "history")
    form = await signed_in_form(request)
    if not context["can_edit"]:
        raise HTTPException(status_code=403, detail=f"you need the editor role on {slug!r}")
    return context, form


def _is_owner(context: dict[str, Any]) -> bool:
    # only owners restore or undo the map's settings (title, visibility...)
    return role_at_least(context["role"], "owner")


def _based_on(form: dict[str, str]) -> int:
    try:
        return int(form.get("based_on", ""))
    except ValueError:
        raise HTTPException(status_code=422, detail="based_on: expected a version") from None


def _conflict_page(request: Request, context: dict[str, Any], exc: ConflictError) -> Response:
    store = request.app.state.store
    since = exc.based_on if 1 <= exc.based_on <= exc.current else exc.current
    context.update(conflict=exc, changes=[_change_view(c) for c in
                                          store.diff(exc.slug, since, exc.current)])  # fmt: skip
    return HTMLResponse(render("conflict.html", context), status_code=409)


@router.post("/maps/{slug}/history/{number}/restore")
async def restore(request: Request, slug: str, number: NumberPath) -> Response:
    context, form = await _history_form(request, slug)
    store = request.app.state.store
    try:
        result = store.restore(slug, number, author=context["account"].name,
                               based_on=_based_on(form), settings=_is_owner(context))  # fmt: skip
    except ConflictError as exc:
        return _conflict_page(request, context, exc)
    done = f"restored revision {number}" if result else f"already at revision {number}"
    return RedirectResponse(f"/maps/{quote(slug)}/history?done={quote(done)}", status_code=303)


@router.post("/maps/{slug}/undo")
async def undo(request: Request, slug: str) -> Response:
    context, form = await _history_form(request, slug)
    store = request.app.state.store
    try:
        result = store.undo(slug, author=context["account"].name, based_on=_based_on(form),
                            settings=_is_owner(context))  # fmt: skip
    except ConflictError as exc:
        return _conflict_page(request, context, exc)
    except NothingToUndoError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    done = result.message
    return RedirectResponse(f"/maps/{quote(slug)}/history?done={quote(done)}", status_code=303)


def _change_view(change: Any) -> dict[str, Any]:
    """A change as rows of ``(field, before, after)`` for the fields that differ."""
    before, after = change.before or {}, change.after or {}
    fields = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            fields.append((key, _show(before.get(key)), _show(after.get(key))))
    return {"collection": change.collection, "entity_id": change.entity_id,
            "action": change.action, "fields": fields}  # fmt: skip


def _show(value: Any) -> str:
    import json

    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1)[:4000]
