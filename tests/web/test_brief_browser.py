"""A served HTML brief is styled in a real browser under the site's strict
Content-Security-Policy (a linked stylesheet, no inline style; a CSP violation is a console
error, which the page fixture fails on)."""

from __future__ import annotations

from web.test_browser import base_url, browser, page, shot  # noqa: F401 (fixtures)

BRIEF = "/api/maps/breaking-the-cycle/brief?loop=drugs-crime-prison-cycle&length=one-page"


def test_one_page_brief_is_styled(page, base_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(base_url + BRIEF)
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.ask'));"
        " return [s.borderTopStyle, s.borderTopWidth, getComputedStyle(document.body).fontFamily]; })()"
    )
    assert style[0] == "solid" and style[1] == "2px", style
    assert "Liberation Sans" in style[2]
    assert page.locator("h2", has_text="The strongest evidence").is_visible()
    shot(page, "brief-one-page")
