"""A map's history: its revisions, one revision's changes, the diff of two versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from loopwise.api.deps import Bundle
from loopwise.api.errors import ERROR_RESPONSES
from loopwise.present.payloads import ChangeOut, RevisionDetail, RevisionOut

if TYPE_CHECKING:
    from loopwise.model.revision import Change, Revision

router = APIRouter(prefix="/api/maps/{slug}", tags=["history"], responses=ERROR_RESPONSES)


def _changes(changes: list[Change]) -> list[ChangeOut]:
    return [ChangeOut.model_validate(c, from_attributes=True) for c in changes]


def _revision(r: Revision) -> dict[str, Any]:
    """The fields of :class:`RevisionOut` for one revision (its changes counted)."""
    return {
        "number": r.number,
        "author": r.author,
        "created_at": r.created_at,
        "message": r.message,
        "changes": len(r.changes),
    }


@router.get("/history", response_model=list[RevisionOut], summary="Revisions, oldest first")
def list_history(bundle: Bundle, request: Request) -> list[RevisionOut]:
    store = request.app.state.store
    return [RevisionOut(**_revision(r)) for r in store.history(bundle.map.slug)]


@router.get("/history/{number}", response_model=RevisionDetail, summary="One revision")
def get_revision(
    bundle: Bundle, request: Request, number: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> RevisionDetail:
    r = request.app.state.store.revision(bundle.map.slug, number)
    return RevisionDetail(**_revision(r), items=_changes(r.changes))


@router.get("/diff", response_model=list[ChangeOut], summary="Changes between two versions")
def get_diff(
    bundle: Bundle,
    request: Request,
    from_number: Annotated[int, Query(alias="from", ge=0, le=2**31 - 1)],
    to_number: Annotated[int, Query(alias="to", ge=0, le=2**31 - 1)],
) -> list[ChangeOut]:
    return _changes(request.app.state.store.diff(bundle.map.slug, from_number, to_number))
