"""Read the Causal News Corpus V2 training split into sentences with cause/effect spans, and
split it into our own train/validation parts by document (never the corpus's dev/test).

Used by ``scripts/train_causal_detector.py``; run alone it writes the two parts as CSV files
that ``loopwise evidence evaluate`` reads (one row per relation; rows with the same text are
one sentence):

    python scripts/causal_corpus.py ../shared/corpora/causal-news-corpus-v2 /tmp/lw-nlp
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

VALIDATION_SHARE = 5  # one document in five (by a hash of its id) is validation
_TAG = re.compile(r"</?(ARG0|ARG1|SIG\d*)>")


@dataclass
class Relation:
    cause: tuple[int, int]
    effect: tuple[int, int]
    signal: tuple[int, int] | None = None


@dataclass
class CorpusSentence:
    doc_id: str
    sent_id: str
    text: str
    label: int
    relations: list[Relation] = field(default_factory=list)


def is_validation(doc_id: str) -> bool:
    """Whether a document belongs to our validation part (stable across runs)."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % VALIDATION_SHARE == 0


def _parse_pairs(marked: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """``<ARG0>x</ARG0> y`` -> plain text and the character span of each tag."""
    out: list[str] = []
    opened: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    length = 0
    for m in _TAG.finditer(marked):
        piece = marked[pos : m.start()]
        out.append(piece)
        length += len(piece)
        name = m.group(1)
        if m.group(0).startswith("</"):
            if name in opened:
                spans[name] = (opened.pop(name), length)
        else:
            opened[name] = length
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


def _strip_span(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def read_corpus(folder: str | Path) -> list[CorpusSentence]:
    """Every training sentence (subtask 1 labels) with its relations (subtask 2 spans)."""
    folder = Path(folder)
    sentences: dict[str, CorpusSentence] = {}
    with (folder / "train_subtask1.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            doc_id, _, sent_id = row["index"].rpartition("_")
            sentences[row["index"]] = CorpusSentence(
                doc_id, sent_id, row["text"], int(row["label"])
            )
    with (folder / "train_subtask2.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            key = f"{row['doc_id']}_{row['sent_id']}"
            plain, spans = _parse_pairs(row["text_w_pairs"])
            sentence = sentences.get(key)
            if sentence is None:
                sentence = sentences[key] = CorpusSentence(
                    row["doc_id"], row["sent_id"], row["text"], 1
                )
            if "ARG0" not in spans or "ARG1" not in spans:
                continue
            if plain != sentence.text:
                if plain.strip() != sentence.text.strip():
                    continue
                shift = len(plain) - len(plain.lstrip())
                spans = {k: (a - shift, b - shift) for k, (a, b) in spans.items()}
            signal = next((v for k, v in spans.items() if k.startswith("SIG")), None)
            sentence.relations.append(
                Relation(
                    _strip_span(sentence.text, spans["ARG0"]),
                    _strip_span(sentence.text, spans["ARG1"]),
                    signal,
                )
            )
    return sorted(sentences.values(), key=lambda s: (s.doc_id, int(s.sent_id)))


def write_csv(sentences: list[CorpusSentence], path: Path) -> None:
    """One row per relation (a causal sentence without spans, or a non-causal one: one row)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label", "cause", "effect"])
        for s in sentences:
            sid = f"{s.doc_id}_{s.sent_id}"
            if not s.relations:
                writer.writerow([sid, s.text, s.label, "", ""])
            for r in s.relations:
                writer.writerow(
                    [sid, s.text, s.label, s.text[slice(*r.cause)], s.text[slice(*r.effect)]]
                )


def main(argv: list[str]) -> None:
    folder, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    sentences = read_corpus(folder)
    train = [s for s in sentences if not is_validation(s.doc_id)]
    val = [s for s in sentences if is_validation(s.doc_id)]
    write_csv(train, out / "cnc_train.csv")
    write_csv(val, out / "cnc_val.csv")
    for name, part in (("train", train), ("validation", val)):
        print(
            f"{name}: {len(part)} sentences, {sum(s.label for s in part)} causal, "
            f"{sum(len(s.relations) for s in part)} relations, "
            f"{len({s.doc_id for s in part})} documents"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
