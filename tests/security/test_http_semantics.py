"""Finding 14: HEAD works on every GET route; a 405 names the methods allowed (``Allow``); a
401 says how to authenticate (``WWW-Authenticate``); private pages and JSON, and anything
answered to a signed-in caller, are ``Cache-Control: private, no-store``; the map JSON's
``ETag`` is honoured with 304."""

from __future__ import annotations

from fastapi.testclient import TestClient

from security.conftest import sign_in

GET_PAGES = ["/", "/maps/demo", "/maps/demo/text", "/api/maps", "/api/maps/demo",
             "/api/maps/demo/graph", "/api/maps/demo/factors", "/login", "/static/loopwise.css"]  # fmt: skip


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    for url in GET_PAGES:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"], url
    assert client.head("/api/maps/nope").status_code == 404


def test_a_405_says_what_is_allowed(client: TestClient) -> None:
    for method, url in (("options", "/api/maps"), ("put", "/api/maps"), ("delete", "/login"),
                        ("options", "/maps/demo")):  # fmt: skip
        response = client.request(method, url)
        assert response.status_code == 405, (method, url)
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert {"GET", "HEAD"} <= allowed, (url, allowed)


def test_a_401_says_how_to_authenticate(client: TestClient) -> None:
    body = {"based_on": 1, "factor": {"id": "x", "label": "X"}}
    for response in (client.post("/api/maps/demo/factors", json=body),
                     client.get("/api/maps/demo/members"),
                     client.post("/account/tokens", data={"name": "x"})):  # fmt: skip
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_private_and_personal_answers_are_not_cached(
    client: TestClient, tokens: dict[str, dict[str, str]]
) -> None:
    assert "no-store" not in client.get("/api/maps/demo").headers.get("cache-control", "")
    for url in ("/api/maps/secret", "/api/maps/secret/factors", "/api/maps"):
        response = client.get(url, headers=tokens["viewer"])
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store", url
    assert sign_in(client, "viewer").status_code == 303
    for url in ("/maps/secret", "/maps/secret/text", "/account", "/maps/demo"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store", url


def test_the_etag_is_honoured(client: TestClient) -> None:
    for url in ("/api/maps/demo", "/api/maps/demo/graph"):
        first = client.get(url)
        etag = first.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
        other = client.get(url, headers={"If-None-Match": '"demo-0"'})
        assert other.status_code == 200 and other.content == first.content
