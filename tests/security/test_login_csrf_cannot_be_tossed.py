"""Finding 8: a sibling origin (another port of the same host) can set the sign-in form's
cookie, but the sign-in is bound to what it cannot forge: the ``Origin``/``Referer`` of the
post must be this site, and over HTTPS the cookie is a ``__Host-`` one."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from loopwise.store import Store
from loopwise.web.app import create_app
from security.conftest import PASSWORD


def login_token(client: TestClient) -> str:
    page = client.get("/login").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_a_tossed_cookie_from_a_sibling_port_is_refused(client: TestClient) -> None:
    # the attacker's own valid pair, planted in the victim's browser by http://testserver:8081
    token = login_token(client)
    form = {"name": "editor", "password": PASSWORD, "csrf_token": token}
    for header in ({"Origin": "http://testserver:8081"},
                   {"Referer": "http://testserver:8081/evil.html"}, {"Origin": "null"}):  # fmt: skip
        tossed = client.post("/login", data=form, headers=header, follow_redirects=False)
        assert tossed.status_code == 403, header
        assert "loopwise_session" not in client.cookies
    own = client.post("/login", data=form, headers={"Origin": "http://testserver"},
                      follow_redirects=False)  # fmt: skip
    assert own.status_code == 303 and "loopwise_session" in client.cookies


def test_over_https_the_cookie_is_a_host_cookie(store: Store) -> None:
    client = TestClient(create_app(store), base_url="https://testserver")
    page = client.get("/login")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("__Host-loopwise_login_csrf=")
    assert "Secure" in cookie and "Path=/;" in cookie and "Domain" not in cookie
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    # a plain (non-__Host-) cookie set by a sibling does not count
    client.cookies.set("loopwise_login_csrf", token)
    del client.cookies["__Host-loopwise_login_csrf"]
    form = {"name": "editor", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 403
