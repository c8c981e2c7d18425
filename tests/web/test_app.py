"""The web app in-process (httpx through FastAPI's TestClient) and ``loopwise serve`` for real."""

from __future__ import annotations

import html
import os
import re
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


PAGES = [
    "/maps/breaking-the-cycle",
    "/maps/breaking-the-cycle/canvas",
    "/maps/breaking-the-cycle/embed",
    "/maps/breaking-the-cycle/factors/short-custodial-sentences",
    "/maps/breaking-the-cycle/loops",
    "/maps/breaking-the-cycle/leverage",
    "/maps/breaking-the-cycle/paths",
    "/maps/breaking-the-cycle/paths?from=short-custodial-sentences&to=reoffending",
    "/maps/breaking-the-cycle/scenario",
    "/maps/breaking-the-cycle/scenario?push=short-custodial-sentences:-0.5&samples=50",
    "/maps/breaking-the-cycle/text",
]


def test_index_lists_public_maps(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Breaking the cycle of reoffending" in page.text
    assert 'href="/maps/breaking-the-cycle"' in page.text


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_a_strict_csp_and_no_inline_script(
    client: TestClient, url: str
) -> None:
    page = client.get(url)
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) is None  # no inline script
    assert " style=" not in page.text and "<style" not in page.text


def test_home_shows_loops_leverage_and_ways_in(client: TestClient) -> None:
    text = client.get("/maps/breaking-the-cycle").text
    builtin = load_builtin_map()
    for circle in builtin.curated_loops:
        assert html.escape(circle.name, quote=False) in text
    assert "where is money missing?" in text and "what backs my ask?" in text
    assert "Use of short custodial sentences" in text  # the top leverage point


def test_text_view_has_every_factor_and_link(client: TestClient) -> None:
    builtin = load_builtin_map()
    text = client.get("/maps/breaking-the-cycle/text").text
    for factor in builtin.factors:
        assert f'id="factor-{factor.id}"' in text
    for link in builtin.links:
        assert f'id="link-{link.id}"' in text


def test_factor_page_shows_evidence_with_sources(client: TestClient) -> None:
    builtin = load_builtin_map()
    text = client.get("/maps/breaking-the-cycle/factors/reoffending").text
    into = [
        link for link in builtin.links if "reoffending" in (link.target_factor, link.source_factor)
    ]
    assert text.count("<blockquote") == sum(len(link.evidence) for link in into) + len(
        builtin.factor("reoffending").evidence
    )
    assert "Adult one-year proven reoffending rate" in text  # the indicator


def test_scenario_page_shows_effects_and_chart(client: TestClient) -> None:
    text = client.get(
        "/maps/breaking-the-cycle/scenario?factor=short-custodial-sentences&amount=-0.5&samples=50"
    ).text
    assert '<svg class="chart"' in text and 'id="effects-table"' in text
    assert client.get("/maps/breaking-the-cycle/scenario?push=nope:0.5").status_code == 422
    assert client.get("/maps/breaking-the-cycle/scenario?push=reoffending:nan").status_code == 422
    # 1,000 samples by default (a smooth 5-95% band; the kernel runs them in milliseconds)
    default = client.get("/maps/breaking-the-cycle/scenario?push=short-custodial-sentences:-0.5")
    assert "1000 samples" in default.text and '<option value="1000" selected>' in default.text
    too_many = "/maps/breaking-the-cycle/scenario?push=reoffending:0.5&samples=2001"
    assert client.get(too_many).status_code == 422


def test_api_returns_the_map_as_loopwise_json(client: TestClient) -> None:
    listing = client.get("/api/maps").json()
    assert [m["slug"] for m in listing] == ["breaking-the-cycle"]
    response = client.get("/api/maps/breaking-the-cycle")
    assert response.headers["content-type"].startswith("application/json")
    assert loads_map(response.text).content() == load_builtin_map()


def test_unknown_and_private_maps_are_404(store, client: TestClient, small_map: Map) -> None:
    store.create_map(small_map.model_copy(update={"visibility": "private"}), author="test")
    for url in [
        "/maps/small",
        "/maps/small/canvas",
        "/maps/small/text",
        "/maps/small/factors/prison",
        "/api/maps/small",
        "/maps/nothing-here",
        "/maps/breaking-the-cycle/factors/nope",
    ]:
        assert client.get(url).status_code == 404, url
    assert "small" not in [m["slug"] for m in client.get("/api/maps").json()]


HOSTILE = '<script>alert(1)</script>"onmouseover=alert(2) x="'


def test_user_text_is_escaped_on_every_page(store, client: TestClient, small_map_data) -> None:
    small_map_data["title"] = "<script>alert('t')</script>"
    small_map_data["description"] = HOSTILE
    for factor in small_map_data["factors"]:
        factor["label"] = HOSTILE + factor["id"]
        factor["description"] = "<img src=x onerror=alert(1)>"
    small_map_data["links"][0]["evidence"][0]["text"] = "</blockquote><script>bad()</script>"
    small_map_data["links"][0]["mechanism"] = HOSTILE
    small_map_data["loops"][0]["name"] = HOSTILE
    small_map_data["loops"][0]["narrative"] = HOSTILE
    store.create_map(Map.from_dict(small_map_data), author="test")
    pages = [
        "/maps/small",
        "/maps/small/canvas",
        "/maps/small/embed",
        "/maps/small/loops",
        "/maps/small/leverage",
        "/maps/small/text",
        "/maps/small/factors/prison",
        "/maps/small/factors/homelessness",
        "/maps/small/paths?from=prison&to=reoffending",
        "/maps/small/scenario?push=prison:0.5&samples=20",
        "/",
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "<script>" not in page.text, url
        assert "<img src=x" not in page.text, url
        assert '"onmouseover' not in page.text, url
    text = client.get("/maps/small/factors/prison").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;onmouseover=alert(2)" in text
    assert (
        "&lt;/blockquote&gt;&lt;script&gt;bad()"
        in client.get("/maps/small/factors/homelessness").text
    )
    graph = client.get("/api/maps/small/graph")
    assert graph.headers["content-type"].startswith("application/json")
    assert graph.json()["factors"][0]["label"].startswith("<script>")  # data, never markup


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
        for _ in range(300):  # bounded wait for start-up
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
