"""Zip archives (XLSX, DOCX, a zip of CSV files) inflated with a byte cap.

Every zip loopwise reads goes through :func:`inflate_zip`: each member is inflated in small
chunks straight from its compressed bytes, counting the bytes that actually come out, so a
member whose directory entry understates its size (a zip bomb) is stopped at the cap and
never held in memory; the declared sizes are never trusted. A member that inflates to more
or less than it declares, or fails its CRC, is a damaged archive. Libraries that open zips
themselves (openpyxl, python-docx) get :func:`stored_zip` of the checked members, so they
never inflate anything.

Example:
    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("a.txt", "hello " * 1000)
    >>> members = inflate_zip(buffer.getvalue(), "a.zip", "zip")
    >>> len(members["a.txt"])
    6000
    >>> inflate_zip(buffer.getvalue(), "a.zip", "zip", max_bytes=100)
    Traceback (most recent call last):
    ...
    loopwise.errors.ImportFormatError: a.zip: a.txt inflates to more than the 100-byte limit \
of the whole archive (a zip bomb?)
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

from loopwise.errors import ImportFormatError

_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile's own layout of a local file header
_LOCAL_SIGNATURE = b"PK\003\004"
_MAX_MEMBERS = 10_000


def _open(raw: bytes, where: str, what: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError):
        raise ImportFormatError(
            f"not a valid {what} file (damaged or truncated zip)", where
        ) from None
    if len(infos) > _MAX_MEMBERS:
        raise ImportFormatError(
            f"the {what} archive has {len(infos):,} members (at most {_MAX_MEMBERS:,})", where
        )
    return archive


def _compressed_bytes(raw: bytes, info: zipfile.ZipInfo, where: str) -> bytes:
    """The member's compressed bytes, found from its local header (bounded by the file)."""
    start = info.header_offset
    header = raw[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise ImportFormatError(f"{info.filename}: damaged zip entry (bad local header)", where)
    fields = _LOCAL_HEADER.unpack(header)
    name_length, extra_length = fields[-2], fields[-1]
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    return raw[begin : begin + info.compress_size]


def _inflate(data: bytes, info: zipfile.ZipInfo, budget: int, where: str, what: str) -> bytes:
    """Inflate one member chunk by chunk, refusing it once ``budget`` bytes have come out."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise ImportFormatError(f"{name} is encrypted: refused", where)
    if info.compress_type == zipfile.ZIP_STORED:
        out = data
        if len(out) > budget:
            raise _too_big(name, where)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        parts: list[bytes] = []
        size = 0
        pending = data
        try:
            while pending and not inflater.eof:
                part = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                size += len(part)
                if size > budget:
                    raise _too_big(name, where)
                parts.append(part)
                if not part and not pending:
                    break
            rest = inflater.flush()  # at most a window's worth of already-consumed input
            size += len(rest)
            if size > budget:
                raise _too_big(name, where)
            parts.append(rest)
        except zlib.error:
            raise ImportFormatError(
                f"{name}: damaged compressed data in the {what} archive", where
            ) from None
        out = b"".join(parts)
    else:
        raise ImportFormatError(
            f"{name} uses zip compression method {info.compress_type}, which loopwise does not "
            "read (only stored and deflate, as spreadsheet and word processors write)",
            where,
        )
    if len(out) != info.file_size:
        raise ImportFormatError(
            f"{name} inflates to {len(out):,} bytes but its directory entry says "
            f"{info.file_size:,} (damaged or forged archive)",
            where,
        )
    if zlib.crc32(out) & 0xFFFFFFFF != info.CRC:
        raise ImportFormatError(f"{name} fails its CRC check (damaged archive)", where)
    return out


def _too_big(name: str, where: str) -> ImportFormatError:
    return ImportFormatError(
        f"{name} inflates to more than the limit of the whole archive (a zip bomb?)", where
    )


def inflate_zip(
    raw: bytes,
    where: str,
    what: str,
    *,
    max_bytes: int | None = None,
    only: Iterable[str] | None = None,
) -> dict[str, bytes]:
    """Every member of a zip (or those named in ``only``), inflated with a byte cap.

    Parameters
    ----------
    raw
        The zip file's bytes.
    where, what
        The file's name and what kind of file it is (``"XLSX"``), for error messages.
    max_bytes
        The most bytes the members may inflate to, all together (default: the import limit,
        ``LOOPWISE_MAX_IMPORT_BYTES``).
    only
        Member names to inflate; others are skipped (missing ones are simply absent).

    Raises
    ------
    loopwise.errors.ImportFormatError
        Not a zip, a damaged or encrypted member, a bad CRC, a member that inflates past the
        cap or to another size than it declares.
    """
    from loopwise.formats.files import max_import_bytes

    limit = max_import_bytes() if max_bytes is None else max_bytes
    archive = _open(raw, where, what)
    wanted = None if only is None else set(only)
    members: dict[str, bytes] = {}
    used = 0
    for info in archive.infolist():
        if info.is_dir() or (wanted is not None and info.filename not in wanted):
            continue
        try:
            data = _inflate(_compressed_bytes(raw, info, where), info, limit - used, where, what)
        except ImportFormatError as exc:
            if "more than the limit" in exc.message:
                raise ImportFormatError(
                    f"{info.filename} inflates to more than the {limit:,}-byte limit of the "
                    "whole archive (a zip bomb?)",
                    where,
                ) from None
            raise
        used += len(data)
        members[info.filename] = data
    return members


def stored_zip(members: dict[str, bytes]) -> bytes:
    """An uncompressed zip of already-checked members, for libraries that open zips."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def member_names(raw: bytes) -> list[str]:
    """The member names of a zip, or ``[]`` when it is not one (for format detection)."""
    try:
        return zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError):
        return []
