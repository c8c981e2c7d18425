"""Reads served from bytes made once per map version (``loopwise.web.cached_reads``): a write
shows on every cached route at once, a private map's bytes never reach someone who may not
read it, ETags give 304, compression is negotiated, seeded scenarios run once."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from loopwise.accounts.service import Accounts
from loopwise.builtin import load_builtin_map
from loopwise.model import Map
from loopwise.store import Store, open_store
from loopwise.web import compression
from loopwise.web.app import create_app
from loopwise.web.cached_reads import CACHED_POSTS, CACHED_READS

SLUG = "breaking-the-cycle"
POLICY = "short-custodial-sentences"
LOOP = "short-sentence-cycle"
LINK = "short-custodial-sentences--reoffending"
VIEW = {"id": "housing-view", "name": "Housing", "focus": "settled-accommodation"}
STORY = "cycle-in-seven-steps"
STORIES = [story.model_dump(mode="json") for story in load_builtin_map().stories]

# one URL for every cached route (tests below check that the list covers CACHED_READS)
URLS = {
    "/maps/{slug}": f"/maps/{SLUG}",
    "/maps/{slug}/canvas": f"/maps/{SLUG}/canvas",
    "/maps/{slug}/embed": f"/maps/{SLUG}/embed",
    "/maps/{slug}/text": f"/maps/{SLUG}/text",
    "/maps/{slug}/factors/{factor_id}": f"/maps/{SLUG}/factors/reoffending",
    "/maps/{slug}/campaigns/{factor_id}": f"/maps/{SLUG}/campaigns/{POLICY}",
    "/maps/{slug}/loops": f"/maps/{SLUG}/loops",
    "/maps/{slug}/loops/{loop_id}": f"/maps/{SLUG}/loops/{LOOP}",
    "/maps/{slug}/leverage": f"/maps/{SLUG}/leverage",
    "/maps/{slug}/funding": f"/maps/{SLUG}/funding",
    "/maps/{slug}/paths": f"/maps/{SLUG}/paths?from={POLICY}&to=reoffending",
    "/maps/{slug}/scenario": f"/maps/{SLUG}/scenario?push={POLICY}:0.5&samples=20",
    "/api/maps/{slug}": f"/api/maps/{SLUG}",
    "/api/maps/{slug}/summary": f"/api/maps/{SLUG}/summary",
    "/api/maps/{slug}/graph": f"/api/maps/{SLUG}/graph",
    "/api/maps/{slug}/views": f"/api/maps/{SLUG}/views",
    "/api/maps/{slug}/views/{view_id}": f"/api/maps/{SLUG}/views/{VIEW['id']}",
    "/api/maps/{slug}/factors": f"/api/maps/{SLUG}/factors",
    "/api/maps/{slug}/factors/{factor_id}": f"/api/maps/{SLUG}/factors/reoffending",
    "/api/maps/{slug}/links": f"/api/maps/{SLUG}/links",
    "/api/maps/{slug}/links/{link_id}": f"/api/maps/{SLUG}/links/{LINK}",
    "/api/maps/{slug}/loops": f"/api/maps/{SLUG}/loops",
    "/api/maps/{slug}/loops/curated": f"/api/maps/{SLUG}/loops/curated",
    "/api/maps/{slug}/centrality": f"/api/maps/{SLUG}/centrality",
    "/api/maps/{slug}/paths": f"/api/maps/{SLUG}/paths?from={POLICY}&to=reoffending",
    "/api/maps/{slug}/leverage": f"/api/maps/{SLUG}/leverage",
    "/api/maps/{slug}/brief": f"/api/maps/{SLUG}/brief?loop={LOOP}&format=html",
    "/api/maps/{slug}/funding-gaps": f"/api/maps/{SLUG}/funding-gaps",
    "/maps/{slug}/stories": f"/maps/{SLUG}/stories",
    "/maps/{slug}/stories/{story_id}": f"/maps/{SLUG}/stories/{STORY}",
    "/maps/{slug}/stories/{story_id}/steps/{number}": f"/maps/{SLUG}/stories/{STORY}/steps/3",
    "/api/maps/{slug}/stories": f"/api/maps/{SLUG}/stories",
    "/api/maps/{slug}/stories/{story_id}": f"/api/maps/{SLUG}/stories/{STORY}",
}
SCENARIO = {"push": {POLICY: 0.5}, "samples": 20, "seed": 3}


def _builtin(**changes: Any) -> Map:
    data = json.loads(load_builtin_map().model_dump_json(by_alias=True))
    data.update(changes)
    return Map.model_validate(data)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'cache.db'}")
    store.create_map(_builtin(views=[VIEW, *STORIES]), author="seed")
    yield store
    store.close()


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def _edited(store: Store) -> None:
    """A write touching what every route shows: a factor's label (and the title, a view and
    a link's strength, for the routes that show no labels)."""
    current = store.get_map(SLUG)
    data = json.loads(current.model_dump_json(by_alias=True))
    data["title"] = "Breaking the cycle, edited"
    for factor in data["factors"]:
        if factor["id"] in ("reoffending", POLICY):
            factor["label"] += " (edited)"
    for link in data["links"]:
        if link["id"] == LINK:
            link["strength"] = "weak" if link.get("strength") != "weak" else "strong"
    data["views"] = [{**VIEW, "name": "Housing, edited"}] + [
        {**story, "name": story["name"] + ", edited"} for story in STORIES
    ]
    store.save_map(Map.model_validate(data), author="editor",
                   based_on=store.version(SLUG), settings=True)  # fmt: skip


