"""``loopwise evidence``: ingest documents, suggest causal claims, review them, evaluate the
suggester, and compare subgroups.

Example:
    $ loopwise evidence ingest breaking-the-cycle talk.txt --participant p07 --attr gender=female
    $ loopwise evidence suggest talk.txt --map breaking-the-cycle --format json
    $ loopwise evidence suggest talk.txt --map breaking-the-cycle --save
    $ loopwise evidence review breaking-the-cycle
    $ loopwise evidence accept breaking-the-cycle 3 --link homelessness--reoffending
    $ loopwise evidence evaluate tests/data/evidence/gold.csv
    $ loopwise evidence subgroup breaking-the-cycle --where gender=female
    $ loopwise evidence diff breaking-the-cycle --a gender=female --b gender=male
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from loopwise.cli.common import (
    AuthorOpt,
    MapArg,
    author_name,
    clean_errors,
    console,
    escape_markup,
    fail,
    open_cli_store,
    working,
)
from loopwise.cli.output import (
    FormatOpt,
    check_format,
    id_column,
    print_table,
    write_csv,
    write_json,
    write_rows,
)
from loopwise.errors import ValidationError

evidence_app = typer.Typer(
    help="Evidence from transcripts and literature: ingest, suggest, review, evaluate.",
    no_args_is_help=True,
)

FilesArg = Annotated[list[Path], typer.Argument(help="Documents: .txt, .md, .docx, .pdf.")]
DetectorOpt = Annotated[
    str,
    typer.Option(
        help="auto (the trained detector if the [nlp] extra is installed), rules or trained."
    ),
]
REVIEW_KEYS = {"a": "accept", "r": "reject", "s": "skip", "q": "quit"}


def _attributes(items: list[str] | None) -> dict[str, str]:
    attrs = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"bad --attr {item!r}: use key=value")
        attrs[key.strip()] = value.strip()
    return attrs


@evidence_app.command("ingest")
@clean_errors
def ingest(
    map_slug: MapArg,
    files: FilesArg,
    participant: Annotated[
        str | None, typer.Option(help="Participant id (makes the source an interview).")
    ] = None,
    attr: Annotated[
        list[str] | None, typer.Option("--attr", help="key=value attribute (repeatable).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="Source kind (default: interview with a participant, else literature)."),
    ] = None,
    author: AuthorOpt = None,
) -> None:
    """Add documents to a map as sources, with their exact text split into sentences."""
    from loopwise.evidence.documents import read_document
    from loopwise.workbench import ingest_file

    attrs = _attributes(attr)
    if participant and len(files) > 1:
        raise fail("--participant names one person: ingest their files one at a time")
    for path in files:  # read them all first: one bad file writes nothing
        read_document(path)
    store = open_cli_store()
    for path in files:
        doc = ingest_file(
            store, map_slug, path, author=author_name(author), participant=participant,
            attributes=attrs, kind=kind,
        )  # fmt: skip
        if doc.created:
            console.print(
                f"ingested {escape_markup(doc.name)} as source {doc.source} "
                f"(document {doc.id}, {doc.sentences} sentences, {doc.format}"
                f"{', ' + doc.encoding if doc.encoding else ''})",
                highlight=False,
            )
        else:
            console.print(
                f"{escape_markup(path.name)} is already in {map_slug} as source {doc.source} "
                f"(document {doc.id}); nothing changed",
                highlight=False,
            )


@evidence_app.command("suggest")
@clean_errors
def suggest(
    file: Annotated[Path, typer.Argument(help="A document (.txt, .md, .docx, .pdf).")],
    map_slug: Annotated[
        str | None, typer.Option("--map", help="Match causes and effects to this map's factors.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    matcher: Annotated[
        str,
        typer.Option(
            help="auto (embeddings if the [nlp] extra is installed), lexical or embeddings."
        ),
    ] = "auto",
    save: Annotated[
        bool,
        typer.Option("--save", help="Queue the suggestions for review (document ingested first)."),
    ] = False,
    min_confidence: Annotated[float, typer.Option(help="Leave out weaker claims.")] = 0.5,
    detector: DetectorOpt = "auto",
) -> None:
    """Suggest the causal claims a document states, with exact quotes and offsets."""
    from loopwise.evidence.detect import get_detector
    from loopwise.evidence.documents import read_document
    from loopwise.evidence.suggest import suggest_claims

    if output_format not in ("table", "json"):
        raise fail(f"unknown format {output_format!r}: use table or json")
    if matcher not in ("auto", "lexical", "embeddings"):
        raise fail(f"unknown matcher {matcher!r}: use auto, lexical or embeddings")
    if save and not map_slug:
        raise fail("--save needs --map")
    with working(f"reading {file.name} for causal claims"):
        document = read_document(file)
        claim_detector = get_detector(detector)
        store = map_ = chosen = None
        if map_slug:
            store = open_cli_store()
            map_ = store.get_map(map_slug)
            chosen = _matcher(matcher, map_)
        suggestions = suggest_claims(
            document.text, map_, matcher=chosen, min_confidence=min_confidence,
            detector=claim_detector,
        )  # fmt: skip
    if save:
        from loopwise.workbench import find_document, save_suggestions

        assert store is not None and map_slug is not None  # --save needs --map (checked above)
        stored = find_document(store, map_slug, document.sha256)
        if stored is None:
            raise fail(
                f"{file.name} is not in {map_slug} yet: run `loopwise evidence ingest "
                f"{map_slug} {file}` first"
            )
        added = save_suggestions(
            store, map_slug, stored.id, [s.model_dump(mode="json") for s in suggestions]
        )
        err = typer.echo
        err(f"queued {added} new suggestion(s) for review in {map_slug}", err=True)
    elif suggestions:
        typer.echo(_how_to_queue(file, map_slug), err=True)
    if output_format == "json":
        body = {
            "file": str(file),
            "sha256": document.sha256,
            "detector": claim_detector.name,
            "matcher": chosen.name if chosen else "none",
            "suggestions": [s.model_dump(mode="json") for s in suggestions],
        }
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        return
    if not suggestions:
        console.print(f"no causal claims found in {escape_markup(file.name)}")
        return
    table = Table("offsets", "cause", "effect", "pol", "conf", "cue", "factors", show_lines=True)
    for s in suggestions:
        factors = " -> ".join(
            (span.factors[0].factor if span.factors
             else f"new: {(span.new_factor or {}).get('id')}")
            if (span.factors or span.new_factor) else "?"
            for span in (s.cause, s.effect)
        )  # fmt: skip
        if s.kind == "loop":
            factors = f"loop {' -> '.join(s.loop) or '?'}; closing: {factors}"
        table.add_row(
            f"{s.start}-{s.end}",
            escape_markup(s.cause.text),
            escape_markup(s.effect.text),
            s.link_polarity or s.polarity,
            f"{s.confidence:.2f}",
            s.cue,
            escape_markup(factors) if map_ else "",
        )
    print_table(table)
    console.print(f"{len(suggestions)} suggestion(s) in {escape_markup(file.name)}")


def _how_to_queue(file: Path, map_slug: str | None) -> str:
    slug = map_slug or "MAP"
    return (
        f"not queued: to review these, run `loopwise evidence ingest {slug} {file}` (once) "
        f"and `loopwise evidence suggest {file} --map {slug} --save`"
    )


def _matcher(name: str, map_: Any) -> Any:
    from loopwise.evidence.embeddings import EmbeddingMatcher, nlp_available
    from loopwise.evidence.matching import LexicalMatcher

    if name == "lexical" or (name == "auto" and not nlp_available()):
        return LexicalMatcher(map_.factors)
    return EmbeddingMatcher(map_.factors)


@evidence_app.command("review")
@clean_errors
def review(
    map_slug: MapArg,
    status: Annotated[
        str, typer.Option(help="suggested, accepted, rejected or all.")
    ] = "suggested",
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Go through the queue: a/r/s/q keys.")
    ] = False,
    author: AuthorOpt = None,
    format: FormatOpt = "table",
) -> None:
    """List the review queue, or go through it (-i): a accept, r reject, s skip, q quit."""
    from loopwise.workbench import accept_suggestion, list_suggestions, reject_suggestion

    check_format(format)

    store = open_cli_store()
    items = list_suggestions(store, map_slug, None if status == "all" else status)
    if not interactive:
        if format != "table":
            rows = [{"id": i.id, "status": i.status, "source": i.source, "document": i.document,
                     "link": i.link, **i.data} for i in items]  # fmt: skip
            if format == "json":
                write_json({"map": map_slug, "suggestions": rows})
            else:
                write_csv(rows, ("id", "status", "source", "document", "link", "quote", "start",
                                 "end", "polarity", "link_polarity", "confidence"))  # fmt: skip
            return
        table = Table("id", "status", "source", "quote", "cause -> effect", "pol",
                      id_column("link / factors"))  # fmt: skip
        for item in items:
            d = item.data
            guess = item.link or _endpoints(d)
            table.add_row(
                str(item.id), item.status, item.source, escape_markup(d["quote"][:120]),
                escape_markup(f"{d['cause']['text']} -> {d['effect']['text']}"),
                d.get("link_polarity") or d["polarity"], escape_markup(guess),
            )  # fmt: skip
        print_table(table)
        console.print(f"{len(items)} suggestion(s)")
        return
    coder = author_name(author)
    for item in items:
        d = item.data
        console.print(
            f"\n[bold]#{item.id}[/] {escape_markup(item.document)} {d['start']}-{d['end']}"
        )
        console.print(escape_markup(d["quote"]), highlight=False)
        console.print(
            f"cause: {escape_markup(d['cause']['text'])}\n"
            f"effect: {escape_markup(d['effect']['text'])}"
            f"\npolarity {d.get('link_polarity') or d['polarity']}  suggested link: "
            f"{escape_markup(_endpoints(d))}",
            highlight=False,
        )
        if d.get("kind") == "loop":
            console.print(
                f"loop: {escape_markup(' -> '.join(d.get('loop') or []) or '?')} "
                "(accepting adds this curated loop and puts the quote on the link that "
                "closes it)",
                highlight=False,
            )
        key = _read_key("[a]ccept [r]eject [s]kip [q]uit")
        if key == "q":
            break
        if key == "r":
            reject_suggestion(store, map_slug, item.id, based_on=item.version, coder=coder)
            console.print("rejected")
        elif key == "a":
            target = typer.prompt("link id, or FROM TO", default=_endpoints(d).replace(" -> ", " "))
            _accept(store, map_slug, item, target, coder, accept_suggestion)


def _read_key(prompt: str) -> str:
    """One key press (no Enter) among :data:`REVIEW_KEYS`; another key asks again, the end
    of input quits."""
    console.print(f"{escape_markup(prompt)} ", end="", highlight=False)
    while True:
        try:
            key = typer.getchar().lower()
        except (EOFError, KeyboardInterrupt):
            key = "q"
        if not key:  # end of input
            key = "q"
        if key in REVIEW_KEYS:
            console.print(REVIEW_KEYS[key], highlight=False)
            return key
        if key.strip():
            console.print(
                f"\n{escape_markup(key)!s} is not a choice: press a, r, s or q ", end="",
                highlight=False,
            )  # fmt: skip


def _endpoints(d: dict[str, Any]) -> str:
    names = []
    for span in (d["cause"], d["effect"]):
        if span.get("factors"):
            names.append(span["factors"][0]["factor"])
        elif span.get("new_factor"):
            names.append(span["new_factor"]["id"])
        else:
            names.append("?")
    return " -> ".join(names)


def _accept(store: Any, slug: str, item: Any, target: str, coder: str, accept: Any) -> None:
    parts = target.replace("->", " ").split()
    d = item.data
    polarity = d.get("link_polarity") or d["polarity"]
    if len(parts) == 1 and "--" in parts[0]:
        result = accept(store, slug, item.id, coder=coder, link_id=parts[0],
                        suggestion_version=item.version)  # fmt: skip
    elif len(parts) == 2:
        map_ = store.get_map(slug)
        known = {f.id for f in map_.factors}
        new_factors = [
            span["new_factor"] for span in (d["cause"], d["effect"])
            if span.get("new_factor")
            and span["new_factor"]["id"] in parts
            and span["new_factor"]["id"] not in known
        ]  # fmt: skip
        link_ids = {(lk.source_factor, lk.target_factor): lk.id for lk in map_.links}
        existing = link_ids.get((parts[0], parts[1]))
        if existing:
            result = accept(store, slug, item.id, coder=coder, link_id=existing,
                            suggestion_version=item.version)  # fmt: skip
        else:
            result = accept(
                store, slug, item.id, coder=coder, suggestion_version=item.version,
                new_link={"from": parts[0], "to": parts[1], "polarity": polarity},
                new_factors=new_factors,
            )  # fmt: skip
    else:
        raise ValidationError(f"give a link id (a--b) or two factor ids, not {target!r}")
    support = _support_line(store.get_map(slug), result.link)
    console.print(f"accepted #{item.id} as evidence on {result.link}: {support}")
    if d.get("kind") == "loop":
        loops = store.get_map(slug).curated_loops
        made = [lp for lp in loops if lp.narrative == d["quote"]]
        if made:
            console.print(f"curated loop {made[-1].id}: {' -> '.join(made[-1].factors)}")


def _support_line(map_: Any, link_id: str) -> str:
    from loopwise.evidence.aggregate import link_support

    s = link_support(map_)[link_id]
    text = (
        f"{s.evidence} quote(s) from {s.sources} source(s), {s.participants} participant(s), "
        f"{s.interview} interview / {s.literature} literature; confidence {s.score:.2f} ({s.level})"
    )
    if s.conflicting:
        text += f"; {s.conflicting} quote(s) state the opposite polarity"
    return text


@evidence_app.command("accept")
@clean_errors
def accept(
    map_slug: MapArg,
    suggestion_id: Annotated[int, typer.Argument(help="The suggestion's id (see review).")],
    link: Annotated[str | None, typer.Option(help="Attach to this existing link (a--b).")] = None,
    from_factor: Annotated[
        str | None, typer.Option("--from", help="New link: cause factor.")
    ] = None,
    to_factor: Annotated[str | None, typer.Option("--to", help="New link: effect factor.")] = None,
    polarity: Annotated[str | None, typer.Option(help="New link's polarity (+ or -).")] = None,
    author: AuthorOpt = None,
) -> None:
    """Accept a suggestion: its quote becomes accepted evidence on a link (a new revision)."""
    from loopwise.workbench import accept_suggestion, get_suggestion

    store = open_cli_store()
    item = get_suggestion(store, map_slug, suggestion_id)
    if link:
        target = link
    elif from_factor and to_factor:
        target = f"{from_factor} {to_factor}"
    else:
        target = _endpoints(item.data).replace(" -> ", " ")
    if polarity:
        item.data["link_polarity"] = polarity
    _accept(store, map_slug, item, target, author_name(author), accept_suggestion)


@evidence_app.command("reject")
@clean_errors
def reject(
    map_slug: MapArg,
    suggestion_id: Annotated[int, typer.Argument(help="The suggestion's id.")],
    author: AuthorOpt = None,
) -> None:
    """Reject a suggestion (it stays in the queue as rejected)."""
    from loopwise.workbench import get_suggestion, reject_suggestion

    store = open_cli_store()
    item = get_suggestion(store, map_slug, suggestion_id)
    reject_suggestion(
        store, map_slug, suggestion_id, based_on=item.version, coder=author_name(author)
    )
    console.print(f"rejected #{suggestion_id}")


@evidence_app.command("evaluate")
@clean_errors
def evaluate(
    gold: Annotated[Path, typer.Argument(help="CSV of labelled sentences.")],
    text_col: Annotated[str, typer.Option(help="Column with the sentence.")] = "text",
    label_col: Annotated[str, typer.Option(help="Column with the label (1/0).")] = "label",
    cause_col: Annotated[str | None, typer.Option(help="Gold cause span column.")] = None,
    effect_col: Annotated[str | None, typer.Option(help="Gold effect span column.")] = None,
    show_errors: Annotated[
        bool, typer.Option("--errors", help="List misclassified sentences.")
    ] = False,
    threshold: Annotated[
        float, typer.Option(help="A sentence is causal when a claim is at least this confident.")
    ] = 0.5,
    predictions: Annotated[
        Path | None,
        typer.Option(help="Write each sentence's prediction to this .csv or .json file."),
    ] = None,
    detector: DetectorOpt = "auto",
) -> None:
    """Precision, recall, F1, accuracy and MCC of the causal/not-causal decision, and the
    cause/effect spans' token precision, recall and F1 (direction checked)."""
    from loopwise.evidence.detect import get_detector
    from loopwise.evidence.evaluate import evaluate_csv, write_predictions

    if not 0.0 <= threshold <= 1.0:
        raise fail(f"--threshold {threshold} is not between 0 and 1")
    if predictions is not None and predictions.suffix.lower() not in (".csv", ".json"):
        raise fail(f"--predictions {predictions}: use a .csv or .json file")
    with working(f"evaluating the detector on {gold.name}"):
        r = evaluate_csv(
            gold, text_col=text_col, label_col=label_col, cause_col=cause_col,
            effect_col=effect_col, threshold=threshold, detector=get_detector(detector),
        )  # fmt: skip
    console.print(
        f"detector {r.detector}, threshold {r.threshold:g}; sentences {r.n} "
        f"(causal {r.positives}, not causal {r.n - r.positives}); "
        f"tp {r.tp} fp {r.fp} fn {r.fn} tn {r.tn}",
        highlight=False,
    )
    console.print(
        f"precision {r.precision:.3f}  recall {r.recall:.3f}  F1 {r.f1:.3f}  "
        f"accuracy {r.accuracy:.3f}  MCC {r.mcc:.3f}",
        highlight=False,
    )
    if r.span_f1 is not None:
        console.print(
            f"span token-F1 over {r.span_n} relations: precision {r.span_precision:.3f}  "
            f"recall {r.span_recall:.3f}  F1 {r.span_f1:.3f} (cause {r.span_f1_cause:.3f}  "
            f"effect {r.span_f1_effect:.3f}; {r.reversed} reversed)",
            highlight=False,
        )
    if predictions is not None:
        write_predictions(r, predictions)
        console.print(f"predictions written to {escape_markup(str(predictions))}")
    if show_errors:
        for text, gold_label, _predicted in r.errors:
            kind = "missed" if gold_label else "false alarm"
            console.print(f"{kind}: {escape_markup(text)}", highlight=False)


