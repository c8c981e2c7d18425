"""The review queue: suggested claims waiting for a person to accept, edit or reject.

Every write is one transaction. Accepting a suggestion adds its quote as accepted evidence to
a link (existing or new) as a normal map revision (:meth:`loopwise.store.Store.write_revision`;
for a loop claim, also the curated loop it states) and marks the suggestion accepted, in the
same transaction; a stale map version or suggestion
version is a :class:`~loopwise.errors.ConflictError`.

Example:
    >>> from loopwise.model import Map, Source
    >>> from loopwise.store import open_store
    >>> from loopwise.workbench.documents import ingest_document
    >>> store = open_store("sqlite://")
    >>> _ = store.create_map(Map(slug="demo", title="Demo"), author="ana")
    >>> src = Source(id="talk-1", kind="interview", title="Talk 1")
    >>> doc = ingest_document(store, "demo", src, name="t.txt", text="I lost my flat.",
    ...                       sha256="ab" * 32, sentences=[(0, 15)], author="ana")
    >>> list_suggestions(store, "demo")
    []
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Select, insert, select, update

from loopwise.errors import ConflictError, UnknownIdError, ValidationError
from loopwise.model import Evidence, Link, Map, TextSpan
from loopwise.model.revision import EntityState, compose, decompose
from loopwise.store import Store
from loopwise.store.tables import EvidenceDocumentRow, EvidenceSuggestionRow


class StoredSuggestion(BaseModel):
    """A suggestion in the review queue (``data`` is a :class:`Suggestion` as JSON)."""

    id: int
    document_id: int
    document: str
    source: str
    status: str
    version: int
    data: dict[str, Any]
    link: str | None
    coder: str | None


class SuggestionConflictError(ConflictError):
    """A suggestion changed since the version the caller saw."""

    def __init__(self, suggestion_id: int, based_on: int, current: int) -> None:
        self.slug = str(suggestion_id)
        self.based_on = based_on
        self.current = current
        Exception.__init__(
            self,
            f"suggestion {suggestion_id} changed since version {based_on} (now at version "
            f"{current}); reload and review it again",
        )


# ---------------------------------------------------------------------------- suggestions


def save_suggestions(
    store: Store, slug: str, document_id: int, suggestions: Sequence[dict[str, Any]]
) -> int:
    """Queue suggestions (status suggested) for a document; ones already queued (same key)
    are skipped. Returns how many were added."""
    now = datetime.now(UTC)
    with store.writing() as conn:
        map_id = store.map_id(conn, slug)
        exists = conn.scalar(
            select(EvidenceDocumentRow.id).where(
                EvidenceDocumentRow.map_id == map_id, EvidenceDocumentRow.id == document_id
            )
        )
        if exists is None:
            raise UnknownIdError("document", document_id)
        known = set(
            conn.scalars(
                select(EvidenceSuggestionRow.key).where(EvidenceSuggestionRow.map_id == map_id)
            )
        )
        added = 0
        for item in suggestions:
            key = f"{document_id}:{item['key']}"
            if key in known:
                continue
            known.add(key)
            conn.execute(
                insert(EvidenceSuggestionRow).values(
                    map_id=map_id,
                    document_id=document_id,
                    key=key,
                    status="suggested",
                    version=1,
                    data=item,
                    updated_at=now,
                )
            )
            added += 1
    return added


def list_suggestions(store: Store, slug: str, status: str | None = None) -> list[StoredSuggestion]:
    """The map's queued suggestions (optionally of one status), by document and position."""
    with store.reading() as conn:
        map_id = store.map_id(conn, slug)
        query = _queued(map_id).order_by(EvidenceSuggestionRow.id)
        if status is not None:
            query = query.where(EvidenceSuggestionRow.status == status)
        rows = conn.execute(query).all()
    return [_suggestion(row) for row in rows]


def get_suggestion(store: Store, slug: str, suggestion_id: int) -> StoredSuggestion:
    with store.reading() as conn:
        return _suggestion(_suggestion_row(store, conn, slug, suggestion_id))


