"""The users page in a real browser: an admin adds a user; axe finds nothing serious."""

from __future__ import annotations

from api.conftest import PASSWORD
from loopwise.accounts.service import Accounts
from loopwise.store import Store
from loopwise.web.app import create_app
from web.browser import axe_violations, served_page
from web.test_browser import shot


def test_admin_adds_a_user_in_the_browser(store: Store) -> None:
    Accounts(store).add_user("root", PASSWORD, admin=True)
    errors: list[str] = []
    with served_page(create_app(store), errors) as (base_url, page):
        page.goto(base_url + "/account")
        page.get_by_label("Name").fill("root")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.get_by_role("link", name="manage users").click()
        page.wait_for_url("**/admin/users")
        page.get_by_label("Name (letters, digits, . _ @ -)").fill("dana")
        page.get_by_label("Password (at least 10 characters)").fill("a fine passphrase")
        page.get_by_label("Password again").fill("a fine passphrase")
        page.get_by_role("button", name="Add user").click()
        page.wait_for_selector("text=Done: dana added.")
        assert page.locator('#users-table tr[data-user="dana"]').count() == 1
        assert Accounts(store).authenticate("dana", "a fine passphrase") is not None
        shot(page, "admin-users")
        assert axe_violations(page) == []
    assert errors == []
