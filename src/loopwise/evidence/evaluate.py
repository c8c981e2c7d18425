"""Measure a claim detector on labelled sentences: the causal/not-causal decision
(precision, recall, F1, accuracy, Matthews correlation) and, with cause/effect columns, the
cause and effect spans (token precision, recall and F1, direction checked).

The CSV has a text column and a label column (1/0, true/false, yes/no, causal/not); a blank
or unreadable label is refused with the row it is on. The optional cause and effect columns
hold one relation's gold span text; a sentence stating several relations takes one row per
relation (rows with the same text are one sentence, and must carry the same label).

Span scoring: each gold relation is paired with the predicted claim that overlaps it best
(cause against cause, effect against effect, so a reversed claim scores low), and scored by
token overlap (as in SQuAD): precision is the share of the claim's cause and effect tokens
that are in the gold spans, recall the share of the gold tokens found. A gold relation in a
sentence with no claim above the threshold scores 0.

Example:
    >>> rows = [("Rain caused floods.", "1"), ("We met on Tuesday.", "0")]
    >>> r = evaluate_rows([{"text": t, "label": y} for t, y in rows])
    >>> r.precision, r.recall, r.f1, r.accuracy, r.mcc
    (1.0, 1.0, 1.0, 1.0, 1.0)
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from loopwise.errors import ValidationError
from loopwise.evidence.cues import Claim
from loopwise.evidence.detect import ClaimDetector, RuleDetector

_TRUE = {"1", "true", "yes", "y", "causal", "t", "+"}
_FALSE = {"0", "false", "no", "n", "not", "not causal", "non-causal", "f", "-"}


@dataclass
class Prediction:
    """One sentence: its gold label, the decision, and the top claim (if any)."""

    id: str
    text: str
    gold: bool
    predicted: bool
    score: float
    cause: str = ""
    effect: str = ""
    polarity: str = ""
    cue: str = ""
    span_f1: float | None = None


@dataclass
class EvaluationReport:
    n: int
    positives: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float
    recall: float
    f1: float
    accuracy: float = 0.0
    mcc: float = 0.0
    threshold: float = 0.5
    detector: str = "rules"
    span_precision: float | None = None
    span_recall: float | None = None
    span_f1: float | None = None
    span_f1_cause: float | None = None
    span_f1_effect: float | None = None
    span_n: int = 0
    reversed: int = 0
    predictions: list[Prediction] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[str, bool, bool]]:
        """The misclassified sentences: (text, gold, predicted)."""
        return [(p.text, p.gold, p.predicted) for p in self.predictions if p.gold != p.predicted]


def evaluate_csv(
    path: str | Path,
    *,
    text_col: str = "text",
    label_col: str = "label",
    cause_col: str | None = None,
    effect_col: str | None = None,
    threshold: float = 0.5,
    detector: ClaimDetector | None = None,
) -> EvaluationReport:
    """Evaluate on a CSV file (see the module docstring).

    Raises
    ------
    ValidationError
        If the file is not UTF-8 text, a named column is missing, or a label is blank or
        unreadable (the message names the row).
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            for column in (text_col, label_col, cause_col, effect_col):
                if column is not None and column not in columns:
                    raise ValidationError(f"no column {column!r} (columns: {columns})", str(path))
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise ValidationError(f"not UTF-8 text (byte {exc.start})", str(path)) from None
    except OSError as exc:
        raise ValidationError(f"cannot read the file ({exc.strerror})", str(path)) from None
    if cause_col is None and effect_col is None and {"cause", "effect"} <= set(columns):
        cause_col, effect_col = "cause", "effect"
    return evaluate_rows(
        rows,
        text_col=text_col,
        label_col=label_col,
        cause_col=cause_col,
        effect_col=effect_col,
        threshold=threshold,
        detector=detector,
        where=str(path),
    )


@dataclass
class _Sentence:
    id: str
    text: str
    gold: bool
    relations: list[tuple[str, str]] = field(default_factory=list)


