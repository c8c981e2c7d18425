"""The web app in-process (httpx through FastAPI's TestClient) and ``loopwise serve`` for real."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from loopwise.builtin import load_builtin_map
from loopwise.formats.loopwise_json import loads_map
from loopwise.model import Map
from loopwise.store import open_store
from loopwise.web.app import create_app


@pytest.fixture
def store(tmp_path: Path):
    store = open_store(f"sqlite:///{tmp_path / 'web.db'}")
    store.create_map(load_builtin_map(), author="test")
    yield store
    store.close()


@pytest.fixture
def client(store) -> TestClient:
    return TestClient(create_app(store))


def test_index_lists_public_maps(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Breaking the cycle of reoffending" in page.text
    assert 'href="/maps/breaking-the-cycle"' in page.text


def test_map_page_lists_factors_links_and_evidence(client: TestClient) -> None:
    builtin = load_builtin_map()
    page = client.get("/maps/breaking-the-cycle")
    assert page.status_code == 200
    text = page.text
    for factor in builtin.factors:
        assert f'id="factor-{factor.id}"' in text
    for link in builtin.links:
        assert f'id="link-{link.id}"' in text
    assert text.count("<blockquote") == sum(len(link.evidence) for link in builtin.links)


def test_api_returns_the_map_as_loopwise_json(client: TestClient) -> None:
    listing = client.get("/api/maps").json()
    assert [m["slug"] for m in listing] == ["breaking-the-cycle"]
    response = client.get("/api/maps/breaking-the-cycle")
    assert response.headers["content-type"].startswith("application/json")
    assert loads_map(response.text).content() == load_builtin_map()


def test_unknown_and_private_maps_are_404(store, client: TestClient, small_map: Map) -> None:
    store.create_map(small_map.model_copy(update={"visibility": "private"}), author="test")
    assert client.get("/maps/small").status_code == 404
    assert client.get("/api/maps/small").status_code == 404
    assert client.get("/maps/nothing-here").status_code == 404
    assert "small" not in [m["slug"] for m in client.get("/api/maps").json()]


def test_user_text_is_escaped(store, client: TestClient, small_map_data) -> None:
    small_map_data["title"] = "<script>alert('t')</script>"
    small_map_data["factors"][0]["label"] = "<img src=x onerror=alert(1)>"
    small_map_data["links"][0]["evidence"][0]["text"] = "</blockquote><script>bad()</script>"
    store.create_map(Map.from_dict(small_map_data), author="test")
    page = client.get("/maps/small").text
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/blockquote&gt;&lt;script&gt;bad()" in page
    assert "<script>" not in client.get("/").text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_loopwise_serve_shows_the_builtin_map_on_first_run(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "LOOPWISE_DATA_DIR": str(tmp_path / "data")}
    env.pop("LOOPWISE_DATABASE_URL", None)
    command = [sys.executable, "-m", "loopwise", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = None
        for _ in range(200):  # bounded wait for start-up
            if process.poll() is not None:
                break
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/maps/breaking-the-cycle", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert page is not None, process.stdout.read().decode() if process.stdout else ""
        assert page.status_code == 200
        assert "Short sentences" in page.text or "short sentence" in page.text.lower()
        assert (tmp_path / "data" / "loopwise.db").exists()
    finally:
        process.terminate()
        process.wait(timeout=10)
