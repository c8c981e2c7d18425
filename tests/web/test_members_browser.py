"""The members page in a real browser: an owner signs in, adds a member, changes their role
and removes them, with the keyboard-reachable forms; axe finds nothing serious."""

from __future__ import annotations

from api.conftest import PASSWORD
from loopwise.accounts.service import Accounts
from loopwise.store import Store
from loopwise.web.app import create_app
from web.browser import axe_violations, served_page
from web.test_browser import shot


def test_owner_manages_members_in_the_browser(store: Store) -> None:
    errors: list[str] = []
    with served_page(create_app(store), errors) as (base_url, page):
        page.goto(base_url + "/maps/demo/history")
        page.get_by_role("link", name="Sign in").click()
        page.get_by_label("Name").fill("owner")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url("**/maps/demo/history")
        page.get_by_role("link", name="Members").click()
        page.wait_for_url("**/maps/demo/members")
        assert page.locator("#members-table tbody tr").count() == 3

        page.get_by_label("User name").fill("outsider")
        page.get_by_label("Role", exact=True).select_option("viewer")
        page.get_by_role("button", name="Add member").click()
        page.wait_for_selector("text=Done: outsider is now viewer.")
        assert ("outsider", "viewer") in Accounts(store).members("demo")

        page.get_by_label("Role of outsider", exact=True).select_option("editor")
        page.get_by_role("button", name="Save the role of outsider").click()
        page.wait_for_selector("text=Done: outsider is now editor.")
        assert ("outsider", "editor") in Accounts(store).members("demo")

        page.get_by_label("User name").fill("nobody")
        page.get_by_role("button", name="Add member").click()
        assert "There is no user called" in page.locator("#members-error").inner_text()
        shot(page, "members")
        assert axe_violations(page) == []

        page.get_by_role("button", name="Remove outsider from the map").click()
        page.wait_for_selector("text=Done: outsider is no longer a member.")
        assert "outsider" not in dict(Accounts(store).members("demo"))
    assert errors == []
