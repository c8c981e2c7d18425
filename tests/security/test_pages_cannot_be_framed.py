"""Finding 10: no page can be framed by another site (``frame-ancestors 'none'`` and
``X-Frame-Options: DENY``), the admin's confirmation pages included; only the embed route,
which is meant to be framed and has no actions, may be."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loopwise.accounts.service import Accounts
from loopwise.store import Store
from security.conftest import sign_in


def test_pages_refuse_framing(client: TestClient, store: Store) -> None:
    Accounts(store).add_user("root", "a long passphrase", admin=True)
    assert sign_in(client, "root").status_code == 303
    for url in ("/", "/login", "/maps/demo", "/maps/demo/canvas", "/admin/users",
                "/admin/users/viewer/remove", "/account", "/maps/demo/members",
                "/api/maps/demo"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["X-Frame-Options"] == "DENY", url
        if response.headers["content-type"].startswith("text/html"):
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url


def test_the_embed_may_be_framed(client: TestClient) -> None:
    response = client.get("/maps/demo/embed")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "<form" not in response.text
