"""loopwise: systems maps of social problems, with the evidence behind every link.

The project's exceptions are importable from here (``from loopwise import UnknownIdError``);
:class:`Map` loads the model (and pydantic) only when first used, so that ``import loopwise``
stays quick for the command line.

Example:
    >>> import loopwise
    >>> m = loopwise.builtin_map()
    >>> len(m.factors) >= 45, m.factor("reoffending").kind
    (True, 'outcome')
    >>> try:
    ...     m.factor("no-such-factor")
    ... except loopwise.UnknownIdError as exc:
    ...     print(type(exc).__name__)
    UnknownIdError
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loopwise.errors import (
    ConflictError,
    DuplicateIdError,
    ImportFormatError,
    LoopwiseError,
    NotAllowedError,
    NothingToUndoError,
    StoreError,
    UnknownIdError,
    ValidationError,
)

if TYPE_CHECKING:
    from loopwise.model import Map

__version__ = "0.1.0"


def builtin_map(slug: str = "breaking-the-cycle") -> Map:
    """Load a map shipped with loopwise (validated on load).

    Parameters
    ----------
    slug
        The built-in map's slug.

    Returns
    -------
    Map
        The map, validated.

    Raises
    ------
    UnknownIdError
        When no built-in map has that slug.

    Example
    -------
    >>> builtin_map().slug
    'breaking-the-cycle'
    """
    from loopwise.builtin import load_builtin_map

    return load_builtin_map(slug)


def __getattr__(name: str) -> Any:
    # the model (pydantic) loads on first use of loopwise.Map, not on `import loopwise`
    if name == "Map":
        from loopwise.model import Map

        return Map
    raise AttributeError(f"module 'loopwise' has no attribute {name!r}")


__all__ = [
    "ConflictError",
    "DuplicateIdError",
    "ImportFormatError",
    "LoopwiseError",
    "Map",
    "NotAllowedError",
    "NothingToUndoError",
    "StoreError",
    "UnknownIdError",
    "ValidationError",
    "__version__",
    "builtin_map",
]