def edit_suggestion(
    store: Store,
    slug: str,
    suggestion_id: int,
    *,
    based_on: int,
    changes: dict[str, Any],
    coder: str,
) -> StoredSuggestion:
    """Change a suggestion's claim (polarity, cause/effect text or factors) before review.

    Offsets of the quote cannot change: the quote stays the exact sentence.
    """
    allowed = {"polarity", "link_polarity", "cause", "effect"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"cannot edit {sorted(unknown)}; editable: {sorted(allowed)}")
    return _update_suggestion(store, slug, suggestion_id, based_on, coder, changes=changes)


def reject_suggestion(
    store: Store, slug: str, suggestion_id: int, *, based_on: int, coder: str
) -> StoredSuggestion:
    return _update_suggestion(store, slug, suggestion_id, based_on, coder, status="rejected")


def accept_suggestion(
    store: Store,
    slug: str,
    suggestion_id: int,
    *,
    coder: str,
    based_on: int | None = None,
    suggestion_version: int | None = None,
    link_id: str | None = None,
    new_link: dict[str, str] | None = None,
    new_factors: Sequence[dict[str, str]] = (),
    loop_factors: Sequence[str] | None = None,
) -> StoredSuggestion:
    """Attach the suggestion's quote as accepted evidence to a link, as a map revision.

    Give ``link_id`` (an existing link) or ``new_link`` (``{"from", "to", "polarity"}``; the
    factors must exist or be in ``new_factors`` as ``{"id", "label"}``). ``based_on`` is
    the map version the coder saw (:class:`ConflictError` if stale). A loop suggestion's
    link is the one that closes the loop, and accepting it also adds the curated loop over
    its factors (``loop_factors`` overrides them) in the same revision, with the links of
    the loop that its claims state and the map lacked
    (:func:`loopwise.evidence.loops.add_claimed_loop`).
    """
    if (link_id is None) == (new_link is None):
        raise ValidationError("give either an existing link or a new link, not both or neither")
    accepted: list[StoredSuggestion] = []

    def add_evidence(
        conn: Connection, row: Any, _version: int, current: EntityState
    ) -> EntityState:
        suggestion = _suggestion_row(store, conn, slug, suggestion_id)
        if suggestion.status != "suggested":
            raise ValidationError(f"suggestion {suggestion_id} is already {suggestion.status}")
        if suggestion_version is not None and suggestion.version != suggestion_version:
            raise SuggestionConflictError(suggestion_id, suggestion_version, suggestion.version)
        data = compose(current).to_dict()
        factor_ids = {f["id"] for f in data.get("factors", [])}
        for factor in new_factors:
            if factor["id"] not in factor_ids:
                data["factors"].append({"id": factor["id"], "label": factor["label"]})
                factor_ids.add(factor["id"])
        claim = suggestion.data
        target = link_id
        if new_link is not None:
            link = Link.model_validate(
                {"from": new_link["from"], "to": new_link["to"], "polarity": new_link["polarity"]}
            )
            existing = [
                lk for lk in data.get("links", [])
                if (lk["from"], lk["to"]) == (link.source_factor, link.target_factor)
            ]  # fmt: skip
            if existing:
                target = existing[0]["id"]
            else:
                data["links"].append(link.model_dump(mode="json", by_alias=True, exclude_none=True))
                target = link.id
        links = {lk["id"]: lk for lk in data.get("links", [])}
        if target not in links:
            raise UnknownIdError("link", target)
        evidence = Evidence(
            id=f"{target}.q{suggestion_id}",
            source=suggestion.source,
            kind="quote",
            text=claim["quote"],
            span=TextSpan(start=claim["start"], end=claim["end"]),
            locator=suggestion.document,
            status="accepted",
            coder=coder,
            note=f"cause: {claim['cause']['text']}; effect: {claim['effect']['text']}; "
            f"polarity {claim.get('link_polarity') or claim['polarity']} (cue: {claim['cue']})",
        )
        quote = evidence.model_dump(mode="json", exclude_none=True)
        links[target].setdefault("evidence", []).append(quote)
        if claim.get("kind") == "loop":
            from loopwise.evidence.loops import add_claimed_loop

            add_claimed_loop(data, claim, loop_factors)
            for link_id_ in {lk["id"] for lk in data["links"]} - set(links):
                added = next(lk for lk in data["links"] if lk["id"] == link_id_)
                added["evidence"] = [{**quote, "id": f"{link_id_}.q{suggestion_id}"}]
        new_state = decompose(Map.from_dict(data))
        accepted.append(_write_suggestion(conn, suggestion, coder, status="accepted", link=target))
        return new_state

    store.write_revision(
        slug,
        based_on=based_on,
        author=coder,
        message=f"accept suggestion {suggestion_id}",
        target=add_evidence,
    )
    return accepted[0]


