"""The whole map reads at its first view (issue 17): measured in Chromium on a laptop and a phone.

Every label the canvas draws is at least 11 px on screen and no two labels of factors or
themes overlap. On a 1366x768 laptop every factor's label is drawn; on a 390x844 phone the
whole map shows its themes as named regions (factor labels would be under 11 px there), and a
tap on a theme zooms in to its factors' labels. Screenshots go to ``$LOOPWISE_SHOTS``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loopwise.builtin import load_builtin_map
from loopwise.store import open_store
from loopwise.web.app import create_app
from web.browser import launch, need_browser, serving

SHOTS = Path(os.environ.get("LOOPWISE_SHOTS", tempfile.gettempdir())) / "loopwise-shots"
MEASURE = Path(__file__).with_name("canvas_labels.js").read_text()
READABLE = 11.0
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_browser()
    folder = tmp_path_factory.mktemp("legibility")
    store = open_store(f"sqlite:///{folder / 'legibility.db'}")
    store.create_map(load_builtin_map(), author="test")
    with serving(create_app(store)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


def open_canvas(browser: Any, base_url: str, device: dict[str, Any], errors: list[str]) -> Any:
    context = browser.new_context(**device)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base_url + "/maps/breaking-the-cycle/canvas")
    page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
    return page


def measure(page: Any, shot: str) -> dict[str, Any]:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"))
    return page.evaluate(MEASURE)


def assert_legible(result: dict[str, Any]) -> None:
    small = [(lb["id"], round(lb["px"], 1)) for lb in result["labels"] if lb["px"] < READABLE]
    assert small == []
    assert result["overlaps"] == []


def test_laptop_first_view_draws_every_factor_label_legibly(browser: Any, base_url: str) -> None:
    errors: list[str] = []
    page = open_canvas(browser, base_url, LAPTOP, errors)
    result = measure(page, "legible-laptop")
    assert_legible(result)
    factors = {lb["id"] for lb in result["labels"] if lb["kind"] == "factor"}
    assert factors == {f.id for f in load_builtin_map().factors}
    themes = [lb for lb in result["labels"] if lb["kind"] == "theme"]
    assert len(themes) == len(load_builtin_map().themes)
    assert any(lb["kind"] == "sign" for lb in result["labels"])  # polarity at the first view
    assert result["pageWidth"] <= 1366
    page.context.close()
    assert errors == []


def test_phone_first_view_names_every_theme_and_zooms_in_to_one(
    browser: Any, base_url: str
) -> None:
    errors: list[str] = []
    page = open_canvas(browser, base_url, PHONE, errors)
    result = measure(page, "legible-phone")
    assert_legible(result)
    themes = {lb["id"] for lb in result["labels"] if lb["kind"] == "theme"}
    assert themes == {f"theme:{t.id}" for t in load_builtin_map().themes}
    assert result["canvasTop"] < 320  # the map comes first, above the filters
    assert result["pageWidth"] <= 390
    # a tap on a theme's name zooms in to its factors, whose labels are then legible
    centre = page.evaluate(
        """() => { const n = window.loopwiseCy.getElementById('theme:housing');
                   const r = window.loopwiseCy.container().getBoundingClientRect();
                   const p = n.renderedPosition(); return [r.left + p.x, r.top + p.y]; }"""
    )
    page.mouse.click(*centre)
    zoomed = measure(page, "legible-phone-housing")
    assert_legible(zoomed)
    housing = {f.id for f in load_builtin_map().factors if f.theme == "housing"}
    assert housing <= {lb["id"] for lb in zoomed["labels"] if lb["kind"] == "factor"}
    page.context.close()
    assert errors == []


def test_buttons_and_search_on_the_canvas(browser: Any, base_url: str) -> None:
    errors: list[str] = []
    page = open_canvas(browser, base_url, PHONE, errors)
    before = page.evaluate("window.loopwiseCy.zoom()")
    page.get_by_role("button", name="Zoom in").click()
    assert page.evaluate("window.loopwiseCy.zoom()") == pytest.approx(before * 1.3)
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Fit the whole map").click()
    assert page.evaluate("window.loopwiseCy.zoom()") == pytest.approx(before)
    # finding a factor zooms to it, close enough to read it
    page.get_by_label("Find a factor").fill("Prison population")
    page.get_by_label("Find a factor").press("Enter")
    result = measure(page, "legible-phone-search")
    assert_legible(result)
    assert "prison-population" in {lb["id"] for lb in result["labels"]}
    page.context.close()
    assert errors == []


def test_a_factors_details_in_three_tab_presses(browser: Any, base_url: str) -> None:
    errors: list[str] = []
    page = open_canvas(browser, base_url, LAPTOP, errors)
    page.keyboard.press("Tab")  # 1: skip to content
    page.keyboard.press("Tab")  # 2: skip to the list of factors
    assert page.evaluate("document.activeElement.textContent") == "Skip to the list of factors"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # 3: the first factor in the list
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    assert page.locator("#details h3").inner_text() == first
    assert page.locator("#details").get_attribute("aria-live") == "polite"
    # choosing a factor in the Focus control shows its details too
    page.get_by_label("Factor", exact=True).select_option("prison-population")
    assert page.locator("#details h3").inner_text() == "Prison population"
    page.context.close()
    assert errors == []


def test_overlays_dim_the_rest_and_say_so(browser: Any, base_url: str) -> None:
    errors: list[str] = []
    page = open_canvas(browser, base_url, LAPTOP, errors)
    page.get_by_label("Show funding gaps").check()
    page.wait_for_selector("#visible .gap-marker")
    counts = page.evaluate(
        """() => { const cy = window.loopwiseCy; return [cy.nodes('.factor.gap').length,
             cy.nodes('.factor.dim').length, cy.nodes('.factor').not('.hidden').length]; }"""
    )
    gaps, dimmed, drawn = counts
    assert gaps > 0 and dimmed == drawn - gaps  # every factor still drawn, the rest dimmed
    assert page.locator("#legend-gap").is_visible()
    page.evaluate("window.scrollTo(0, 0)")  # checking the box scrolled the page down
    assert_legible(measure(page, "legible-laptop-gaps"))
    page.get_by_label("Show funding gaps").uncheck()
    page.get_by_label("interview", exact=True).check()  # an evidence filter dims, too
    assert page.locator("#legend-dim").is_visible()
    assert page.evaluate("window.loopwiseCy.nodes('.factor.dim').length") > 0
    page.context.close()
    assert errors == []


AXE_PAGES = {
    "canvas": "/maps/breaking-the-cycle/canvas",
    "loop": "/maps/breaking-the-cycle/loops/drugs-crime-prison-cycle",
    "loops": "/maps/breaking-the-cycle/loops",
}


@pytest.mark.parametrize("device", ["laptop", "phone"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_and_width_on_laptop_and_phone(
    browser: Any, base_url: str, name: str, device: str
) -> None:
    from web.browser import axe_violations

    errors: list[str] = []
    context = browser.new_context(bypass_csp=True, **(LAPTOP if device == "laptop" else PHONE))
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + AXE_PAGES[name])
    if name == "canvas":
        page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
    width = (LAPTOP if device == "laptop" else PHONE)["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    context.close()
    assert errors == []


def test_loop_page_with_the_keyboard_and_play(browser: Any, base_url: str) -> None:
    """From the loops page to a named loop's page and two steps of "what if it rose?"."""
    errors: list[str] = []
    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + "/maps/breaking-the-cycle/loops")
    link = page.get_by_role("link", name="Drugs, crime to pay for them", exact=False).first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/loops/drugs-crime-prison-cycle")
    step = page.get_by_role("button", name="Next step")
    step.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    status = page.locator("#play-status").inner_text()
    assert status.startswith("Step 2 of 7: Drug and alcohol dependency up 0.3")
    assert "Reoffending up 0.15" in status  # the numbers, as text, in a live region
    fill = page.evaluate(
        """document.querySelector('figure.loop-ring rect[data-key="reoffending"]').style.fill"""
    )
    assert fill.startswith("rgba(11, 79, 150")  # the ring shows it too: blue, up
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "loop-play.png"))
    context.close()
    assert errors == []
