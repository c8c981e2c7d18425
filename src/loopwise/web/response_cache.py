"""Rendered responses kept as bytes, in a least-recently-used cache bounded by size.

An entry is one response as the app made it (status 200): its body, its media type and a
few headers, an ``ETag`` computed from the body, and the body in each content coding once a
client has asked for it (:mod:`loopwise.web.compression`). The cache counts every byte it
keeps (body and codings) and drops the least recently used entries beyond ``max_bytes``.

Keys are tuples chosen by the caller (:mod:`loopwise.web.cached_reads`): for a map they
start with ``(slug, map id, version)``, and :meth:`ResponseCache.forget_map` drops every
entry of a map's older versions as soon as a newer one is seen.

Example:
    >>> cache = ResponseCache(max_bytes=10_000)
    >>> entry = CachedResponse.make(b'{"a": 1}', "application/json")
    >>> cache.put(("demo", 1, 1, "/api/maps/demo"), entry)
    >>> cache.get(("demo", 1, 1, "/api/maps/demo")).body
    b'{"a": 1}'
    >>> cache.forget_map("demo", keep=(1, 2))
    >>> cache.get(("demo", 1, 1, "/api/maps/demo")) is None
    True
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field

from loopwise.web.compression import compressible, encode

DEFAULT_MAX_BYTES = 64_000_000
"""The cache's default bound (``LOOPWISE_RESPONSE_CACHE_BYTES`` changes it; 0 turns it off)."""
MAX_BYTES_ENV = "LOOPWISE_RESPONSE_CACHE_BYTES"


def max_bytes_from_env() -> int:
    """The bound set by ``LOOPWISE_RESPONSE_CACHE_BYTES`` (bytes), else the default."""
    text = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    try:
        value = int(text)
    except ValueError:
        from loopwise.errors import ValidationError

        raise ValidationError(f"expected a whole number of bytes, got {text!r}",
                              MAX_BYTES_ENV) from None  # fmt: skip
    return max(value, 0)


@dataclass
class CachedResponse:
    """One response as bytes, with its codings made on demand."""

    body: bytes
    media_type: str
    etag: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    codings: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def make(
        cls, body: bytes, media_type: str, headers: list[tuple[bytes, bytes]] | None = None
    ) -> CachedResponse:
        """An entry for ``body``; its ``ETag`` is a digest of the bytes."""
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        return cls(body=body, media_type=media_type, etag=f'"{digest}"',
                   headers=list(headers or []))  # fmt: skip

    @property
    def size(self) -> int:
        """The bytes this entry keeps."""
        return len(self.body) + sum(len(b) for b in self.codings.values()) + 200

    @property
    def compressible(self) -> bool:
        return compressible(self.media_type, len(self.body))

    def etag_for(self, coding: str) -> str:
        """The entity tag of the body in ``coding``: each coding is its own representation,
        so it has its own tag (``"<digest>-gzip"``)."""
        return self.etag if coding == "identity" else f'{self.etag[:-1]}-{coding}"'

    def matches(self, if_none_match: str) -> bool:
        """Whether an ``If-None-Match`` header names this body (in any coding, weak or
        strong, or ``*``)."""
        for tag in if_none_match.split(","):
            tag = tag.strip().removeprefix("W/")
            if tag == "*" or tag == self.etag:
                return True
            if tag.startswith(self.etag[:-1] + "-") and tag.endswith('"'):
                return True
        return False


class ResponseCache:
    """Entries by key, least recently used dropped first beyond ``max_bytes``."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, CachedResponse] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._latest: dict[str, tuple[int, int]] = {}

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        """Bytes kept now (never more than ``max_bytes``)."""
        return self._size

    def get(self, key: Hashable) -> CachedResponse | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: CachedResponse) -> None:
        """Keep ``entry`` (an entry larger than half the cache is not kept)."""
        if entry.size > self.max_bytes // 2:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old.size
            self._items[key] = entry
            self._size += entry.size
            self._shrink()

    def coded(self, key: Hashable, entry: CachedResponse, coding: str) -> bytes:
        """The entry's body in ``coding``, encoded on first use and kept with the entry."""
        if coding == "identity" or not entry.compressible:
            return entry.body
        found = entry.codings.get(coding)
        if found is not None:
            return found
        data = encode(entry.body, coding)
        with self._lock:
            if coding not in entry.codings:
                kept = self._items.get(key) is entry
                if kept:
                    self._size -= entry.size
                entry.codings[coding] = data
                if kept:
                    self._size += entry.size
                    self._shrink()
        return data

    def forget_map(self, slug: str, keep: tuple[int, int]) -> None:
        """Drop the entries of map ``slug`` whose ``(map id, version)`` is not ``keep``
        (keys starting ``(slug, map id, version, ...)``)."""
        with self._lock:
            if self._latest.get(slug) == keep:
                return
            self._latest[slug] = keep
            stale = [
                key for key in self._items
                if isinstance(key, tuple) and key[:1] == (slug,) and tuple(key[1:3]) != keep
            ]  # fmt: skip
            for key in stale:
                self._size -= self._items.pop(key).size

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._latest.clear()
            self._size = 0

    def _shrink(self) -> None:
        while self._size > self.max_bytes and self._items:
            _, dropped = self._items.popitem(last=False)
            self._size -= dropped.size
