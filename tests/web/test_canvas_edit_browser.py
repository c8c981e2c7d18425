"""Editing from the map canvas in a real browser (``js/canvas_edit.js``).

An editor selects a factor from the keyboard-usable list, renames it (Enter), adds a link,
edits and deletes it, and adds a factor; each save is one revision by them and the drawing
changes in place. A second editor holding an older version gets the conflict message and the
reloaded map. Anonymous visitors and viewers get the plain canvas. Screenshots go to
``$LOOPWISE_SHOTS/loopwise-shots``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from loopwise.accounts.service import Accounts
from loopwise.model import Map
from loopwise.store import Store, open_store
from loopwise.web.app import create_app
from store.conftest import sample_map_data
from web.browser import axe_violations, launch, need_browser, serving
from web.test_browser import shot

PASSWORD = "a long passphrase"
CANVAS = "/maps/demo/canvas"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    need_browser()
    folder = tmp_path_factory.mktemp("canvas-edit")
    store = open_store(f"sqlite:///{folder / 'canvas.db'}")
    store.create_map(Map.from_dict(sample_map_data("demo")), author="seed")
    accounts = Accounts(store)
    for name, role in (("ana", "editor"), ("bob", "editor"), ("vic", "viewer")):
        accounts.add_user(name, PASSWORD)
        accounts.grant("demo", name, role)
    with serving(create_app(store)) as base_url:
        yield base_url, store
    store.close()


@pytest.fixture(scope="module")
def browser(served: tuple[str, Store]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


def canvas_page(browser: Any, base_url: str, name: str | None, errors: list[str], **options: Any):  # type: ignore[no-untyped-def]
    """A new browser context on the canvas, signed in as ``name`` (``None``: anonymous)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, **options)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if name is not None:
        page.goto(base_url + "/login?next=" + CANVAS)
        page.get_by_label("Name").fill(name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url("**" + CANVAS)
    else:
        page.goto(base_url + CANVAS)
    page.wait_for_selector("body[data-canvas-ready]")
    return context, page


def select_factor(page: Any, factor_id: str) -> None:
    """Select a factor the keyboard way: focus its button in the side list, press Enter."""
    button = page.locator(f'#visible button[data-factor="{factor_id}"]')
    button.focus()
    button.press("Enter")


def authors_since(store: Store, number: int) -> list[str]:
    return [r.author for r in store.history("demo") if r.number > number]


def test_editor_edits_from_the_canvas(browser: Any, served: tuple[str, Store]) -> None:
    from playwright.sync_api import expect

    base_url, store = served
    errors: list[str] = []
    start = store.version("demo")
    ctx_a, ana = canvas_page(browser, base_url, "ana", errors)
    ctx_b, bob = canvas_page(browser, base_url, "bob", errors)  # holds the version ana starts at
    for page in (ana, bob):
        page.wait_for_selector("#explorer[data-edit-ready]")
    status = ana.locator("#edit-status")

    # 1. rename a factor: select it from the list, type, Enter
    select_factor(ana, "stigma")
    label = ana.get_by_label("Label", exact=True)
    expect(label).to_have_value("Stigma")
    shot(ana, "canvas-edit-factor-panel")
    label.fill("Stigma (canvas)")
    label.press("Enter")
    expect(status).to_contain_text(f"now version {start + 1}")
    assert store.get_map("demo").factor("stigma").label == "Stigma (canvas)"
    assert ana.evaluate("window.loopwiseCy.getElementById('stigma').data('label')") == (
        "Stigma (canvas)"
    )
    expect(ana.locator('#visible button[data-factor="stigma"]')).to_have_text("Stigma (canvas)")

    # 2. add a link from it, polarity "-"
    ana.get_by_label("Target factor").select_option("homelessness")
    ana.locator("#add-link-polarity").select_option("-")
    ana.locator("#add-link-mechanism").fill("Landlords turn them away")
    ana.locator("#add-link-mechanism").press("Enter")
    expect(status).to_contain_text(f"now version {start + 2}")
    link = store.get_map("demo").link("stigma--homelessness")
    assert link.polarity == "-" and link.mechanism == "Landlords turn them away"
    edge = "window.loopwiseCy.getElementById('e:stigma--homelessness')"
    assert ana.evaluate(f"{edge}.hasClass('minus')")
    shot(ana, "canvas-edit-link-added")

    # 3. edit that link's mechanism (its "Edit link" button in the factor's panel)
    ana.get_by_role("button", name="Edit link stigma--homelessness").click()
    mechanism = ana.locator("#edit-link-mechanism")
    expect(mechanism).to_have_value("Landlords turn them away")
    mechanism.fill("Landlords refuse to let to them")
    ana.get_by_label("With a delay").check()
    mechanism.press("Enter")
    expect(status).to_contain_text(f"now version {start + 3}")
    link = store.get_map("demo").link("stigma--homelessness")
    assert link.mechanism == "Landlords refuse to let to them" and link.delay
    assert link.polarity == "-" and link.strength == "medium"
    assert ana.evaluate(f"{edge}.hasClass('delay')")
    shot(ana, "canvas-edit-link-panel")

    # 4. delete it (after a confirm)
    ana.once("dialog", lambda dialog: dialog.accept())
    ana.get_by_role("button", name="Delete link").click()
    expect(status).to_contain_text(f"now version {start + 4}")
    assert "stigma--homelessness" not in {x.id for x in store.get_map("demo").links}
    assert ana.evaluate(f"{edge}.length") == 0

    # 5. tapping an edge opens its form too
    ana.evaluate("window.loopwiseCy.getElementById('e:homelessness--reoffending').emit('tap')")
    expect(ana.locator("#edit-link-polarity")).to_have_value("+")
    expect(ana.locator("#details")).to_contain_text("Homelessness \u2192 Reoffending")

    # 6. add a factor from the controls
    ana.get_by_label("New factor\u2019s label").fill("Isolation")
    ana.get_by_label("New factor\u2019s theme").select_option("health")
    ana.get_by_label("New factor\u2019s label").press("Enter")
    expect(status).to_contain_text(f"now version {start + 5}")
    added = store.get_map("demo").factor("isolation")
    assert added.label == "Isolation" and added.theme == "health"
    assert ana.evaluate("window.loopwiseCy.getElementById('isolation').length") == 1
    expect(ana.get_by_label("Label", exact=True)).to_have_value("Isolation")

    # one revision per action, each by ana
    assert authors_since(store, start) == ["ana"] * 5

    # 7. bob still holds the first version: his save is refused, he sees why, the map reloads
    select_factor(bob, "reoffending")
    bob.get_by_label("Label", exact=True).fill("Reoffending (bob)")
    bob.get_by_label("Label", exact=True).press("Enter")
    conflict = bob.locator("#edit-conflict")
    expect(bob.locator("#edit-status")).to_contain_text(f"Reloaded at version {start + 5}")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(f"based on version {start}")
    expect(conflict).to_contain_text("factor stigma changed: label")
    expect(conflict).to_contain_text("factor isolation added")
    expect(bob.locator('#visible button[data-factor="isolation"]')).to_have_count(1)
    shot(bob, "canvas-edit-conflict")
    assert store.get_map("demo").factor("reoffending").label == "Reoffending"
    assert store.version("demo") == start + 5
    # re-applied on the reloaded map, it saves
    bob.get_by_label("Label", exact=True).fill("Reoffending (bob)")
    bob.get_by_label("Label", exact=True).press("Enter")
    expect(bob.locator("#edit-status")).to_contain_text(f"now version {start + 6}")
    assert store.get_map("demo").factor("reoffending").label == "Reoffending (bob)"
    assert authors_since(store, start + 5) == ["bob"]

    # 8. delete a factor with its links (after a confirm)
    select_factor(ana, "isolation")
    ana.once("dialog", lambda dialog: dialog.accept())
    ana.get_by_role("button", name="Delete factor").click()
    expect(status).to_contain_text(f"Reloaded at version {start + 6}")  # bob saved first
    select_factor(ana, "isolation")
    ana.once("dialog", lambda dialog: dialog.accept())
    ana.get_by_role("button", name="Delete factor").click()
    expect(status).to_contain_text(f"now version {start + 7}")
    assert "isolation" not in {f.id for f in store.get_map("demo").factors}
    assert ana.evaluate("window.loopwiseCy.getElementById('isolation').length") == 0

    ctx_a.close()
    ctx_b.close()
    assert errors == []


@pytest.mark.parametrize("name", [None, "vic"])
def test_visitors_and_viewers_see_no_edit_controls(
    browser: Any, served: tuple[str, Store], name: str | None
) -> None:
    from playwright.sync_api import expect

    base_url, _ = served
    errors: list[str] = []
    context, page = canvas_page(browser, base_url, name, errors)
    select_factor(page, "homelessness")
    expect(page.locator("#details h3")).to_have_text("Homelessness")
    assert (
        page.locator("#add-factor, #edit-factor, #add-link, #edit-status, button.edit-link").count()
        == 0
    )
    assert page.locator('script[src$="canvas_edit.js"]').count() == 0
    assert page.locator("#explorer[data-csrf]").count() == 0
    response = page.request.get(base_url + CANVAS)
    # shared caches may keep the anonymous canvas; a signed-in viewer's page names them, so
    # it is private, no-store like every answer to a signed-in caller (issue 13, finding 14)
    cache = response.headers.get("cache-control", "")
    assert ("no-store" in cache) == (name is not None)
    if name is None:
        shot(page, "canvas-edit-anonymous")
    context.close()
    assert errors == []


def test_editor_canvas_is_private_and_passes_axe(browser: Any, served: tuple[str, Store]) -> None:
    base_url, _ = served
    errors: list[str] = []
    context, page = canvas_page(browser, base_url, "bob", errors, bypass_csp=True)
    assert "no-store" in page.request.get(base_url + CANVAS).headers["cache-control"]
    page.wait_for_selector("#explorer[data-edit-ready]")
    select_factor(page, "homelessness")
    page.locator("#edit-factor").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Edit link homelessness--reoffending").click()
    page.locator("#edit-link").wait_for()
    assert axe_violations(page) == []
    context.close()
    assert errors == []
