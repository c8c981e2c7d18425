"""The review queue as JSON: list a map's suggestions; accept, edit or reject one.

Writes carry the version the coder saw: the map's (``based_on``) to accept, the
suggestion's (``version``) for every write. A stale version is 409 and changes nothing.
The coder of every write (and the author of the revision an accept makes) is the caller:
the signed-in user or the API token's owner. ``coder`` in a body may be left out; naming
anyone else is 403.
The store is ``request.app.state.store``. Register with ``app.include_router(router)``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from loopwise.api.auth import Editor, MapAccess
from loopwise.errors import ConflictError, NotAllowedError, UnknownIdError, ValidationError

router = APIRouter(prefix="/api/maps/{slug}/suggestions", tags=["evidence review"])

SuggestionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Coder = Annotated[
    str | None,
    Field(min_length=1, max_length=200,
          description="Optional: the caller's own user name (the coder is always the caller)."),
]  # fmt: skip


class SuggestionOut(BaseModel):
    id: int
    status: str
    version: int
    document: str
    source: str
    link: str | None
    coder: str | None
    claim: dict[str, Any]


class SuggestionPage(BaseModel):
    map_version: int
    items: list[SuggestionOut]


class NewLink(BaseModel):
    from_factor: str = Field(alias="from")
    to_factor: str = Field(alias="to")
    polarity: Literal["+", "-"]


class AcceptBody(BaseModel):
    based_on: int = Field(ge=0, le=2**31 - 1, description="The map version the coder saw.")
    version: int = Field(ge=0, le=2**31 - 1, description="The suggestion version the coder saw.")
    coder: Coder = None
    link: str | None = None
    new_link: NewLink | None = None
    new_factors: list[dict[str, str]] = Field(default_factory=list)
    loop: list[str] | None = Field(
        default=None,
        max_length=50,
        description="A loop suggestion: the curated loop's factors (default: the suggestion's).",
    )


class EditBody(BaseModel):
    version: int = Field(ge=0, le=2**31 - 1)
    coder: Coder = None
    polarity: Literal["+", "-"] | None = None
    link_polarity: Literal["+", "-"] | None = None
    cause: dict[str, Any] | None = None
    effect: dict[str, Any] | None = None


class RejectBody(BaseModel):
    version: int = Field(ge=0, le=2**31 - 1)
    coder: Coder = None


def _out(item: Any) -> SuggestionOut:
    return SuggestionOut(
        id=item.id, status=item.status, version=item.version, document=item.document,
        source=item.source, link=item.link, coder=item.coder, claim=item.data,
    )  # fmt: skip


def _coder(access: MapAccess, sent: str | None) -> str:
    """The coder of a write: the caller, never a name from the body."""
    if sent is not None and sent != access.user.name:
        raise NotAllowedError(
            f"you are {access.user.name!r}: a review is always recorded as its caller, "
            f"not {sent!r}",
            "coder",
        )
    return access.user.name


def _call(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except UnknownIdError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    except ConflictError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from None
    except ValidationError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None


@router.get("", response_model=SuggestionPage, summary="The map's review queue")
def list_queue(
    request: Request,
    slug: str,
    status: Annotated[Literal["suggested", "accepted", "rejected", "all"], Query()] = "suggested",
) -> SuggestionPage:
    from loopwise.workbench import list_suggestions

    store = request.app.state.store
    items = _call(list_suggestions, store, slug, None if status == "all" else status)
    return SuggestionPage(map_version=store.version(slug), items=[_out(i) for i in items])


@router.post("/{suggestion_id}/accept", response_model=SuggestionOut,
             summary="Accept a suggestion as evidence")  # fmt: skip
def accept(
    request: Request, access: Editor, slug: str, suggestion_id: SuggestionId, body: AcceptBody
) -> SuggestionOut:
    from loopwise.workbench import accept_suggestion

    new_link = (
        {"from": body.new_link.from_factor, "to": body.new_link.to_factor,
         "polarity": body.new_link.polarity}
        if body.new_link else None
    )  # fmt: skip
    return _out(
        _call(
            accept_suggestion,
            request.app.state.store,
            slug,
            suggestion_id,
            coder=_coder(access, body.coder),
            based_on=body.based_on,
            suggestion_version=body.version,
            link_id=body.link,
            new_link=new_link,
            new_factors=body.new_factors,
            loop_factors=body.loop,
        )  # fmt: skip
    )


@router.post("/{suggestion_id}/edit", response_model=SuggestionOut,
             summary="Edit a suggestion before review")  # fmt: skip
def edit(
    request: Request, access: Editor, slug: str, suggestion_id: SuggestionId, body: EditBody
) -> SuggestionOut:
    from loopwise.workbench import edit_suggestion

    changes = body.model_dump(exclude={"version", "coder"}, exclude_none=True)
    return _out(
        _call(
            edit_suggestion,
            request.app.state.store,
            slug,
            suggestion_id,
            based_on=body.version,
            changes=changes,
            coder=_coder(access, body.coder),
        )  # fmt: skip
    )


@router.post("/{suggestion_id}/reject", response_model=SuggestionOut, summary="Reject a suggestion")
def reject(
    request: Request, access: Editor, slug: str, suggestion_id: SuggestionId, body: RejectBody
) -> SuggestionOut:
    from loopwise.workbench import reject_suggestion

    return _out(
        _call(
            reject_suggestion,
            request.app.state.store,
            slug,
            suggestion_id,
            based_on=body.version,
            coder=_coder(access, body.coder),
        )  # fmt: skip
    )
