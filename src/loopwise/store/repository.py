"""The :class:`Store`: maps and their full history in a database.

Every write is one transaction holding both the change and its revision. It first bumps the
map's version with ``UPDATE maps SET version = version + 1 WHERE id = ? AND version = ?``:
a writer based on an old version updates no row and gets :class:`~loopwise.errors.ConflictError`,
so two writers based on the same version can never both win. If anything fails, nothing is
written.

Example:
    >>> from loopwise.model import Map
    >>> store = open_store("sqlite://")
    >>> first = store.create_map(Map(slug="demo", title="Demo"), author="ana")
    >>> second = store.save_map(Map(slug="demo", title="Demo map"), author="ana", based_on=1,
    ...                         settings=True)
    >>> [r.number for r in store.history("demo")], store.get_map("demo").title
    ([1, 2], 'Demo map')
    >>> store.undo("demo", author="ana", settings=True).message, store.get_map("demo").title
    ('undo revision 2', 'Demo')

The map's owner-only settings (:data:`~loopwise.model.revision.OWNER_SETTINGS`: title,
description, licence, visibility) change only when a write says ``settings=True`` (the
caller is an owner); any other write keeps them as they are, whatever state it writes.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from loopwise.errors import (
    ConflictError,
    DuplicateIdError,
    NotAllowedError,
    NothingToUndoError,
    UnknownIdError,
)
from loopwise.model.map import Map
from loopwise.model.revision import (
    Change,
    EntityState,
    Revision,
    apply_changes,
    compose,
    decompose,
    diff_entities,
    keep_settings,
)
from loopwise.store import rows
from loopwise.store.database import (
    WRITE_OPTION,
    create_database_engine,
    mask_password,
    resolve_database_url,
)
from loopwise.store.migrate import current_schema_revision, upgrade_to_head
from loopwise.store.tables import FactorRow, LinkRow, MapRow, RevisionRow


class MapInfo(BaseModel):
    """One line of :meth:`Store.list_maps`."""

    slug: str
    title: str
    visibility: str
    version: int
    created_at: datetime
    updated_at: datetime
    factors: int
    links: int


class MapStamp(NamedTuple):
    """What says whether something made from a map is current: which map (its row id and
    creation time, so a map deleted and made again under the same slug is another map), its
    version and its visibility."""

    identity: str
    version: int
    visibility: str


class _NoChange(Exception):
    """Raised inside a write transaction to roll it back when there is nothing to write."""


# a function choosing the state to write: (connection, map row, current version, current state)
TargetState = Callable[[Connection, Any, int, EntityState], EntityState]


def open_store(
    url: str | None = None,
    *,
    schema: str | None = None,
    engine_options: Mapping[str, Any] | None = None,
    migrate: bool = True,
) -> Store:
    """Open the store at ``url`` (default: ``LOOPWISE_DATABASE_URL`` or the SQLite file in the
    data directory) and bring its schema up to date.

    ``schema`` (PostgreSQL only) keeps every table in that existing schema; ``engine_options``
    go to :func:`sqlalchemy.create_engine`; ``migrate=False`` skips the upgrade.

    Raises :class:`loopwise.errors.StoreError` if the database cannot be opened or migrated.
    """
    engine = create_database_engine(
        resolve_database_url(url), schema=schema, engine_options=engine_options
    )
    store = Store(engine)
    if migrate:
        try:
            store.upgrade()
        except BaseException:
            store.close()
            raise
    return store


class Store:
    """Maps, with every revision, in one database (see :func:`open_store`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL, password masked."""
        return mask_password(self.engine.url.render_as_string(hide_password=False))

    # ------------------------------------------------------------------ schema
    def upgrade(self) -> None:
        """Apply any schema migrations the database lacks (``loopwise db upgrade``)."""
        upgrade_to_head(self.engine)

    def current_schema_revision(self) -> str | None:
        """The id of the migration the database is at (``None`` if never migrated)."""
        return current_schema_revision(self.engine)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    # ------------------------------------------------------------------ reading
    def list_maps(self) -> list[MapInfo]:
        """Every map, by slug, with its factor and link counts."""
        factors = select(func.count(FactorRow.id)).where(FactorRow.map_id == MapRow.id)
        links = select(func.count(LinkRow.id)).where(LinkRow.map_id == MapRow.id)
        query = select(
            MapRow.slug,
            MapRow.title,
            MapRow.visibility,
            MapRow.version,
            MapRow.created_at,
            MapRow.updated_at,
            factors.scalar_subquery().label("factors"),
            links.scalar_subquery().label("links"),
        ).order_by(MapRow.slug)
        with self.reading() as conn:
            return [
                MapInfo(
                    **{
                        **row._asdict(),
                        "created_at": rows.utc(row.created_at),
                        "updated_at": rows.utc(row.updated_at),
                    }
                )
                for row in conn.execute(query)
            ]

    def has_map(self, slug: str) -> bool:
        with self.reading() as conn:
            return conn.scalar(select(MapRow.id).where(MapRow.slug == slug)) is not None

    def version(self, slug: str) -> int:
        """The map's current version (= the number of its latest revision)."""
        with self.reading() as conn:
            return int(self._map_row(conn, slug).version)

    def map_stamp(self, slug: str) -> MapStamp | None:
        """The map's :class:`MapStamp` in one query, ``None`` if there is no such map.

        >>> from loopwise.model import Map
        >>> store = open_store("sqlite://")
        >>> _ = store.create_map(Map(slug="demo", title="Demo"), author="ana")
        >>> store.map_stamp("demo").version, store.map_stamp("nope")
        (1, None)
        """
        # asked before every cached page: one statement on a pooled DBAPI connection, without
        # the ORM's statement building (ten times the cost of the query itself)
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        sql = f"SELECT id, created_at, version, visibility FROM {MapRow.__tablename__} WHERE slug = {mark}"  # noqa: E501
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, (slug,))
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()  # back to the pool, rolled back
        if row is None:
            return None
        return MapStamp(f"{row[0]}@{row[1]}", int(row[2]), str(row[3]))

    def get_map(self, slug: str) -> Map:
        """The map as it is now; :class:`UnknownIdError` (with suggestions) if absent."""
        with self.reading() as conn:
            row = self._map_row(conn, slug)
            state = rows.load_state(conn, row.id, slug, row.meta)
        return _with_times(compose(state), row.created_at, row.updated_at)

    def history(self, slug: str) -> list[Revision]:
        """Every revision of the map, oldest first, with its changes."""
        with self.reading() as conn:
            row = self._map_row(conn, slug)
            return rows.load_revisions(conn, row.id, slug)

    def revision(self, slug: str, number: int) -> Revision:
        """One revision; :class:`UnknownIdError` ``("revision", number)`` if absent."""
        with self.reading() as conn:
            row = self._map_row(conn, slug)
            found = rows.load_revisions(conn, row.id, slug, first=number, last=number)
        if not found:
            raise UnknownIdError("revision", number)
        return found[0]

    def map_at(self, slug: str, number: int) -> Map:
        """The map exactly as it was right after revision ``number``."""
        with self.reading() as conn:
            row = self._map_row(conn, slug)
            state = self._state_at(conn, row, number, rows.load_state(conn, row.id, slug, row.meta))
            saved_at = conn.scalar(
                select(RevisionRow.created_at).where(
                    RevisionRow.map_id == row.id, RevisionRow.number == number
                )
            )
        return _with_times(compose(state), row.created_at, saved_at)

    def diff(self, slug: str, from_number: int, to_number: int) -> list[Change]:
        """The changes that turn the map at ``from_number`` into the map at ``to_number``
        (``0`` stands for "before the map existed")."""
        with self.reading() as conn:
            row = self._map_row(conn, slug)
            current = rows.load_state(conn, row.id, slug, row.meta)
            states = [
                {} if number == 0 else self._state_at(conn, row, number, current)
                for number in (from_number, to_number)
            ]
        return diff_entities(states[0], states[1])

    # ------------------------------------------------------------------ writing
    def create_map(self, map_: Map, *, author: str, message: str = "") -> Revision:
        """Store a new map as revision 1 (version 1).

        Raises :class:`DuplicateIdError` if a map with this slug exists.
        """
        state = decompose(map_)
        changes = diff_entities({}, state)
        now = datetime.now(UTC)
        try:
            with self.writing() as conn:
                if conn.scalar(select(MapRow.id).where(MapRow.slug == map_.slug)) is not None:
                    raise _duplicate(map_.slug)
                map_id = conn.execute(
                    insert(MapRow)
                    .values(
                        slug=map_.slug,
                        version=1,
                        created_at=now,
                        updated_at=now,
                        **rows.map_fields(state[("map", map_.slug)][1]),
                    )
                    .returning(MapRow.id)
                ).scalar_one()
                rows.write_changes(conn, map_id, changes)
                return rows.record_revision(
                    conn,
                    map_id=map_id,
                    slug=map_.slug,
                    number=1,
                    author=author,
                    message=message,
                    changes=changes,
                    created_at=now,
                )
        except IntegrityError:
            if self.has_map(map_.slug):  # another writer created it first
                raise _duplicate(map_.slug) from None
            raise

    def save_map(
        self,
        map_: Map,
        *,
        author: str,
        based_on: int,
        message: str = "",
        settings: bool = False,
    ) -> Revision | None:
        """Replace the map's state with ``map_`` as a new revision.

        Only changed entities are written. Returns ``None`` (and writes nothing) if nothing
        changed. Raises :class:`ConflictError` if ``based_on`` is not the current version.
        The map's title, description, licence and visibility are taken from ``map_`` only
        with ``settings=True`` (an owner's write); otherwise they stay as they are.
        """
        target = decompose(map_)
        return self.write_revision(
            map_.slug,
            based_on=based_on,
            author=author,
            message=message,
            target=lambda _conn, _row, _version, _current: target,
            settings=settings,
        )

    def restore(
        self,
        slug: str,
        number: int,
        *,
        author: str,
        based_on: int | None = None,
        message: str = "",
        settings: bool = False,
    ) -> Revision | None:
        """Make the map equal to its state after revision ``number``, as a new revision.

        Returns ``None`` if it already is. ``based_on`` (optional) guards against a change made
        since the caller looked. The owner-only settings are restored too only with
        ``settings=True``.
        """

        def state_at_number(
            conn: Connection, row: Any, version: int, current: EntityState
        ) -> EntityState:
            return self._state_at(conn, row, number, current, version=version)

        return self.write_revision(
            slug,
            based_on=based_on,
            author=author,
            message=message or f"restore to revision {number}",
            target=state_at_number,
            settings=settings,
        )

    def undo(
        self, slug: str, *, author: str, based_on: int | None = None, settings: bool = False
    ) -> Revision:
        """Revert the latest revision (a new revision restoring the one before it).

        Undoing twice reverts the undo. Raises :class:`NothingToUndoError` if the map has
        only the revision that created it, and :class:`NotAllowedError` if the latest
        revision changed only owner-only settings and ``settings`` is not ``True``.
        """
        undone: list[int] = []

        def state_before_latest(
            conn: Connection, row: Any, version: int, current: EntityState
        ) -> EntityState:
            if version <= 1:
                raise NothingToUndoError(slug)
            undone.append(version)
            return self._state_at(conn, row, version - 1, current, version=version)

        revision = self.write_revision(
            slug,
            based_on=based_on,
            author=author,
            message=lambda: f"undo revision {undone[0]}",
            target=state_before_latest,
            settings=settings,
        )
        if revision is None:  # the latest revision changed only the owner's settings
            raise NotAllowedError(
                f"revision {undone[0]} changed only the map's settings; only an owner can undo it",
                "undo",
            )
        return revision

    def delete_map(self, slug: str, *, author: str) -> None:
        """Delete the map and its whole history.

        ``author`` is taken for symmetry with the other writes; the store keeps no record of a
        deleted map.
        """
        with self.writing() as conn:
            row = self._map_row(conn, slug)
            rows.delete_map_rows(conn, row.id)

    # ------------------------------------------------------------------ for services
    # The store's public interface for the services above it (accounts, the evidence
    # workbench): transactions, a map's row id and visibility, and the one revision write.
    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent snapshot.

        Example:
            >>> from sqlalchemy import text
            >>> with open_store("sqlite://").reading() as conn:
            ...     conn.scalar(text("SELECT count(*) FROM maps"))
            0
        """
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction (SQLite: ``BEGIN IMMEDIATE``), committed on success and rolled
        back if the block raises.

        Example:
            >>> from sqlalchemy import text
            >>> store = open_store("sqlite://")
            >>> with store.writing() as conn:
            ...     conn.execute(text("DELETE FROM maps")).rowcount
            0
        """
        writer = self.engine.connect().execution_options(**{WRITE_OPTION: True})
        with writer as conn, conn.begin():
            yield conn

    def map_id(self, conn: Connection, slug: str) -> int:
        """The database id of the map ``slug``, inside a transaction of :meth:`reading` or
        :meth:`writing`; :class:`~loopwise.errors.UnknownIdError` (with suggestions) if absent.

        Example:
            >>> from loopwise.model import Map
            >>> store = open_store("sqlite://")
            >>> _ = store.create_map(Map(slug="demo", title="Demo"), author="ana")
            >>> with store.reading() as conn:
            ...     store.map_id(conn, "demo")
            1
        """
        return int(self._map_row(conn, slug).id)

    def visibility(self, slug: str) -> str:
        """Who may read the map: ``"public"`` or ``"private"``.

        Example:
            >>> from loopwise.model import Map
            >>> store = open_store("sqlite://")
            >>> _ = store.create_map(Map(slug="demo", title="Demo"), author="ana")
            >>> store.visibility("demo")
            'public'
        """
        with self.reading() as conn:
            return str(self._map_row(conn, slug).visibility)

    # ------------------------------------------------------------------ internals
    def _map_row(self, conn: Connection, slug: str) -> Any:
        row = conn.execute(select(MapRow).where(MapRow.slug == slug)).first()
        if row is None:
            known = conn.scalars(select(MapRow.slug)).all()
            raise UnknownIdError("map", slug, difflib.get_close_matches(slug, known, n=3))
        return row

    def _state_at(
        self,
        conn: Connection,
        row: Any,
        number: int,
        current: EntityState,
        *,
        version: int | None = None,
    ) -> EntityState:
        """The map's entities right after revision ``number``: the current state with the
        later revisions undone, newest first."""
        version = row.version if version is None else version
        if not 1 <= number <= version:
            raise UnknownIdError("revision", number)
        state = current
        for revision in reversed(rows.load_revisions(conn, row.id, row.slug, first=number + 1)):
            state = apply_changes(state, revision.changes, reverse=True)
        return state

    def write_revision(
        self,
        slug: str,
        *,
        based_on: int | None,
        author: str,
        message: str | Callable[[], str],
        target: TargetState,
        settings: bool = False,
    ) -> Revision | None:
        """The one write path of every revision, in one transaction.

        ``target(conn, row, version, current)`` gets the map's row and entities as they are and
        returns the entities as they should be; it may write other rows through ``conn`` (the
        evidence workbench stores a document this way, together with its Source or not at
        all). ``based_on`` (if given) must be the current version, else
        :class:`~loopwise.errors.ConflictError`. ``settings=False`` (the default) keeps the
        map's owner-only settings whatever ``target`` returns. ``None`` when nothing changed.

        Example:
            >>> from loopwise.model import Map
            >>> from loopwise.model.revision import compose, decompose
            >>> store = open_store("sqlite://")
            >>> _ = store.create_map(Map(slug="demo", title="Demo"), author="ana")
            >>> def add_factor(conn, row, version, current):
            ...     data = compose(current).to_dict()
            ...     data["factors"] = [{"id": "a", "label": "A"}]
            ...     return decompose(Map.from_dict(data))
            >>> store.write_revision("demo", based_on=1, author="ana", message="add a",
            ...                      target=add_factor).number
            2
        """
        now = datetime.now(UTC)
        try:
            with self.writing() as conn:
                row = self._map_row(conn, slug)
                bump = update(MapRow).where(MapRow.id == row.id)
                if based_on is not None:
                    bump = bump.where(MapRow.version == based_on)
                # taking the row lock (PostgreSQL) / write lock (SQLite) before reading
                result = conn.execute(bump.values(version=MapRow.version + 1, updated_at=now))
                if result.rowcount != 1:
                    current_version = conn.scalar(select(MapRow.version).where(MapRow.id == row.id))
                    if current_version is None:
                        raise UnknownIdError("map", slug)
                    raise ConflictError(slug, based_on or 0, current_version)
                row = conn.execute(select(MapRow).where(MapRow.id == row.id)).one()
                previous_version = row.version - 1
                current = rows.load_state(conn, row.id, slug, row.meta)
                new_state = target(conn, row, previous_version, current)
                if not settings:
                    new_state = keep_settings(current, new_state)
                changes = diff_entities(current, new_state)
                if not changes:
                    raise _NoChange
                rows.write_changes(conn, row.id, changes)
                return rows.record_revision(
                    conn,
                    map_id=row.id,
                    slug=slug,
                    number=row.version,
                    author=author,
                    message=message() if callable(message) else message,
                    changes=changes,
                    created_at=now,
                )
        except _NoChange:
            return None


def _with_times(map_: Map, created: datetime, updated: datetime | None) -> Map:
    return map_.model_copy(
        update={"created": rows.utc(created), "updated": rows.utc(updated) if updated else None}
    )


def _duplicate(slug: str) -> DuplicateIdError:
    return DuplicateIdError(f"a map with slug {slug!r} already exists", f"map {slug}")
