"""What every command shares: the spinner of slow steps and the width of piped tables."""

from __future__ import annotations

import io
import time

import pytest

from loopwise.cli import common
from loopwise.cli.common import PIPED_WIDTH, CliConsole, working


def test_working_shows_a_spinner_and_the_message_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = io.StringIO()
    terminal = CliConsole(file=screen, force_terminal=True, width=80)
    monkeypatch.setattr(common, "err_console", terminal)
    with working("reading interview-07.docx [nlp]"):
        time.sleep(0.4)
    shown = screen.getvalue()
    assert "reading interview-07.docx [nlp]" in shown  # user text is not taken as markup
    assert any(frame in shown for frame in "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")


def test_working_is_silent_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = io.StringIO()
    monkeypatch.setattr(common, "err_console", CliConsole(file=piped))
    with working("reading"):
        time.sleep(0.2)
    assert piped.getvalue() == ""


def test_piped_console_is_wide_and_columns_still_wins() -> None:
    assert CliConsole(file=io.StringIO(), _environ={}).width == PIPED_WIDTH
    assert CliConsole(file=io.StringIO(), _environ={"COLUMNS": "90"}).width == 90
    assert CliConsole(file=io.StringIO(), force_terminal=True, width=70).width == 70
