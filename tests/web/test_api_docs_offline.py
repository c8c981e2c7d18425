"""``/docs`` and ``/redoc`` work offline: they load Swagger UI and ReDoc from the package
(``static/vendor``), never from a CDN, under the site's Content-Security-Policy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from loopwise.web.csp import DOCS_POLICY
from web.browser import launch, need_browser
from web.test_browser import SHOTS, base_url  # noqa: F401 (fixture)

STATIC = Path(__file__).parents[2] / "src" / "loopwise" / "web" / "static"


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_docs_reference_only_local_assets(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert policy.startswith(DOCS_POLICY.split("; style-src")[0]) and "unsafe" not in policy
    assert "<script>" not in page.text  # no inline script
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs
    for ref in refs:
        assert ref.startswith("/static/") or ref.startswith("data:"), ref
        if ref.startswith("/static/"):
            assert (STATIC / ref.removeprefix("/static/")).is_file(), ref
            assert client.get(ref).status_code == 200


@pytest.fixture(scope="module")
def offline_browser() -> Iterator[Any]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


@pytest.mark.parametrize(
    ("path", "ready"),
    [("/docs", ".opblock-tag"), ("/redoc", "[data-section-id^='tag/']")],
)
def test_docs_load_with_the_network_blocked(
    offline_browser: Any,
    base_url: str,  # noqa: F811
    path: str,
    ready: str,
) -> None:
    """Every request that leaves 127.0.0.1 is refused; the page must still render the API,
    with no Content-Security-Policy violation."""
    context = offline_browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def route(handle: Any) -> None:
        url = handle.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            handle.continue_()
        else:
            outside.append(url)
            handle.abort()

    context.route("**/*", route)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(base_url + path)
    page.wait_for_selector(ready, timeout=30_000)
    assert "/api/maps/{slug}/stories" in page.content()  # the whole API is listed
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"api{path.replace('/', '-')}.png"))
    context.close()
    assert outside == []
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert problems == []
