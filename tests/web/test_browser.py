"""The explorer in a real browser: Debian's Chromium driven by Playwright.

Click-through tests (home, filter, focus, evidence, scenario, keyboard-only text view) and
axe-core on every page type (zero serious or critical WCAG 2.1 AA violations).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopwise.builtin import load_builtin_map
from loopwise.store import open_store
from loopwise.web.app import create_app
from web.browser import axe_violations, launch, need_browser, serving

SHOTS = Path(os.environ.get("LOOPWISE_SHOTS", tempfile.gettempdir())) / "loopwise-shots"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_browser()
    folder = tmp_path_factory.mktemp("browser")
    store = open_store(f"sqlite:///{folder / 'browser.db'}")
    store.create_map(load_builtin_map(), author="test")
    with serving(create_app(store)) as base_url:
        yield base_url
    store.close()


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # console errors too: a Content-Security-Policy violation is only reported there (an
    # HTTP error status is logged there as well; the tests that cause one check it themselves)
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield page
    context.close()
    assert errors == []


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_home_filter_focus_and_evidence(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    builtin = load_builtin_map()
    page.goto(base_url + "/")
    page.get_by_role("link", name=builtin.title).click()
    page.wait_for_url("**/maps/breaking-the-cycle")
    assert page.get_by_role("heading", level=1).inner_text() == builtin.title
    shot(page, "home")
    page.get_by_role("link", name="Explore the map").click()
    page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
    status = page.locator("#status")
    n, links = len(builtin.factors), len(builtin.links)
    assert status.inner_text().startswith(f"Showing {n} of {n} factors and {links} links")

    page.get_by_label("Housing").check()  # filter by theme
    housing = sum(f.theme == "housing" for f in builtin.factors)
    assert status.inner_text().startswith(f"Showing {housing} of {n} factors")
    assert "themes=housing" in page.url  # the view is a shareable URL
    shared = page.url
    page.get_by_role("button", name="Show everything").click()
    expect(status).to_have_text(re.compile(f"^Showing {n} of {n}"))

    page.get_by_label("Factor", exact=True).select_option("short-custodial-sentences")  # focus
    page.get_by_label("Steps").select_option("1")
    neighbours = {
        lk.target_factor for lk in builtin.links if lk.source_factor == "short-custodial-sentences"
    }
    neighbours |= {
        lk.source_factor for lk in builtin.links if lk.target_factor == "short-custodial-sentences"
    }
    assert status.inner_text().startswith(f"Showing {len(neighbours) + 1} of {n}")
    shot(page, "canvas-focus")

    page.goto("about:blank")
    page.goto(shared)  # opening the shared link restores the filter
    page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
    assert page.locator("#status").inner_text().startswith(f"Showing {housing} of {n}")
    assert page.get_by_label("Housing").is_checked()

    page.locator("#visible button", has_text="Settled accommodation").click()
    assert "Settled accommodation" in page.locator("#details h3").inner_text()
    page.locator("#open-factor").click()
    page.wait_for_url("**/factors/settled-accommodation")
    link = next(lk for lk in builtin.links if lk.source_factor == "settled-accommodation")
    row = page.locator(f'[id="link-{link.id}"]')
    quote = row.locator("blockquote").first
    assert not quote.is_visible()
    row.locator("summary").click()
    assert quote.is_visible()
    assert link.evidence[0].text[:40] in quote.inner_text()
    shot(page, "factor-evidence")


def test_run_a_scenario(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    factors = load_builtin_map().factors
    page.goto(base_url + "/maps/breaking-the-cycle/scenario")
    page.get_by_label("Factor 1").select_option("short-custodial-sentences")
    page.locator("#push-amount-0").fill("-0.5")
    page.get_by_label("Monte Carlo samples").select_option("200")
    page.get_by_role("button", name="Run the scenario").click()
    page.wait_for_selector("#effects-table")
    assert "push=" in page.url or "factor=" in page.url
    table = page.locator("#effects-table")
    assert table.locator("tbody tr").count() == len(factors)
    assert page.locator("svg.chart rect.bar").count() == 20
    reoffending = table.locator("tr", has_text="Reoffending").first.inner_text()
    assert "\u2212" in reoffending  # fewer short sentences: reoffending goes down
    shot(page, "scenario")


def test_leverage_table_sorts(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/maps/breaking-the-cycle/leverage")
    header = page.locator("th", has=page.get_by_role("button", name="Reach"))
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    reach = page.locator("#leverage-table tbody tr td:nth-child(6)").all_inner_texts()
    assert [int(r) for r in reach] == sorted(int(r) for r in reach)


def test_text_view_with_the_keyboard_only(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/maps/breaking-the-cycle/text")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the first link of the contents
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first.startswith("#theme-")
    page.keyboard.press("Enter")
    page.wait_for_url("**/text" + first)
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"
    shot(page, "text-keyboard")


AXE_PAGES = {
    "index": "/",
    "home": "/maps/breaking-the-cycle",
    "canvas": "/maps/breaking-the-cycle/canvas",
    "factor": "/maps/breaking-the-cycle/factors/short-custodial-sentences",
    "loops": "/maps/breaking-the-cycle/loops",
    "leverage": "/maps/breaking-the-cycle/leverage",
    "paths": "/maps/breaking-the-cycle/paths?from=short-custodial-sentences&to=reoffending",
    "scenario": "/maps/breaking-the-cycle/scenario?push=short-custodial-sentences:0.5&samples=50",
    "text": "/maps/breaking-the-cycle/text",
    "embed": "/maps/breaking-the-cycle/embed",
    "error": "/maps/no-such-map",
}


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_serious_violations(browser, base_url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url + AXE_PAGES[name])
    if name in ("canvas", "embed"):
        page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
    if name == "factor":
        for summary in page.locator("summary").all()[:3]:
            summary.click()  # check the evidence too
    violations = axe_violations(page)
    context.close()
    assert violations == []
