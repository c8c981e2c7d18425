"""The database tables: one per concept, so that they can be queried directly.

Every entity table (``themes``, ``factors``, ``links``...) has the map it belongs to, the
entity's id (``slug``), its place in the map's list (``position``) and its full JSON
(``data``, exactly as :func:`loopwise.model.revision.decompose` gives it). Some fields are
copied into their own columns for querying (a factor's label, theme and stage; a link's
endpoints and polarity); evidence and organisation actions are mirrored into their own rows.
``data`` is the truth; the other columns are derived from it on every write.

Example:
    >>> sorted(ENTITY_TABLES)[:3]
    ['factor', 'intervention', 'link']
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

if TYPE_CHECKING:
    from loopwise.model.revision import Collection

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONValue = JSON(none_as_null=True)
"""A JSON column in which Python ``None`` is SQL ``NULL`` (not the JSON ``null``)."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _map_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), nullable=False, index=True)


class MapRow(Base):
    """One map: its own fields, and ``version`` (= the number of its latest revision)."""

    __tablename__ = "maps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    visibility: Mapped[str] = mapped_column(String(20), nullable=False, default="public")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    meta: Mapped[dict[str, Any]] = mapped_column(JSONValue, nullable=False)


class _Entity:
    """Columns shared by every entity table."""

    if TYPE_CHECKING:
        __tablename__: str  # set by each table class

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONValue, nullable=False)

    @declared_attr
    def map_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr receives the class
        return _map_fk()

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805
        return (UniqueConstraint("map_id", "slug", name=f"uq_{cls.__tablename__}_map_slug"),)


class ThemeRow(_Entity, Base):
    __tablename__ = "themes"
    label: Mapped[str] = mapped_column(Text, nullable=False)


class StageRow(_Entity, Base):
    __tablename__ = "stages"
    label: Mapped[str] = mapped_column(Text, nullable=False)


class SourceRow(_Entity, Base):
    __tablename__ = "sources"
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)


class FactorRow(_Entity, Base):
    __tablename__ = "factors"
    label: Mapped[str] = mapped_column(Text, nullable=False, index=True)
    kind: Mapped[str] = mapped_column(
        String(20), nullable=False, index=True, server_default="condition"
    )
    theme: Mapped[str | None] = mapped_column(String(120), index=True)
    stage: Mapped[str | None] = mapped_column(String(120), index=True)


class LinkRow(_Entity, Base):
    __tablename__ = "links"
    from_factor_id: Mapped[int] = mapped_column(
        ForeignKey("factors.id"), nullable=False, index=True
    )
    to_factor_id: Mapped[int] = mapped_column(ForeignKey("factors.id"), nullable=False, index=True)
    polarity: Mapped[str] = mapped_column(String(1), nullable=False)


class CuratedLoopRow(_Entity, Base):
    __tablename__ = "curated_loops"
    name: Mapped[str] = mapped_column(Text, nullable=False)


class OrganisationRow(_Entity, Base):
    __tablename__ = "organisations"
    name: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)


class InterventionRow(_Entity, Base):
    __tablename__ = "interventions"
    label: Mapped[str] = mapped_column(Text, nullable=False)


class ViewRow(_Entity, Base):
    __tablename__ = "views"
    name: Mapped[str] = mapped_column(Text, nullable=False)


