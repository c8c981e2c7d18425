"""Fixtures of the security findings' tests (issue 13): the API's store with a public and a
private map, users with every role, their tokens, and a suggestion waiting in the review
queue of the public map."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.conftest import PASSWORD, client, sign_in, store, tokens  # noqa: F401 - fixtures
from loopwise.store import Store

READ_ONLY_POSTS = {
    ("post", "/api/maps/{slug}/scenarios"),  # runs a simulation, stores nothing
    ("post", "/api/maps/{slug}/funding-gaps"),  # computes a table from an upload
    ("post", "/api/import-report"),  # reports what an uploaded file holds, stores nothing
}

QUOTE = "I had nowhere to live, so I went back to crime."


def write_operations(app_client: TestClient) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI spec that may change something."""
    spec = app_client.get("/openapi.json").json()
    return [
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("post", "put", "patch", "delete") and (method, path) not in READ_ONLY_POSTS
    ]


def app_routes(app: Any) -> list[Any]:
    """Every route of the app, those of included routers too (FastAPI nests them)."""

    def walk(routes: list[Any]) -> list[Any]:
        found = []
        for route in routes:
            inner = getattr(route, "original_router", None)
            found += walk(inner.routes) if inner is not None else [route]
        return found

    return walk(app.routes)


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def write_bodies(
    version: int, suggestion: int
) -> dict[tuple[str, str], tuple[dict[str, str], Any]]:
    """For each write operation: its path values and its body (or query), made valid for
    the demo map where that is possible, each trying to undo the owner's settings."""
    ids = {"slug": "demo", "factor_id": "stigma", "link_id": "stigma--reoffending",
           "owner_id": "homelessness", "index": "0", "source_id": "npc-2021",
           "organisation_id": "shelter", "user": "viewer",
           "suggestion_id": str(suggestion), "number": "1", "story_id": "tour"}  # fmt: skip
    v = {"based_on": version}
    base = "/api/maps/{slug}"
    factor = {"id": "stigma", "label": "Stigma"}
    link = {"from": "stigma", "to": "reoffending", "polarity": "+"}
    evidence = {"source": "npc-2021", "kind": "finding", "text": "A finding"}
    source = {"id": "npc-2021", "kind": "literature", "title": "Breaking the cycle"}
    org = {"id": "shelter", "name": "Shelter"}
    query = f"?based_on={version}"
    table: dict[tuple[str, str], Any] = {
        ("post", base + "/factors"): {**v, "factor": {"id": "new", "label": "New"}},
        ("put", base + "/factors/{factor_id}"): {**v, "factor": factor},
        ("delete", base + "/factors/{factor_id}"): query + "&cascade=true",
        ("post", base + "/links"): {**v, "link": {**link, "from": "homelessness", "to": "stigma"}},
        ("put", base + "/links/{link_id}"): {**v, "link": link},
        ("delete", base + "/links/{link_id}"): query,
        ("post", base + "/links/{owner_id}/evidence"): {**v, "evidence": evidence},
        ("put", base + "/links/{owner_id}/evidence/{index}"): {**v, "evidence": evidence},
        ("delete", base + "/links/{owner_id}/evidence/{index}"): query,
        ("post", base + "/factors/{owner_id}/evidence"): {**v, "evidence": evidence},
        ("put", base + "/factors/{owner_id}/evidence/{index}"): {**v, "evidence": evidence},
        ("delete", base + "/factors/{owner_id}/evidence/{index}"): query,
        ("post", base + "/sources"): {**v, "source": {**source, "id": "new-source"}},
        ("put", base + "/sources/{source_id}"): {**v, "source": source},
        ("delete", base + "/sources/{source_id}"): query,
        ("post", base + "/organisations"): {**v, "organisation": {**org, "id": "new-org"}},
        ("put", base + "/organisations/{organisation_id}"): {**v, "organisation": org},
        ("delete", base + "/organisations/{organisation_id}"): query,
        ("post", base + "/undo"): v,
        ("post", base + "/restore"): {**v, "number": 1},
        ("patch", base): {**v, "visibility": "public", "title": "Demo map"},
        ("put", base + "/members/{user}"): {"role": "owner"},
        ("delete", base + "/members/{user}"): "",
        ("post", base + "/suggestions/{suggestion_id}/accept"): {
            **v, "version": 1, "link": "homelessness--reoffending"},
        ("post", base + "/suggestions/{suggestion_id}/edit"): {"version": 1, "polarity": "-"},
        ("post", base + "/suggestions/{suggestion_id}/reject"): {"version": 1},
        ("put", base + "/stories/{story_id}"): {**v, "story": {"id": "tour", "name": "Tour",
            "steps": [{"title": "Stigma", "text": "Stigma.", "factors": ["stigma"]}]}},
        ("delete", base + "/stories/{story_id}"): query,
    }  # fmt: skip
    return {op: (ids, body) for op, body in table.items()}


def add_suggestion(db: Store, slug: str = "demo") -> int:
    """One suggestion in the map's review queue; its id."""
    from loopwise.model import Source
    from loopwise.workbench import ingest_document, list_suggestions, save_suggestions

    doc = ingest_document(
        db, slug, Source(id="p1", kind="interview", title="P1"), name="p1.txt", text=QUOTE,
        sha256="1" * 64, sentences=[(0, len(QUOTE))], author="seed",
    )  # fmt: skip
    claim = {
        "key": "s1", "quote": QUOTE, "start": 0, "end": len(QUOTE), "cue": "so",
        "polarity": "+", "confidence": 0.9,
        "cause": {"text": "nowhere to live", "start": 6, "end": 21},
        "effect": {"text": "crime", "start": 42, "end": 47},
    }  # fmt: skip
    save_suggestions(db, slug, doc.id, [claim])
    return list_suggestions(db, slug)[0].id


@pytest.fixture
def suggestion(store: Store) -> int:  # noqa: F811 - the fixture imported above
    return add_suggestion(store)


__all__ = ["PASSWORD", "Any", "sign_in"]
