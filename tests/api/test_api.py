"""The JSON API in-process (httpx through FastAPI's TestClient)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from loopwise.builtin import load_builtin_map
from loopwise.formats.loopwise_json import loads_map
from loopwise.model import Map
from loopwise.store import open_store
from loopwise.web.app import create_app

BASE = "/api/maps/breaking-the-cycle"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("api")
    store = open_store(f"sqlite:///{folder / 'api.db'}")
    store.create_map(load_builtin_map(), author="test")
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return TestClient(create_app(store), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def builtin() -> Map:
    return load_builtin_map()


def test_map_list_and_payload(client: TestClient, builtin: Map) -> None:
    assert [m["slug"] for m in client.get("/api/maps").json()] == ["breaking-the-cycle"]
    response = client.get(BASE)
    assert response.headers["content-type"].startswith("application/json")
    assert loads_map(response.text).content() == builtin
    summary = client.get(BASE + "/summary").json()
    assert (summary["factors"], summary["links"], summary["curated_loops"]) == (
        len(builtin.factors),
        len(builtin.links),
        len(builtin.curated_loops),
    )
    assert summary["factors"] >= 45 and summary["curated_loops"] >= 5


def test_factors_filter_and_page(client: TestClient, builtin: Map) -> None:
    housing = client.get(BASE + "/factors", params={"theme": "housing"}).json()
    assert housing["total"] == sum(f.theme == "housing" for f in builtin.factors) > 0
    assert {f["theme"] for f in housing["items"]} == {"housing"}
    first = client.get(BASE + "/factors", params={"limit": 10}).json()
    second = client.get(BASE + "/factors", params={"limit": 10, "offset": 10}).json()
    assert first["total"] == len(builtin.factors) and len(first["items"]) == 10
    assert {f["kind"] for f in first["items"]} <= {"condition", "service", "policy", "outcome"}
    assert [f["id"] for f in first["items"] + second["items"]] == [
        f.id for f in builtin.factors[:20]
    ]
    found = client.get(BASE + "/factors", params={"q": "SHORT CUSTODIAL"}).json()
    assert "short-custodial-sentences" in [f["id"] for f in found["items"]]


def test_factor_detail_has_links_evidence_loops_organisations_leverage(
    client: TestClient, builtin: Map
) -> None:
    detail = client.get(BASE + "/factors/short-custodial-sentences").json()
    outgoing = [link for link in builtin.links if link.source_factor == "short-custodial-sentences"]
    assert [link["id"] for link in detail["outgoing"]] == [link.id for link in outgoing]
    quote = detail["outgoing"][0]["evidence"][0]
    assert quote["text"] == outgoing[0].evidence[0].text
    assert quote["source_detail"]["id"] == outgoing[0].evidence[0].source
    assert any(lp["name"] for lp in detail["loops"])
    assert detail["leverage"]["rank"] == 1  # the top lever: a policy, so a campaign ask
    assert detail["leverage"]["gap"] is False
    with_orgs = client.get(BASE + "/factors/whole-person-support").json()
    assert "The Clink Charity" in [o["name"] for o in with_orgs["organisations"]]


def test_links_filtered_by_target_polarity_and_evidence_kind(
    client: TestClient, builtin: Map
) -> None:
    into = client.get(BASE + "/links", params={"to": "reoffending", "polarity": "+"}).json()
    expected = [
        lk.id for lk in builtin.links if lk.target_factor == "reoffending" and lk.polarity == "+"
    ]
    assert [lk["id"] for lk in into["items"]] == expected
    interviews = client.get(
        BASE + "/links", params={"evidence_kind": "interview", "limit": 1000}
    ).json()
    assert interviews["total"] == builtin.summary()["links_with_interview_evidence"]
    one = client.get(BASE + "/links/" + builtin.links[0].id).json()
    assert len(one["evidence"]) == len(builtin.links[0].evidence)


def test_sources_organisations_views(client: TestClient, builtin: Map) -> None:
    sources = client.get(BASE + "/sources", params={"kind": "interview"}).json()
    assert sources["total"] == sum(s.kind == "interview" for s in builtin.sources)
    assert len(client.get(BASE + "/organisations").json()) == len(builtin.organisations) >= 14
    views = client.get(BASE + "/views").json()  # the built-in map's views are its stories
    assert [v["id"] for v in views] == [s.id for s in builtin.stories] and views[0]["steps"]


def test_loops_and_curated_loops(client: TestClient, builtin: Map) -> None:
    page = client.get(BASE + "/loops", params={"limit": 1000}).json()
    assert page["total"] == page["reinforcing"] + page["balancing"] == len(page["items"])
    assert {
        lp["kind"] for lp in client.get(BASE + "/loops", params={"kind": "B"}).json()["items"]
    } == {"B"}
    named = client.get(BASE + "/loops", params={"curated": "true", "limit": 1000}).json()
    assert named["total"] == len(builtin.curated_loops)
    curated = client.get(BASE + "/loops/curated").json()
    assert len(curated) == len(builtin.curated_loops) and all(
        c["kind"] in "RB" and c["narrative"] for c in curated
    )


def test_centrality_paths_leverage(client: TestClient, builtin: Map) -> None:
    rows = client.get(BASE + "/centrality", params={"sort": "in_degree", "limit": 5}).json()[
        "items"
    ]
    assert [r["in_degree"] for r in rows] == sorted((r["in_degree"] for r in rows), reverse=True)
    paths = client.get(
        BASE + "/paths", params={"from": "short-custodial-sentences", "to": "reoffending"}
    ).json()
    assert paths["total"] == paths["positive"] + paths["negative"] > 0
    assert paths["net_sign"] == ("mixed" if paths["positive"] and paths["negative"] else "+")
    assert all(p["factors"][0] == "short-custodial-sentences" for p in paths["items"])
    leverage = client.get(BASE + "/leverage").json()
    assert leverage["target"] == "reoffending"
    assert len(leverage["items"]) == len(builtin.factors) - 1
    assert "score =" in leverage["formula"]
    scores = [row["score"] for row in leverage["items"]]
    assert scores == sorted(scores, reverse=True)


def test_scenario_run_with_bands(client: TestClient) -> None:
    body = {"push": {"short-custodial-sentences": -0.5}, "samples": 100, "seed": 3}
    result = client.post(BASE + "/scenarios", json=body).json()
    effects = {e["factor"]: e for e in result["effects"]}
    reoffending = effects["reoffending"]
    assert reoffending["effect"] < 0
    assert reoffending["q05"] <= reoffending["median"] <= reoffending["q95"]
    assert result["samples"] == 100
    again = client.post(BASE + "/scenarios", json=body).json()
    assert again == result  # seeded: the same answer


def test_history_and_diff(client: TestClient) -> None:
    history = client.get(BASE + "/history").json()
    assert [r["number"] for r in history] == [1]
    assert client.get(BASE + "/history/1").json()["changes"] == history[0]["changes"]
    assert (
        len(client.get(BASE + "/diff", params={"from": 0, "to": 1}).json()) == history[0]["changes"]
    )


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [
        ("get", "/api/maps/no-such-map", None, 404),
        ("get", BASE + "/factors/no-such-factor", None, 404),
        ("get", BASE + "/links/a--b", None, 404),
        ("get", BASE + "/sources/nope", None, 404),
        ("get", BASE + "/history/99", None, 404),
        ("get", BASE + "/factors?limit=0", None, 422),
        ("get", BASE + "/factors?offset=-1", None, 422),
        ("get", BASE + "/links?polarity=x", None, 422),
        ("get", BASE + "/links?to=nowhere", None, 422),
        ("get", BASE + "/loops?kind=Q", None, 422),
        ("get", BASE + "/centrality?sort=__class__", None, 422),
        ("get", BASE + "/paths?from=reoffending", None, 422),
        ("get", BASE + "/paths?from=reoffending&to=reoffending", None, 422),
        ("get", BASE + "/paths?from=nope&to=reoffending", None, 422),
        ("get", BASE + "/leverage?target=nope", None, 422),
        ("get", BASE + "/sources?attribute=novalue", None, 422),
        ("post", BASE + "/scenarios", {"push": {"nope": 0.5}}, 422),
        ("post", BASE + "/scenarios", {"push": {"reoffending": 5}}, 422),
        ("post", BASE + "/scenarios", {"push": {"reoffending": "x"}}, 422),
        ("post", BASE + "/scenarios", {}, 422),
        ("post", BASE + "/scenarios", {"push": {"reoffending": 0.5}, "samples": -1}, 422),
        ("post", BASE + "/scenarios", {"push": {"reoffending": 0.5}, "seed": 2**64}, 422),
        ("post", BASE + "/scenarios", {"push": {"reoffending": 0.5}, "extra": 1}, 422),
        ("post", BASE + "/scenarios", "not json", 422),
        ("post", BASE + "/scenarios", [1, 2], 422),
    ],
)
def test_errors_are_json_with_the_right_status(
    client: TestClient, method: str, url: str, body: object, status: int
) -> None:
    if isinstance(body, str):
        response = client.post(url, content=body, headers={"content-type": "application/json"})
    else:
        response = getattr(client, method)(url, **({"json": body} if method == "post" else {}))
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail


def test_private_maps_are_404_everywhere(store, client: TestClient, small_map: Map) -> None:
    store.create_map(small_map.model_copy(update={"visibility": "private"}), author="test")
    for path in [
        "",
        "/summary",
        "/graph",
        "/factors",
        "/factors/homelessness",
        "/loops",
        "/leverage",
        "/history",
        "/paths?from=homelessness&to=reoffending",
    ]:
        assert client.get("/api/maps/small" + path).status_code == 404, path
    assert (
        client.post("/api/maps/small/scenarios", json={"push": {"homelessness": 0.5}}).status_code
        == 404
    )
    assert "small" not in [m["slug"] for m in client.get("/api/maps").json()]


def test_new_version_gets_fresh_analyses(tmp_path: Path, small_map: Map) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'v.db'}")
    store.create_map(small_map, author="test")
    client = TestClient(create_app(store))
    assert client.get("/api/maps/small/factors").json()["total"] == 3
    changed = small_map.model_copy(update={"title": "Renamed"})
    store.save_map(changed, author="test", based_on=1, settings=True)
    assert client.get("/api/maps/small/summary").json()["title"] == "Renamed"
    store.close()


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for resource in [
        "",
        "/summary",
        "/graph",
        "/factors",
        "/factors/{factor_id}",
        "/links",
        "/links/{link_id}",
        "/sources",
        "/organisations",
        "/loops",
        "/loops/curated",
        "/centrality",
        "/paths",
        "/leverage",
        "/scenarios",
        "/views",
        "/history",
        "/history/{number}",
        "/diff",
    ]:
        assert "/api/maps/{slug}" + resource in paths, resource
    assert "/api/maps" in paths
    assert not any(p.startswith("/maps") for p in paths)  # pages are not API
    assert client.get("/docs").status_code == 200
