"""The Jinja2 environment of the explorer (autoescaping on for every template).

Templates are read once per process; set ``LOOPWISE_DEV=1`` while editing them to have
Jinja2 check the files for changes on every render (slower: a ``stat`` per template used).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from loopwise import __version__
from loopwise.web.csp import PAGE_POLICY


def json_script(value: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def signed(value: float | None, digits: int = 3) -> str:
    """A number with its sign and a real minus sign: ``+0.120``, ``−0.300``."""
    if value is None:
        return ""
    text = f"{value:+.{digits}f}"
    return text.replace("-", "\u2212")


DEV_ENV = "LOOPWISE_DEV"


def development() -> bool:
    """Whether ``LOOPWISE_DEV`` asks for templates reloaded when they change.

    >>> development() in (True, False)
    True
    """
    return os.environ.get(DEV_ENV, "").strip().lower() in ("1", "true", "yes", "on")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("loopwise.web", "templates"),
        auto_reload=development(),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json_script"] = json_script
    env.filters["signed"] = signed
    env.globals["loopwise_version"] = __version__
    env.globals["page_policy"] = PAGE_POLICY  # the CSP <meta> of every page (web.csp)
    return env


def render(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**context)
