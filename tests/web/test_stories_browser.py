"""Stories in Chromium: keyboard only from the home page to the third step of a story, served
and from file:// in the published site; axe-core on the story pages, phone and desktop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loopwise.builtin import load_builtin_map
from loopwise.publish import publish_site
from web.browser import axe_violations, need_browser
from web.test_browser import SHOTS, base_url, browser  # noqa: F401 (fixtures)

STORY = "cycle-in-seven-steps"
BUILTIN = load_builtin_map()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_browser()
    folder = tmp_path_factory.mktemp("story-site")
    publish_site(BUILTIN, folder)
    return folder


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == []


def tab_to(page: Any, href_end: str, limit: int = 80) -> None:
    """Press Tab until the focused element is a link whose address ends with ``href_end``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith(href_end):
            return
    raise AssertionError(f"no link to …{href_end} within {limit} Tab presses")


def keyboard_to_third_step(page: Any, home: str, stories: str, start: str, next_: str) -> None:
    page.goto(home)
    tab_to(page, stories)  # the "Stories" section of the navigation
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(stories))
    tab_to(page, start)  # "Start … at step 1"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(start))
    page.wait_for_load_state()
    step = BUILTIN.story(STORY).steps
    assert page.locator("h1").inner_text() == step[0].title
    page.keyboard.press("ArrowRight")  # the arrow keys move between steps
    page.wait_for_url(lambda url: "/2" in url and url.endswith("#step"))
    assert page.evaluate("document.activeElement.id") == "step"  # the new step's heading
    tab_to(page, "3" + next_)  # then the Next button
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/3" in url and url.endswith("#step"))
    assert page.locator("h1").inner_text() == step[2].title
    assert page.evaluate("document.activeElement.textContent") == step[2].title
    status = page.locator("#story-status").inner_text()
    assert "step 3 of 7" in status and step[2].title in status
    page.wait_for_function("window.loopwiseStoryCy !== undefined")
    on = page.evaluate("window.loopwiseStoryCy.nodes('.on').map(n => n.id())")
    assert sorted(on) == sorted(step[2].factors)  # the step's factors highlighted …
    dim = page.evaluate("window.loopwiseStoryCy.nodes('.dim').length")
    assert dim == len(BUILTIN.factors) - len(on)  # … the rest dimmed, not hidden


def test_keyboard_from_home_to_the_third_step(page: Any, base_url: str) -> None:  # noqa: F811
    base = base_url + "/maps/breaking-the-cycle"
    keyboard_to_third_step(page, base, "/stories", f"/stories/{STORY}/steps/1",
                           "#step")  # fmt: skip
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "story-step3.png"), full_page=True)


def test_keyboard_from_home_to_the_third_step_from_file(page: Any, site: Path) -> None:
    keyboard_to_third_step(page, (site / "index.html").as_uri(), "stories.html",
                           f"stories/{STORY}/steps/1.html", ".html#step")  # fmt: skip
    assert page.url.startswith("file://")


def test_play_a_step_colours_the_canvas(page: Any, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + f"/maps/breaking-the-cycle/stories/{STORY}/steps/1")
    page.wait_for_function("window.loopwiseStoryCy !== undefined")
    page.get_by_role("button", name="Next step").click()
    page.get_by_role("button", name="Next step").click()
    status = page.locator("#play-status").inner_text()
    assert status.startswith("Step 2 of ") and "Reoffending up" in status
    colour = page.evaluate(
        "window.loopwiseStoryCy.getElementById('reoffending').style('background-color')"
    )
    assert colour != "rgb(255,255,255)"


PAGES = {
    "list": "/stories",
    "cover": f"/stories/{STORY}",
    "step": f"/stories/{STORY}/steps/3",
}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_on_story_pages(browser: Any, base_url: str, name: str, viewport: str) -> None:  # noqa: F811
    size = PHONE if viewport == "phone" else DESKTOP
    context = browser.new_context(bypass_csp=True, viewport=size)
    page = context.new_page()
    page.goto(base_url + "/maps/breaking-the-cycle" + PAGES[name])
    if name == "step":
        page.wait_for_function("window.loopwiseStoryCy !== undefined")
        page.get_by_role("button", name="Next step").click()
    width = page.evaluate("document.documentElement.scrollWidth")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"story-{name}-{viewport}.png"), full_page=True)
    violations = axe_violations(page)
    context.close()
    assert violations == []
    assert width <= size["width"]  # nothing wider than the screen
