"""Finding 11: a huge number in any path (a revision, a token id...) is a 404 or 422, never a
500, on the HTML routes as on the API, for anonymous and signed-in callers alike."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from starlette.routing import Route

from security.conftest import app_routes, sign_in

HUGE = ["1180591620717411303424", "1099511627776", "9" * 40, "-1", "0"]


def number_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) whose path has an integer parameter."""
    found = []
    for route in app_routes(client.app):
        if not isinstance(route, Route) or not hasattr(route, "dependant"):
            continue
        names = {p.name for p in route.dependant.path_params if p.field_info.annotation is int}
        if names:
            found += [(m.lower(), route.path) for m in route.methods or () if m != "HEAD"]
    return found


def fill(path: str, number: str) -> str:
    numbers = ("number", "token_id", "index", "suggestion_id")
    return re.sub(r"\{(\w+)\}", lambda m: "demo" if m.group(1) == "slug"
                  else number if m.group(1) in numbers else "x", path)  # fmt: skip


def test_huge_numbers_in_paths_are_never_a_500(client: TestClient) -> None:
    routes = number_routes(client)
    assert ("get", "/maps/{slug}/history/{number}") in routes
    assert ("post", "/account/tokens/{token_id}/revoke") in routes
    headers: dict[str, str] = {}
    for signed_in in (False, True):
        if signed_in:  # past the CSRF check, so the path itself is what is judged
            assert sign_in(client, "editor").status_code == 303
            page = client.get("/account").text
            headers["X-CSRF-Token"] = page.split('name="csrf_token" value="')[1].split('"')[0]
        for method, path in routes:
            for number in HUGE:
                url = fill(path, number)
                response = client.request(method, url, headers=headers, follow_redirects=False)
                assert response.status_code in (303, 401, 403, 404, 409, 422), (
                    method, url, response.status_code)  # fmt: skip
