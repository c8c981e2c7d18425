from __future__ import annotations

import os

import pytest

from loopwise.builtin import load_builtin_map
from loopwise.model import Map
from loopwise.reports.pdf_brief import weasyprint_problem


@pytest.fixture(scope="session")
def builtin() -> Map:
    return load_builtin_map("breaking-the-cycle")


@pytest.fixture
def weasyprint_ok() -> None:
    """Skip with the reason when WeasyPrint cannot run, but fail on CI (it must run there)."""
    problem = weasyprint_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and WeasyPrint cannot run: {problem}")
    pytest.skip(f"WeasyPrint cannot run here: {problem}")
