"""What every router needs: the map a request names, as a cached bundle.

Public maps are served to anyone, private ones to their members only: to anyone else a
private map is the same 404 as an unknown one (outsiders cannot tell it exists).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Path, Request

from loopwise.errors import UnknownIdError, ValidationError
from loopwise.present.bundle import BundleCache, MapBundle

if TYPE_CHECKING:
    from loopwise.store import Store

SlugPath = Annotated[str, Path(description="The map's slug.", max_length=200)]
MAX_NUMBER = 2**31 - 1
"""Revision numbers and ids fit a database INTEGER: larger ones in a path are a 422."""
NumberPath = Annotated[int, Path(ge=1, le=MAX_NUMBER)]


def load_public_bundle(store: Store, cache: BundleCache, slug: str) -> MapBundle:
    """The bundle of the public map ``slug``; :class:`HTTPException` 404 otherwise."""
    try:
        version = store.version(slug)
        bundle = cache.get(slug, version, lambda: store.get_map(slug))
    except UnknownIdError:
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}") from None
    if bundle.map.visibility != "public":
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}")
    return bundle


def public_bundle(request: Request, slug: SlugPath) -> MapBundle:
    """FastAPI dependency: the bundle of the map in the path, if the caller may read it
    (a public map, or a private one they are a member of); 404 otherwise."""
    from loopwise.api.auth import role_on_map

    role_on_map(request, slug)
    store, cache = request.app.state.store, request.app.state.bundles
    try:
        version = store.version(slug)
        bundle: MapBundle = cache.get(slug, version, lambda: store.get_map(slug))
        return bundle
    except UnknownIdError:
        raise HTTPException(status_code=404, detail=f"no public map {slug!r}") from None


Bundle = Annotated[MapBundle, Depends(public_bundle)]


@contextmanager
def input_ids(where: str) -> Iterator[None]:
    """Unknown ids given as input (query or body, not the path) are bad input: 422."""
    try:
        yield
    except UnknownIdError as exc:
        raise ValidationError(str(exc), where) from None
