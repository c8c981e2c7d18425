"""``loopwise --help`` starts quickly: the CLI imports the library only inside the commands.

Start-up time itself is measured by ``benchmarks/bench_cli_startup.py``; these tests pin its
cause, the modules a fresh interpreter loads, so they cannot pass by luck on a fast machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).parents[2] / "src")
HEAVY = ("numpy", "networkx", "rustworkx", "pandas", "fastapi", "sqlalchemy", "numba")

LOADED_AFTER = """
import json, sys
{code}
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)))
"""


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER.format(code=code)],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    return set(json.loads(out.strip().splitlines()[-1]))


def test_import_loopwise_cli_loads_no_numeric_or_web_library() -> None:
    loaded = _modules_after("import loopwise.cli")
    assert "loopwise" in loaded and "typer" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("args", [["--help"], ["analyse", "--help"], ["evidence", "--help"]])
def test_help_loads_no_numeric_or_web_library(args: list[str]) -> None:
    code = (
        "import sys\nfrom loopwise.cli import app\n"
        f"try:\n    app({args!r}, prog_name='loopwise')\nexcept SystemExit:\n    pass\n"
    )
    loaded = _modules_after(code)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_import_loopwise_is_light_and_map_still_loads_on_use() -> None:
    loaded = _modules_after("import loopwise")
    assert "pydantic" not in loaded and not loaded & set(HEAVY)
    loaded = _modules_after("import loopwise\nassert loopwise.Map.__name__ == 'Map'")
    assert "pydantic" in loaded


def test_a_command_still_finds_the_library() -> None:
    # the commands import what they need when they run: a command that needs numpy loads it
    code = (
        "from loopwise.cli import app\nimport tempfile, os\n"
        "d = tempfile.mkdtemp()\nos.environ['LOOPWISE_DATABASE_URL'] = f'sqlite:///{d}/t.db'\n"
        "try:\n    app(['analyse', 'loops', '--max-length', '2', '--format', 'json'],"
        " prog_name='loopwise')\nexcept SystemExit as exc:\n    assert exc.code in (0, None)\n"
    )
    assert "networkx" in _modules_after(code)
