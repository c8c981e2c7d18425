"""The code passes ruff and mypy with the project's configuration (what ``.ci/lint`` runs).

The checks need the tools of the ``test`` extra (``pip install -e '.[test]'``); without them
the tests are skipped with the reason, unless ``CI`` is set: then they fail.

``ruff format --check`` is part of the checks once ``.ci/format-enforced`` exists.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINTED = ["src", "tests", "benchmarks", "scripts"]


def _tool(module: str) -> list[str]:
    """The command that runs ``module`` with this interpreter (skip or fail if missing)."""
    if importlib.util.find_spec(module) is None:
        message = f"{module} is not installed (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the lint and type checks")
        pytest.skip(message)
    return [sys.executable, "-m", module]


def _run(command: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_ruff_check_passes() -> None:
    result = _run([*_tool("ruff"), "check", *LINTED])
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_check_passes_once_enforced() -> None:
    if not (ROOT / ".ci" / "format-enforced").exists():
        pytest.skip("ruff format --check is not enforced yet (.ci/format-enforced is absent)")
    result = _run([*_tool("ruff"), "format", "--check", *LINTED])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes() -> None:
    result = _run(_tool("mypy"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


@pytest.fixture
def probe(tmp_path: Path) -> Path:
    """A scratch ``loopwise`` package with a module to type-check in place of the real one."""
    for package in ("loopwise", "loopwise/model", "loopwise/simulation"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    return tmp_path


UNTYPED = "def total(values):\n    return sum(values)\n"


def _mypy_on(probe: Path, module: str) -> subprocess.CompletedProcess[str]:
    config = str(ROOT / "pyproject.toml")
    return _run([*_tool("mypy"), "--config-file", config, "--no-incremental", module], probe)


def test_mypy_is_strict_on_the_core_packages(probe: Path) -> None:
    (probe / "loopwise/model/probe.py").write_text(UNTYPED)
    result = _mypy_on(probe, "loopwise/model/probe.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Function is missing a type annotation  [no-untyped-def]" in result.stdout


def test_mypy_checks_the_bodies_of_untyped_functions_elsewhere(probe: Path) -> None:
    (probe / "loopwise/simulation/probe.py").write_text(UNTYPED)
    assert _mypy_on(probe, "loopwise/simulation/probe.py").returncode == 0
    (probe / "loopwise/simulation/probe.py").write_text(
        'def total(values):\n    count: int = "many"\n    return count\n'
    )
    result = _mypy_on(probe, "loopwise/simulation/probe.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[assignment]" in result.stdout


def test_ruff_reports_an_unused_import(probe: Path) -> None:
    (probe / "loopwise/simulation/probe.py").write_text("import os\n")
    config = str(ROOT / "pyproject.toml")
    result = _run(
        [*_tool("ruff"), "check", "--config", config, "loopwise/simulation/probe.py"], probe
    )
    assert result.returncode == 1
    assert "F401" in result.stdout
