"""Accounts: users with argon2 password hashes, browser sessions, API tokens and roles.

A service above the store: :mod:`~loopwise.accounts.service` keeps them in the store's
database, :mod:`~loopwise.accounts.throttle` slows down repeated failed sign-ins.

A user has a role on a map (``owner`` > ``editor`` > ``viewer``); an admin is owner of
every map (this is how maps that existed before accounts, such as the built-in one, get
an owner: the first user, created with ``loopwise user add NAME --admin``). A public map
can be read by anyone; a private one only by its members (404 to everyone else).

Example:
    >>> from loopwise.store import open_store
    >>> from loopwise.accounts import Accounts
    >>> accounts = Accounts(open_store("sqlite://"))
    >>> ana = accounts.add_user("ana", "a long passphrase", admin=True)
    >>> accounts.authenticate("ana", "a long passphrase").name
    'ana'
    >>> secret = accounts.create_token("ana", "script")
    >>> accounts.user_for_token(secret).name
    'ana'
"""

from loopwise.accounts.passwords import hash_password, verify_password
from loopwise.accounts.roles import ROLES, Role, can_read, role_at_least
from loopwise.accounts.service import Accounts, ApiToken, Session, User

__all__ = [
    "ROLES",
    "Accounts",
    "ApiToken",
    "Role",
    "Session",
    "User",
    "can_read",
    "hash_password",
    "role_at_least",
    "verify_password",
]
