"""The evidence workbench over the store (SQLite and PostgreSQL): documents, queue, accept."""

from __future__ import annotations

import pytest

from loopwise.errors import ConflictError, UnknownIdError, ValidationError
from loopwise.evidence.suggest import suggest_claims
from loopwise.model import Map, Source
from loopwise.store import Store
from loopwise.workbench import (
    SuggestionConflictError,
    accept_suggestion,
    document_text,
    edit_suggestion,
    ingest_document,
    list_documents,
    list_suggestions,
    reject_suggestion,
    save_suggestions,
)

TEXT = "I came out with nowhere to live, so I went back to crime. It was cold."


def _ingest(store: Store, text: str = TEXT, source_id: str = "p01") -> object:
    source = Source(
        id=source_id, kind="interview", title="P01", attributes={"participant": source_id}
    )
    return ingest_document(
        store, "demo", source, name=f"{source_id}.txt", text=text, sha256=str(hash(text)) * 2,
        sentences=[(0, 57), (58, 70)], author="ana",
    )  # fmt: skip


def test_ingest_adds_a_source_and_the_document_once(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    doc = _ingest(store)
    assert doc.created and store.version("demo") == 2
    assert store.get_map("demo").source("p01").attributes == {"participant": "p01"}
    again = _ingest(store)
    assert not again.created and again.id == doc.id and store.version("demo") == 2
    assert document_text(store, "demo", doc.id) == (TEXT, [(0, 57), (58, 70)])
    assert [d.id for d in list_documents(store, "demo")] == [doc.id]


def test_ingest_of_a_new_document_with_a_taken_source_id_gets_a_suffix(
    store: Store, sample_map: Map
) -> None:
    store.create_map(sample_map, author="ana")
    doc = _ingest(store, source_id="interview-1")
    assert doc.source == "interview-1-2"


def test_failed_ingest_writes_nothing(store: Store) -> None:
    with pytest.raises(UnknownIdError):
        _ingest(store)  # no map "demo"


def test_queue_accept_reject_and_conflicts(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    doc = _ingest(store)
    suggestions = [s.model_dump(mode="json") for s in suggest_claims(TEXT, sample_map)]
    assert save_suggestions(store, "demo", doc.id, suggestions) == 1
    assert save_suggestions(store, "demo", doc.id, suggestions) == 0  # no duplicates
    (item,) = list_suggestions(store, "demo", "suggested")
    assert item.data["quote"] == TEXT[item.data["start"] : item.data["end"]]

    edited = edit_suggestion(
        store, "demo", item.id, based_on=1, changes={"polarity": "+"}, coder="bo"
    )
    assert edited.version == 2 and edited.data["polarity"] == "+"
    with pytest.raises(SuggestionConflictError):
        reject_suggestion(store, "demo", item.id, based_on=1, coder="bo")
    with pytest.raises(ValidationError):
        edit_suggestion(store, "demo", item.id, based_on=2, changes={"quote": "x"}, coder="bo")

    version = store.version("demo")
    with pytest.raises(ConflictError):
        accept_suggestion(store, "demo", item.id, coder="bo", based_on=version - 1,
                          link_id="homelessness--reoffending")  # fmt: skip
    accepted = accept_suggestion(
        store, "demo", item.id, coder="bo", based_on=version, link_id="homelessness--reoffending"
    )
    assert accepted.status == "accepted" and accepted.link == "homelessness--reoffending"
    link = store.get_map("demo").link("homelessness--reoffending")
    evidence = link.evidence[-1]
    assert (evidence.source, evidence.coder, evidence.status) == ("p01", "bo", "accepted")
    assert (
        evidence.span is not None and TEXT[evidence.span.start : evidence.span.end] == evidence.text
    )
    assert store.version("demo") == version + 1
    with pytest.raises(ValidationError, match="already accepted"):
        reject_suggestion(store, "demo", item.id, based_on=3, coder="bo")
    store.undo("demo", author="bo")  # acceptance is a normal revision
    assert len(store.get_map("demo").link("homelessness--reoffending").evidence) == 2


def test_accept_into_a_new_link_with_a_new_factor(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    doc = _ingest(store)
    save_suggestions(
        store, "demo", doc.id, [s.model_dump(mode="json") for s in suggest_claims(TEXT)]
    )
    (item,) = list_suggestions(store, "demo")
    accept_suggestion(
        store, "demo", item.id, coder="bo",
        new_link={"from": "housing-loss", "to": "reoffending", "polarity": "+"},
        new_factors=[{"id": "housing-loss", "label": "Housing loss"}],
    )  # fmt: skip
    map_ = store.get_map("demo")
    assert map_.factor("housing-loss").label == "Housing loss"
    assert map_.link("housing-loss--reoffending").evidence[0].coder == "bo"
    with pytest.raises(ValidationError):
        accept_suggestion(store, "demo", item.id, coder="bo")


def test_deleting_the_map_deletes_its_documents(store: Store, sample_map: Map) -> None:
    store.create_map(sample_map, author="ana")
    _ingest(store)
    store.delete_map("demo", author="ana")
    store.create_map(sample_map, author="ana")
    assert list_documents(store, "demo") == []
