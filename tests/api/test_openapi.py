"""The OpenAPI schema (``/docs``): every example in it works, every summary is written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from loopwise.store import open_store
from loopwise.store.seed import seed_builtin_maps
from loopwise.web.app import create_app

SLUG = "breaking-the-cycle"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    folder: Path = tmp_path_factory.mktemp("openapi")
    store = open_store(f"sqlite:///{folder / 'openapi.db'}")
    seed_builtin_maps(store)
    return TestClient(create_app(store))


@pytest.fixture(scope="module")
def schema(client: TestClient) -> dict[str, Any]:
    return client.get("/openapi.json").json()


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _example_bodies(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, body) for each operation whose request body schema has examples."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            body_schema = content.get("application/json", {}).get("schema")
            if body_schema is None:
                continue
            body_schema = _resolve(schema, body_schema)
            body = {
                name: prop["examples"][0]
                for name, prop in body_schema.get("properties", {}).items()
                if prop.get("examples")
            }
            body.update(body_schema.get("examples", [{}])[0])
            if body:
                found.append((method, path, body))
    return found


def test_every_request_example_answers_200(client: TestClient, schema: dict[str, Any]) -> None:
    examples = _example_bodies(schema)
    assert ("post", "/api/maps/{slug}/scenarios") in {(m, p) for m, p, _ in examples}
    for method, path, body in examples:
        url = path.replace("{slug}", SLUG)
        assert "{" not in url, f"no value for a path parameter of {path}"
        reply = client.request(method.upper(), url, json=body)
        assert reply.status_code == 200, (path, body, reply.text)


def test_the_scenario_example_moves_the_map(client: TestClient, schema: dict[str, Any]) -> None:
    body = dict(next(b for m, p, b in _example_bodies(schema) if p.endswith("/scenarios")))
    effects = client.post(f"/api/maps/{SLUG}/scenarios", json={**body, "samples": 0}).json()
    pushed = next(iter(body["push"]))
    assert next(e for e in effects["effects"] if e["factor"] == pushed)["effect"] > 0


def test_every_operation_has_a_written_summary(schema: dict[str, Any]) -> None:
    generated = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            # FastAPI's default summary is the function's name in title case; its operationId
            # is that name, then the path and the method
            suffix = re.sub(r"\W", "_", path) + "_" + method
            name = operation["operationId"].removesuffix(suffix)
            if operation.get("summary") == name.replace("_", " ").title():
                generated.append(f"{method.upper()} {path}: {operation['summary']!r}")
    assert not generated, generated
