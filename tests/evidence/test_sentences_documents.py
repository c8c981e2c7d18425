"""Sentence splitting with exact offsets, and reading documents in any encoding."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loopwise.evidence.documents import DocumentError, decode_text, read_document
from loopwise.evidence.sentences import split_sentences

SEED = Path(__file__).parents[3] / "shared" / "seeds" / "000_8becc94c9f9319c9.txt"
DATA = Path(__file__).parents[1] / "data" / "evidence"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_every_sentence_is_an_exact_slice(text: str) -> None:
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


def test_abbreviations_and_paragraphs() -> None:
    text = "See e.g. Dr. Smith. Then go.\n\nNew para here"
    assert [s.text for s in split_sentences(text)] == [
        "See e.g. Dr. Smith.",
        "Then go.",
        "New para here",
    ]


@pytest.mark.skipif(not SEED.exists(), reason="shared/seeds is not beside the repository")
def test_seed_offsets_match_the_builtin_map_quotes() -> None:
    text = SEED.read_text(encoding="utf-8")
    starts = {s.start: s for s in split_sentences(text)}
    assert starts[3190].end == 3337  # the built-in map's quote on short sentences
    assert starts[3339].end == 3558


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_common_encodings_decode(encoding: str) -> None:
    text = "I couldn’t pay the rent, so I lost the flat. Café was closed.\n" * 30
    if encoding == "cp1252":
        text = text.replace("’", "'")
    decoded, _ = decode_text(text.encode(encoding))
    assert decoded == text


def test_windows_newlines_are_normalised() -> None:
    assert decode_text(b"one.\r\ntwo.")[0] == "one.\ntwo."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (bytes(range(256)) * 20, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "binary"),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        read_document(path)


def test_too_big_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # a sparse 100 MB file
    with pytest.raises(DocumentError, match="limit"):
        read_document(path)


def test_docx_is_read(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("I lost my job because of my record.")
    document.add_paragraph("Then I lost the flat.")
    path = tmp_path / "talk.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.format == "docx"
    assert doc.text == "I lost my job because of my record.\nThen I lost the flat."


def test_broken_docx_and_pdf_are_clear_errors(tmp_path: Path) -> None:
    for name in ("broken.docx", "broken.pdf"):
        path = tmp_path / name
        path.write_bytes(b"this is not really a " + name.encode())
        with pytest.raises(DocumentError, match="not a readable"):
            read_document(path)


def test_pdf_without_text_is_a_clear_error(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "blank.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(DocumentError, match="no extractable text"):
        read_document(path)


def test_sample_interview_reads() -> None:
    doc = read_document(DATA / "interview_p01.txt")
    assert doc.format == "text" and len(doc.sha256) == 64
