"""Read a document (plain text, Markdown, DOCX, PDF) into exact text.

The text loopwise keeps is the decoded file exactly (for ``.txt`` and ``.md``), or the text
extracted from a DOCX (python-docx: one paragraph per line) or a PDF (pypdf: one page after
another, separated by a blank line). Offsets of sentences and quotes refer to this text.
Bad input is refused with a :class:`DocumentError` naming the file: an empty file, a binary
file, a file larger than :data:`MAX_DOCUMENT_BYTES`, a file whose encoding cannot be told.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "talk.txt"
    >>> _ = path.write_bytes("I was homeless, so I reoffended.".encode("utf-16"))
    >>> doc = read_document(path)
    >>> doc.text, doc.encoding, doc.format
    ('I was homeless, so I reoffended.', 'utf_16', 'text')
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from loopwise.errors import ValidationError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
"""Largest file accepted (20 MiB): a long transcript is well under 1 MiB."""

MAX_TEXT_CHARS = 5_000_000
"""Most characters of text a DOCX or PDF may give (about 2,500 pages)."""
MAX_PARAGRAPHS = 200_000
"""Most paragraphs a DOCX may have."""
MAX_EXTRACT_SECONDS = 60.0
"""Longest text extraction from one DOCX or PDF may take."""
_MAX_INFLATED_BYTES = 5 * MAX_DOCUMENT_BYTES

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst", ""})


class DocumentError(ValidationError):
    """A document that cannot be read as text (empty, binary, too big, undecodable)."""


@dataclass(frozen=True)
class Document:
    """A document's exact text, how it was read, and the SHA-256 of that text."""

    name: str
    text: str
    format: str  # text / markdown / docx / pdf
    encoding: str | None
    sha256: str


def content_hash(text: str) -> str:
    """SHA-256 of the text (UTF-8): the same words read from any encoding hash alike."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(path: str | Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read ``path`` as a document; raise :class:`DocumentError` if it cannot be.

    Raises ``OSError`` (``FileNotFoundError``...) if the file cannot be opened.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentError(
            f"file is {size / 1024 / 1024:.1f} MiB; the limit is "
            f"{max_bytes / 1024 / 1024:.0f} MiB (split it into smaller documents)",
            str(path),
        )
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".docx":
        text, fmt, encoding = _read_docx(data, path), "docx", None
    elif suffix == ".pdf":
        text, fmt, encoding = _read_pdf(data, path), "pdf", None
    else:
        text, encoding = decode_text(data, str(path))
        fmt = "markdown" if suffix in (".md", ".markdown") else "text"
    if not text.strip():
        raise DocumentError("the document has no text", str(path))
    return Document(path.name, text, fmt, encoding, content_hash(text))


def decode_text(data: bytes, where: str = "document") -> tuple[str, str]:
    """Decode bytes of unknown encoding: BOMs first, then UTF-8, then detection.

    Returns ``(text, encoding)``. Raises :class:`DocumentError` for empty or binary data or
    data in no encoding that can be told.

    >>> decode_text("café".encode("cp1252"))
    ('café', 'cp1252')
    """
    if not data.strip():
        raise DocumentError("the file is empty", where)
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf_8_sig"),
        (b"\xff\xfe\x00\x00", "utf_32"),
        (b"\x00\x00\xfe\xff", "utf_32"),
        (b"\xff\xfe", "utf_16"),
        (b"\xfe\xff", "utf_16"),
    ):
        if data.startswith(bom):
            try:
                return _normalise_newlines(data.decode(encoding)), encoding
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise DocumentError(
            "this looks like a binary file, not text (supported: .txt, .md, .docx, .pdf)", where
        )
    try:
        return _normalise_newlines(data.decode("utf-8")), "utf_8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # detection needs text to go on: a short snippet is most likely Windows Western
    if len(data) < 1024:
        try:
            return _normalise_newlines(data.decode("cp1252")), "cp1252"
        except UnicodeDecodeError:
            pass
    # multi-byte guesses for NUL-free data are wrong (UTF-16 text is full of NULs)
    for match in from_bytes(data):
        if not match.encoding.startswith(("utf_16", "utf_32")):
            return _normalise_newlines(data.decode(match.encoding)), match.encoding
    try:  # short Western text: detection has too little to go on
        return _normalise_newlines(data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError:
        raise DocumentError(
            "cannot tell this file's text encoding; save it as UTF-8 and try again", where
        ) from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark: every other byte of ASCII text is NUL."""
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    encoding = "utf_16_le" if odd > len(head) // 4 and even == 0 else None
    if even > len(head) // 4 and odd == 0:
        encoding = "utf_16_be"
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _looks_binary(text[:4096].encode("utf-8", "replace")):
        return None
    return _normalise_newlines(text), encoding


