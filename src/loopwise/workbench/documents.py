"""Documents in the evidence workbench: a transcript or paper stored with its map.

Ingesting a document adds its Source to the map as a normal revision *and* stores the
document's text and sentence offsets, together or not at all (the document row is written
inside the map revision's transaction, :meth:`loopwise.store.Store.write_revision`). The same
text ingested twice into a map is found by its SHA-256 and not stored again.

Example:
    >>> import pathlib, tempfile
    >>> from loopwise.model import Map
    >>> from loopwise.store import open_store
    >>> store = open_store("sqlite://")
    >>> _ = store.create_map(Map(slug="demo", title="Demo"), author="ana")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p07.txt"
    >>> _ = path.write_text("I lost my flat. So I reoffended.", encoding="utf-8")
    >>> doc = ingest_file(store, "demo", path, author="ana", participant="p07",
    ...                   attributes={"gender": "female"})
    >>> doc.source, doc.sentences, store.get_map("demo").source("p07").attributes
    ('p07', 2, {'gender': 'female', 'participant': 'p07'})
    >>> [d.name for d in list_documents(store, "demo")], document_text(store, "demo", doc.id)[1]
    (['p07.txt'], [(0, 15), (16, 32)])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, insert, select

from loopwise.errors import UnknownIdError
from loopwise.evidence.documents import read_document
from loopwise.evidence.ingest import build_source
from loopwise.evidence.sentences import split_sentences
from loopwise.model import Map, Source
from loopwise.model.revision import EntityState, compose, decompose
from loopwise.store import Store
from loopwise.store.tables import EvidenceDocumentRow


class StoredDocument(BaseModel):
    id: int
    source: str
    name: str
    format: str
    encoding: str | None
    sha256: str
    sentences: int
    created: bool = False


def ingest_document(
    store: Store,
    slug: str,
    source: Source,
    *,
    name: str,
    text: str,
    sha256: str,
    sentences: Sequence[tuple[int, int]],
    author: str,
    format: str = "text",
    encoding: str | None = None,
) -> StoredDocument:
    """Add ``source`` to the map and store the document, in one transaction.

    If the map already holds a document with this ``sha256``, nothing is written and that
    document is returned (``created`` False). A source id already used in the map gets a
    numeric suffix.
    """
    existing = find_document(store, slug, sha256)
    if existing is not None:
        return existing
    made: list[StoredDocument] = []

    def add_source(conn: Connection, row: Any, _version: int, current: EntityState) -> EntityState:
        map_ = compose(current)
        taken = {s.id for s in map_.sources}
        source_id, n = source.id, 2
        while source_id in taken:
            source_id, n = f"{source.id}-{n}", n + 1
        new_source = source.model_copy(update={"id": source_id})
        now = datetime.now(UTC)
        # the columns the stored row and the returned document share
        fields: dict[str, Any] = {"source": source_id, "name": name, "format": format,
                                  "encoding": encoding, "sha256": sha256}  # fmt: skip
        doc_id = conn.execute(
            insert(EvidenceDocumentRow)
            .values(
                map_id=row.id,
                **fields,
                text=text,
                sentences=[list(pair) for pair in sentences],
                created_at=now,
                created_by=author,
            )
            .returning(EvidenceDocumentRow.id)
        ).scalar_one()
        made.append(StoredDocument(id=doc_id, **fields, sentences=len(sentences), created=True))
        data = map_.to_dict()
        data["sources"] = [
            *data.get("sources", []),
            new_source.model_dump(mode="json", exclude_none=True),
        ]
        return decompose(Map.from_dict(data))

    store.write_revision(
        slug, based_on=None, author=author, message=f"ingest {name}", target=add_source
    )
    return made[0]


def find_document(store: Store, slug: str, sha256: str) -> StoredDocument | None:
    """The map's document with this content hash, if any."""
    with store.reading() as conn:
        map_id = store.map_id(conn, slug)
        row = conn.execute(
            select(EvidenceDocumentRow).where(
                EvidenceDocumentRow.map_id == map_id, EvidenceDocumentRow.sha256 == sha256
            )
        ).first()
    return None if row is None else _document(row)


def list_documents(store: Store, slug: str) -> list[StoredDocument]:
    with store.reading() as conn:
        map_id = store.map_id(conn, slug)
        rows = conn.execute(
            select(EvidenceDocumentRow)
            .where(EvidenceDocumentRow.map_id == map_id)
            .order_by(EvidenceDocumentRow.id)
        ).all()
    return [_document(row) for row in rows]


def document_text(store: Store, slug: str, document_id: int) -> tuple[str, list[tuple[int, int]]]:
    """The document's exact text and its sentence offsets."""
    with store.reading() as conn:
        map_id = store.map_id(conn, slug)
        row = conn.execute(
            select(EvidenceDocumentRow.text, EvidenceDocumentRow.sentences).where(
                EvidenceDocumentRow.map_id == map_id, EvidenceDocumentRow.id == document_id
            )
        ).first()
    if row is None:
        raise UnknownIdError("document", document_id)
    return row.text, [(a, b) for a, b in row.sentences]


def _document(row: Any) -> StoredDocument:
    return StoredDocument(
        id=row.id,
        source=row.source,
        name=row.name,
        format=row.format,
        encoding=row.encoding,
        sha256=row.sha256,
        sentences=len(row.sentences),
    )


def ingest_file(
    store: Store,
    slug: str,
    path: str | Path,
    *,
    author: str,
    participant: str | None = None,
    attributes: Mapping[str, str] | None = None,
    kind: str | None = None,
) -> StoredDocument:
    """Read, split and store one document in the map (see :func:`ingest_document`)."""
    document = read_document(path)
    sentences = [(s.start, s.end) for s in split_sentences(document.text)]
    source = build_source(document.name, participant=participant, attributes=attributes, kind=kind)
    return ingest_document(
        store,
        slug,
        source,
        name=document.name,
        text=document.text,
        sha256=document.sha256,
        sentences=sentences,
        author=author,
        format=document.format,
        encoding=document.encoding,
    )
