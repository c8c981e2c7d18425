"""Writing to a map: factors, links, evidence, sources and organisations; undo and restore.

Every write names the version it is based on (``based_on``, the ``version`` the reader saw)
and becomes one revision of the map, authored by the caller. Only owners change the map's
settings (title, description, licence, visibility): every other write, undo and restore
included, keeps them as they are. A write based on an old version
changes nothing and gets 409 with the changes made since (:class:`ConflictOut`), so the
client can show them and merge; the store's version check makes this hold across processes
and machines. Writes need the editor role on the map (map settings: owner).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from loopwise.api.auth import Editor, MapAccess, Owner
from loopwise.api.errors import ERROR_RESPONSES, ErrorOut
from loopwise.errors import (
    ConflictError,
    NotAllowedError,
    NothingToUndoError,
    UnknownIdError,
    ValidationError,
)
from loopwise.model.entities import Factor, Link, Organisation
from loopwise.model.evidence import Evidence, Source
from loopwise.model.map import Map
from loopwise.present.payloads import ChangeOut

MAX_NUMBER = 2**31 - 1  # versions, revisions and indexes fit a database INTEGER
BasedOn = Annotated[
    int, Field(ge=1, le=MAX_NUMBER, description="The map version this change is based on.")
]
BasedOnQuery = Annotated[int, Query(ge=1, le=MAX_NUMBER, description="The version seen.")]
Index = Annotated[int, Path(ge=0, le=MAX_NUMBER, description="Place in the evidence list.")]


class WriteOut(BaseModel):
    """The outcome of a write: the map's version now, and the revision made (if any)."""

    version: int
    revision: int | None = Field(description="The new revision's number; null if unchanged.")
    changes: list[ChangeOut]


class ConflictOut(BaseModel):
    """A stale write: nothing was written. ``changes`` is what others changed since
    ``based_on``; re-apply the change on ``current`` (merging) and send it again."""

    detail: str
    based_on: int
    current: int
    changes: list[ChangeOut]


WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorOut, "description": "Anonymous caller or bad API token"},
    403: {"model": ErrorOut, "description": "Role too low, or CSRF token missing"},
    409: {"model": ConflictOut, "description": "Based on an old version: what changed since"},
    413: {"model": ErrorOut, "description": "Body too large"},
}

router = APIRouter(prefix="/api/maps/{slug}", tags=["editing"], responses=WRITE_RESPONSES)


class FactorWrite(BaseModel):
    based_on: BasedOn
    factor: Factor


class LinkWrite(BaseModel):
    based_on: BasedOn
    link: Link


class SourceWrite(BaseModel):
    based_on: BasedOn
    source: Source


class OrganisationWrite(BaseModel):
    based_on: BasedOn
    organisation: Organisation


class EvidenceWrite(BaseModel):
    based_on: BasedOn
    evidence: Evidence


class UndoBody(BaseModel):
    based_on: BasedOn


class RestoreBody(BaseModel):
    based_on: BasedOn
    number: int = Field(ge=1, le=MAX_NUMBER, description="The revision to restore the map to.")


class MapSettings(BaseModel):
    based_on: BasedOn
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=20_000)
    licence: str | None = Field(default=None, max_length=200)
    visibility: Literal["public", "private"] | None = None


def _changes_out(changes: list[Any]) -> list[ChangeOut]:
    return [
        ChangeOut(collection=c.collection, entity_id=c.entity_id, action=c.action,
                  before=c.before, after=c.after)
        for c in changes
    ]  # fmt: skip


def conflict_response(store: Any, exc: ConflictError) -> JSONResponse:
    """409 with the changes made since the caller's version."""
    since = exc.based_on if 1 <= exc.based_on <= exc.current else exc.current
    body = ConflictOut(
        detail=str(exc), based_on=exc.based_on, current=exc.current,
        changes=_changes_out(store.diff(exc.slug, since, exc.current)),
    )  # fmt: skip
    return JSONResponse(body.model_dump(mode="json"), status_code=409)


