"""The project's own exceptions.

Every error a user can cause carries *where* it happened (a file, a row, a field, an id) so
that the CLI and the API can turn it into one clear line.

Example:
    >>> raise UnknownIdError("factor", "housng", suggestions=["housing"])
    Traceback (most recent call last):
    ...
    loopwise.errors.UnknownIdError: unknown factor 'housng' (did you mean 'housing'?)
"""

from __future__ import annotations

from collections.abc import Iterable


class LoopwiseError(Exception):
    """Base class of every error loopwise raises on purpose."""


class ValidationError(LoopwiseError):
    """A map, file or request body breaks the model's rules.

    ``where`` names the place (``"links[3] (a--b).to"``, ``"map.json: row 4"``).
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class UnknownIdError(LoopwiseError, KeyError):
    """An id (map, factor, link, source, revision...) that does not exist."""

    def __init__(self, kind: str, id_: object, suggestions: Iterable[str] = ()) -> None:
        self.kind = kind
        self.id = id_
        self.suggestions = list(suggestions)
        hint = ""
        if self.suggestions:
            hint = " (did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?)"
        super().__init__(f"unknown {kind} {id_!r}{hint}")

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class DuplicateIdError(ValidationError):
    """Two things of the same kind share one id."""


class ConflictError(LoopwiseError):
    """A write was based on a version of the map that is no longer current."""

    def __init__(self, slug: str, based_on: int, current: int) -> None:
        self.slug = slug
        self.based_on = based_on
        self.current = current
        super().__init__(
            f"map {slug!r} changed since version {based_on} (now at version {current}); "
            "reload and apply your change again"
        )


class ImportFormatError(ValidationError):
    """A file could not be read as the format it claims to be."""


class StoreError(LoopwiseError):
    """The database could not be opened, migrated or written."""


class NotAllowedError(LoopwiseError):
    """The caller's role does not allow this change (an editor touching owner-only settings).

    ``where`` names what was refused (``"visibility"``, ``"coder"``).
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class NothingToUndoError(LoopwiseError):
    """An undo was asked for but the map has only the revision that created it."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"nothing to undo: map {slug!r} has no changes since it was created")