def _print_support(map_: Any, format: str = "table", extra: dict[str, Any] | None = None) -> None:
    from loopwise.evidence.aggregate import link_support

    rows: list[dict[str, Any]] = [
        {"link": s.link, "polarity": s.polarity, "quotes": s.evidence, "sources": s.sources,
         "participants": s.participants, "interview": s.interview, "literature": s.literature,
         "agreement": round(s.agreement, 4), "confidence": round(s.score, 4), "level": s.level}
        for s in link_support(map_).values()
    ]  # fmt: skip
    if write_rows(format, {**(extra or {}), "links": rows}, rows):
        return
    table = Table(id_column("link"), "pol", "quotes", "sources", "participants", "interview",
                  "literature", "agreement", "confidence")  # fmt: skip
    for r in rows:
        table.add_row(r["link"], r["polarity"], str(r["quotes"]), str(r["sources"]),
                      str(r["participants"]), str(r["interview"]), str(r["literature"]),
                      f"{r['agreement']:.2f}", f"{r['confidence']:.2f} {r['level']}")  # fmt: skip
    print_table(table)


@evidence_app.command("support")
@clean_errors
def support(map_slug: MapArg, format: FormatOpt = "table") -> None:
    """Every link's support: sources, participants, kinds, polarity agreement, confidence."""
    check_format(format)
    _print_support(open_cli_store().get_map(map_slug), format, {"map": map_slug})


