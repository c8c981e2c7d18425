"""The funding-gap page and the canvas's gap overlay in a real browser (Chromium, Playwright):
upload a portfolio file, see its column and the loops it touches and misses; tick "Show
funding gaps" on the canvas and find exactly the API's gap factors marked; axe-core."""

from __future__ import annotations

from pathlib import Path

from web.browser import axe_violations
from web.test_browser import base_url, browser, page, shot  # noqa: F401 (fixtures)

DATA = Path(__file__).parent.parent / "data"
MAP = "/maps/breaking-the-cycle"


def _console_errors(page) -> list[str]:  # type: ignore[no-untyped-def]  # noqa: F811
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_upload_a_portfolio(page, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    console = _console_errors(page)
    page.goto(base_url + MAP + "/funding")
    expect(page.locator("#portfolio-upload")).to_be_visible()  # shown by js/funding.js
    expect(page.locator("th[data-column=portfolio]")).to_be_hidden()
    first = page.locator("#funding-table tbody tr.gap").first
    expect(first.locator(".gap-cell")).to_contain_text("Gap: high leverage, nobody working on it")

    # a bad file: the API's message, named row and column
    page.set_input_files("#portfolio-file", str(DATA / "portfolio-bad-amount.csv"))
    page.get_by_role("button", name="Compare with the map").click()
    expect(page.locator("#portfolio-error")).to_contain_text("bad amount")
    expect(page.locator("#portfolio-error")).to_contain_text("row 3")
    shot(page, "funding-bad-file")

    page.get_by_label("Your portfolio (CSV or XLSX, see the layout)").set_input_files(
        str(DATA / "portfolio.csv")
    )
    page.get_by_role("button", name="Compare with the map").click()
    page.wait_for_selector("body[data-portfolio-ready]")
    expect(page.locator("#portfolio-error")).to_have_text("")
    expect(page.locator("th[data-column=portfolio]")).to_be_visible()
    row = page.locator('tr[data-factor="settled-accommodation"]')
    expect(row.locator(".portfolio-cell")).to_contain_text("Example Housing Trust")
    expect(row.locator(".portfolio-cell")).to_contain_text("Your grants here: GBP 165,000")
    # peer mentoring is a gap on the map, and the portfolio's mentors act there
    mentoring = page.locator('tr[data-factor="peer-mentoring"] .gap-cell')
    expect(mentoring).to_contain_text("your portfolio acts here")
    expect(page.locator('tr[data-factor="fear-of-recall"] .portfolio-cell')).not_to_contain_text(
        "Example"
    )
    expect(page.locator("#portfolio-summary")).to_contain_text("3 organisations")
    from loopwise.builtin import load_builtin_map

    builtin = load_builtin_map()
    expect(page.locator("#loops-touched")).to_contain_text(
        builtin.curated_loop("homeless-release-cycle").name
    )
    missed = page.locator("#loops-missed li")
    assert missed.count() >= 1 and "none" not in missed.first.inner_text()
    expect(page.locator("#gap-missed")).to_contain_text("Fear of recall")  # a gap nobody funds

    # the new column sorts like the others
    page.locator("th[data-column=portfolio] button").click()
    page.locator("th[data-column=portfolio] button").click()  # descending: portfolio first
    expect(page.locator("th[data-column=portfolio]")).to_have_attribute("aria-sort", "descending")
    top = page.locator("#funding-table tbody tr").first.locator(".portfolio-cell")
    assert int(top.get_attribute("data-value") or "0") >= 1
    page.locator("#funding-table").scroll_into_view_if_needed()
    shot(page, "funding-table-portfolio")
    page.locator("#portfolio-result").scroll_into_view_if_needed()
    shot(page, "funding-portfolio")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "funding-top")
    assert [c for c in console if "Content Security Policy" in c] == []

    # a bad file after a good one: the error, and the table back to the map's organisations
    page.set_input_files("#portfolio-file", str(DATA / "portfolio-unknown-factor.csv"))
    page.locator("#portfolio-submit").click()
    expect(page.locator("#portfolio-error")).to_contain_text("unknown factor")
    expect(page.locator("th[data-column=portfolio]")).to_be_hidden()
    expect(page.locator("#portfolio-result")).to_be_hidden()


def test_canvas_gap_overlay(page, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    api = page.request.get(base_url + "/api" + MAP + "/funding-gaps").json()
    gaps = sorted(f["factor"] for f in api["factors"] if f["gap"])
    assert gaps
    page.goto(base_url + MAP + "/canvas")
    page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
    assert page.locator("#visible .gap-marker").count() == 0
    page.get_by_label("Show funding gaps").check()
    page.wait_for_function("location.hash.indexOf('gaps=1') >= 0")
    page.wait_for_selector("#visible .gap-marker")
    marked = sorted(
        page.locator("#visible li.gap button").evaluate_all("bs => bs.map(b => b.dataset.factor)")
    )
    assert marked == gaps
    assert page.locator("#visible .gap-marker").first.inner_text().strip() == "\u25c6 gap"
    on_canvas = page.evaluate(
        "window.loopwiseCy.nodes('.gap').map(n => [n.id(), n.style('border-style'),"
        " n.style('label')])"
    )
    assert sorted(n[0] for n in on_canvas) == gaps
    assert all(style == "dashed" and label.startswith("\u25c6 ") for _, style, label in on_canvas)
    shot(page, "canvas-gaps")

    # the state is in the URL: a fresh load with the hash shows the overlay again
    page.goto(page.url)
    page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
    assert page.get_by_label("Show funding gaps").is_checked()
    page.wait_for_selector("#visible .gap-marker")
    assert page.locator("#visible li.gap").count() == len(gaps)
    page.get_by_label("Show funding gaps").uncheck()
    page.wait_for_function("location.hash.indexOf('gaps=1') < 0")
    assert page.locator("#visible .gap-marker").count() == 0
    assert page.evaluate("window.loopwiseCy.nodes('.gap').length") == 0


def test_funding_page_axe(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()  # noqa: F811
    page.goto(base_url + MAP + "/funding")
    page.set_input_files("#portfolio-file", str(DATA / "portfolio.csv"))
    page.locator("#portfolio-submit").click()
    page.wait_for_selector("body[data-portfolio-ready]")
    violations = axe_violations(page)
    context.close()
    assert violations == []