# ---------------------------------------------------------------------------- internals


def _queued(map_id: int) -> Select[EvidenceSuggestionRow, str, str]:
    """The map's suggestions as flat rows: the suggestion's columns, then the document's
    name (as ``document``) and source."""
    return (
        select(
            EvidenceSuggestionRow,
            EvidenceDocumentRow.name.label("document"),
            EvidenceDocumentRow.source,
        )
        .join(EvidenceDocumentRow, EvidenceDocumentRow.id == EvidenceSuggestionRow.document_id)
        .where(EvidenceSuggestionRow.map_id == map_id)
    )


def _suggestion_row(store: Store, conn: Connection, slug: str, suggestion_id: int) -> Any:
    map_id = store.map_id(conn, slug)
    row = conn.execute(_queued(map_id).where(EvidenceSuggestionRow.id == suggestion_id)).first()
    if row is None:
        raise UnknownIdError("suggestion", suggestion_id)
    return row


def _suggestion(row: Any) -> StoredSuggestion:
    """A flat row of :func:`_queued` as a stored suggestion."""
    return StoredSuggestion.model_validate(row, from_attributes=True)


def _write_suggestion(
    conn: Connection,
    row: Any,
    coder: str,
    *,
    status: str | None = None,
    link: str | None = None,
    changes: dict[str, Any] | None = None,
    based_on: int | None = None,
) -> StoredSuggestion:
    suggestion = row
    version = suggestion.version if based_on is None else based_on
    data = dict(suggestion.data)
    for key, value in (changes or {}).items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    values: dict[str, Any] = {
        "version": version + 1,
        "data": data,
        "coder": coder,
        "updated_at": datetime.now(UTC),
    }
    if status is not None:
        values["status"] = status
    if link is not None:
        values["link"] = link
    result = conn.execute(
        update(EvidenceSuggestionRow)
        .where(EvidenceSuggestionRow.id == suggestion.id, EvidenceSuggestionRow.version == version)
        .values(**values)
    )
    if result.rowcount != 1:
        current = conn.scalar(
            select(EvidenceSuggestionRow.version).where(EvidenceSuggestionRow.id == suggestion.id)
        )
        raise SuggestionConflictError(suggestion.id, version, current or 0)
    written = {key: value for key, value in values.items() if key != "updated_at"}
    return StoredSuggestion(**{**_suggestion(row).model_dump(), **written})


def _update_suggestion(
    store: Store,
    slug: str,
    suggestion_id: int,
    based_on: int,
    coder: str,
    *,
    status: str | None = None,
    changes: dict[str, Any] | None = None,
) -> StoredSuggestion:
    with store.writing() as conn:
        row = _suggestion_row(store, conn, slug, suggestion_id)
        if row.status != "suggested":
            raise ValidationError(f"suggestion {suggestion_id} is already {row.status}")
        return _write_suggestion(
            conn, row, coder, status=status, changes=changes, based_on=based_on
        )


__all__ = [
    "StoredSuggestion",
    "SuggestionConflictError",
    "accept_suggestion",
    "edit_suggestion",
    "get_suggestion",
    "list_suggestions",
    "reject_suggestion",
    "save_suggestions",
]
