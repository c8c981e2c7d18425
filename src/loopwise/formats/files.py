"""Reading a file to import, with a size limit checked before anything is read.

Every reader of map files, portfolio spreadsheets and evidence documents reads its bytes
through :func:`read_file_bytes` (or checks bytes it was given with :func:`check_size`), so one
setting, ``LOOPWISE_MAX_IMPORT_BYTES`` (default 50 MB), bounds them all.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.json"
    >>> _ = path.write_bytes(b"{}")
    >>> read_file_bytes(path)
    b'{}'
    >>> read_file_bytes(path, max_bytes=1)
    Traceback (most recent call last):
    ...
    loopwise.errors.ImportFormatError: ...m.json: file is 2 bytes, over the 1-byte limit
"""

from __future__ import annotations

import os
from pathlib import Path

from loopwise.errors import ImportFormatError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_import_bytes() -> int:
    """The largest file an import reads (``LOOPWISE_MAX_IMPORT_BYTES``, default 50 MB)."""
    raw = os.environ.get("LOOPWISE_MAX_IMPORT_BYTES")
    if raw is None:
        return DEFAULT_MAX_BYTES
    try:
        return max(1, int(raw))
    except ValueError:
        raise ImportFormatError(
            f"must be a whole number of bytes, got {raw!r}", "LOOPWISE_MAX_IMPORT_BYTES"
        ) from None


def read_file_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path``, refusing missing files, folders and files over the limit
    (checked before anything is read)."""
    where = str(path)
    limit = max_import_bytes() if max_bytes is None else max_bytes
    try:
        if path.is_dir():
            raise ImportFormatError("is a folder, not a file", where)
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFormatError("no such file", where) from None
    if size > limit:
        raise ImportFormatError(f"file is {size:,} bytes, over the {limit:,}-byte limit", where)
    return path.read_bytes()


def check_size(raw: bytes, where: str) -> None:
    """Refuse data over the import limit (for bytes that did not come from a file)."""
    limit = max_import_bytes()
    if len(raw) > limit:
        raise ImportFormatError(f"data is {len(raw):,} bytes, over the {limit:,}-byte limit", where)
