"""Property test: any sequence of edits saved as revisions can be reconstructed and restored
exactly (on SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopwise.model import Map
from loopwise.store import Store

from .conftest import without_times

_map_numbers = itertools.count()
LABELS = st.text(alphabet="abcdefgh XYZ-é", min_size=1, max_size=8).filter(str.strip)


def _start(slug: str) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": "Start",
        "sources": [
            {"id": "s1", "kind": "interview", "title": "Interview"},
            {"id": "s2", "kind": "literature", "title": "Study"},
        ],
        "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
        "links": [{"from": "a", "to": "b", "polarity": "+"}],
    }


def _edit(data: st.DataObject, body: dict[str, Any], fresh: itertools.count) -> None:
    """Apply one random edit to ``body`` (a map as a dict) in place."""
    factors, links = body["factors"], body["links"]
    kinds = ["add factor", "title"]
    if factors:
        kinds += ["remove factor", "relabel factor", "reorder factors"]
    if len(factors) >= 2:
        kinds.append("add link")
    if links:
        kinds += ["remove link", "reorder links", "change evidence"]
    kind = data.draw(st.sampled_from(kinds), label="edit")
    if kind == "add factor":
        position = data.draw(st.integers(0, len(factors)), label="at")
        factors.insert(position, {"id": f"f{next(fresh)}", "label": data.draw(LABELS)})
    elif kind == "remove factor":
        gone = factors.pop(data.draw(st.integers(0, len(factors) - 1), label="factor"))["id"]
        body["links"] = [lk for lk in links if gone not in (lk["from"], lk["to"])]
    elif kind == "relabel factor":
        factors[data.draw(st.integers(0, len(factors) - 1))]["label"] = data.draw(LABELS)
    elif kind == "reorder factors":
        body["factors"] = data.draw(st.permutations(factors), label="factor order")
    elif kind == "reorder links":
        body["links"] = data.draw(st.permutations(links), label="link order")
    elif kind == "title":
        body["title"] = data.draw(LABELS, label="title")
    elif kind == "remove link":
        links.pop(data.draw(st.integers(0, len(links) - 1), label="link"))
    elif kind == "add link":
        ids = [f["id"] for f in factors]
        start, end = data.draw(
            st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True), label="ends"
        )
        if any(lk["from"] == start and lk["to"] == end for lk in links):
            return
        links.append({
            "from": start,
            "to": end,
            "polarity": data.draw(st.sampled_from(["+", "-"])),
            "evidence": [{"source": s, "text": data.draw(LABELS)}
                         for s in data.draw(st.lists(st.sampled_from(["s1", "s2"]), max_size=2))],
        })  # fmt: skip
    elif kind == "change evidence":
        link = links[data.draw(st.integers(0, len(links) - 1))]
        link["evidence"] = [
            {"source": s, "text": data.draw(LABELS), "status": st_}
            for s, st_ in data.draw(
                st.lists(
                    st.tuples(st.sampled_from(["s1", "s2"]),
                              st.sampled_from(["accepted", "suggested", "rejected"])),
                    max_size=3,
                ),
                label="evidence",
            )
        ]  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_map_at_and_restore_are_exact(store: Store, data: st.DataObject) -> None:
    slug = f"prop-{next(_map_numbers)}"
    body = _start(slug)
    fresh = itertools.count()
    saved = {1: Map.from_dict(body)}
    store.create_map(saved[1], author="p")
    for _ in range(data.draw(st.integers(1, 8), label="edits")):
        _edit(data, body, fresh)
        # drop the evidence ids the model filled in, so re-added evidence gets them anew
        body = Map.from_dict(body).model_dump(mode="json", by_alias=True, exclude_none=True)
        edited = Map.from_dict(body)
        version = max(saved)
        revision = store.save_map(edited, author="p", based_on=version, settings=True)
        if revision is None:
            assert edited == saved[version]
        else:
            assert revision.number == version + 1
            saved[revision.number] = edited
    latest = max(saved)
    assert [r.number for r in store.history(slug)] == list(range(1, latest + 1))
    assert without_times(store.get_map(slug)) == saved[latest]

    number = data.draw(st.integers(1, latest), label="revision")
    assert without_times(store.map_at(slug, number)) == saved[number]
    assert store.map_at(slug, number).to_dict()["factors"] == saved[number].to_dict()["factors"]
    restored = store.restore(slug, number, author="p", settings=True)
    assert (restored is None) == (saved[number] == saved[latest])
    assert without_times(store.get_map(slug)) == saved[number]
    if restored is not None:
        assert without_times(store.map_at(slug, restored.number)) == saved[number]
