"""A real ``loopwise serve`` in a child process, on SQLite or PostgreSQL, for the load, crash
and fuzz tests; and where they write their figures.

The server listens on loopback only. PostgreSQL runs use a fresh schema per test (through
the connection's ``search_path``), dropped afterwards; SQLite runs a file in tmp_path.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa

from loopwise.accounts.service import Accounts
from loopwise.model import Map
from loopwise.store import Store, open_store
from store.conftest import POSTGRES_URL, require_postgres, sample_map_data

REPORTS = Path(os.environ.get("LOOPWISE_RELIABILITY_REPORTS", tempfile.gettempdir())) / (
    "loopwise-reliability"
)


def run_seconds(default_ci: float, default_local: float) -> float:
    """``LOOPWISE_LOAD_SECONDS`` if set, else the CI or the local default."""
    configured = os.environ.get("LOOPWISE_LOAD_SECONDS")
    if configured:
        return float(configured)
    return default_ci if os.environ.get("CI") else default_local


def report(name: str, figures: dict[str, Any]) -> None:
    """Keep a test's figures (JSON under :data:`REPORTS`) and print them (``pytest -s``)."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.json").write_text(json.dumps(figures, indent=2))
    print(f"\n{name}: {json.dumps(figures)}")


class LiveServer:
    """``python -m loopwise serve`` on a free loopback port; start, kill -9, start again."""

    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.database_url = url
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = {**os.environ, "LOOPWISE_DATABASE_URL": self.database_url,
               "LOOPWISE_DATA_DIR": str(self.log.parent)}  # fmt: skip
        command = [sys.executable, "-m", "loopwise", "serve", "--host", "127.0.0.1",
                   "--port", str(self.port), "--workers", str(self.workers)]  # fmt: skip
        with self.log.open("ab") as log:
            # its own process group, so that kill() reaches the uvicorn workers too
            self.process = subprocess.Popen(
                command, env=env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.base_url + "/api/maps", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the server and its workers (no clean shutdown)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.process = None


class Backend:
    """One empty database with a map (``load``) and an editor's API token."""

    def __init__(self, name: str, url: str, schema: str | None, folder: Path) -> None:
        self.name = name
        self.url = url  # what the server gets (PostgreSQL: schema in the search_path)
        self.schema = schema
        self.folder = folder
        store = self.open()
        store.create_map(
            Map.from_dict({**sample_map_data("load"), "title": "Load test"}), author="seed"
        )
        accounts = Accounts(store)
        accounts.add_user("writer", "a long passphrase")
        accounts.grant("load", "writer", "editor")
        self.token = accounts.create_token("writer", "load test")
        store.close()

    def open(self) -> Store:
        return open_store(self.url)

    def server(self, workers: int = 2) -> LiveServer:
        return LiveServer(self.url, workers, self.folder / "server.log")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / 'loopwise.db'}", None, tmp_path)
        return
    require_postgres()
    schema = f"lw_rel_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = (
        POSTGRES_URL
        + ("&" if "?" in POSTGRES_URL else "?")
        + "options="
        + quote(f"-csearch_path={schema}")
    )
    try:
        yield Backend("postgresql", url, schema, tmp_path)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
