"""Stories: a map's views with steps, read one step at a time (what Kumu calls presentations).

Reading is open like the rest of a public map; writing a story (``PUT``, ``DELETE``) needs the
editor role and becomes one revision, through the same versioned write path as every other
edit (:mod:`loopwise.api.edit`): a write based on an old version changes nothing and gets 409.

Example:
    >>> from fastapi.testclient import TestClient  # doctest: +SKIP
    >>> client.get("/api/maps/breaking-the-cycle/stories").json()[0]["id"]  # doctest: +SKIP
    'cycle-in-seven-steps'
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from loopwise.api.auth import Editor
from loopwise.api.deps import Bundle
from loopwise.api.edit import WRITE_RESPONSES, BasedOn, BasedOnQuery, WriteOut, _write
from loopwise.api.errors import ERROR_RESPONSES
from loopwise.errors import ValidationError
from loopwise.model import View

router = APIRouter(prefix="/api/maps/{slug}", tags=["stories"], responses=ERROR_RESPONSES)


class StoryWrite(BaseModel):
    """A story to save: the map version it is based on, and the story (a view with steps)."""

    based_on: BasedOn
    story: View


@router.get("/stories", response_model=list[View], summary="The map's stories")
def list_stories(bundle: Bundle) -> list[dict[str, Any]]:
    """Every story (a view with steps) of the map, in the map's order."""
    return [story.model_dump(mode="json") for story in bundle.map.stories]


@router.get("/stories/{story_id}", response_model=View, summary="One story")
def get_story(bundle: Bundle, story_id: str) -> dict[str, Any]:
    """A story with its steps: each step's title, text, factor and link ids."""
    return bundle.map.story(story_id).model_dump(mode="json")


@router.put(
    "/stories/{story_id}", response_model=WriteOut, responses=WRITE_RESPONSES,
    summary="Add or change a story",
)  # fmt: skip
def put_story(request: Request, access: Editor, story_id: str, body: StoryWrite) -> Any:
    """Save the story as one revision: a new one is added after the map's views, an
    existing one (same id) replaced where it is. A story needs at least one step, and every
    factor and link a step names must be on the map."""
    story = save_story_edit(story_id, body.story)
    return _write(request, access, body.based_on, f"save story {story_id}", story)


@router.delete(
    "/stories/{story_id}", response_model=WriteOut, responses=WRITE_RESPONSES,
    summary="Delete a story",
)  # fmt: skip
def delete_story(request: Request, access: Editor, story_id: str, based_on: BasedOnQuery) -> Any:
    def edit(data: dict[str, Any]) -> None:
        views = data.get("views", [])
        kept = [v for v in views if not (v.get("id") == story_id and v.get("steps"))]
        if len(kept) == len(views):
            raise ValidationError(f"no story {story_id!r}", "story")
        data["views"] = kept

    return _write(request, access, based_on, f"delete story {story_id}", edit)


def save_story_edit(story_id: str, story: View) -> Any:
    """The edit that puts ``story`` into a map's JSON (for :func:`loopwise.api.edit._write`).

    Example:
        >>> edit = save_story_edit("tour", View(id="tour", name="Tour",
        ...     steps=[{"title": "A", "text": "B", "factors": ["x"]}]))
        >>> data = {"views": []}; edit(data); data["views"][0]["steps"][0]["title"]
        'A'
    """
    if story.id != story_id:
        raise ValidationError(f"the body's id {story.id!r} is not {story_id!r}", "story.id")
    if not story.steps:
        raise ValidationError("a story needs at least one step", f"story {story_id!r}")
    item = story.model_dump(mode="json")

    def edit(data: dict[str, Any]) -> None:
        views = data.setdefault("views", [])
        for index, view in enumerate(views):
            if view.get("id") == story_id:
                views[index] = item
                return
        views.append(item)

    return edit
