"""``loopwise edit``: change fields of one factor, link, source or organisation (a revision).

The whole map is validated before anything is written; evidence (quotes) is not edited here,
so that a quote only ever changes through the review queue or the web editor.

Example:
    $ loopwise edit breaking-the-cycle link short-custodial-sentences--reoffending strength=medium
    $ loopwise edit breaking-the-cycle factor reoffending "label=Proven reoffending"
"""

from __future__ import annotations

import difflib
import json
from typing import Annotated, Any

import typer

from loopwise.cli.common import AuthorOpt, MapArg, author_name, clean_errors, console
from loopwise.errors import UnknownIdError, ValidationError

#: The map's collections this command edits, by the word used on the command line.
COLLECTIONS = {
    "factor": "factors",
    "link": "links",
    "source": "sources",
    "organisation": "organisations",
}
#: Fields that are not edited here: ids (other entities refer to them), a link's endpoints
#: (its id follows from them) and evidence (quotes stay exact; see ``loopwise evidence``).
FIXED_FIELDS = frozenset({"id", "from", "to", "evidence"})


@clean_errors
def edit_command(
    map_slug: MapArg,
    kind: Annotated[str, typer.Argument(help="factor, link, source or organisation.")],
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="The id of the one to change.")],
    assignments: Annotated[
        list[str],
        typer.Argument(
            metavar="FIELD=VALUE...",
            help='Fields to set; a VALUE that reads as JSON (0.8, true, null, ["a"]) is taken '
            "as JSON, anything else as text.",
        ),
    ],
    author: AuthorOpt = None,
) -> None:
    """Set fields of a factor, link, source or organisation, as one new revision.

    Ids, a link's endpoints and evidence are not edited here: evidence changes through
    `loopwise evidence` and the web editor, so that quotes stay exactly as read."""
    from loopwise.cli.common import open_cli_store
    from loopwise.model import Map

    if kind not in COLLECTIONS:
        raise ValidationError(
            f"unknown kind {kind!r} (choose one of {', '.join(COLLECTIONS)})", "KIND"
        )
    changes = parse_assignments(assignments)
    store = open_cli_store()
    version = store.version(map_slug)
    data = store.get_map(map_slug).to_dict()
    items = data.get(COLLECTIONS[kind], [])
    item = next((it for it in items if it.get("id") == entity_id), None)
    if item is None:
        close = difflib.get_close_matches(entity_id, [it["id"] for it in items], n=3)
        raise UnknownIdError(kind, entity_id, close)
    item.update(changes)
    edited = Map.from_dict(data, where=map_slug)
    fields = ", ".join(changes)
    revision = store.save_map(
        edited, author=author_name(author), based_on=version,
        message=f"edit {kind} {entity_id}: {fields}",
    )  # fmt: skip
    if revision is None:
        console.print(f"{map_slug}: no change ({kind} {entity_id} already has those values)",
                      highlight=False)  # fmt: skip
        return
    console.print(f"changed {kind} {entity_id} ({fields}): revision {revision.number}",
                  highlight=False)  # fmt: skip


def parse_assignments(texts: list[str]) -> dict[str, Any]:
    """``FIELD=VALUE`` texts as a dict; values that read as JSON are JSON, others text.

    >>> parse_assignments(["strength=0.8", "label=Housing", "delay=true", "tags=[\\"a\\"]"])
    {'strength': 0.8, 'label': 'Housing', 'delay': True, 'tags': ['a']}
    >>> parse_assignments(["evidence=[]"])
    Traceback (most recent call last):
    loopwise.errors.ValidationError: FIELD=VALUE: 'evidence' is not edited here (see --help)
    """
    values: dict[str, Any] = {}
    for text in texts:
        field, sep, raw = text.partition("=")
        field = field.strip()
        if not sep or not field:
            raise ValidationError(f"expected FIELD=VALUE, got {text!r}", "FIELD=VALUE")
        if field in FIXED_FIELDS:
            raise ValidationError(f"{field!r} is not edited here (see --help)", "FIELD=VALUE")
        try:
            values[field] = json.loads(raw)
        except ValueError:
            values[field] = raw
    return values
