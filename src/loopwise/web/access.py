"""Who may call which route: the role table of ``docs/security.md``, found by asking the app.

:func:`access_table` builds an app over a throw-away SQLite store holding one public map,
signs in as each kind of caller (anonymous, a viewer, an editor and an owner of that map, an
admin) and calls every route once with an empty body (so nothing is written: a caller let
past the role checks gets a 422 or a page, one refused gets 401, 403 or a redirect to sign
in). The table is what the code does, not what someone wrote down; ``tests/security``
checks that the documentation shows the current one. Print it with
``python -m loopwise.web.access``.

Example:
    >>> rows = access_table()  # doctest: +SKIP
    >>> rows[("post", "/api/maps/{slug}/factors")]  # doctest: +SKIP
    {'anonymous': False, 'viewer': False, 'editor': True, 'owner': True, 'admin': True}
"""

from __future__ import annotations

import re
import tempfile
from typing import Any

CALLERS = ("anonymous", "viewer", "editor", "owner", "admin")
PASSWORD = "a long passphrase for the table"
_NOT_PROBED = {("post", "/login"), ("post", "/logout")}  # anyone; they change the session
_VALUES = {"slug": "demo", "number": "1", "token_id": "1", "name": "nobody", "user": "nobody",
           "index": "0", "suggestion_id": "1"}  # fmt: skip


def _routes(app: Any) -> list[tuple[str, str]]:
    def walk(routes: list[Any]) -> list[Any]:
        found = []
        for route in routes:
            inner = getattr(route, "original_router", None)
            found += walk(inner.routes) if inner is not None else [route]
        return found

    pairs = set()
    for route in walk(app.routes):
        path = getattr(route, "path", "")
        if not hasattr(route, "dependant") or path.startswith(("/docs", "/redoc", "/openapi")):
            continue
        pairs |= {(method.lower(), path) for method in route.methods or () if method != "HEAD"}
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


def access_table() -> dict[tuple[str, str], dict[str, bool]]:
    """``(method, path) -> {caller: allowed}`` for every route of the app."""
    from fastapi.testclient import TestClient

    from loopwise.accounts.service import Accounts
    from loopwise.model import Map
    from loopwise.store import open_store
    from loopwise.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/access.db")
        try:
            store.create_map(Map(slug="demo", title="Demo"), author="table")
            accounts = Accounts(store)
            for name in ("viewer", "editor", "owner", "admin"):
                accounts.add_user(name, PASSWORD, admin=name == "admin")
                if name != "admin":
                    accounts.grant("demo", name, name)
            app = create_app(store)
            clients = {caller: _signed_in(TestClient(app), caller) for caller in CALLERS}
            table: dict[tuple[str, str], dict[str, bool]] = {}
            for method, path in _routes(app):
                if (method, path) in _NOT_PROBED:
                    table[(method, path)] = dict.fromkeys(CALLERS, True)
                    continue
                url = re.sub(r"\{(\w+)\}", lambda m: _VALUES.get(m.group(1), "x"), path)
                table[(method, path)] = {
                    caller: _allowed(client, method, url) for caller, (client) in clients.items()
                }
            return table
        finally:
            store.close()


def _signed_in(client: Any, caller: str) -> Any:
    if caller == "anonymous":
        return client
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client.post("/login", data={"name": caller, "password": PASSWORD,
                                "csrf_token": token.group(1)})  # fmt: skip
    account = client.get("/account").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', account)
    assert csrf is not None, f"{caller} could not sign in"
    client.headers["X-CSRF-Token"] = csrf.group(1)
    return client


def _allowed(client: Any, method: str, url: str) -> bool:
    if method == "get":
        response = client.get(url, follow_redirects=False)
    elif url.startswith("/api/"):
        response = client.request(method, url, json={}, follow_redirects=False)
    else:  # a form: the caller's own password, so a password form answers 422, not 401
        response = client.request(method, url, data={"current": PASSWORD},
                                  follow_redirects=False)  # fmt: skip
    location = response.headers.get("location", "")
    return response.status_code not in (401, 403) and not location.startswith("/login")


def markdown_table(table: dict[tuple[str, str], dict[str, bool]] | None = None) -> str:
    """The table as Markdown (``yes`` where the caller gets past the role checks)."""
    table = access_table() if table is None else table
    lines = ["| route | " + " | ".join(CALLERS) + " |",
             "|---|" + "---|" * len(CALLERS)]  # fmt: skip
    for (method, path), allowed in table.items():
        cells = " | ".join("yes" if allowed[caller] else "-" for caller in CALLERS)
        lines.append(f"| `{method.upper()} {path}` | {cells} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