def evaluate_rows(
    rows: Iterable[Mapping[str, str | None]],
    *,
    text_col: str = "text",
    label_col: str = "label",
    cause_col: str | None = None,
    effect_col: str | None = None,
    threshold: float = 0.5,
    detector: ClaimDetector | None = None,
    where: str = "rows",
) -> EvaluationReport:
    """Evaluate ``detector`` (default: the rules) on rows of a labelled table.

    A sentence is called causal when one of its claims has at least ``threshold``
    confidence.

    >>> r = evaluate_rows([{"text": "Floods were caused by rain.", "label": "1",
    ...                     "cause": "rain", "effect": "Floods"}],
    ...                   cause_col="cause", effect_col="effect")
    >>> r.span_f1, r.reversed
    (1.0, 0)
    >>> evaluate_rows([{"text": "Rain.", "label": ""}])
    Traceback (most recent call last):
    ...
    loopwise.errors.ValidationError: rows: row 2: blank label (use 1/0, true/false, ...)
    """
    detector = detector or RuleDetector()
    sentences: dict[str, _Sentence] = {}
    for index, row in enumerate(rows, start=2):
        text = (row.get(text_col) or "").strip()
        raw_label = (row.get(label_col) or "").strip()
        if not text and not raw_label:
            continue  # an empty line
        here = f"{where}: row {index}"
        if not text:
            raise ValidationError(f"blank {text_col!r} with label {raw_label!r}", here)
        gold = _label(raw_label, here)
        sentence = sentences.get(text)
        if sentence is None:
            sentence = sentences[text] = _Sentence(str(row.get("id") or index), text, gold)
        elif sentence.gold != gold:
            raise ValidationError("the same sentence is labelled both causal and not", here)
        cause = (row.get(cause_col) or "").strip() if cause_col else ""
        effect = (row.get(effect_col) or "").strip() if effect_col else ""
        if gold and (cause or effect):
            sentence.relations.append((cause, effect))
    if not sentences:
        raise ValidationError("no labelled sentences", where)
    items = list(sentences.values())
    found = detector.claims([s.text for s in items])
    counts: Counter[str] = Counter()
    predictions: list[Prediction] = []
    cause_scores: list[float] = []
    effect_scores: list[float] = []
    span_p: list[float] = []
    span_r: list[float] = []
    span_f: list[float] = []
    reversed_ = 0
    for sentence, claims in zip(items, found, strict=True):
        claims = [c for c in claims if c.confidence >= threshold]
        predicted = bool(claims)
        counts[("t" if predicted == sentence.gold else "f") + ("p" if predicted else "n")] += 1
        top = claims[0] if claims else None
        prediction = Prediction(
            id=sentence.id,
            text=sentence.text,
            gold=sentence.gold,
            predicted=predicted,
            score=max((c.confidence for c in claims), default=0.0),
            cause=top.cause.text if top else "",
            effect=top.effect.text if top else "",
            polarity=top.polarity if top else "",
            cue=top.cue if top else "",
        )
        sentence_f1 = []
        for gold_cause, gold_effect in sentence.relations:
            p, r, f, fc, fe, swapped = _best_pairing(claims, gold_cause, gold_effect)
            span_p.append(p)
            span_r.append(r)
            span_f.append(f)
            cause_scores.append(fc)
            effect_scores.append(fe)
            sentence_f1.append(f)
            reversed_ += swapped
        if sentence_f1:
            prediction.span_f1 = round(sum(sentence_f1) / len(sentence_f1), 3)
        predictions.append(prediction)
    tp, fp, fn, tn = counts["tp"], counts["fp"], counts["fn"], counts["tn"]
    n = tp + fp + fn + tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    report = EvaluationReport(
        n=n,
        positives=tp + fn,
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        precision=round(precision, 3),
        recall=round(recall, 3),
        f1=round(f1, 3),
        accuracy=round((tp + tn) / n, 3),
        mcc=round(_mcc(tp, fp, fn, tn), 3),
        threshold=threshold,
        detector=detector.name,
        predictions=predictions,
    )
    if span_f:
        report.span_precision = _mean(span_p)
        report.span_recall = _mean(span_r)
        report.span_f1 = _mean(span_f)
        report.span_f1_cause = _mean(cause_scores)
        report.span_f1_effect = _mean(effect_scores)
        report.span_n = len(span_f)
        report.reversed = reversed_
    return report


def write_predictions(report: EvaluationReport, path: str | Path) -> None:
    """Write the per-sentence predictions as CSV or JSON (by the file's extension).

    Raises
    ------
    ValidationError
        If the extension is neither ``.csv`` nor ``.json``.
    """
    path = Path(path)
    rows = [asdict(p) for p in report.predictions]
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(Prediction.__dataclass_fields__))
            writer.writeheader()
            for row in rows:
                row["gold"], row["predicted"] = int(row["gold"]), int(row["predicted"])
                writer.writerow(row)
    else:
        raise ValidationError("predictions go to a .csv or .json file", str(path))


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 3)


def _mcc(tp: int, fp: int, fn: int, tn: int) -> float:
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def _best_pairing(
    claims: list[Claim], gold_cause: str, gold_effect: str
) -> tuple[float, float, float, float, float, int]:
    """(precision, recall, F1, cause F1, effect F1, reversed?) of the best-overlapping claim."""
    gc, ge = _tokens(gold_cause), _tokens(gold_effect)
    best = (0.0, 0.0, 0.0, 0.0, 0.0, 0)
    for claim in claims:
        pc, pe = _tokens(claim.cause.text), _tokens(claim.effect.text)
        common = _overlap(pc, gc) + _overlap(pe, ge)
        precision = common / (len(pc) + len(pe)) if pc or pe else 0.0
        recall = common / (len(gc) + len(ge)) if gc or ge else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        swapped_common = _overlap(pc, ge) + _overlap(pe, gc)
        if f1 > best[2] or (best[2] == 0 and swapped_common > 0):
            best = (
                precision,
                recall,
                f1,
                _token_f1(pc, gc),
                _token_f1(pe, ge),
                int(swapped_common > common),
            )
    return best


def _label(value: str, where: str) -> bool:
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if not value:
        raise ValidationError("blank label (use 1/0, true/false, yes/no or causal/not)", where)
    raise ValidationError(f"label {value!r} is not 1/0, true/false, yes/no or causal/not", where)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def _overlap(predicted: list[str], gold: list[str]) -> int:
    return sum((Counter(predicted) & Counter(gold)).values())


def _token_f1(p: list[str], g: list[str]) -> float:
    if not p or not g:
        return float(p == g)
    common = _overlap(p, g)
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)
