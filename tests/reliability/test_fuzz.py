"""API fuzzing: schemathesis generates requests from ``/openapi.json`` (bounded examples per
operation) and sends them, signed in as an editor, to the app in-process: no response may
be a server error (5xx). Writes that pass validation change the fuzz map, which is fine."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from loopwise.accounts.service import Accounts
from loopwise.model import Map
from loopwise.store import open_store
from loopwise.web.app import create_app
from store.conftest import sample_map_data

EXAMPLES = int(os.environ.get("LOOPWISE_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def fuzzed() -> tuple[object, str]:
    folder = Path(tempfile.mkdtemp(prefix="loopwise-fuzz-"))
    store = open_store(f"sqlite:///{folder / 'fuzz.db'}")
    store.create_map(Map.from_dict(sample_map_data("demo")), author="seed")
    accounts = Accounts(store)
    accounts.add_user("fuzzer", "a long passphrase", admin=True)
    return create_app(store), accounts.create_token("fuzzer", "fuzz")


def test_no_server_errors(fuzzed: tuple[object, str]) -> None:
    app, token = fuzzed
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations, errors = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case) -> None:  # type: ignore[no-untyped-def]
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = "demo"  # the real map, so writes get deep
            response = case.call(headers=headers)
            if response.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path}: {response.status_code} "
                              f"{response.text[:300]}")  # fmt: skip

        run()
    print(
        f"\nschemathesis: {operations} operations, {EXAMPLES} examples each, "
        f"{len(errors)} server errors"
    )
    assert operations >= 40
    assert errors == []
