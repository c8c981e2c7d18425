"""Fixtures for the store tests: a ``store`` on SQLite and on PostgreSQL, and sample maps.

PostgreSQL tests use ``LOOPWISE_TEST_POSTGRES_URL`` (default: the local ``test`` database)
and a fresh schema per test, dropped afterwards. If the server is unreachable they are
skipped with the reason, unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
import sqlalchemy as sa

from loopwise.model import Map
from loopwise.store import Store, open_store
from loopwise.store.database import normalise_database_url

POSTGRES_URL = normalise_database_url(
    os.environ.get(
        "LOOPWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
)


@cache
def _postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None if it can."""
    engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any failure means "not reachable" here
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        engine.dispose()
    return None


def require_postgres() -> None:
    problem = _postgres_problem()
    if problem is None:
        return
    message = f"PostgreSQL at {POSTGRES_URL} is unreachable ({problem})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run the PostgreSQL tests")
    pytest.skip(message)


class TestDatabase:
    """One empty database for one test; :meth:`open` gives as many Stores on it as needed."""

    __test__ = False

    def __init__(self, backend: str, url: str, schema: str | None = None) -> None:
        self.backend = backend
        self.url = url
        self.schema = schema
        self._stores: list[Store] = []

    def open(self) -> Store:
        store = open_store(self.url, schema=self.schema)
        self._stores.append(store)
        return store

    def close(self) -> None:
        for store in self._stores:
            store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[TestDatabase]:
    if request.param == "sqlite":
        db = TestDatabase("sqlite", f"sqlite:///{tmp_path / 'loopwise.db'}")
        yield db
        db.close()
        return
    require_postgres()
    schema = f"lw_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    db = TestDatabase("postgresql", POSTGRES_URL, schema)
    try:
        yield db
    finally:
        db.close()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(database: TestDatabase) -> Store:
    """An empty, migrated store (SQLite file or a PostgreSQL schema)."""
    return database.open()


def sample_map_data(slug: str = "demo") -> dict[str, Any]:
    """A small map that uses every collection (so every table gets rows)."""
    return {
        "slug": slug,
        "title": "Demo map",
        "description": "A map for the tests",
        "themes": [{"id": "housing", "label": "Housing"}, {"id": "health", "label": "Health"}],
        "stages": [{"id": "prison", "label": "In prison"}],
        "sources": [
            {
                "id": "interview-1",
                "kind": "interview",
                "title": "Interview 1",
                "attributes": {"gender": "female"},
            },
            {"id": "npc-2021", "kind": "literature", "title": "Breaking the cycle", "year": 2021},
        ],  # fmt: skip
        "factors": [
            {
                "id": "homelessness",
                "label": "Homelessness",
                "theme": "housing",
                "stage": "prison",
                "evidence": [
                    {"source": "npc-2021", "kind": "finding", "text": "Many leave homeless"}
                ],
            },
            {
                "id": "reoffending",
                "label": "Reoffending",
                "theme": "health",
                "indicator": {
                    "text": "25% reoffend",
                    "value": 25.0,
                    "unit": "%",
                    "source": "npc-2021",
                },
            },
            {
                "id": "stigma",
                "label": "Stigma",
                "tags": ["attitudes"],
                "position": {"x": 1.5, "y": -2},
            },
        ],  # fmt: skip
        "links": [
            {
                "from": "homelessness",
                "to": "reoffending",
                "polarity": "+",
                "strength": "strong",
                "evidence": [
                    {"source": "interview-1", "text": "I had nowhere to go", "status": "accepted"},
                    {
                        "source": "npc-2021",
                        "kind": "finding",
                        "text": "Housing matters",
                        "status": "suggested",
                    },
                ],
            },
            {"from": "reoffending", "to": "homelessness", "polarity": "+", "delay": True},
            {"from": "stigma", "to": "reoffending", "polarity": "+", "strength": 0.3},
        ],  # fmt: skip
        "loops": [
            {
                "id": "housing-loop",
                "name": "Housing loop",
                "factors": ["homelessness", "reoffending"],
                "kind": "R",
            },
        ],  # fmt: skip
        "organisations": [
            {
                "id": "shelter",
                "name": "Shelter",
                "acts_on": [
                    {"factor": "homelessness", "note": "housing advice", "source": "npc-2021"},
                    {"factor": "stigma"},
                ],
            },
        ],  # fmt: skip
        "interventions": [
            {
                "id": "housing-first",
                "label": "Housing first",
                "targets": [{"factor": "homelessness", "effect": -0.5}],
            },
        ],  # fmt: skip
        "views": [{"id": "housing-view", "name": "Housing", "focus": "homelessness", "depth": 1}],
    }


@pytest.fixture
def sample_map() -> Map:
    return Map.from_dict(sample_map_data())


@pytest.fixture
def make_map() -> Callable[..., Map]:
    """Build a Map from :func:`sample_map_data` with fields replaced."""

    def build(slug: str = "demo", **changes: Any) -> Map:
        return Map.from_dict({**sample_map_data(slug), **changes})

    return build


def without_times(map_: Map) -> Map:
    """The map without the store-filled ``created``/``updated`` (to compare content)."""
    return map_.model_copy(update={"created": None, "updated": None})
