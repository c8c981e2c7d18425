"""The stories' pages (the list, a story's cover, one page per step) and the editor's story
form.

A step has its own address to share (``/maps/<slug>/stories/<id>/steps/<n>``; the cover also
takes ``?step=n``). The editor's form is a plain form post with the session's CSRF token,
saved as one revision through the store's versioned write (a stale form gets the conflict
page, like restore and undo).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from loopwise.api.deps import Bundle, NumberPath
from loopwise.errors import ConflictError, LoopwiseError, ValidationError
from loopwise.model import Map, View
from loopwise.web import story_pages
from loopwise.web.templating import render
from loopwise.web.urls import ServedUrls

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

FORM_STEPS = 10
"""The editor's form holds at most this many steps (longer stories: the JSON API)."""


@router.get("/maps/{slug}/stories")
def stories(bundle: Bundle) -> HTMLResponse:
    context = story_pages.stories_context(bundle, ServedUrls(bundle.map.slug))
    return HTMLResponse(render("stories.html", context))


@router.get("/maps/{slug}/stories/{story_id}")
def story(
    bundle: Bundle, story_id: str,
    step: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> Response:  # fmt: skip
    """A story's cover, or with ``?step=n`` its step ``n``."""
    urls = ServedUrls(bundle.map.slug)
    if step is not None:
        context = story_pages.story_step_context(bundle, urls, story_id, step)
        return HTMLResponse(render("story_step.html", context))
    return HTMLResponse(render("story.html", story_pages.story_context(bundle, urls, story_id)))


@router.get("/maps/{slug}/stories/{story_id}/steps/{number}")
def story_step(bundle: Bundle, story_id: str, number: NumberPath) -> HTMLResponse:
    context = story_pages.story_step_context(bundle, ServedUrls(bundle.map.slug), story_id,
                                             number)  # fmt: skip
    return HTMLResponse(render("story_step.html", context))


# ---------------------------------------------------------------------------- the editor's form
@router.get("/maps/{slug}/edit/stories")
def edit_stories(request: Request, slug: str) -> Response:
    """The stories an editor can change, and a form for a new one."""
    return _form_page(request, slug, None)


@router.get("/maps/{slug}/edit/stories/{story_id}")
def edit_story(request: Request, slug: str, story_id: str) -> Response:
    return _form_page(request, slug, story_id)


@router.post("/maps/{slug}/edit/stories")
async def save_story(request: Request, slug: str) -> Response:
    """Save the form's story as one revision (a new story, or one replaced by its id)."""
    from loopwise.web.editor_views import _based_on, _conflict_page, editor_context
    from loopwise.web.forms import signed_in_form

    context = editor_context(request, slug, "edit")
    form = await signed_in_form(request)
    if not context["can_edit"]:
        raise HTTPException(status_code=403, detail=f"you need the editor role on {slug!r}")
    store = request.app.state.store
    based_on = _based_on(form)
    try:
        story = story_from_form(form)
        data = store.get_map(slug).to_dict()
        views = data.setdefault("views", [])
        at = next((i for i, v in enumerate(views) if v.get("id") == story.id), None)
        if at is None:
            views.append(story.model_dump(mode="json"))
        else:
            views[at] = story.model_dump(mode="json")
        new_map = Map.from_dict(data, where="story")
        store.save_map(new_map, author=context["account"].name, based_on=based_on,
                       message=f"save story {story.id}", settings=False)  # fmt: skip
    except ConflictError as exc:
        return _conflict_page(request, context, exc)
    except LoopwiseError as exc:  # one line naming the story and step; nothing saved
        context.update(story=None, form=form, error=str(exc), rows=_form_rows(form))
        return _render_form(context, status=422)
    return RedirectResponse(f"/maps/{quote(slug)}/stories/{quote(story.id)}", status_code=303)


def story_from_form(form: dict[str, str]) -> View:
    """The story a form post describes: ``id``, ``name``, ``description`` and for each
    step ``n`` (from 1) ``title-n``, ``text-n``, ``factors-n`` and ``links-n`` (ids separated
    by commas or spaces). A step left blank is dropped.

    Raises :class:`loopwise.errors.ValidationError` naming the story and step.

    Example:
        >>> story = story_from_form({"id": "tour", "name": "Tour", "title-1": "Start",
        ...     "text-1": "Here.", "factors-1": "a, b", "links-1": "", "title-2": ""})
        >>> story.steps[0].factors
        ['a', 'b']
    """
    import pydantic

    story_id = form.get("id", "").strip()
    steps: list[dict[str, Any]] = []
    for n in range(1, FORM_STEPS + 1):
        fields = {key: form.get(f"{key}-{n}", "").strip()
                  for key in ("title", "text", "factors", "links")}  # fmt: skip
        if not any(fields.values()):
            continue
        where = f"story {story_id!r} step {n}"
        for key in ("title", "text"):
            if not fields[key]:
                raise ValidationError(f"the step's {key} is empty", where)
        step = {"title": fields["title"], "text": fields["text"],
                "factors": _ids(fields["factors"]), "links": _ids(fields["links"])}  # fmt: skip
        if not step["factors"] and not step["links"]:
            raise ValidationError("name at least one factor or link to show", where)
        steps.append(step)
    if not steps:
        raise ValidationError("a story needs at least one step", f"story {story_id!r}")
    try:
        return View.model_validate({"id": story_id, "name": form.get("name", "").strip(),
                                    "description": form.get("description", "").strip(),
                                    "steps": steps})  # fmt: skip
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationError(first.get("msg", "invalid"), f"story {story_id!r}: {place}") from None


def _ids(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


def _form_page(request: Request, slug: str, story_id: str | None) -> Response:
    from loopwise.web.editor_views import editor_context, sign_in_first

    context = editor_context(request, slug, "edit")
    if context["account"] is None:
        return sign_in_first(request)
    if not context["can_edit"]:
        raise HTTPException(status_code=403, detail=f"you need the editor role on {slug!r}")
    story = None
    if story_id is not None:
        story = context["map"].story(story_id)
    form: dict[str, str] = {}
    if story is not None:
        form = {"id": story.id, "name": story.name, "description": story.description}
        for n, step in enumerate(story.steps[:FORM_STEPS], 1):
            form.update({f"title-{n}": step.title, f"text-{n}": step.text,
                         f"factors-{n}": " ".join(step.factors),
                         f"links-{n}": " ".join(step.links)})  # fmt: skip
    context.update(story=story, form=form, error="", rows=_form_rows(form))
    return _render_form(context)


def _form_rows(form: dict[str, str]) -> int:
    """Steps shown: those filled in and one blank more, up to :data:`FORM_STEPS`."""
    numbers = range(1, FORM_STEPS + 1)
    filled = [n for n in numbers if form.get(f"title-{n}") or form.get(f"text-{n}")]
    return min(max(filled, default=0) + 1, FORM_STEPS)


def _render_form(context: dict[str, Any], status: int = 200) -> HTMLResponse:
    context.update(max_steps=FORM_STEPS)
    response = HTMLResponse(render("story_edit.html", context), status_code=status)
    response.headers["Cache-Control"] = "private, no-store"  # it carries the CSRF token
    return response