def test_the_url_list_covers_every_cached_route(client: TestClient) -> None:
    assert set(URLS) == set(CACHED_READS)
    from loopwise.web.access import _routes

    served = set(_routes(client.app))
    for template in CACHED_READS:
        assert ("get", template) in served, template
    for template in CACHED_POSTS:
        assert ("post", template) in served, template


def test_a_write_shows_on_every_cached_route_at_once(store: Store, client: TestClient) -> None:
    before = {}
    for template, url in URLS.items():
        first = client.get(url)
        assert first.status_code == 200, (url, first.text[:300])
        again = client.get(url)  # from the cache: the same bytes, the same tag
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        before[template] = first.content
    assert len(client.app.state.responses) >= len(URLS)
    _edited(store)
    fresh = TestClient(create_app(store))  # nothing cached: what the routes make now
    for template, url in URLS.items():
        after = client.get(url)
        assert after.status_code == 200, url
        assert after.content != before[template], f"{url} still shows the old version"
        assert after.content == fresh.get(url).content, url


def test_a_seeded_scenario_runs_once_per_version(
    store: Store, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopwise.api import scenarios

    runs = []
    real = scenarios.run_scenario
    monkeypatch.setattr(scenarios, "run_scenario",
                        lambda bundle, body: runs.append(body.seed) or real(bundle, body))  # fmt: skip
    url = f"/api/maps/{SLUG}/scenarios"
    first, second = client.post(url, json=SCENARIO), client.post(url, json=SCENARIO)
    assert first.status_code == 200 and second.content == first.content
    assert runs == [3]
    # the same request with its keys in another order is the same request
    assert client.post(url, json=dict(reversed(SCENARIO.items()))).content == first.content
    assert runs == [3]
    unseeded = {**SCENARIO, "seed": None}
    for _ in range(2):  # a fresh draw each time: run every time, never kept
        assert client.post(url, json=unseeded).status_code == 200
    assert runs == [3, None, None]
    _edited(store)
    assert client.post(url, json=SCENARIO).status_code == 200
    assert len(runs) == 4  # a new version: run again


@pytest.fixture
def private_store(tmp_path: Path) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'private.db'}")
    store.create_map(_builtin(visibility="private"), author="seed")
    accounts = Accounts(store)
    for name in ("owner", "viewer", "outsider"):
        accounts.add_user(name, "a long passphrase")
    accounts.grant(SLUG, "owner", "owner")
    accounts.grant(SLUG, "viewer", "viewer")
    yield store
    store.close()


def test_a_private_maps_bytes_only_reach_its_members(private_store: Store) -> None:
    accounts = Accounts(private_store)
    token = {name: {"Authorization": "Bearer " + accounts.create_token(name, "t")}
             for name in ("owner", "viewer", "outsider")}  # fmt: skip
    client = TestClient(create_app(private_store))
    urls = [URLS[t] for t in ("/maps/{slug}", "/maps/{slug}/factors/{factor_id}",
                              "/api/maps/{slug}/graph", "/api/maps/{slug}/loops",
                              "/api/maps/{slug}/leverage")]  # fmt: skip
    for url in urls:
        for name in ("viewer", "viewer", "owner"):  # the second time from the cache
            member = client.get(url, headers=token[name])
            assert member.status_code == 200, url
            assert member.headers["cache-control"] == "private, no-store", url
        for headers in ({}, token["outsider"], {"Authorization": "Bearer lw_not-a-token"}):
            refused = client.get(url, headers=headers)
            assert refused.status_code in (401, 404), (url, headers)
            assert refused.content != member.content
    assert len(client.app.state.responses) >= len(urls)
    response = client.post(f"/api/maps/{SLUG}/scenarios", json=SCENARIO, headers=token["viewer"])
    assert response.status_code == 200
    assert client.post(f"/api/maps/{SLUG}/scenarios", json=SCENARIO).status_code == 404


