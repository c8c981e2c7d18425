"""Finding 12: a password change revokes the user's API tokens (chosen over keeping them:
a new password is how a leak is answered, and a token made with the old one must not
outlive it). The account page says so; the CLI and the admin's page do the same."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from loopwise.accounts.service import Accounts
from loopwise.store import Store
from security.conftest import PASSWORD, sign_in

NEW = "another long passphrase"


def test_changing_your_password_revokes_your_tokens(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    assert client.get("/api/maps/secret", headers=tokens["editor"]).status_code == 200
    assert sign_in(client, "editor").status_code == 303
    page = client.get("/account").text
    assert "API tokens revoked" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    changed = client.post("/account/password", follow_redirects=False,
                          data={"csrf_token": token, "current": PASSWORD, "new": NEW, "repeat": NEW})  # fmt: skip
    assert changed.status_code == 303
    assert (
        TestClient(client.app).get("/api/maps/secret", headers=tokens["editor"]).status_code == 401
    )
    assert all(t.revoked_at is not None for t in Accounts(store).list_tokens("editor"))
    # other users' tokens are untouched
    assert (
        TestClient(client.app).get("/api/maps/secret", headers=tokens["viewer"]).status_code == 200
    )


def test_a_password_set_from_the_cli_revokes_the_tokens(
    store: Store, tokens: dict[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from loopwise.cli import app

    monkeypatch.setenv("LOOPWISE_DATABASE_URL", str(store.engine.url))
    result = CliRunner().invoke(app, ["user", "passwd", "viewer", "--password-stdin"],
                                input=NEW + "\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "tokens are" in result.output and "revoked" in result.output
    assert Accounts(store).user_for_token(tokens["viewer"]["Authorization"][7:]) is None
    assert Accounts(store).user_for_token(tokens["editor"]["Authorization"][7:]) is not None
