"""A loop claim ("It then becomes a vicious circle.") is suggested as a loop, and accepting
it (store, CLI review, API) adds a curated loop to the map as a new revision."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from loopwise.errors import ValidationError
from loopwise.evidence.loops import add_claimed_loop
from loopwise.evidence.matching import LexicalMatcher
from loopwise.evidence.suggest import suggest_claims
from loopwise.model import Map, Source
from loopwise.store import open_store
from loopwise.workbench import (
    accept_suggestion,
    ingest_document,
    list_suggestions,
    save_suggestions,
)

# the seed interview's paragraph (../shared/seeds/000_8becc94c9f9319c9.txt), word for word
SEED_PARAGRAPH = (
    "A lot of women go into prison and they don’t get a chance to have sort of counselling or "
    "substance misuse help, or any help with contact with the children and stuff, so it "
    "wrecks their lives and then they are out again. Just with more rubbish than they had to "
    "start off with. It then becomes a vicious circle."
)

LOOP_MAP: dict[str, Any] = {
    "slug": "women",
    "title": "Women leaving prison",
    "sources": [{"id": "seed", "kind": "interview", "title": "Seed interview"}],
    "factors": [
        {"id": "help-in-prison", "label": "Counselling and substance misuse help in prison"},
        {"id": "wrecked-lives", "label": "Wrecked lives"},
    ],
    "links": [],
}


def _loop_suggestion(map_: Map) -> Any:
    found = suggest_claims(SEED_PARAGRAPH, map_, matcher=LexicalMatcher(map_.factors))
    loops = [s for s in found if s.kind == "loop"]
    assert len(loops) == 1, found
    return found, loops[0]


def test_the_seed_sentence_is_suggested_as_a_loop_over_the_claims_before_it() -> None:
    found, loop = _loop_suggestion(Map.from_dict(LOOP_MAP))
    assert loop.cue == "vicious circle"
    assert loop.quote == SEED_PARAGRAPH  # from the first claim to the loop sentence
    [link] = [s for s in found if s.kind == "link"]
    # "they don't get ... help, or any help ...": the whole list, negated
    assert link.cause.text.startswith("they don’t get a chance") and link.cause.negated
    assert link.effect.text == "wrecks their lives" and link.polarity == "-"
    assert loop.loop == ["help-in-prison", "wrecked-lives"]
    assert {(lk["from"], lk["to"], lk["polarity"]) for lk in loop.loop_links} == {
        ("help-in-prison", "wrecked-lives", "-"),
        ("wrecked-lives", "help-in-prison", "-"),  # closes the loop, reinforcing
    }


def _store_with_suggestions() -> tuple[Any, list[Any]]:
    store = open_store("sqlite://")
    map_ = Map.from_dict(LOOP_MAP)
    store.create_map(map_, author="ana")
    doc = ingest_document(
        store, "women", Source(id="seed-000", kind="interview", title="Seed 000"),
        name="seed.txt", text=SEED_PARAGRAPH, sha256="5" * 64,
        sentences=[(0, 1), (1, 2)], author="ana",
    )  # fmt: skip
    found, _ = _loop_suggestion(store.get_map("women"))
    save_suggestions(store, "women", doc.id, [s.model_dump(mode="json") for s in found])
    return store, list_suggestions(store, "women", "suggested")


def test_accepting_a_loop_suggestion_adds_a_curated_loop_in_a_new_revision() -> None:
    store, items = _store_with_suggestions()
    [loop] = [i for i in items if i.data["kind"] == "loop"]
    before = store.version("women")
    accept_suggestion(
        store, "women", loop.id, coder="bo", based_on=before,
        new_link={"from": "wrecked-lives", "to": "help-in-prison", "polarity": "-"},
    )  # fmt: skip
    assert store.version("women") == before + 1
    map_ = store.get_map("women")
    [curated] = map_.curated_loops
    assert curated.factors == ["help-in-prison", "wrecked-lives"]
    assert curated.kind == "R"  # - times -
    assert curated.narrative == SEED_PARAGRAPH
    assert curated.name.startswith("Vicious circle: ")
    # both links of the ring exist and carry the quote
    for link_id in ("help-in-prison--wrecked-lives", "wrecked-lives--help-in-prison"):
        assert [e.text for e in map_.link(link_id).evidence] == [SEED_PARAGRAPH]


def test_a_loop_whose_ring_has_a_gap_is_refused_and_changes_nothing() -> None:
    data = copy.deepcopy(LOOP_MAP)
    data["factors"].append({"id": "third", "label": "Third"})
    claim = {
        "kind": "loop",
        "cue": "vicious circle",
        "quote": "q",
        "loop": ["help-in-prison", "wrecked-lives", "third"],
        "loop_links": [{"from": "help-in-prison", "to": "wrecked-lives", "polarity": "-"}],
    }
    before = copy.deepcopy(data)
    with pytest.raises(ValidationError, match="wrecked-lives -> third"):
        add_claimed_loop(data, claim)
    assert data == before
    with pytest.raises(ValidationError, match="at least two factors"):
        add_claimed_loop(data, {**claim, "loop": ["third"]})
    with pytest.raises(ValidationError, match="no factor 'ghost'"):
        add_claimed_loop(data, claim, ["third", "ghost"])


def test_a_loop_already_curated_is_not_added_twice() -> None:
    data = copy.deepcopy(LOOP_MAP)
    claim = {
        "kind": "loop",
        "cue": "downward spiral",
        "quote": "q",
        "loop": ["help-in-prison", "wrecked-lives"],
        "loop_links": [
            {"from": "help-in-prison", "to": "wrecked-lives", "polarity": "+"},
            {"from": "wrecked-lives", "to": "help-in-prison", "polarity": "-"},
        ],
    }
    first = add_claimed_loop(data, claim)
    assert first["kind"] == "B" and first["id"] == "downward-spiral-help-in-prison-wrecked-lives"
    again = add_claimed_loop(data, claim, ["wrecked-lives", "help-in-prison"])
    assert again is first and len(data["loops"]) == 1


def test_the_api_accepts_a_loop_with_the_coders_factors() -> None:
    from loopwise.accounts.service import Accounts
    from loopwise.web.app import create_app

    store, items = _store_with_suggestions()
    [loop] = [i for i in items if i.data["kind"] == "loop"]
    accounts = Accounts(store)
    accounts.add_user("bo", "a long passphrase")
    accounts.grant("women", "bo", "editor")
    token = accounts.create_token("bo", "test")
    client = TestClient(create_app(store), headers={"Authorization": f"Bearer {token}"})
    body = {
        "based_on": store.version("women"), "version": loop.version, "coder": "bo",
        "new_link": {"from": "wrecked-lives", "to": "help-in-prison", "polarity": "-"},
        "loop": ["wrecked-lives", "help-in-prison"],
    }  # fmt: skip
    response = client.post(f"/api/maps/women/suggestions/{loop.id}/accept", json=body)
    assert response.status_code == 200, response.text
    [curated] = store.get_map("women").curated_loops
    assert curated.factors == ["wrecked-lives", "help-in-prison"]
