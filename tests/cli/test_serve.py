"""``loopwise serve`` on a port it cannot use: one line on stderr, exit code 1, no "open"."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from loopwise.cli.serve import _run
from loopwise.errors import LoopwiseError

SRC = str(Path(__file__).parents[2] / "src")


def test_busy_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = {**os.environ, "LOOPWISE_DATA_DIR": str(tmp_path), "PYTHONPATH": SRC}
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "loopwise", "serve", "--port", str(port)],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == ""  # nothing says "open http://..." for a server that never ran
    assert result.stderr == (
        f"error: --port: cannot listen on 127.0.0.1:{port} (in use by another program?); "
        "choose another port with --port\n"
    )
    assert not (tmp_path / "loopwise.db").exists()  # refused before the store was touched


def test_a_server_that_fails_to_start_is_a_loopwise_error() -> None:
    def failing(*args: object, **options: object) -> None:
        raise SystemExit(3)

    with pytest.raises(LoopwiseError, match="could not start"):
        _run(failing)
    _run(lambda: None)  # a clean stop is not an error
