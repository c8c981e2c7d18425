"""What every router needs: the public map a request names, as a cached bundle.

Only public maps are served: an unknown or private map is the same 404 (outsiders cannot
tell a private map exists).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from loopwise.api.bundle import BundleCache, MapBundle
from loopwise.errors import UnknownIdError, ValidationError

SlugPath = Annotated[str, Path(description="The map's slug.", max_length=200)]


def load_public_bundle(store: object, cache: BundleCache, slug: str) -> MapBundle:
    """The bundle of the public map ``slug``; :class:`HTTPException` 404 otherwise."""
    try:
        version = store.version(slug)  # type: ignore[attr-defined]
        bundle = cache.get(slug, version, lambda: store.get_map(slug))  # type: ignore[attr-defined]
    except UnknownIdError:
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}") from None
    if bundle.map.visibility != "public":
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}")
    return bundle


def public_bundle(request: Request, slug: SlugPath) -> MapBundle:
    """FastAPI dependency: the bundle of the public map in the path."""
    return load_public_bundle(request.app.state.store, request.app.state.bundles, slug)


Bundle = Annotated[MapBundle, Depends(public_bundle)]


@contextmanager
def input_ids(where: str) -> Iterator[None]:
    """Unknown ids given as input (query or body, not the path) are bad input: 422."""
    try:
        yield
    except UnknownIdError as exc:
        raise ValidationError(str(exc), where) from None