class EvidenceRow(Base):
    """One evidence item of a link or a factor (mirrored from the owner's ``data``)."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("map_id", "slug", name="uq_evidence_map_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    map_id: Mapped[int] = _map_fk()
    slug: Mapped[str] = mapped_column(String(120), nullable=False)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id"), index=True)
    factor_id: Mapped[int | None] = mapped_column(ForeignKey("factors.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)


class OrganisationActionRow(Base):
    """One factor an organisation acts on (mirrored from the organisation's ``data``)."""

    __tablename__ = "organisation_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    map_id: Mapped[int] = _map_fk()
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    factor_id: Mapped[int] = mapped_column(ForeignKey("factors.id"), nullable=False, index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class RevisionRow(Base):
    """One change to a map; ``number`` is the map's version after it."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("map_id", "number", name="uq_revisions_map_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    map_id: Mapped[int] = _map_fk()
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    author: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")


class RevisionChangeRow(Base):
    """One entity's before/after in a revision (``seq`` keeps the revision's order)."""

    __tablename__ = "revision_changes"
    __table_args__ = (
        UniqueConstraint("revision_id", "seq", name="uq_revision_changes_revision_seq"),
        Index("ix_revision_changes_entity", "collection", "entity_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), nullable=False
    )
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    collection: Mapped[str] = mapped_column(String(20), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(120), nullable=False)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONValue)
    position_before: Mapped[int | None] = mapped_column(Integer)
    position_after: Mapped[int | None] = mapped_column(Integer)


ENTITY_TABLES: dict[Collection, type[_Entity]] = {
    "theme": ThemeRow,
    "stage": StageRow,
    "source": SourceRow,
    "factor": FactorRow,
    "link": LinkRow,
    "loop": CuratedLoopRow,
    "organisation": OrganisationRow,
    "intervention": InterventionRow,
    "view": ViewRow,
}
"""collection name (as in :data:`loopwise.model.revision.COLLECTION_FIELDS`) -> table"""


# ---------------------------------------------------------------------------- evidence workbench
# (migration 0002) documents ingested for a map, and the causal claims suggested from them


class EvidenceDocumentRow(Base):
    """A document ingested into a map: its exact text, content hash and sentence offsets.

    ``source`` is the slug of the map's Source made for it; ``sentences`` is a list of
    ``[start, end]`` character offsets into ``text``.
    """

    __tablename__ = "evidence_documents"
    __table_args__ = (UniqueConstraint("map_id", "sha256", name="uq_evidence_documents_map_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    map_id: Mapped[int] = _map_fk()
    source: Mapped[str] = mapped_column(String(120), nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    format: Mapped[str] = mapped_column(String(20), nullable=False)
    encoding: Mapped[str | None] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    sentences: Mapped[list[Any]] = mapped_column(JSONValue, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_by: Mapped[str] = mapped_column(Text, nullable=False)


class EvidenceSuggestionRow(Base):
    """One suggested causal claim awaiting review (``status`` suggested/accepted/rejected).

    ``key`` identifies the claim within the map (document, quote and span offsets) so that
    suggesting again does not duplicate it; ``version`` counts its edits (a stale write is
    a conflict); ``data`` holds the claim (spans, polarity, confidence, candidate factors).
    """

    __tablename__ = "evidence_suggestions"
    __table_args__ = (UniqueConstraint("map_id", "key", name="uq_evidence_suggestions_map_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    map_id: Mapped[int] = _map_fk()
    document_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_documents.id", ondelete="CASCADE"), nullable=False, index=True
    )
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONValue, nullable=False)
    link: Mapped[str | None] = mapped_column(String(120))
    coder: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


# ---------------------------------------------------------------------------- accounts
# (migration 0003) users, their sessions and API tokens, and their roles on maps


class UserRow(Base):
    """A person who can sign in. ``is_admin`` makes them owner of every map."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(Text, nullable=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class SessionRow(Base):
    """A signed-in browser: the SHA-256 of the cookie's secret, and its CSRF token."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ApiTokenRow(Base):
    """An API token for scripts: only the SHA-256 of the secret is kept; revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MapMemberRow(Base):
    """A user's role on a map: ``owner``, ``editor`` or ``viewer``."""

    __tablename__ = "map_members"
    __table_args__ = (UniqueConstraint("map_id", "user_id", name="uq_map_members_map_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    map_id: Mapped[int] = _map_fk()
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(20), nullable=False)


# ---------------------------------------------------------------------------- sign-in throttle
# (migration 0005) failed sign-ins per account name and per address, shared by every worker


class LoginFailureRow(Base):
    """Recent failed sign-ins of one account name (``account:NAME``) or one client address
    (``address:IP``), and until when further attempts must wait."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    last_failed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, index=True
    )
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
