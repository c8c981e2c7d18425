"""The evidence workbench end to end, with the review in a real browser.

A transcript is ingested with its participant's attributes and its suggestions queued (CLI),
an editor signs in, opens the review queue and accepts the first suggestion with the keyboard
(``a``); the map then has that quote, exactly and at its offsets, as evidence on a link,
attributed to its participant and coder, with the link's confidence raised; and the canvas's
subgroup filter (only this participant's gender) shows that link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.accounts.service import Accounts
from loopwise.cli import app as cli
from loopwise.store import Store, open_store
from loopwise.web.app import create_app
from web.browser import launch, need_browser, serving
from web.test_browser import shot

TRANSCRIPT = Path(__file__).parents[1] / "data" / "evidence" / "interview_p01.txt"
PASSWORD = "a long passphrase"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    need_browser()
    folder = tmp_path_factory.mktemp("review")
    url = f"sqlite:///{folder / 'review.db'}"
    env = {"LOOPWISE_DATABASE_URL": url, "LOOPWISE_AUTHOR": "analyst"}
    runner = CliRunner()
    ingest = runner.invoke(
        cli,
        ["evidence", "ingest", "breaking-the-cycle", str(TRANSCRIPT), "--participant", "p01",
         "--attr", "gender=woman"],
        env=env,
    )  # fmt: skip
    assert ingest.exit_code == 0, ingest.output
    queued = runner.invoke(
        cli,
        ["evidence", "suggest", str(TRANSCRIPT), "--map", "breaking-the-cycle", "--save",
         "--matcher", "lexical"],
        env=env,
    )  # fmt: skip
    assert queued.exit_code == 0, queued.output
    assert re.search(r"queued [1-9]\d* new suggestion", queued.output), queued.output
    store = open_store(url)
    accounts = Accounts(store)
    accounts.add_user("cara", PASSWORD)
    accounts.grant("breaking-the-cycle", "cara", "editor")
    with serving(create_app(store)) as base_url:
        yield base_url, store
    store.close()


def test_review_accept_in_the_browser_then_see_the_subgroup(served: tuple[str, Store]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base_url, store = served
    from loopwise.workbench import list_suggestions

    first = list_suggestions(store, "breaking-the-cycle", status="suggested")[0]
    quote = first.data["quote"]
    text = TRANSCRIPT.read_text(encoding="utf-8")
    assert text[first.data["start"] : first.data["end"]] == quote
    before = store.get_map("breaking-the-cycle")
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base_url + "/maps/breaking-the-cycle/review")
        page.get_by_label("Name").fill("cara")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url("**/maps/breaking-the-cycle/review")
        page.locator("#review-list .quote").first.wait_for()
        assert page.locator("#review-list .quote").first.inner_text() == quote
        shot(page, "review-queue")
        page.keyboard.press("a")
        expect(page.locator("#review-status")).to_contain_text("Accepted #", timeout=15_000)
        shot(page, "review-accepted")

        after = store.get_map("breaking-the-cycle")
        added = [
            (owner_id, ev)
            for kind, owner_id, ev in after.evidence_items()
            if kind == "link" and ev.text == quote
        ]
        assert len(added) == 1, added
        link_id, evidence = added[0]
        assert evidence.source == "p01" and evidence.coder == "cara"
        assert evidence.span is not None and (evidence.span.start, evidence.span.end) == (
            first.data["start"],
            first.data["end"],
        )
        assert after.source("p01").attributes["gender"] == "woman"
        old = {lk.id for lk in before.links}
        if link_id in old:
            assert after.link_confidence(link_id).score > before.link_confidence(link_id).score
        else:
            assert after.link_confidence(link_id).score > 0

        page.goto(base_url + "/maps/breaking-the-cycle/canvas")
        try:
            page.locator("body[data-canvas-ready]").wait_for(timeout=60_000)
        except Exception:
            shot(page, "subgroup-canvas-failed")
            raise AssertionError(f"canvas not ready; page errors: {errors}") from None
        page.get_by_label("gender: woman").check()
        shown = re.compile(r"^Showing 2 of \d+ factors and 1 links\.$")  # the link's two ends
        expect(page.get_by_text(shown)).to_be_visible()
        shot(page, "subgroup-canvas")
        browser.close()
    assert errors == []