def _write(
    request: Request,
    access: MapAccess,
    based_on: int,
    message: str,
    edit: Callable[[dict[str, Any]], None],
) -> Any:
    """Apply ``edit`` to the map's JSON at ``based_on`` and save it as one revision."""
    store = request.app.state.store
    try:
        current = store.version(access.slug)
        if based_on != current:
            raise ConflictError(access.slug, based_on, current)
        data = store.get_map(access.slug).to_dict()
        edit(data)
        new_map = Map.from_dict(data, where="body")
        revision = store.save_map(new_map, author=access.user.name, based_on=based_on,
                                  message=message, settings=access.is_owner)  # fmt: skip
    except ConflictError as exc:
        return conflict_response(store, exc)
    if revision is None:
        return WriteOut(version=based_on, revision=None, changes=[])
    return WriteOut(version=revision.number, revision=revision.number,
                    changes=_changes_out(revision.changes))  # fmt: skip


def _find(items: list[dict[str, Any]], kind: str, id_: str) -> int:
    for index, item in enumerate(items):
        if item.get("id") == id_:
            return index
    raise UnknownIdError(kind, id_, [str(i.get("id")) for i in items][:0])


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _add(collection: str, kind: str, item: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        items = data.setdefault(collection, [])
        if item.get("id") and any(i.get("id") == item["id"] for i in items):
            raise ValidationError(f"a {kind} with id {item['id']!r} already exists", "body")
        items.append(item)

    return edit


def _replace(
    collection: str, kind: str, id_: str, item: dict[str, Any]
) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        items = data.setdefault(collection, [])
        index = _find(items, kind, id_)
        if item.get("id") not in (None, "", id_):
            raise ValidationError(f"the body's id {item['id']!r} is not {id_!r}", "body")
        item["id"] = id_
        if kind in ("factor", "link") and "evidence" not in item:
            item["evidence"] = items[index].get("evidence", [])  # kept unless given
        items[index] = item

    return edit


def _delete(
    collection: str, kind: str, id_: str, cascade: bool = False
) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        items = data.setdefault(collection, [])
        del items[_find(items, kind, id_)]
        if cascade and kind == "factor":
            data["links"] = [
                link for link in data.get("links", []) if id_ not in (link["from"], link["to"])
            ]

    return edit


# ---------------------------------------------------------------------------- factors
@router.post("/factors", response_model=WriteOut, status_code=201, summary="Add a factor")
def add_factor(request: Request, access: Editor, body: FactorWrite) -> Any:
    return _write(request, access, body.based_on, f"add factor {body.factor.id}",
                  _add("factors", "factor", _dump(body.factor)))  # fmt: skip


@router.put("/factors/{factor_id}", response_model=WriteOut, summary="Change a factor")
def put_factor(request: Request, access: Editor, factor_id: str, body: FactorWrite) -> Any:
    """Replace the factor (its evidence is kept unless the body gives ``evidence``)."""
    item = _dump(body.factor)
    if "evidence" not in body.factor.model_fields_set:
        item.pop("evidence", None)
    return _write(request, access, body.based_on, f"edit factor {factor_id}",
                  _replace("factors", "factor", factor_id, item))  # fmt: skip


@router.delete("/factors/{factor_id}", response_model=WriteOut, summary="Delete a factor")
def delete_factor(
    request: Request,
    access: Editor,
    factor_id: str,
    based_on: BasedOnQuery,
    cascade: Annotated[bool, Query(description="Also delete the links it is on.")] = False,
) -> Any:
    """A factor still on links is refused (422) unless ``cascade=true``."""
    return _write(request, access, based_on, f"delete factor {factor_id}",
                  _delete("factors", "factor", factor_id, cascade))  # fmt: skip


# ---------------------------------------------------------------------------- links
@router.post("/links", response_model=WriteOut, status_code=201, summary="Add a link")
def add_link(request: Request, access: Editor, body: LinkWrite) -> Any:
    item = _dump(body.link)
    if not item.get("id"):
        item.pop("id", None)  # the map names it from its endpoints
    return _write(request, access, body.based_on,
                  f"add link {body.link.source_factor} -> {body.link.target_factor}",
                  _add("links", "link", item))  # fmt: skip


@router.put("/links/{link_id}", response_model=WriteOut, summary="Change a link")
def put_link(request: Request, access: Editor, link_id: str, body: LinkWrite) -> Any:
    """Replace the link: polarity, strength, delay, mechanism, tags (evidence kept unless
    given)."""
    item = _dump(body.link)
    if "evidence" not in body.link.model_fields_set:
        item.pop("evidence", None)
    return _write(request, access, body.based_on, f"edit link {link_id}",
                  _replace("links", "link", link_id, item))  # fmt: skip


@router.delete("/links/{link_id}", response_model=WriteOut, summary="Delete a link")
def delete_link(request: Request, access: Editor, link_id: str, based_on: BasedOnQuery) -> Any:
    return _write(request, access, based_on, f"delete link {link_id}",
                  _delete("links", "link", link_id))  # fmt: skip


# ---------------------------------------------------------------------------- evidence
def _evidence_edit(
    collection: str,
    kind: str,
    owner_id: str,
    index: Index | None,
    item: dict[str, Any] | None,
    caller: str = "",
) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        owner = data.setdefault(collection, [])[_find(data[collection], kind, owner_id)]
        evidence = owner.setdefault("evidence", [])
        if index is not None and not 0 <= index < len(evidence):
            raise UnknownIdError("evidence", f"{owner_id}[{index}]")
        if item is not None and item.get("coder") is not None:
            kept = evidence[index].get("coder") if index is not None else None
            if item["coder"] not in (caller, kept):  # nobody records evidence as someone else
                raise NotAllowedError(
                    f"you are {caller!r}: new evidence is coded by its caller, "
                    f"not {item['coder']!r}",
                    "evidence.coder",
                )
        if item is None:
            assert index is not None
            del evidence[index]
        elif index is None:
            evidence.append(item)
        else:
            evidence[index] = item

    return edit


def _evidence_routes(collection: str, kind: str) -> None:
    path = f"/{collection}/{{owner_id}}/evidence"

    def save(
        request: Request, access: Editor, body: EvidenceWrite, owner_id: str, index: int | None
    ) -> Any:
        """Add (``index`` None) or replace one evidence item, coded by the caller."""
        message = (
            f"add evidence to {kind} {owner_id}"
            if index is None
            else f"edit evidence of {kind} {owner_id}"
        )
        item = _dump(body.evidence)
        edit = _evidence_edit(collection, kind, owner_id, index, item, access.user.name)
        return _write(request, access, body.based_on, message, edit)

    @router.post(
        path,
        response_model=WriteOut,
        status_code=201,
        summary=f"Add evidence to a {kind}",
        operation_id=f"add_{kind}_evidence",
    )
    def add(request: Request, access: Editor, owner_id: str, body: EvidenceWrite) -> Any:
        return save(request, access, body, owner_id, None)

    @router.put(
        path + "/{index}",
        response_model=WriteOut,
        summary=f"Change a {kind}'s evidence",
        operation_id=f"put_{kind}_evidence",
    )
    def put(
        request: Request, access: Editor, owner_id: str, index: Index, body: EvidenceWrite
    ) -> Any:
        return save(request, access, body, owner_id, index)

    @router.delete(
        path + "/{index}",
        response_model=WriteOut,
        summary=f"Delete a {kind}'s evidence",
        operation_id=f"delete_{kind}_evidence",
    )
    def remove(
        request: Request,
        access: Editor,
        owner_id: str,
        index: Index,
        based_on: BasedOnQuery,
    ) -> Any:
        return _write(request, access, based_on, f"delete evidence of {kind} {owner_id}",
                      _evidence_edit(collection, kind, owner_id, index, None))  # fmt: skip


_evidence_routes("links", "link")
_evidence_routes("factors", "factor")


# ---------------------------------------------------------------------------- sources, orgs
@router.post("/sources", response_model=WriteOut, status_code=201, summary="Add a source")
def add_source(request: Request, access: Editor, body: SourceWrite) -> Any:
    return _write(request, access, body.based_on, f"add source {body.source.id}",
                  _add("sources", "source", _dump(body.source)))  # fmt: skip


@router.put("/sources/{source_id}", response_model=WriteOut, summary="Change a source")
def put_source(request: Request, access: Editor, source_id: str, body: SourceWrite) -> Any:
    return _write(request, access, body.based_on, f"edit source {source_id}",
                  _replace("sources", "source", source_id, _dump(body.source)))  # fmt: skip


@router.delete("/sources/{source_id}", response_model=WriteOut, summary="Delete a source")
def delete_source(request: Request, access: Editor, source_id: str, based_on: BasedOnQuery) -> Any:
    """A source that evidence still cites is refused (422)."""
    return _write(request, access, based_on, f"delete source {source_id}",
                  _delete("sources", "source", source_id))  # fmt: skip


@router.post("/organisations", response_model=WriteOut, status_code=201,
             summary="Add an organisation")  # fmt: skip
def add_organisation(request: Request, access: Editor, body: OrganisationWrite) -> Any:
    return _write(request, access, body.based_on, f"add organisation {body.organisation.id}",
                  _add("organisations", "organisation", _dump(body.organisation)))  # fmt: skip


@router.put("/organisations/{organisation_id}", response_model=WriteOut,
            summary="Change an organisation")  # fmt: skip
def put_organisation(
    request: Request, access: Editor, organisation_id: str, body: OrganisationWrite
) -> Any:
    return _write(request, access, body.based_on, f"edit organisation {organisation_id}",
                  _replace("organisations", "organisation", organisation_id,
                           _dump(body.organisation)))  # fmt: skip


@router.delete("/organisations/{organisation_id}", response_model=WriteOut,
               summary="Delete an organisation")  # fmt: skip
def delete_organisation(
    request: Request, access: Editor, organisation_id: str,
    based_on: BasedOnQuery,
) -> Any:  # fmt: skip
    return _write(request, access, based_on, f"delete organisation {organisation_id}",
                  _delete("organisations", "organisation", organisation_id))  # fmt: skip


# ---------------------------------------------------------------------------- history
def _history_write(request: Request, call: Callable[[], Any], based_on: int) -> Any:
    store = request.app.state.store
    try:
        revision = call()
    except ConflictError as exc:
        return conflict_response(store, exc)
    except NothingToUndoError as exc:
        raise ValidationError(str(exc), "based_on") from None
    if revision is None:
        return WriteOut(version=based_on, revision=None, changes=[])
    return WriteOut(version=revision.number, revision=revision.number,
                    changes=_changes_out(revision.changes))  # fmt: skip


@router.post("/undo", response_model=WriteOut, summary="Undo the latest revision")
def undo(request: Request, access: Editor, body: UndoBody) -> Any:
    """A new revision reverting the latest one (undoing twice reverts the undo).

    The map's title, description, licence and visibility are reverted only for an owner;
    an editor's undo of a revision that changed only those is 403."""
    store = request.app.state.store
    return _history_write(
        request, lambda: store.undo(access.slug, author=access.user.name,
                                    based_on=body.based_on, settings=access.is_owner),
        body.based_on,
    )  # fmt: skip


@router.post("/restore", response_model=WriteOut, summary="Restore the map to a revision")
def restore(request: Request, access: Editor, body: RestoreBody) -> Any:
    """A new revision making the map what it was right after revision ``number`` (its
    title, description, licence and visibility too only for an owner)."""
    store = request.app.state.store
    return _history_write(
        request, lambda: store.restore(access.slug, body.number, author=access.user.name,
                                       based_on=body.based_on, settings=access.is_owner),
        body.based_on,
    )  # fmt: skip


@router.patch("", response_model=WriteOut, summary="Change the map's title, licence or visibility")
def patch_map(request: Request, access: Owner, body: MapSettings) -> Any:
    """Owners only: a private map is visible to its members only."""
    fields = body.model_dump(exclude={"based_on"}, exclude_none=True)

    def edit(data: dict[str, Any]) -> None:
        data.update(fields)

    return _write(request, access, body.based_on, "change map settings", edit)
