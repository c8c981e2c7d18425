"""Revisions: every change to a map, with who, when and the exact before/after.

A map is a set of *entities* keyed by ``(collection, id)``: the map's own fields
(``("map", slug)``), and each theme, stage, source, factor, link (with its evidence), curated
loop, organisation, intervention and view. A :class:`Change` records one entity's data and
list position before and after; a :class:`Revision` groups the changes made together.
:func:`decompose` and :func:`compose` turn a map into entities and back, :func:`diff_entities`
finds the changes between two states and :func:`apply_changes` replays them forwards or
backwards, so history, diff, undo and restore are exact.

Example:
    >>> from loopwise.model.map import Map
    >>> old = Map(slug="m", title="Old title")
    >>> new = Map(slug="m", title="New title")
    >>> [(c.collection, c.entity_id, c.after["title"]) for c in diff_maps(old, new)]
    [('map', 'm', 'New title')]
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Collection = Literal[
    "map",
    "theme",
    "stage",
    "source",
    "factor",
    "link",
    "loop",
    "organisation",
    "intervention",
    "view",
]

# collection name -> the Map field that holds its list (the map itself is special)
COLLECTION_FIELDS: dict[Collection, str] = {
    "theme": "themes",
    "stage": "stages",
    "source": "sources",
    "factor": "factors",
    "link": "links",
    "loop": "loops",
    "organisation": "organisations",
    "intervention": "interventions",
    "view": "views",
}
# order in which entities are composed and written: things referred to come first
COLLECTION_ORDER: tuple[Collection, ...] = ("map", *COLLECTION_FIELDS)

EntityKey = tuple[Collection, str]
EntityState = dict[EntityKey, tuple[int, dict[str, Any]]]
"""``(collection, id) -> (position in its list, JSON data)``"""


class Change(BaseModel):
    """One entity's state before and after a revision (``None`` = absent)."""

    model_config = ConfigDict(extra="forbid")

    collection: Collection
    entity_id: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    position_before: int | None = None
    position_after: int | None = None

    @property
    def action(self) -> Literal["added", "removed", "changed", "moved"]:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed" if self.before != self.after else "moved"

    def inverted(self) -> Change:
        return Change(
            collection=self.collection,
            entity_id=self.entity_id,
            before=self.after,
            after=self.before,
            position_before=self.position_after,
            position_after=self.position_before,
        )


class Revision(BaseModel):
    """One change to a map: its number (= the map's version after it), who, when, what."""

    model_config = ConfigDict(extra="forbid")

    map_slug: str
    number: int = Field(ge=1)
    author: str
    created_at: datetime
    message: str = ""
    changes: list[Change] = Field(default_factory=list)


OWNER_SETTINGS: tuple[str, ...] = ("title", "description", "licence", "visibility")
"""The map's own fields only its owners may change (who may read it, what it is called)."""

_MAP_FIELDS_EXCLUDED = set(COLLECTION_FIELDS.values()) | {"slug", "created", "updated"}


def decompose(map_: Any) -> EntityState:
    """Split a :class:`~loopwise.model.map.Map` into entities (``created``/``updated`` are
    the store's business and are left out)."""
    data = map_.model_dump(mode="json", by_alias=True, exclude_none=True)
    meta = {k: v for k, v in data.items() if k not in _MAP_FIELDS_EXCLUDED}
    state: EntityState = {("map", map_.slug): (0, meta)}
    for collection, field in COLLECTION_FIELDS.items():
        for position, item in enumerate(data.get(field, [])):
            state[(collection, item["id"])] = (position, item)
    return state


def compose(state: EntityState) -> Any:
    """Build a validated Map from entities (the inverse of :func:`decompose`)."""
    from loopwise.model.map import Map

    map_keys = [key for key in state if key[0] == "map"]
    if len(map_keys) != 1:
        raise ValueError(f"expected one map entity, found {len(map_keys)}")
    slug = map_keys[0][1]
    body: dict[str, Any] = {"slug": slug, **state[map_keys[0]][1]}
    for collection, field in COLLECTION_FIELDS.items():
        items = sorted(
            ((pos, data) for (coll, _), (pos, data) in state.items() if coll == collection),
            key=lambda pair: pair[0],
        )
        body[field] = [data for _, data in items]
    return Map.from_dict(body, where=f"map {slug}", stored=True)


def diff_entities(old: EntityState, new: EntityState) -> list[Change]:
    """The changes that turn ``old`` into ``new``, in a stable order."""
    changes: list[Change] = []
    rank = {name: i for i, name in enumerate(COLLECTION_ORDER)}
    for key in sorted(old.keys() | new.keys(), key=lambda k: (rank[k[0]], k[1])):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        changes.append(
            Change(
                collection=key[0],
                entity_id=key[1],
                before=before[1] if before else None,
                after=after[1] if after else None,
                position_before=before[0] if before else None,
                position_after=after[0] if after else None,
            )
        )
    return changes


def diff_maps(old: Any, new: Any) -> list[Change]:
    """The changes between two maps (``old`` may be ``None`` for a new map)."""
    return diff_entities(decompose(old) if old is not None else {}, decompose(new))


def keep_settings(current: EntityState, target: EntityState) -> EntityState:
    """``target`` with the map's :data:`OWNER_SETTINGS` as they are in ``current``.

    Whole-map writes by someone who is not an owner (an editor's undo, restore, import or
    accepted suggestion) go through this, so they can never change who may read the map.

    Example:
        >>> from loopwise.model.map import Map
        >>> now = decompose(Map(slug="m", title="Mine", visibility="private"))
        >>> old = decompose(Map(slug="m", title="Old", description="was public"))
        >>> meta = keep_settings(now, old)[("map", "m")][1]
        >>> meta["title"], meta["visibility"], meta["description"]
        ('Mine', 'private', '')
    """
    keys = [key for key in target if key[0] == "map"]
    if len(keys) != 1 or keys[0] not in current:
        return target
    key = keys[0]
    position, meta = target[key]
    now = current[key][1]
    kept = {name: value for name, value in meta.items() if name not in OWNER_SETTINGS}
    kept.update({name: now[name] for name in OWNER_SETTINGS if name in now})
    return {**target, key: (position, kept)}


def apply_changes(
    state: EntityState, changes: list[Change], *, reverse: bool = False
) -> EntityState:
    """Replay ``changes`` on ``state`` (or undo them with ``reverse=True``); returns a copy."""
    result = dict(state)
    for change in reversed(changes) if reverse else changes:
        step = change.inverted() if reverse else change
        key = (step.collection, step.entity_id)
        if step.after is None:
            result.pop(key, None)
        else:
            position = step.position_after if step.position_after is not None else 0
            result[key] = (position, step.after)
    return result
