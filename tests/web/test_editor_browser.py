"""The editor in a real browser: two editors in two browser contexts edit the same map.

One sees the other's change; a conflicting edit is caught and merged (their change to
another item is merged silently; a clash on the same item is shown side by side and the user
chooses); the history shows both; restore works. Keyboard only where the editor promises it
(type, Enter to save). Screenshots go to ``$LOOPWISE_SHOTS/loopwise-shots``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loopwise.accounts.service import Accounts
from loopwise.model import Map
from loopwise.store import Store, open_store
from loopwise.web.app import create_app
from store.conftest import sample_map_data
from web.browser import axe_violations, launch, need_browser, serving
from web.test_browser import shot

PASSWORD = "a long passphrase"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    need_browser()
    folder = tmp_path_factory.mktemp("editor")
    store = open_store(f"sqlite:///{folder / 'editor.db'}")
    store.create_map(Map.from_dict(sample_map_data("demo")), author="seed")
    accounts = Accounts(store)
    for name in ("ana", "bob"):
        accounts.add_user(name, PASSWORD)
        accounts.grant("demo", name, "editor")
    with serving(create_app(store)) as base_url:
        yield base_url, store
    store.close()


@pytest.fixture(scope="module")
def browser(served: tuple[str, Store]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


def editor_page(browser, base_url: str, name: str, errors: list[str]):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + "/maps/demo/edit")  # not signed in: sent to the sign-in form
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/maps/demo/edit")
    page.get_by_label("Label of factor stigma").wait_for()
    return context, page


def test_two_editors_see_merge_and_restore(
    browser, served: tuple[str, Store], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base_url, store = served
    errors: list[str] = []
    ctx_a, ana = editor_page(browser, base_url, "ana", errors)
    ctx_b, bob = editor_page(browser, base_url, "bob", errors)
    shot(ana, "editor-ana-start")

    # 1. ana changes a label (keyboard: type, Enter); bob sees it without reloading
    label = ana.get_by_label("Label of factor stigma")
    label.fill("Stigma (ana)")
    label.press("Enter")
    expect(ana.locator("#editor-status")).to_contain_text("now version 2")
    expect(bob.get_by_label("Label of factor stigma")).to_have_value("Stigma (ana)", timeout=15_000)
    shot(bob, "editor-bob-sees-ana")

    # 2. bob edits homelessness while ana adds a factor: different items, merged silently
    bob.get_by_label("Label of factor homelessness").fill("Homelessness (bob)")
    ana.get_by_label("Id of new factor").fill("isolation")
    ana.get_by_label("Label of new factor").fill("Isolation")
    ana.get_by_label("Label of new factor").press("Enter")
    expect(ana.locator("#editor-status")).to_contain_text("now version 3")
    bob.get_by_label("Label of factor homelessness").press("Enter")
    expect(bob.locator("#editor-status")).to_contain_text("merged", timeout=15_000)
    expect(bob.get_by_label("Label of factor isolation")).to_have_value("Isolation")
    assert store.get_map("demo").factor("homelessness").label == "Homelessness (bob)"

    # 3. both edit reoffending: bob's save is caught, shown beside ana's, and bob merges
    expect(ana.get_by_label("Label of factor homelessness")).to_have_value(
        "Homelessness (bob)", timeout=15_000
    )
    bob.get_by_label("Label of factor reoffending").fill("Reoffending (bob)")
    ana_label = ana.get_by_label("Label of factor reoffending")
    ana_label.fill("Reoffending (ana)")
    ana_label.press("Enter")
    expect(ana.locator("#editor-status")).to_contain_text("now version 5")
    bob.get_by_label("Label of factor reoffending").press("Enter")
    conflict = bob.locator("#conflict")
    expect(conflict).to_be_visible(timeout=15_000)
    expect(conflict).to_contain_text("Reoffending (ana)")
    expect(conflict).to_contain_text("Reoffending (bob)")
    shot(bob, "editor-bob-conflict")
    bob.get_by_role("button", name="Save mine over theirs").click()
    expect(bob.locator("#editor-status")).to_contain_text("yours kept")
    assert store.get_map("demo").factor("reoffending").label == "Reoffending (bob)"

    # 4. a link's polarity, strength, delay and mechanism; and evidence on it
    link = "homelessness--reoffending"
    ana.reload()
    ana.get_by_label(f"Mechanism of link {link}").fill("No address, no job")
    ana.get_by_label(f"Polarity of link {link}").select_option("-")
    ana.get_by_label(f"Mechanism of link {link}").press("Enter")
    expect(ana.locator("#editor-status")).to_contain_text("saved link")
    ana.get_by_role("button", name=f"Evidence of link {link}").click()
    ana.get_by_label("Text of new evidence").fill("I slept on a friend's sofa")
    ana.get_by_label("Source of new evidence").fill("interview-1")
    ana.get_by_label("Source of new evidence").press("Enter")
    expect(ana.locator("#editor-status")).to_contain_text("added evidence")
    saved = store.get_map("demo").link(link)
    assert saved.polarity == "-" and saved.mechanism == "No address, no job"
    assert saved.evidence[-1].text == "I slept on a friend's sofa" and len(saved.evidence) == 3

    # 5. the history shows both editors; restore to revision 1 brings the first map back
    version_before = store.version("demo")
    ana.goto(base_url + "/maps/demo/history")
    authors = ana.locator("td.author").all_inner_texts()
    assert {"ana", "bob", "seed"} <= set(authors)
    ana.goto(base_url + "/maps/demo/history/2")
    expect(ana.locator("main")).to_contain_text("Stigma (ana)")
    shot(ana, "editor-revision-diff")
    ana.goto(base_url + "/maps/demo/history")
    shot(ana, "editor-history")
    ana.get_by_role("button", name="Restore the map to revision 1").click()
    expect(ana.locator("main")).to_contain_text("Done: restored revision 1")
    assert store.version("demo") == version_before + 1
    restored = store.get_map("demo")
    assert restored.factor("stigma").label == "Stigma"
    assert "isolation" not in {f.id for f in restored.factors}
    # undo brings the edits back
    ana.get_by_role("button", name=f"Undo revision {version_before + 1}").click()
    expect(ana.locator("main")).to_contain_text("undo revision")
    assert store.get_map("demo").factor("stigma").label == "Stigma (ana)"

    ctx_a.close()
    ctx_b.close()
    assert errors == []


@pytest.mark.parametrize("path", ["/maps/demo/edit", "/maps/demo/history", "/maps/demo/history/1"])
def test_editor_pages_pass_axe(browser, served: tuple[str, Store], path: str) -> None:  # type: ignore[no-untyped-def]
    base_url, _ = served
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url + "/login?next=" + path)
    page.get_by_label("Name").fill("bob")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**" + path)
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    context.close()
    assert violations == []
