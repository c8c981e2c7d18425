"""The account page in a real browser: a user makes an API token and changes their
password; axe finds nothing serious."""

from __future__ import annotations

from api.conftest import PASSWORD
from loopwise.accounts.service import Accounts
from loopwise.store import Store
from loopwise.web.app import create_app
from web.browser import axe_violations, served_page
from web.test_browser import shot


def test_account_page_in_the_browser(store: Store) -> None:
    errors: list[str] = []
    with served_page(create_app(store), errors) as (base_url, page):
        page.goto(base_url + "/account")  # not signed in: the sign-in form, then back
        page.get_by_label("Name").fill("owner")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url("**/account")
        assert page.get_by_role("link", name="members").count() == 2  # owner of both maps

        page.get_by_label("What it is for").fill("nightly import")
        page.get_by_role("button", name="Create token").click()
        token = page.get_by_role("textbox", name="Token", exact=True).input_value()
        assert token.startswith("lw_")
        assert Accounts(store).user_for_token(token).name == "owner"
        shot(page, "account")
        assert axe_violations(page) == []

        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_label("New password (at least 10 characters)").fill("a brand new passphrase")
        page.get_by_label("New password again").fill("a brand new passphrase")
        page.get_by_role("button", name="Change password").click()
        page.wait_for_selector("text=password changed")
        assert Accounts(store).authenticate("owner", "a brand new passphrase") is not None
        # a new password revokes the tokens made with the old one (issue 13, finding 12)
        assert Accounts(store).user_for_token(token) is None
        page.get_by_label("What it is for").fill("after the change")
        page.get_by_role("button", name="Create token").click()
        page.goto(base_url + "/account")
        page.get_by_role("button", name="Revoke token 2 (after the change)").click()
        page.wait_for_selector("text=token 2 revoked")
    assert errors == []
