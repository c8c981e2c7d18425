"""Finding 9: ``/logout`` always checks CSRF: without a session cookie (a cross-site post
carries no ``SameSite=Lax`` cookie) nothing is done, and the browser's cookie is not
cleared; with a live session the session's token is required."""

from __future__ import annotations

from fastapi.testclient import TestClient

from security.conftest import sign_in


def test_logout_without_a_session_cookie_is_refused(client: TestClient) -> None:
    response = client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert "loopwise_session" not in response.headers.get("set-cookie", "")


def test_logout_with_a_session_needs_its_token(client: TestClient) -> None:
    assert sign_in(client, "editor").status_code == 303
    refused = client.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/account", follow_redirects=False).status_code == 200  # still in
    token = client.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    done = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303  # signed out


def test_a_stale_session_cookie_is_just_cleared(client: TestClient) -> None:
    client.cookies.set("loopwise_session", "ended-long-ago")
    response = client.post("/logout", data={"csrf_token": ""}, follow_redirects=False)
    assert response.status_code == 303
    assert 'loopwise_session=""' in response.headers["set-cookie"]