@evidence_app.command("subgroup")
@clean_errors
def subgroup(
    map_slug: MapArg,
    where: Annotated[
        list[str], typer.Option("--where", help="key=value or key<number (repeatable).")
    ],
    format: FormatOpt = "table",
) -> None:
    """The map as told by the sources matching the filters only."""
    from loopwise.evidence.subgroups import parse_filters, subgroup_map

    check_format(format)
    sub = subgroup_map(open_cli_store().get_map(map_slug), parse_filters(where))
    _print_support(sub, format, {"map": map_slug, "where": where})
    if format != "table":
        return
    console.print(f"{len(sub.links)} link(s) supported by sources where {' and '.join(where)}")


@evidence_app.command("diff")
@clean_errors
def diff(
    map_slug: MapArg,
    a: Annotated[list[str], typer.Option("--a", help="Subgroup A filter (repeatable).")],
    b: Annotated[list[str], typer.Option("--b", help="Subgroup B filter (repeatable).")],
    format: FormatOpt = "table",
) -> None:
    """Links in one subgroup map and not the other, or with different polarity or support."""
    from loopwise.evidence.subgroups import diff_subgroups, parse_filters, subgroup_map

    check_format(format)
    map_ = open_cli_store().get_map(map_slug)
    changes = diff_subgroups(
        subgroup_map(map_, parse_filters(a)), subgroup_map(map_, parse_filters(b))
    )
    rows = [{"link": c.link, "difference": c.change, "a": c.a, "b": c.b} for c in changes]
    if write_rows(format, {"map": map_slug, "a": a, "b": b, "differences": rows}, rows):
        return
    table = Table(id_column("link"), "difference", f"A ({' '.join(a)})", f"B ({' '.join(b)})")
    for change in changes:
        table.add_row(change.link, change.change.replace("_", " "), change.a, change.b)
    print_table(table)
    console.print(f"{len(changes)} difference(s)")
