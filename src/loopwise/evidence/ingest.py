"""The Source a document becomes when it is ingested (an interview or a piece of literature).

Storing the document with its map is :func:`loopwise.workbench.documents.ingest_file`.

Example:
    >>> source = build_source("p07.txt", participant="p07", attributes={"gender": "female"})
    >>> source.id, source.kind, source.attributes
    ('p07', 'interview', {'gender': 'female', 'participant': 'p07'})
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
