"""README.md's "A short tour of the CLI", run command by command, in order, as written.

The tour's own files (a Kumu export, a funder's grants, an interview, a labelled set) are the
reader's; the test puts small real stand-ins under the same names in a fresh folder, with a
fresh data directory, and runs every line. `serve` runs in a child process on a free port
until it answers. A change to the CLI that breaks the tour, or a tour line that is not true,
fails here.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"


def tour_commands() -> list[list[str]]:
    """The commands of the README's tour: one argument list per command, comments dropped."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A short tour of the CLI", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None, "the tour has no bash block"
    joined = block.group(1).replace("\\\n", " ")
    commands = [shlex.split(line, comments=True) for line in joined.splitlines()]
    commands = [c for c in commands if c]
    assert all(c[0] == "loopwise" for c in commands), commands
    return [c[1:] for c in commands]


def _stand_ins(folder: Path) -> None:
    """Small real files under the names the tour uses for the reader's own files."""
    import docx

    shutil.copy(DATA / "kumu-project.json", folder / "my-kumu-export.json")
    shutil.copy(DATA / "portfolio.xlsx", folder / "my-grants.xlsx")
    shutil.copy(DATA / "evidence" / "gold.csv", folder / "labelled.csv")
    document = docx.Document()
    for paragraph in (DATA / "evidence" / "interview_p01.txt").read_text().split("\n\n"):
        document.add_paragraph(paragraph.strip())
    document.save(str(folder / "interview-07.docx"))


#: What the tour's comments promise, checked on the command's output.
PROMISES = {
    ("edit",): ["revision 2"],
    ("diff",): ['strength: "strong" → "medium"', "1 change(s) from revision 1 to 2"],
    ("import", "cycle.json", "--replace"): ["revision 3"],
    ("undo",): ["now revision 4"],
    ("restore",): ["now revision 5"],
    ("maps", "--format", "csv"): ["slug,title,factors,links,version,visibility,updated"],
}


def _promised(args: list[str]) -> list[str]:
    for prefix, texts in PROMISES.items():
        if tuple(args[: len(prefix)]) == prefix:
            return texts
    return []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(args: list[str], env: dict[str, str], cwd: Path) -> None:
    """Run `serve` until it answers on its port, then stop it."""
    port = _free_port()
    args = [
        str(port) if previous == "--port" else a
        for previous, a in zip(["", *args], args, strict=False)
    ]
    child = subprocess.Popen(
        [sys.executable, "-m", "loopwise", *args], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            assert child.poll() is None, child.stdout.read() if child.stdout else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                    assert reply.status == 200
                    assert "breaking-the-cycle" in reply.read().decode("utf-8")
                    return
            except OSError:
                assert time.monotonic() < deadline, "serve did not answer"
                time.sleep(0.5)
    finally:
        child.terminate()
        child.wait(timeout=30)


def test_the_tour_parses_into_commands() -> None:
    commands = tour_commands()
    assert ["maps"] in commands and len(commands) >= 25
    assert any(c[0] == "serve" for c in commands)


def test_readme_tour_runs_word_for_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("docx")
    work = tmp_path / "work"
    work.mkdir()
    _stand_ins(work)
    monkeypatch.chdir(work)
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOPWISE_AUTHOR", "reader")
    runner = CliRunner()
    for args in tour_commands():
        if args[0] == "serve":
            env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
            _serve(args, env, work)
            continue
        result = runner.invoke(app, args, input="q")
        shown = f"loopwise {shlex.join(args)}\n{result.output}"
        assert result.exit_code == 0, shown
        for text in _promised(args):
            assert text in result.output, shown
    assert (work / "cycle.graphml").is_file() and (work / "site" / "index.html").is_file()
    assert (work / "out.csv").is_file()
    assert list(work.glob("*.pdf")), "the briefs were not written"
