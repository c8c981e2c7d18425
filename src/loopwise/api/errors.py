"""Errors as JSON: ``{"detail": "...", "where": ...}`` with the right status.

An unknown id is a 404, bad input (query, body, a value the model refuses) a 422, a stale
write a 409, a change the caller's role does not allow a 403. :mod:`loopwise.web.app`
installs the handlers (JSON under ``/api/``, an HTML page elsewhere).
"""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from loopwise.errors import ConflictError, NotAllowedError, UnknownIdError, ValidationError


class ErrorOut(BaseModel):
    """An error: one clear message, and where the problem is when known."""

    detail: str
    where: str | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown or private map, or unknown id"},
    422: {"model": ErrorOut, "description": "Bad input"},
}


def describe_request_error(exc: RequestValidationError) -> ErrorOut:
    """The first problem of a request, as one line naming the parameter."""
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body")]
    where = ".".join(loc) or None
    message = str(first.get("msg", "invalid request"))
    if "input" in first and not isinstance(first["input"], dict | list) and first["input"]:
        message += f" (got {first['input']!r})"
    return ErrorOut(detail=f"{where}: {message}" if where else message, where=where)


def error_payload(exc: Exception) -> tuple[int, ErrorOut]:
    """Status and body for one of the project's own errors."""
    if isinstance(exc, UnknownIdError):
        return 404, ErrorOut(detail=str(exc))
    if isinstance(exc, ConflictError):
        return 409, ErrorOut(detail=str(exc))
    if isinstance(exc, NotAllowedError):
        return 403, ErrorOut(detail=str(exc), where=exc.where)
    if isinstance(exc, ValidationError):
        return 422, ErrorOut(detail=str(exc), where=exc.where)
    return 400, ErrorOut(detail=str(exc))
