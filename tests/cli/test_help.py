"""Every command's --help prints its help text as written: nothing taken as markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from loopwise.cli import app

runner = CliRunner()


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():  # a group (typer's own click)
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_command_group_is_there() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"maps", "edit", "diff", "analyse leverage", "evidence suggest", "portfolio gaps",
            "user list", "token list", "db upgrade", "serve"} <= names  # fmt: skip


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "root")
def test_help_shows_every_option_text_whole(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    shown = _flat(result.output)
    command = dict(COMMANDS)[path]
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            assert _flat(text) in shown, (param.name, text)


def test_brackets_survive_in_evidence_suggest_help() -> None:
    shown = _flat(runner.invoke(app, ["evidence", "suggest", "--help"]).output)
    assert "embeddings if the [nlp] extra is installed" in shown
    assert "the trained detector if the [nlp] extra is installed" in shown