def _normalise_newlines(text: str) -> str:
    # offsets are counted on the text as stored, so a Windows file is stored with \n
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return len(head) > 0 and controls / len(head) > 0.05


def _read_docx(data: bytes, path: Path) -> str:
    """Paragraph texts, one a line: the zip is inflated with a byte cap first, and the
    paragraphs, characters and seconds spent are bounded."""
    import time

    try:
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise DocumentError("reading .docx needs python-docx", str(path)) from exc
    from loopwise.errors import ImportFormatError
    from loopwise.formats.archive import inflate_zip, stored_zip

    try:
        members = inflate_zip(data, str(path), "DOCX", max_bytes=_MAX_INFLATED_BYTES)
    except ImportFormatError as exc:
        message = exc.message.replace("not a valid DOCX file", "not a readable .docx file")
        raise DocumentError(message, str(path)) from None
    try:
        document = docx.Document(io.BytesIO(stored_zip(members)))
    except Exception as exc:  # python-docx raises many kinds for a broken file
        raise DocumentError(f"not a readable .docx file ({type(exc).__name__})", str(path)) from exc
    deadline = time.monotonic() + MAX_EXTRACT_SECONDS
    lines: list[str] = []
    size = 0
    body = document.element.body
    # the body's own paragraphs, as ``document.paragraphs`` gives them, one at a time
    for count, element in enumerate(body.iterchildren(qn("w:p")), start=1):
        if count > MAX_PARAGRAPHS:
            raise DocumentError(
                f"more than {MAX_PARAGRAPHS:,} paragraphs: refused (split the document)", str(path)
            )
        if count % 1000 == 0 and time.monotonic() > deadline:
            raise DocumentError(
                f"reading the text took more than {MAX_EXTRACT_SECONDS:g} s: refused", str(path)
            )
        line = Paragraph(element, document).text
        size += len(line) + 1
        if size > MAX_TEXT_CHARS:
            raise _too_much_text(path)
        lines.append(line)
    return "\n".join(lines)


def _too_much_text(path: Path) -> DocumentError:
    return DocumentError(
        f"the document holds more than {MAX_TEXT_CHARS:,} characters of text: refused "
        "(split it into smaller documents)",
        str(path),
    )


def _read_pdf(data: bytes, path: Path) -> str:
    import time

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    deadline = time.monotonic() + MAX_EXTRACT_SECONDS
    pages: list[str] = []
    size = 0
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError("the PDF is encrypted; export an unlocked copy", str(path))
        for number, page in enumerate(reader.pages, start=1):
            if time.monotonic() > deadline:
                raise DocumentError(
                    f"reading the text took more than {MAX_EXTRACT_SECONDS:g} s: refused "
                    f"(at page {number})",
                    str(path),
                )
            text = (page.extract_text() or "").strip()
            size += len(text) + 2
            if size > MAX_TEXT_CHARS:
                raise _too_much_text(path)
            pages.append(text)
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OverflowError, MemoryError) as exc:  # fmt: skip
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise DocumentError(f"not a readable PDF ({detail})", str(path)) from None
    text = "\n\n".join(page for page in pages if page)
    if not text.strip():
        raise DocumentError("the PDF has no extractable text (a scan needs OCR first)", str(path))
    return text
