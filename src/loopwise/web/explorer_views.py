"""The explorer's HTML pages (server-rendered; the canvas and table sorting add scripts)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from loopwise.api.deps import Bundle, input_ids
from loopwise.errors import ValidationError
from loopwise.present.payloads import ScenarioRequest
from loopwise.present.scenarios import run_scenario
from loopwise.web import page_contexts
from loopwise.web.templating import render
from loopwise.web.urls import ServedUrls

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _html(template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return HTMLResponse(render(template, context), status_code=status)


@router.get("/")
def index(request: Request) -> HTMLResponse:
    from loopwise.api.auth import visible_maps

    maps = visible_maps(request, request.app.state.store.list_maps())
    return _html("index.html", {"maps": maps, "urls": None, "page": "index"})


@router.get("/maps/{slug}")
def home(bundle: Bundle) -> HTMLResponse:
    return _html("home.html", page_contexts.home_context(bundle, ServedUrls(bundle.map.slug)))


@router.get("/maps/{slug}/canvas")
def canvas(request: Request, bundle: Bundle) -> HTMLResponse:
    """The map canvas; a signed-in editor also gets the editing forms (``js/canvas_edit.js``)."""
    context = page_contexts.canvas_context(bundle, ServedUrls(bundle.map.slug))
    context.update(_canvas_editing(request, bundle.map.slug))
    response = _html("canvas.html", context)
    if context["can_edit"]:  # it carries the session's CSRF token: never kept by a cache
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _canvas_editing(request: Request, slug: str) -> dict[str, object]:
    """``can_edit`` and the session's CSRF token, as the editor's pages work them out; an
    anonymous visitor (no session cookie) costs no account lookup and gets the plain canvas."""
    from loopwise.accounts.roles import role_at_least
    from loopwise.api.auth import SESSION_COOKIE, current_caller, role_on_map

    if not request.cookies.get(SESSION_COOKIE):
        return {"can_edit": False, "csrf_token": ""}
    caller = current_caller(request)
    if caller.user is None or caller.session is None:
        return {"can_edit": False, "csrf_token": ""}
    _, role = role_on_map(request, slug)
    return {"can_edit": role_at_least(role, "editor"), "csrf_token": caller.session.csrf_token}


@router.get("/maps/{slug}/embed")
def embed(bundle: Bundle) -> HTMLResponse:
    context = page_contexts.canvas_context(bundle, ServedUrls(bundle.map.slug))
    return _html("embed.html", context)


@router.get("/maps/{slug}/factors/{factor_id}")
def factor(bundle: Bundle, factor_id: str) -> HTMLResponse:
    context = page_contexts.factor_context(bundle, ServedUrls(bundle.map.slug), factor_id)
    return _html("factor.html", context)


@router.get("/maps/{slug}/campaigns/{factor_id}")
def campaign(bundle: Bundle, factor_id: str) -> HTMLResponse:
    """A policy's campaign view (404 for a factor that is not a policy)."""
    context = page_contexts.campaign_context(bundle, ServedUrls(bundle.map.slug), factor_id)
    return _html("campaign.html", context)


@router.get("/maps/{slug}/loops")
def loops(bundle: Bundle, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    """Every loop, :data:`~loopwise.web.page_contexts.LOOPS_PER_PAGE` a page (``?page=2``...)."""
    return _html(
        "loops.html", page_contexts.loops_context(bundle, ServedUrls(bundle.map.slug), page)
    )


@router.get("/maps/{slug}/loops/{loop_id}")
def loop(bundle: Bundle, loop_id: str) -> HTMLResponse:
    return _html(
        "loop.html", page_contexts.loop_context(bundle, ServedUrls(bundle.map.slug), loop_id)
    )


@router.get("/maps/{slug}/leverage")
def leverage(bundle: Bundle) -> HTMLResponse:
    return _html(
        "leverage.html", page_contexts.leverage_context(bundle, ServedUrls(bundle.map.slug))
    )


@router.get("/maps/{slug}/funding")
def funding(bundle: Bundle) -> HTMLResponse:
    """Leverage beside who acts on each factor and the known funding; a funder's portfolio
    file is sent to ``POST /api/maps/{slug}/funding-gaps`` by ``js/funding.js``."""
    return _html("funding.html", page_contexts.funding_context(bundle, ServedUrls(bundle.map.slug)))


@router.get("/maps/{slug}/paths")
def paths(
    bundle: Bundle,
    source: Annotated[str | None, Query(alias="from", max_length=200)] = None,
    target: Annotated[str | None, Query(alias="to", max_length=200)] = None,
) -> HTMLResponse:
    with input_ids("from/to"):
        context = page_contexts.paths_context(bundle, ServedUrls(bundle.map.slug), source or None,
                                      target or None)  # fmt: skip
    return _html("paths.html", context)


@router.get("/maps/{slug}/scenario")
def scenario(
    bundle: Bundle,
    push: Annotated[list[str] | None, Query(max_length=50)] = None,
    factor: Annotated[list[str] | None, Query(max_length=50)] = None,
    amount: Annotated[list[str] | None, Query(max_length=50)] = None,
    samples: Annotated[int, Query(ge=0, le=2000)] = 1000,
) -> HTMLResponse:
    """``push=factor:amount`` (repeatable; amount in [-1, 1], default 0.5), or the form's
    ``factor`` and ``amount`` lists, paired in order."""
    pairs = [item.partition(":")[::2] for item in push or []]
    pairs += list(zip(factor or [], (amount or []) + [""] * len(factor or []), strict=False))
    pushes: dict[str, float] = {}
    for factor_id, amount_text in pairs:
        if not factor_id:
            continue
        try:
            value = float(amount_text) if amount_text else page_contexts.SCENARIO_PUSH
        except ValueError:
            raise ValidationError(f"expected a number, got {amount_text!r}", "push") from None
        if not -1 <= value <= 1:
            raise ValidationError(f"push {value} is outside [-1, 1]", "push")
        pushes[factor_id] = value
    result = None
    if pushes:
        request = ScenarioRequest(push=pushes, samples=samples)
        with input_ids("factor"):
            result = run_scenario(bundle, request)
    context = page_contexts.scenario_context(bundle, ServedUrls(bundle.map.slug), pushes, result,
                                     samples)  # fmt: skip
    return _html("scenario.html", context)


@router.get("/maps/{slug}/text")
def text(bundle: Bundle) -> HTMLResponse:
    return _html("text.html", page_contexts.text_context(bundle, ServedUrls(bundle.map.slug)))