def test_a_map_made_private_stops_being_served_from_the_cache(
    store: Store, client: TestClient
) -> None:
    url = URLS["/api/maps/{slug}/graph"]
    assert client.get(url).status_code == 200 and client.get(url).status_code == 200
    current = store.get_map(SLUG).model_copy(update={"visibility": "private"})
    store.save_map(current, author="owner", based_on=store.version(SLUG), settings=True)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", [URLS["/api/maps/{slug}/graph"], URLS["/maps/{slug}/factors/{factor_id}"],
            URLS["/maps/{slug}/canvas"], "/static/vendor/cytoscape.min.js",
            "/static/loopwise.css"],
)  # fmt: skip
def test_a_matching_etag_is_a_304(client: TestClient, url: str) -> None:
    first = client.get(url)
    tag = first.headers["etag"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert client.get(url, headers={"If-None-Match": '"other"'}).content == first.content
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    both = client.get(url, headers={"If-None-Match": f'"x", {zipped.headers["etag"]}'})
    assert both.status_code == 304


@pytest.mark.parametrize(
    "url", [URLS["/api/maps/{slug}/loops"], URLS["/maps/{slug}/factors/{factor_id}"],
            "/static/vendor/cytoscape.min.js"],
)  # fmt: skip
def test_compression_is_negotiated(client: TestClient, url: str) -> None:
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    raw = client.get(url, headers={"Accept-Encoding": "gzip"}, extensions={})
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.headers["vary"] == "Accept-Encoding"
    assert raw.content == plain.content  # httpx decodes it: the same document
    assert raw.headers["etag"] != plain.headers["etag"]
    assert int(raw.headers["content-length"]) < len(plain.content) / 2
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, br;q=0"})
    assert "content-encoding" not in refused.headers and refused.content == plain.content
    if compression.BROTLI is not None:
        br = client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert br.headers["content-encoding"] == "br"
        assert compression.BROTLI.decompress(
            compression.encode(plain.content, "br")) == plain.content  # fmt: skip


def test_gzip_bytes_on_the_wire(client: TestClient) -> None:
    url = URLS["/api/maps/{slug}/graph"]
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        wire = b"".join(response.iter_raw())
    assert json.loads(gzip.decompress(wire))["slug"] == SLUG


def test_an_editors_canvas_is_never_kept(private_store: Store) -> None:
    """The canvas of a signed-in editor carries the session's CSRF token: it is made for
    that session every time, never kept."""
    from api.conftest import sign_in

    client = TestClient(create_app(private_store))
    assert sign_in(client, "owner", "a long passphrase").status_code == 303
    url = URLS["/maps/{slug}/canvas"]
    first, second = client.get(url), client.get(url)
    assert 'data-can-edit="true"' in first.text and first.text == second.text
    kept = [entry.body for entry in client.app.state.responses._items.values()]
    assert not any(b"data-csrf" in body for body in kept)


def test_the_cache_is_bounded_by_bytes_least_recently_used_first() -> None:
    from loopwise.web.response_cache import CachedResponse, ResponseCache

    cache = ResponseCache(max_bytes=10_000)
    entries = {n: CachedResponse.make(bytes([n]) * 2000, "application/json") for n in range(6)}
    for n in range(4):
        cache.put(("m", "1", 1, n), entries[n])
    assert cache.get(("m", "1", 1, 0)) is entries[0]  # 0 is now the most recently used
    for n in (4, 5):
        cache.put(("m", "1", 1, n), entries[n])
    assert cache.size <= 10_000
    assert cache.get(("m", "1", 1, 1)) is None and cache.get(("m", "1", 1, 0)) is entries[0]
    cache.coded(("m", "1", 1, 0), entries[0], "gzip")  # codings count too
    assert cache.size <= 10_000
    cache.put(("m", "1", 1, 9), CachedResponse.make(b"x" * 6000, "text/html"))  # > half
    assert cache.get(("m", "1", 1, 9)) is None


def test_templates_are_read_once_outside_development(monkeypatch: pytest.MonkeyPatch) -> None:
    from loopwise.web import templating

    assert templating.environment().auto_reload is templating.development()
    monkeypatch.delenv("LOOPWISE_DEV", raising=False)
    assert not templating.development()
    monkeypatch.setenv("LOOPWISE_DEV", "1")
    assert templating.development()


def test_the_map_document_names_its_version_through_the_cache(
    store: Store, client: TestClient
) -> None:
    """Editors read the version to send back as ``based_on`` from ``X-Loopwise-Version``;
    the cache's ETag is a digest of the bytes and says nothing about the version."""
    first = client.get(f"/api/maps/{SLUG}", headers={"Accept-Encoding": "br"})
    assert first.headers["X-Loopwise-Version"] == str(store.version(SLUG))
    again = client.get(f"/api/maps/{SLUG}", headers={"Accept-Encoding": "br"})  # from the cache
    assert again.headers["X-Loopwise-Version"] == first.headers["X-Loopwise-Version"]
    _edited(store)
    after = client.get(f"/api/maps/{SLUG}", headers={"Accept-Encoding": "gzip"})
    assert after.headers["X-Loopwise-Version"] == str(store.version(SLUG))
    assert int(after.headers["X-Loopwise-Version"]) > int(first.headers["X-Loopwise-Version"])
