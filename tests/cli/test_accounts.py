"""``loopwise user``, ``loopwise token`` and ``loopwise visibility``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app

PASSWORD = "a long passphrase"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(app, list(args), input=input)


def test_first_user_token_and_revoke(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("user", "add", "ana", "--admin", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created user ana (admin)" in result.output
    result = cli("token", "create", "ana", "--name", "nightly")
    secret = result.output.strip()
    assert result.exit_code == 0 and secret.startswith("lw_")
    listed = cli("token", "list").output
    assert "nightly" in listed and secret not in listed
    assert cli("token", "revoke", "1").exit_code == 0
    result = cli("token", "revoke", "99")
    assert result.exit_code == 1 and "unknown token" in result.output


def test_prompted_password_must_match(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("user", "add", "ana", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    result = cli("user", "add", "bob", "--password-stdin", input="short\n")
    assert result.exit_code == 1 and "at least 10 characters" in result.output
    assert "bob" not in cli("user", "list").output


def test_grant_members_and_visibility(cli) -> None:  # type: ignore[no-untyped-def]
    cli("user", "add", "bob", "--password-stdin", input=PASSWORD + "\n")
    assert cli("user", "grant", "bob", "breaking-the-cycle", "editor").exit_code == 0
    assert "editor" in cli("user", "members", "breaking-the-cycle").output
    assert cli("user", "grant", "bob", "breaking-the-cycle", "king").exit_code == 1
    assert cli("visibility", "breaking-the-cycle", "private").exit_code == 0
    assert "is private" in cli("visibility", "breaking-the-cycle").output
    assert cli("visibility", "breaking-the-cycle", "secret").exit_code == 1
    assert cli("user", "revoke", "bob", "breaking-the-cycle").exit_code == 0


def test_publish_refuses_a_private_map_without_the_flag(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("visibility", "breaking-the-cycle", "private").exit_code == 0
    result = cli("publish", "breaking-the-cycle", str(tmp_path / "site"))
    assert result.exit_code == 1 and "--include-private" in result.output
    assert not (tmp_path / "site").exists()
