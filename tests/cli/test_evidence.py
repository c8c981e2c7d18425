"""`loopwise evidence`: ingest -> suggest -> review -> accept -> support -> subgroups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.cli import app

runner = CliRunner()
DATA = Path(__file__).parents[1] / "data" / "evidence"
SEED = Path(__file__).parents[3] / "shared" / "seeds" / "000_8becc94c9f9319c9.txt"
MAP = "breaking-the-cycle"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOOPWISE_AUTHOR", "coder1")
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


#: One accepted interview quote on a link: the confidence rule's score for a single interview
#: (see loopwise.model.confidence), written out so that a change to the rule shows here.
PINNED_NEW_LINK_CONFIDENCE = 0.35
PINNED_NEW_LINK_LEVEL = "low"


def run(*args: str, input: str | None = None):
    return runner.invoke(app, ["evidence", *args], input=input)


@pytest.mark.skipif(not SEED.exists(), reason="shared/seeds is not beside the repository")
def test_suggest_json_on_the_seed_finds_the_key_claims() -> None:
    result = run("suggest", str(SEED), "--format", "json", "--matcher", "lexical", "--map", MAP)
    assert result.exit_code == 0, result.output
    text = SEED.read_text(encoding="utf-8")
    suggestions = json.loads(result.stdout)["suggestions"]
    for s in suggestions:
        assert text[s["start"] : s["end"]] == s["quote"]
        for span in (s["cause"], s["effect"]):
            assert text[span["start"] : span["end"]] == span["text"]
    quotes = " ".join(s["quote"] for s in suggestions)
    assert "these sentences can worsen existing problems" in quotes
    assert "benefits are not going to pay for their drug addiction" in quotes
    assert "released without any support to help them find accommodation" in quotes
    assert "because they just recall you" in quotes


def test_end_to_end(tmp_path: Path) -> None:
    p01 = str(DATA / "interview_p01.txt")
    p02 = str(DATA / "interview_p02.txt")
    ok = run(
        "ingest",
        MAP,
        p01,
        "--participant",
        "p01",
        "--attr",
        "gender=female",
        "--attr",
        "sentence_months=6",
    )
    assert ok.exit_code == 0 and "as source p01" in ok.output, ok.output
    again = run("ingest", MAP, p01, "--participant", "p01")
    assert "already in" in again.output
    assert (
        run(
            "ingest",
            MAP,
            p02,
            "--participant",
            "p02",
            "--attr",
            "gender=male",
            "--attr",
            "sentence_months=24",
        ).exit_code
        == 0
    )

    saved = run("suggest", p01, "--map", MAP, "--matcher", "lexical", "--save")
    assert saved.exit_code == 0 and "queued" in saved.output, saved.output
    assert run("suggest", p02, "--map", MAP, "--matcher", "lexical", "--save").exit_code == 0
    listing = run("review", MAP)
    assert "nowhere to live" in listing.output

    from loopwise.store import open_store
    from loopwise.workbench import list_suggestions

    store = open_store()
    items = {i.data["quote"][:20]: i for i in list_suggestions(store, MAP)}
    first = next(i for q, i in items.items() if q.startswith("I came out"))
    before = store.get_map(MAP).link_confidence("settled-accommodation--reoffending")
    accepted = run(
        "accept",
        MAP,
        str(first.id),
        "--link",
        "settled-accommodation--reoffending",
    )
    assert accepted.exit_code == 0 and "confidence" in accepted.output, accepted.output
    after = store.get_map(MAP).link_confidence("settled-accommodation--reoffending")
    assert after.evidence_count == before.evidence_count + 1 and after.score >= before.score

    other = next(i for q, i in items.items() if q.startswith("My key worker"))
    # one key per decision, no Enter; a typo asks again instead of ending the review
    interactive = run("review", MAP, "-i", input="xsq")
    assert interactive.exit_code == 0 and "[a]ccept" in interactive.output, interactive.output
    assert "x is not a choice: press a, r, s or q" in interactive.output
    assert interactive.output.count("skip") == 1 and "quit" in interactive.output
    rejected = run("review", MAP, "-i", input="r")  # the end of input quits
    assert rejected.exit_code == 0 and "rejected" in rejected.output, rejected.output
    assert run("reject", MAP, "999").exit_code == 1
    new_link = run(
        "accept",
        MAP,
        str(other.id),
        "--from",
        "help-finding-accommodation",
        "--to",
        "family-ties",
        "--polarity",
        "+",
    )
    assert new_link.exit_code == 0, new_link.output
    assert (
        store.get_map(MAP).link("help-finding-accommodation--family-ties").evidence[0].coder
        == "coder1"
    )

    women = run("subgroup", MAP, "--where", "gender=female")
    assert women.exit_code == 0 and "settled-accommodation" in women.output, women.output
    short = run("subgroup", MAP, "--where", "sentence_months<12")
    assert "1 link(s)" in short.output
    diff = run("diff", MAP, "--a", "gender=female", "--b", "gender=male")
    assert diff.exit_code == 0 and "only a" in diff.output, diff.output
    support = run("support", MAP, "--format", "json")
    assert support.exit_code == 0, support.output
    links = {row["link"]: row for row in json.loads(support.stdout)["links"]}
    # the new link holds the one accepted quote, from one interview with one participant
    assert links["help-finding-accommodation--family-ties"] == {
        "link": "help-finding-accommodation--family-ties", "polarity": "+", "quotes": 1,
        "sources": 1, "participants": 1, "interview": 1, "literature": 0, "agreement": 1.0,
        "confidence": PINNED_NEW_LINK_CONFIDENCE, "level": PINNED_NEW_LINK_LEVEL,
    }  # fmt: skip
    grown = links["settled-accommodation--reoffending"]
    assert grown["quotes"] == after.evidence_count and grown["interview"] >= 1
    table = run("support", MAP)
    assert "help-finding-accommodation--family-ties" in table.output
    assert f"{PINNED_NEW_LINK_CONFIDENCE:.2f} {PINNED_NEW_LINK_LEVEL}" in table.output


def test_bad_inputs_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    for path in (empty, binary, tmp_path / "missing.txt"):
        result = run("ingest", MAP, str(DATA / "interview_p01.txt"), str(path))
        assert result.exit_code == 1
        assert result.output.startswith("error:") and result.output.count("\n") <= 2, result.output
    from loopwise.cli.common import open_cli_store
    from loopwise.workbench import list_documents

    assert list_documents(open_cli_store(), MAP) == []  # the good file was not half-ingested
    none = run("suggest", str(DATA / "no_claims.txt"))
    assert none.exit_code == 0 and "no causal claims" in none.output
    assert run("suggest", str(DATA / "no_claims.txt"), "--save").exit_code == 1
    not_ingested = run(
        "suggest", str(DATA / "interview_p02.txt"), "--map", MAP, "--save", "--matcher", "lexical"
    )
    assert not_ingested.exit_code == 1 and "ingest" in not_ingested.output


def test_evaluate_reports_precision_recall_f1(tmp_path: Path) -> None:
    out = tmp_path / "predictions.json"
    result = run(
        "evaluate", str(DATA / "gold.csv"), "--detector", "rules", "--threshold", "0.6",
        "--predictions", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for word in ("precision", "accuracy", "MCC", "span token-F1", "reversed", "threshold 0.6"):
        assert word in result.output, result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 133
    bad = run("evaluate", str(DATA / "gold.csv"), "--label-col", "nope")
    assert bad.exit_code == 1 and "no column 'nope'" in bad.output
    blank = tmp_path / "blank.csv"
    blank.write_text("text,label\nRain caused floods.,1\nWe met.,\n", encoding="utf-8")
    refused = run("evaluate", str(blank), "--detector", "rules")
    assert refused.exit_code == 1 and "blank.csv: row 3: blank label" in refused.output
    assert refused.output.count("\n") <= 2, refused.output
    for args in (("--threshold", "1.5"), ("--predictions", "p.txt"), ("--detector", "magic")):
        wrong = run("evaluate", str(DATA / "gold.csv"), *args)
        assert wrong.exit_code == 1 and wrong.output.startswith("error:"), wrong.output


SMALL_GOLD = """text,label,cause,effect
Losing your housing leads to reoffending.,1,Losing your housing,reoffending
Debt causes stress for the whole family.,1,Debt,stress for the whole family
We met on a Tuesday in the library.,0,,
The weather was cold that winter.,0,,
"Because of the long waiting lists, people gave up on treatment.",1,the long waiting lists,people gave up on treatment
Mentoring helped me find a job.,1,Mentoring,find a job
The report was published in 2021.,0,,
The road leads to the station.,0,,
"""


def test_evaluate_numbers_on_a_small_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "small.csv"
    gold.write_text(SMALL_GOLD, encoding="utf-8")
    result = run("evaluate", str(gold), "--detector", "rules", "--cause-col", "cause",
                 "--effect-col", "effect", "--errors")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # the cue rules find the four causal sentences and take "leads to" in a road for a cause
    assert lines[0] == (
        "detector rules, threshold 0.5; sentences 8 (causal 4, not causal 4); tp 4 fp 1 fn 0 tn 3"
    )
    # precision 4/5; recall 4/4; F1 2(.8)(1)/1.8; accuracy 7/8; MCC 12/sqrt(5*4*4*3)
    assert lines[1] == ("precision 0.800  recall 1.000  F1 0.889  accuracy 0.875  MCC 0.775")
    # spans: all exact but "Mentoring helped me find a job.", whose effect is read as "a job"
    # (2 of the 3 gold tokens): effect F1 .8 there, .95 on average; pooled over cause and
    # effect 3 of 4 tokens (recall .75, F1 .857), so recall .9375 and F1 .964 on average
    assert lines[2] == (
        "span token-F1 over 4 relations: precision 1.000  recall 0.938  F1 0.964 "
        "(cause 1.000  effect 0.950; 0 reversed)"
    )
    assert lines[3:] == ["false alarm: The road leads to the station."]


def test_suggest_without_save_says_how_to_queue_and_json_has_the_cue_span() -> None:
    path = DATA / "interview_p01.txt"
    result = run("suggest", str(path), "--format", "json", "--detector", "rules")
    assert result.exit_code == 0, result.output
    assert f"loopwise evidence ingest MAP {path}" in result.stderr
    assert "--save" in result.stderr
    text = path.read_text(encoding="utf-8")
    suggestions = json.loads(result.stdout)["suggestions"]
    assert suggestions
    for s in suggestions:
        assert text[s["cue_start"] : s["cue_end"]].lower().split()[0] in s["quote"].lower()


@pytest.mark.skipif(not SEED.exists(), reason="shared/seeds is not beside the repository")
def test_suggest_turns_a_vicious_circle_into_a_loop_suggestion() -> None:
    result = run(
        "suggest", str(SEED), "--format", "json", "--matcher", "lexical", "--map", MAP,
        "--detector", "rules",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    loops = [s for s in json.loads(result.stdout)["suggestions"] if s["kind"] == "loop"]
    assert len(loops) == 1, loops
    loop = loops[0]
    assert loop["quote"].endswith("It then becomes a vicious circle.")
    assert loop["quote"].startswith("A lot of women go into prison")
    assert loop["cue"] == "vicious circle" and loop["cause"]["text"] == "wrecks their lives"


def test_review_accepts_the_seed_vicious_circle_as_a_curated_loop(tmp_path: Path) -> None:
    from evidence.test_loops import SEED_PARAGRAPH
    from loopwise.store import open_store

    path = tmp_path / "women.txt"
    path.write_text(SEED_PARAGRAPH + "\n", encoding="utf-8")
    assert run("ingest", MAP, str(path), "--participant", "w1").exit_code == 0
    saved = run("suggest", str(path), "--map", MAP, "--matcher", "lexical", "--detector",
                "rules", "--save")  # fmt: skip
    assert saved.exit_code == 0 and "queued 2" in saved.output, saved.output
    before = open_store().get_map(MAP)
    # skip the link claim, accept the loop claim with the closing link it suggests
    result = run("review", MAP, "-i", input="sa\n")
    assert result.exit_code == 0, result.output
    assert "accepting adds this curated loop" in result.output
    assert "curated loop vicious-circle-family-contact-support-wrecks-their-lives" in result.output
    after = open_store().get_map(MAP)
    assert len(after.curated_loops) == len(before.curated_loops) + 1
    loop = after.curated_loop("vicious-circle-family-contact-support-wrecks-their-lives")
    assert loop.factors == ["family-contact-support", "wrecks-their-lives"]
    assert loop.kind == "R" and loop.narrative == SEED_PARAGRAPH
    assert after.factor("wrecks-their-lives").label == "Wrecks their lives"
    assert after.link("family-contact-support--wrecks-their-lives").polarity == "-"
