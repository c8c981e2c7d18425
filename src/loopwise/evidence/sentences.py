"""Split text into sentences without losing a single character's place.

Every :class:`Sentence` keeps ``start`` and ``end`` offsets into the original text, so
``text[s.start:s.end] == s.text`` always holds: quotes are shown exactly and in context.
The splitter is pure Python (no model): it ends a sentence at ``.``, ``!``, ``?`` or ``…``
followed by space and an upper-case letter, a quote or a digit, and at blank lines, and it
knows common abbreviations (``e.g.``, ``Mr.``, ``etc.``).

Example:
    >>> text = "I lost my flat. So I slept rough, e.g. in parks.\\n\\nThen I got arrested."
    >>> [(s.start, s.text) for s in split_sentences(text)]
    [(0, 'I lost my flat.'), (16, 'So I slept rough, e.g. in parks.'), (50, 'Then I got arrested.')]
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Sentence(NamedTuple):
    """One sentence: its text and its ``[start, end)`` offsets in the document."""

    start: int
    end: int
    text: str


_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "fig",
        "approx",
        "cf",
        "al",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "dept",
        "govt",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)

# a candidate end: terminal punctuation (and closing quotes/brackets), then white space
_END = re.compile(r"""[.!?…]+['"’”)\]]*(?=\s)""")
# blank lines (paragraph breaks) always end a sentence
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_NEXT_STARTS_SENTENCE = re.compile(r"""\s+['"‘“(\[]*[A-Z0-9]""")


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with exact character offsets.

    Leading and trailing white space is left out of each sentence; nothing else is dropped
    or changed.

    >>> split_sentences("  Hello world.  ")
    [Sentence(start=2, end=14, text='Hello world.')]
    """
    sentences: list[Sentence] = []
    for para_start, para_end in _paragraphs(text):
        start = para_start
        for match in _END.finditer(text, para_start, para_end):
            end = match.end()
            if not _is_boundary(text, match.start(), end, para_end):
                continue
            _append(sentences, text, start, end)
            start = end
        _append(sentences, text, start, para_end)
    return sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _is_boundary(text: str, punct_start: int, end: int, para_end: int) -> bool:
    if not _NEXT_STARTS_SENTENCE.match(text, end, para_end):
        return False
    if text[punct_start] == "." and end - punct_start == 1:
        word = re.search(r"([A-Za-z.]+)$", text[max(0, punct_start - 12) : punct_start])
        if word:
            token = word.group(1).lower().strip(".")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                return False
    return True


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end]))
