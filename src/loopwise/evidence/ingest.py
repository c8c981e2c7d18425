"""Ingest documents into a map: each becomes a Source, its text and sentences are stored.

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
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from loopwise.evidence.documents import read_document
from loopwise.evidence.sentences import split_sentences
from loopwise.model import Source
from loopwise.model.ids import slugify

CITATION_KEYS = frozenset({"title", "author", "year", "publisher", "url", "doi", "type"})


def build_source(
    name: str,
    *,
    participant: str | None = None,
    attributes: Mapping[str, str] | None = None,
    kind: str | None = None,
    title: str | None = None,
) -> Source:
    """The Source for a document: an interview if it has a participant, else literature
    (citation fields among the attributes go to ``citation``)."""
    attrs = dict(attributes or {})
    kind = kind or ("interview" if participant else "literature")
    citation: dict[str, Any] = {}
    year: int | None = None
    if kind == "literature":
        for key in list(attrs):
            if key in CITATION_KEYS:
                value = attrs.pop(key)
                if key == "year" and value.isdigit():
                    year = int(value)
                    citation["issued"] = {"date-parts": [[year]]}
                elif key == "author":
                    citation["author"] = [{"literal": a.strip()} for a in value.split(";")]
                else:
                    citation["URL" if key == "url" else key] = value
    if participant:
        attrs["participant"] = participant
    stem = Path(name).stem
    return Source(
        id=slugify(participant or stem)[:100],
        kind=kind,  # type: ignore[arg-type]  # text from the user: Source validates the kind
        title=title
        or citation.get("title")
        or (f"Interview {participant}" if participant else stem),
        year=year,
        file=name,
        citation=citation,
        attributes=attrs,
    )


def ingest_file(
    store: Any,
    slug: str,
    path: str | Path,
    *,
    author: str,
    participant: str | None = None,
    attributes: Mapping[str, str] | None = None,
    kind: str | None = None,
) -> Any:
    """Read, split and store one document in the map (see
    :func:`loopwise.store.evidence_rows.ingest_document`)."""
    from loopwise.store.evidence_rows import ingest_document

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
