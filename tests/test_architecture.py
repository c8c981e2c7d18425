"""The one-way layers of docs/architecture.md hold, and the contracts that say so can fail.

The contracts live in pyproject.toml (``[tool.importlinter]``) and run here through
import-linter, so the README's ``pytest`` (and CI) fails when an import runs back up. A copy
of the package with one upward import shows that the contracts are not vacuous, and a fresh
interpreter shows that publishing a site and writing a brief never load a web framework.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SMALL_MAP

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
WEB_FRAMEWORKS = ("fastapi", "starlette", "uvicorn")


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` with the project's contracts on the package under ``src``."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(SRC)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "upward_import", "broken"),
    [
        # the model must not reach up to the web layer, even through a function-level import
        ("model/ids.py", "import loopwise.web.app", "loopwise.model is not allowed to import"),
        # analysis must not use the store
        (
            "analysis/loops.py",
            "import loopwise.store",
            "loopwise.analysis is not allowed to import",
        ),
        # the static publisher must not load a web framework
        ("publish/site.py", "import fastapi", "loopwise.publish is not allowed to import fastapi"),
    ],
)
def test_an_upward_import_breaks_a_contract(
    tmp_path: Path, module: str, upward_import: str, broken: str
) -> None:
    copy = tmp_path / "src"
    shutil.copytree(SRC / "loopwise", copy / "loopwise", ignore=shutil.ignore_patterns("static"))
    target = copy / "loopwise" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{upward_import}\n", encoding="utf-8")
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout


def test_publishing_and_briefs_do_not_load_a_web_framework(tmp_path: Path) -> None:
    """In a fresh interpreter: publish a small map as a static site and write an HTML brief,
    through the library and through the CLI, then look at what was imported."""
    script = textwrap.dedent(
        """
        import json, sys
        from pathlib import Path
        from typer.testing import CliRunner

        from loopwise.cli import app
        from loopwise.model import Map
        from loopwise.publish import publish_site
        from loopwise.reports import build_brief, render_brief

        out = Path(sys.argv[1])
        map_ = Map.from_dict(json.loads(sys.argv[2]))
        report = publish_site(map_, out / "site")
        brief = render_brief(build_brief(map_, factor="homelessness"), "html")
        runner = CliRunner()
        (out / "small.json").write_text(sys.argv[2], encoding="utf-8")
        imported = runner.invoke(app, ["import", str(out / "small.json")])
        published = runner.invoke(app, ["publish", "small", str(out / "cli-site")])
        briefed = runner.invoke(
            app, ["brief", "small", "--factor", "homelessness", "-o", str(out / "b.html")]
        )
        print(json.dumps({
            "pages": report.pages,
            "brief": brief[:15].decode(),
            "exit_codes": [imported.exit_code, published.exit_code, briefed.exit_code],
            "cli_site": (out / "cli-site" / "index.html").is_file(),
            "cli_brief": (out / "b.html").is_file(),
            "frameworks": sorted(
                name for name in sys.modules if name.split(".")[0] in json.loads(sys.argv[3])
            ),
        }))
        """
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "LOOPWISE_DATA_DIR": str(tmp_path / "data"),
        "LOOPWISE_AUTHOR": "tester",
    }
    env.pop("LOOPWISE_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), json.dumps(SMALL_MAP), json.dumps(WEB_FRAMEWORKS)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["pages"] > 0 and seen["brief"] == "<!DOCTYPE html>"
    assert seen["exit_codes"] == [0, 0, 0] and seen["cli_site"] and seen["cli_brief"]
    assert seen["frameworks"] == []


# Imports of another package's private (``_``) names that are known and allowed, with why:
# ``warm`` runs and inspects the compiled kernels of both packages, and leverage intervals run
# the Monte Carlo batch kernel directly on many link-weight draws.
PRIVATE_REACH_ALLOWED = {
    ("loopwise.warm", "loopwise.analysis"),
    ("loopwise.warm", "loopwise.simulation"),
    ("loopwise.analysis.leverage_intervals", "loopwise.simulation"),
}


def imported_names(path: Path) -> list[str]:
    """Every ``loopwise`` module or name a file imports, dotted (``a.b`` and ``a.b.name``)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("loopwise"):
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names if a.name.startswith("loopwise")]
    return names


def test_private_modules_stay_inside_their_package() -> None:
    """A name starting with ``_`` is used only inside its own top-level package."""
    found = []
    for path in sorted((SRC / "loopwise").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = ".".join(module.split(".")[:2])
        for name in imported_names(path):
            dotted = name.split(".")
            private = next((i for i, p in enumerate(dotted) if p.startswith("_") and
                            not p.startswith("__")), None)  # fmt: skip
            if private is None:
                continue
            owner = ".".join(dotted[:2])
            if owner != package and (module, owner) not in PRIVATE_REACH_ALLOWED:
                found.append(f"{module} imports {name}")
    assert found == []
