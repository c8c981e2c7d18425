"""The map page in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from loopwise.builtin import load_builtin_map
from loopwise.store import open_store
from loopwise.web.app import create_app

CHROMIUM = os.environ.get("LOOPWISE_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _need_browser() -> None:
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "playwright is not installed (pip install -e '.[test]')"
    if problem is None and not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        problem = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    folder = tmp_path_factory.mktemp("browser")
    store = open_store(f"sqlite:///{folder / 'browser.db'}")
    store.create_map(load_builtin_map(), author="test")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def test_map_page_in_chromium(base_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    builtin = load_builtin_map()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base_url + "/")
        page.get_by_role("link", name=builtin.title).click()
        page.wait_for_url("**/maps/breaking-the-cycle")
        assert page.get_by_role("heading", level=1).inner_text() == builtin.title
        assert page.locator("ul.factors > li").count() == len(builtin.factors)
        assert page.locator("table.links tbody tr").count() == len(builtin.links)

        first = builtin.links[0]
        row = page.locator(f'[id="link-{first.id}"]')
        quote = row.locator("blockquote").first
        assert not quote.is_visible()
        row.locator("summary").click()
        assert quote.is_visible()
        assert first.evidence[0].text[:40] in quote.inner_text()
        page.screenshot(path=str(tmp_path / "map-page.png"), full_page=False)
        browser.close()
