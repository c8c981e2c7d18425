"""Names, not counts, in a real browser: a funder's portfolio shows its own grants per
factor and in total; a sorted table keeps its order across Back and reload (URL state)."""

from __future__ import annotations

from pathlib import Path

from web.test_browser import base_url, browser, page, shot  # noqa: F401 (fixtures)

MAP = "/maps/breaking-the-cycle"
PORTFOLIO = """id,name,factors,funding_amount,funding_year
example-housing-trust,Example Housing Trust,help-finding-accommodation|settled-accommodation,"£120,000",2024
example-housing-trust,,,45000,2025
example-mentors,Example Peer Mentors,peer-mentoring,30000,2025
"""


def test_portfolio_grants_per_factor_and_total(page, base_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    file = tmp_path / "grants.csv"
    file.write_text(PORTFOLIO, encoding="utf-8")
    page.goto(base_url + MAP + "/funding")
    probation = page.locator('tr[data-factor="help-finding-accommodation"] .who-cell')
    expect(probation).to_contain_text("The Probation Service")
    page.set_input_files("#portfolio-file", str(file))
    page.get_by_role("button", name="Compare with the map").click()
    page.wait_for_selector("body[data-portfolio-ready]")
    cell = page.locator('tr[data-factor="help-finding-accommodation"] .portfolio-cell')
    expect(cell).to_contain_text("Example Housing Trust: GBP 120,000 in 2024; GBP 45,000 in 2025")
    expect(cell).to_contain_text("Your grants here: GBP 165,000")
    mentors = page.locator('tr[data-factor="peer-mentoring"]')
    expect(mentors.locator(".portfolio-cell")).to_contain_text("Example Peer Mentors")
    expect(mentors.locator(".gap-cell")).to_contain_text("your portfolio acts here")
    expect(page.locator("#portfolio-summary")).to_contain_text(
        "Your grants in the file: GBP 195,000 in total."
    )
    shot(page, "funding-portfolio-grants")


def test_sort_survives_back_and_reload(page, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    page.goto(base_url + MAP + "/leverage")
    header = page.locator("th[data-column=label]")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert "sort=label" in page.url and "order=asc" in page.url
    first = page.locator("#leverage-table tbody tr").first.locator("td").nth(1).inner_text()
    labels = sorted(
        page.locator("#leverage-table tbody tr td:nth-child(2) a").all_inner_texts(),
        key=str.lower,
    )
    page.locator("#leverage-table tbody tr").first.locator("a").first.click()
    page.wait_for_url("**/factors/**")
    page.go_back()
    page.wait_for_url("**sort=label**")
    expect(page.locator("th[data-column=label]")).to_have_attribute("aria-sort", "ascending")
    again = page.locator("#leverage-table tbody tr").first.locator("td").nth(1).inner_text()
    assert again == first and first.startswith(labels[0][:10])
    page.reload()
    expect(page.locator("th[data-column=label]")).to_have_attribute("aria-sort", "ascending")
