"""Content codings the server can send: which one a client asked for, and the encoder.

gzip always; brotli when the ``brotli`` module is importable (it comes with WeasyPrint's font
stack, so it usually is; loopwise does not require it). Only text-like media types are worth
compressing; images, PDFs, fonts and office files are compressed already.

Example:
    >>> negotiate("gzip, deflate")
    'gzip'
    >>> negotiate("gzip;q=0, identity")
    'identity'
    >>> negotiate("")
    'identity'
    >>> import gzip
    >>> gzip.decompress(encode(b"hello " * 100, "gzip")) == b"hello " * 100
    True
"""

from __future__ import annotations

import gzip
from types import ModuleType

GZIP_LEVEL = 6
BROTLI_QUALITY = 5
"""Brotli's level 5 is as fast as gzip's 6 and a little smaller; 11 takes seconds per MB."""
MIN_SIZE = 512
"""Bodies smaller than this are sent as they are: the coding would not pay for itself."""

_TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml",
               "application/xml", "application/manifest+json")  # fmt: skip


def _brotli() -> ModuleType | None:
    try:
        import brotli
    except ImportError:  # pragma: no cover - depends on what is installed
        return None
    module: ModuleType = brotli
    return module


BROTLI = _brotli()
CODINGS: tuple[str, ...] = ("br", "gzip") if BROTLI is not None else ("gzip",)
"""The codings this server can produce, preferred first."""


def compressible(media_type: str, size: int) -> bool:
    """Whether a body of this type and size is worth compressing.

    >>> compressible("text/html; charset=utf-8", 5000), compressible("application/pdf", 5000)
    (True, False)
    """
    kind = media_type.split(";")[0].strip().lower()
    return size >= MIN_SIZE and kind.startswith(_TEXT_TYPES)


def negotiate(accept_encoding: str) -> str:
    """The coding to send for an ``Accept-Encoding`` header: ``br``, ``gzip`` or
    ``identity``. A coding with ``q=0`` is refused; among those accepted the client's
    highest ``q`` wins, ties going to the server's preference (brotli, then gzip)."""
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[name] = q
    best, best_q = "identity", 0.0
    for coding in CODINGS:
        q = weights.get(coding, weights.get("*", 0.0))
        if q > best_q:
            best, best_q = coding, q
    return best


def encode(body: bytes, coding: str) -> bytes:
    """``body`` in ``coding`` (``br``, ``gzip``; ``identity`` returns it unchanged).

    gzip output carries no time stamp, so the same body always gives the same bytes.
    """
    if coding == "gzip":
        return gzip.compress(body, GZIP_LEVEL, mtime=0)
    if coding == "br":
        if BROTLI is None:
            raise ValueError("brotli is not installed")
        return bytes(BROTLI.compress(body, quality=BROTLI_QUALITY))
    if coding == "identity":
        return body
    raise ValueError(f"unknown content coding {coding!r}")
