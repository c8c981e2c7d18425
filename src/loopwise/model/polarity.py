"""Polarity that a file did not give: the marker on such links, and a test for it.

A link must have a polarity (``+`` or ``-``), so one read from a file that gives none is
stored as ``+`` with the tag :data:`UNKNOWN_POLARITY_TAG`. Analyses must not present that
``+`` as fact: a loop through such a link has kind ``?`` (see
:func:`loopwise.analysis.find_feedback_loops`).

Example:
    >>> from loopwise.model import Link
    >>> polarity_known(Link(**{"from": "a", "to": "b", "polarity": "+"}))
    True
    >>> polarity_known(Link(**{"from": "a", "to": "b", "polarity": "+",
    ...                        "tags": ["polarity:unknown"]}))
    False
"""

from __future__ import annotations

from typing import Any

UNKNOWN_POLARITY_TAG = "polarity:unknown"
"""Tag on links imported as ``+`` from a file that gives no polarity."""


def polarity_known(link: Any) -> bool:
    """False for a link whose polarity is unknown (tagged :data:`UNKNOWN_POLARITY_TAG`)."""
    return UNKNOWN_POLARITY_TAG not in link.tags
