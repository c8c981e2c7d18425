"""The examples in the package's docstrings run and give what they show.

Every module of ``loopwise`` is imported and its doctests run (the Alembic migration
scripts are skipped: they only run inside Alembic; so is ``loopwise.__main__``, which runs
the CLI when imported). An example that no longer matches
the code fails here, so the documentation cannot drift from the behaviour.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import loopwise

SKIPPED_PREFIXES = ("loopwise.store.migrations", "loopwise.__main__")


def module_names() -> list[str]:
    names = [loopwise.__name__]
    for info in pkgutil.walk_packages(loopwise.__path__, prefix="loopwise."):
        if not info.name.startswith(SKIPPED_PREFIXES):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", module_names())
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_examples_are_many() -> None:
    """A guard against the walk finding nothing (the test above would pass vacuously)."""
    attempted = 0
    for name in module_names():
        finder = doctest.DocTestFinder()
        attempted += sum(len(t.examples) for t in finder.find(importlib.import_module(name)))
    assert attempted >= 200
