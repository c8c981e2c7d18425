"""Argument checks shared by the analysis functions (one clear ``ValidationError`` each)."""

from __future__ import annotations

from loopwise.errors import ValidationError


def positive(name: str, value: int | None) -> None:
    """``value`` must be ``None`` or an integer >= 1."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError(f"must be a whole number of at least 1 (got {value!r})", name)


def non_negative(name: str, value: int | None) -> None:
    """``value`` must be ``None`` or an integer >= 0."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValidationError(f"must be a whole number of at least 0 (got {value!r})", name)
