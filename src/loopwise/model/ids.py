"""Stable slug ids.

Ids are lower-case words joined by hyphens. Labels can change; ids never do.

Example:
    >>> slugify("Stigma & criminal record")
    'stigma-criminal-record'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_.]+[a-z0-9]+)*$"
_SLUG_RE = re.compile(SLUG_PATTERN)

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=120)]
"""A stable id: lower-case letters and digits, joined by ``-``, ``_`` or ``.``."""


def is_slug(text: str) -> bool:
    """Return True when ``text`` is a valid id.

    >>> is_slug("short-sentences"), is_slug("Short Sentences")
    (True, False)
    """
    return bool(_SLUG_RE.match(text)) and len(text) <= 120


def slugify(text: str) -> str:
    """Turn a label into an id (ASCII, lower case, hyphens).

    >>> slugify("  Mental health – waiting lists ")
    'mental-health-waiting-lists'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:120].rstrip("-") or "item"
