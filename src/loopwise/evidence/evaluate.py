"""Measure the suggester on labelled sentences: sentence-level precision, recall and F1, and
(with cause/effect columns) span-level token F1.

The CSV has a text column and a label column (1/0, true/false, yes/no, causal/not); the
optional cause and effect columns hold the gold span text. Span F1 is the token-overlap F1
(as in SQuAD) of the top claim's span against the gold span, averaged over the gold-causal
sentences that have spans (a sentence with no predicted claim scores 0).

Example:
    >>> rows = [("Rain caused floods.", True), ("We met on Tuesday.", False)]
    >>> r = evaluate_rows([{"text": t, "label": str(int(y))} for t, y in rows])
    >>> r.precision, r.recall, r.f1
    (1.0, 1.0, 1.0)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from loopwise.errors import ValidationError
from loopwise.evidence.rules import find_claims

_TRUE = {"1", "true", "yes", "y", "causal", "t", "+"}
_FALSE = {"0", "false", "no", "n", "not", "not causal", "non-causal", "f", "-", ""}


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
    span_f1_cause: float | None = None
    span_f1_effect: float | None = None
    span_n: int = 0
    errors: list[tuple[str, bool, bool]] = field(default_factory=list)

    @property
    def span_f1(self) -> float | None:
        if self.span_f1_cause is None or self.span_f1_effect is None:
            return None
        return round((self.span_f1_cause + self.span_f1_effect) / 2, 3)


def evaluate_csv(
    path: str | Path,
    *,
    text_col: str = "text",
    label_col: str = "label",
    cause_col: str | None = None,
    effect_col: str | None = None,
    threshold: float = 0.5,
) -> EvaluationReport:
    """Evaluate on a CSV file (see the module docstring)."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        for column in (text_col, label_col, cause_col, effect_col):
            if column is not None and column not in columns:
                raise ValidationError(f"no column {column!r} (columns: {columns})", str(path))
        rows = list(reader)
    if cause_col is None and effect_col is None and {"cause", "effect"} <= set(columns):
        cause_col, effect_col = "cause", "effect"
    return evaluate_rows(
        rows,
        text_col=text_col,
        label_col=label_col,
        cause_col=cause_col,
        effect_col=effect_col,
        threshold=threshold,
        where=str(path),
    )


def evaluate_rows(
    rows: Iterable[Mapping[str, str]],
    *,
    text_col: str = "text",
    label_col: str = "label",
    cause_col: str | None = None,
    effect_col: str | None = None,
    threshold: float = 0.5,
    where: str = "rows",
) -> EvaluationReport:
    tp = fp = fn = tn = 0
    cause_scores: list[float] = []
    effect_scores: list[float] = []
    errors = []
    n = 0
    for index, row in enumerate(rows, start=2):
        text = (row.get(text_col) or "").strip()
        if not text:
            continue
        gold = _label(row.get(label_col) or "", f"{where}: row {index}")
        claims = [c for c in find_claims(text) if c.confidence >= threshold]
        predicted = bool(claims)
        n += 1
        if gold and predicted:
            tp += 1
        elif predicted:
            fp += 1
        elif gold:
            fn += 1
        else:
            tn += 1
        if gold != predicted:
            errors.append((text, gold, predicted))
        if gold and cause_col and effect_col and (row.get(cause_col) or row.get(effect_col)):
            best = claims[0] if claims else None
            cause_scores.append(
                _token_f1(best.cause.text if best else "", row.get(cause_col) or "")
            )
            effect_scores.append(
                _token_f1(best.effect.text if best else "", row.get(effect_col) or "")
            )
    if n == 0:
        raise ValidationError("no labelled sentences", where)
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
        errors=errors,
    )
    if cause_scores:
        report.span_f1_cause = round(sum(cause_scores) / len(cause_scores), 3)
        report.span_f1_effect = round(sum(effect_scores) / len(effect_scores), 3)
        report.span_n = len(cause_scores)
    return report


def _label(value: str, where: str) -> bool:
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError(f"label {value!r} is not 1/0, true/false, yes/no or causal/not", where)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def _token_f1(predicted: str, gold: str) -> float:
    p, g = _tokens(predicted), _tokens(gold)
    if not p or not g:
        return float(p == g)
    common = 0
    remaining = list(g)
    for token in p:
        if token in remaining:
            remaining.remove(token)
            common += 1
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)
