"""`loopwise.evidence.evaluate`: sentence metrics, span scoring with direction, refusals."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from loopwise.errors import ValidationError
from loopwise.evidence.evaluate import evaluate_csv, evaluate_rows, write_predictions

DATA = Path(__file__).parents[1] / "data" / "evidence"


def rows(*items: tuple[str, str, str, str]) -> list[dict[str, str]]:
    return [dict(zip(("text", "label", "cause", "effect"), item, strict=True)) for item in items]


def test_accuracy_and_mcc() -> None:
    r = evaluate_rows(
        rows(
            ("Rain caused floods.", "1", "", ""),
            ("Debt triggered my relapse.", "yes", "", ""),
            ("We met on Tuesday.", "0", "", ""),
            ("I stayed in all week.", "1", "", ""),  # missed: a false negative
        )
    )
    assert (r.tp, r.fp, r.fn, r.tn) == (2, 0, 1, 1)
    assert r.accuracy == 0.75 and r.mcc == 0.577


def test_threshold_decides_what_counts_as_causal() -> None:
    data = rows(("Protests continued amid the crisis.", "1", "", ""))  # "amid" is 0.5
    assert evaluate_rows(data, threshold=0.5).tp == 1
    assert evaluate_rows(data, threshold=0.6).fn == 1


def test_span_scoring_checks_direction() -> None:
    right = evaluate_rows(
        rows(("Floods were caused by rain.", "1", "rain", "Floods")),
        cause_col="cause",
        effect_col="effect",
    )
    reversed_ = evaluate_rows(
        rows(("Floods were caused by rain.", "1", "Floods", "rain")),
        cause_col="cause",
        effect_col="effect",
    )
    assert right.span_f1 == 1.0 and right.reversed == 0
    assert reversed_.span_f1 == 0.0 and reversed_.reversed == 1


def test_several_relations_in_one_sentence_are_one_sentence() -> None:
    text = "Debt triggered my relapse, and the relapse led to my eviction."
    r = evaluate_rows(
        rows(
            (text, "1", "Debt", "my relapse"),
            (text, "1", "the relapse", "my eviction"),
        ),
        cause_col="cause",
        effect_col="effect",
    )
    assert r.n == 1 and r.span_n == 2
    assert r.span_f1 == 1.0


@pytest.mark.parametrize(
    ("label", "message"),
    [("", "row 2: blank label"), ("maybe", "row 2: label 'maybe' is not")],
)
def test_blank_or_unreadable_labels_are_refused(label: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        evaluate_rows(rows(("Rain caused floods.", label, "", "")))


def test_conflicting_labels_for_one_sentence_are_refused() -> None:
    with pytest.raises(ValidationError, match="row 3: the same sentence is labelled both"):
        evaluate_rows(
            rows(("Rain caused floods.", "1", "", ""), ("Rain caused floods.", "0", "", ""))
        )


def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("text,label\ncaf\xe9 caused it,1\n".encode("latin-1"))
    with pytest.raises(ValidationError, match="latin1.csv: not UTF-8"):
        evaluate_csv(path)


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_predictions_are_written_per_sentence(tmp_path: Path, suffix: str) -> None:
    report = evaluate_csv(DATA / "gold.csv")
    out = tmp_path / f"predictions{suffix}"
    write_predictions(report, out)
    if suffix == ".json":
        written = json.loads(out.read_text(encoding="utf-8"))
    else:
        with out.open(encoding="utf-8", newline="") as handle:
            written = list(csv.DictReader(handle))
    assert len(written) == report.n
    first = written[0]
    assert {"id", "text", "gold", "predicted", "score", "cause", "effect", "cue"} <= set(first)
    assert first["id"] == "seed-00"
    with pytest.raises(ValidationError, match="a .csv or .json file"):
        write_predictions(report, tmp_path / "predictions.txt")
