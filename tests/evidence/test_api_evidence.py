"""The review-queue JSON router, called by an editor (``bo``) with an API token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from loopwise.accounts.service import Accounts
from loopwise.evidence.suggest import suggest_claims
from loopwise.model import Map, Source
from loopwise.store import open_store
from loopwise.web.app import create_app
from loopwise.workbench import ingest_document, save_suggestions

TEXT = (
    "I came out with nowhere to live, so I went back to crime. Because I had no job, I lost hope."
)


@pytest.fixture
def client(small_map: Map) -> TestClient:
    store = open_store("sqlite://")
    store.create_map(small_map, author="ana")
    doc = ingest_document(
        store, "small", Source(id="p1", kind="interview", title="P1"), name="p1.txt",
        text=TEXT, sha256="1" * 64, sentences=[(0, 57), (58, 92)], author="ana",
    )  # fmt: skip
    save_suggestions(
        store, "small", doc.id, [s.model_dump(mode="json") for s in suggest_claims(TEXT, small_map)]
    )
    accounts = Accounts(store)
    accounts.add_user("bo", "a long passphrase")
    accounts.grant("small", "bo", "editor")
    token = accounts.create_token("bo", "test")
    return TestClient(create_app(store), headers={"Authorization": f"Bearer {token}"})


def test_list_accept_edit_reject_and_conflicts(client: TestClient) -> None:
    page = client.get("/api/maps/small/suggestions").json()
    assert len(page["items"]) == 2
    first, second = page["items"]
    assert first["claim"]["quote"] == TEXT[first["claim"]["start"] : first["claim"]["end"]]

    edited = client.post(f"/api/maps/small/suggestions/{second['id']}/edit",
                         json={"version": 1, "coder": "bo", "link_polarity": "+"})  # fmt: skip
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = client.post(
        f"/api/maps/small/suggestions/{second['id']}/reject", json={"version": 1, "coder": "bo"}
    )
    assert stale.status_code == 409
    assert (
        client.post(
            f"/api/maps/small/suggestions/{second['id']}/reject", json={"version": 2, "coder": "bo"}
        ).status_code
        == 200
    )

    body = {
        "based_on": page["map_version"] - 1,
        "version": 1,
        "coder": "bo",
        "link": "homelessness--reoffending",
    }
    assert (
        client.post(f"/api/maps/small/suggestions/{first['id']}/accept", json=body).status_code
        == 409
    )
    body["based_on"] = page["map_version"]
    accepted = client.post(f"/api/maps/small/suggestions/{first['id']}/accept", json=body)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert client.get("/api/maps/small/suggestions").json()["items"] == []
    assert len(client.get("/api/maps/small/suggestions?status=all").json()["items"]) == 2
    assert (
        client.post(
            "/api/maps/small/suggestions/999/reject", json={"version": 1, "coder": "bo"}
        ).status_code
        == 404
    )
    assert client.get("/api/maps/nope/suggestions").status_code == 404
    bad = client.post(f"/api/maps/small/suggestions/{first['id']}/accept", json={"version": 1})
    assert bad.status_code == 422


def test_page_assets_have_no_inline_script() -> None:
    from pathlib import Path

    import loopwise.web

    web = Path(loopwise.web.__file__).parent
    html = (web / "templates" / "evidence_review.html").read_text(encoding="utf-8")
    assert '<script src="/static/evidence_review.js" defer></script>' in html
    assert html.count("<script") == 1 and "onclick" not in html
    js = (web / "static" / "evidence_review.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js  # quotes are untrusted: textContent only
