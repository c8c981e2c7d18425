"""Initial schema: maps, one table per collection, mirrored evidence and organisation
actions, and revisions with their changes.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "maps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meta", sa.JSON(none_as_null=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maps")),
        sa.UniqueConstraint("slug", name=op.f("uq_maps_slug")),
    )
    op.create_table(
        "curated_loops",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_curated_loops_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curated_loops")),
        sa.UniqueConstraint("map_id", "slug", name="uq_curated_loops_map_slug"),
    )
    with op.batch_alter_table("curated_loops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_curated_loops_map_id"), ["map_id"], unique=False)

    op.create_table(
        "factors",
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=120), nullable=True),
        sa.Column("stage", sa.String(length=120), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_factors_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factors")),
        sa.UniqueConstraint("map_id", "slug", name="uq_factors_map_slug"),
    )
    with op.batch_alter_table("factors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_factors_label"), ["label"], unique=False)
        batch_op.create_index(batch_op.f("ix_factors_map_id"), ["map_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_factors_stage"), ["stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_factors_theme"), ["theme"], unique=False)

    op.create_table(
        "interventions",
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_interventions_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interventions")),
        sa.UniqueConstraint("map_id", "slug", name="uq_interventions_map_slug"),
    )
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interventions_map_id"), ["map_id"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_organisations_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("map_id", "slug", name="uq_organisations_map_slug"),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_map_id"), ["map_id"], unique=False)

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_revisions_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
        sa.UniqueConstraint("map_id", "number", name="uq_revisions_map_number"),
    )
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revisions_map_id"), ["map_id"], unique=False)

    op.create_table(
        "sources",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_sources_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("map_id", "slug", name="uq_sources_map_slug"),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sources_map_id"), ["map_id"], unique=False)

    op.create_table(
        "stages",
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_stages_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stages")),
        sa.UniqueConstraint("map_id", "slug", name="uq_stages_map_slug"),
    )
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stages_map_id"), ["map_id"], unique=False)

    op.create_table(
        "themes",
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_themes_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("map_id", "slug", name="uq_themes_map_slug"),
    )
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_themes_map_id"), ["map_id"], unique=False)

    op.create_table(
        "views",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_views_map_id_maps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_views")),
        sa.UniqueConstraint("map_id", "slug", name="uq_views_map_slug"),
    )
    with op.batch_alter_table("views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_views_map_id"), ["map_id"], unique=False)

    op.create_table(
        "links",
        sa.Column("from_factor_id", sa.Integer(), nullable=False),
        sa.Column("to_factor_id", sa.Integer(), nullable=False),
        sa.Column("polarity", sa.String(length=1), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_factor_id"], ["factors.id"], name=op.f("fk_links_from_factor_id_factors")
        ),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_links_map_id_maps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["to_factor_id"], ["factors.id"], name=op.f("fk_links_to_factor_id_factors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_links")),
        sa.UniqueConstraint("map_id", "slug", name="uq_links_map_slug"),
    )
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_links_from_factor_id"), ["from_factor_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_links_map_id"), ["map_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_links_to_factor_id"), ["to_factor_id"], unique=False)

    op.create_table(
        "organisation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("factor_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["factor_id"], ["factors.id"], name=op.f("fk_organisation_actions_factor_id_factors")
        ),
        sa.ForeignKeyConstraint(
            ["map_id"],
            ["maps.id"],
            name=op.f("fk_organisation_actions_map_id_maps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_actions_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_organisation_actions_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_actions")),
    )
    with op.batch_alter_table("organisation_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_actions_factor_id"), ["factor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organisation_actions_map_id"), ["map_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organisation_actions_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "revision_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.String(length=120), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("position_before", sa.Integer(), nullable=True),
        sa.Column("position_after", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_revision_changes_revision_id_revisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_changes")),
        sa.UniqueConstraint("revision_id", "seq", name="uq_revision_changes_revision_seq"),
    )
    with op.batch_alter_table("revision_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_revision_changes_entity", ["collection", "entity_id"], unique=False
        )

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("factor_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["factor_id"], ["factors.id"], name=op.f("fk_evidence_factor_id_factors")
        ),
        sa.ForeignKeyConstraint(["link_id"], ["links.id"], name=op.f("fk_evidence_link_id_links")),
        sa.ForeignKeyConstraint(
            ["map_id"], ["maps.id"], name=op.f("fk_evidence_map_id_maps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_evidence_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("map_id", "slug", name="uq_evidence_map_slug"),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_factor_id"), ["factor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_link_id"), ["link_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_map_id"), ["map_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_status"))
        batch_op.drop_index(batch_op.f("ix_evidence_source_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_map_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_link_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_factor_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("revision_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_revision_changes_entity")

    op.drop_table("revision_changes")
    with op.batch_alter_table("organisation_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_actions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_actions_map_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_actions_factor_id"))

    op.drop_table("organisation_actions")
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_links_to_factor_id"))
        batch_op.drop_index(batch_op.f("ix_links_map_id"))
        batch_op.drop_index(batch_op.f("ix_links_from_factor_id"))

    op.drop_table("links")
    with op.batch_alter_table("views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_views_map_id"))

    op.drop_table("views")
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_themes_map_id"))

    op.drop_table("themes")
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stages_map_id"))

    op.drop_table("stages")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_map_id"))

    op.drop_table("sources")
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revisions_map_id"))

    op.drop_table("revisions")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_map_id"))

    op.drop_table("organisations")
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interventions_map_id"))

    op.drop_table("interventions")
    with op.batch_alter_table("factors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_factors_theme"))
        batch_op.drop_index(batch_op.f("ix_factors_stage"))
        batch_op.drop_index(batch_op.f("ix_factors_map_id"))
        batch_op.drop_index(batch_op.f("ix_factors_label"))

    op.drop_table("factors")
    with op.batch_alter_table("curated_loops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_curated_loops_map_id"))

    op.drop_table("curated_loops")
    op.drop_table("maps")
