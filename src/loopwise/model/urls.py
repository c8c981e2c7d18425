"""Links a map may hold: web pages (``http``/``https``) and e-mail addresses (``mailto``).

A map's URLs (a source's ``url`` and its citation's ``URL``, an organisation's ``url``) end up
as links in the explorer, the static site and the briefs, so anything that could run script
there (``javascript:``, ``data:``, ``vbscript:``...) is refused on input, with the same
one-line error from every format import. Maps already stored before this check are read
with such URLs dropped (``context={"stored": True}``), never refused.

Example:
    >>> check_web_url("https://www.gov.uk/stats")
    'https://www.gov.uk/stats'
    >>> check_web_url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    ValueError: 'javascript:alert(1)' is not a web address: use an http(s) or mailto URL
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo

WEB_URL_SCHEMES = ("http", "https", "mailto")
"""The only URL schemes a map may hold."""

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_web_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host, or a mailto URL.

    >>> is_web_url("mailto:info@example.org"), is_web_url(" javascript:x"), is_web_url("//x")
    (True, False, False)
    """
    if not isinstance(url, str) or _CONTROL.search(url) or url != url.strip():
        return False  # browsers drop such characters, so "java\\tscript:" would still run
    match = _SCHEME.match(url)
    if match is None:
        return False
    scheme = match.group(1).lower()
    if scheme not in WEB_URL_SCHEMES:
        return False
    rest = url[match.end() :]
    if scheme == "mailto":
        return bool(rest)
    return rest.startswith("//") and len(rest.lstrip("/")) > 0


def check_web_url(url: str) -> str:
    """``url`` itself if it is a web or mail address; :class:`ValueError` otherwise."""
    if not is_web_url(url):
        shown = url if len(url) <= 80 else url[:77] + "..."
        raise ValueError(f"{shown!r} is not a web address: use an http(s) or mailto URL")
    return url


def _checked(url: str | None, info: ValidationInfo) -> str | None:
    if url is None or is_web_url(url):
        return url
    if _stored(info):
        return None  # stored before the check: drop it rather than lose the map
    return check_web_url(url)


def _stored(info: ValidationInfo | None) -> bool:
    context: Any = info.context if info is not None else None
    return isinstance(context, dict) and bool(context.get("stored"))


def check_citation_url(citation: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """A CSL-JSON citation whose ``URL`` (if any) is a web or mail address."""
    url = citation.get("URL")
    if url is None or (isinstance(url, str) and is_web_url(url)):
        return citation
    if _stored(info):
        return {key: value for key, value in citation.items() if key != "URL"}
    try:
        check_web_url(str(url))
    except ValueError as exc:
        raise ValueError(f"URL: {exc}") from None
    return citation


WebUrl = Annotated[str, AfterValidator(_checked)]
"""A ``str`` field that holds only an http(s) or mailto URL."""
