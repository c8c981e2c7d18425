"""Factor kinds (map format version 2): a ``kind`` column on factors, filled in every row.

A factor saved before kinds existed becomes a ``condition`` (the rule of
:data:`loopwise.model.DEFAULT_FACTOR_KIND`): its JSON gains ``"kind": "condition"`` and the new
column says the same, so queries by kind and the map's JSON agree. Downgrading drops the
column and leaves the JSON as it is (a version-1 reader ignores nothing it needs).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_KIND = "condition"


def upgrade() -> None:
    # plain ALTER TABLE (no batch copy): SQLite adds a column with a default in place, and
    # copying the table would trip the links' foreign keys
    op.add_column(
        "factors",
        sa.Column("kind", sa.String(length=20), nullable=False, server_default=DEFAULT_KIND),
    )
    op.create_index(op.f("ix_factors_kind"), "factors", ["kind"], unique=False)
    factors = sa.table(
        "factors",
        sa.column("id", sa.Integer()),
        sa.column("data", sa.JSON()),
        sa.column("kind", sa.String()),
    )
    conn = op.get_bind()
    for row_id, data in conn.execute(sa.select(factors.c.id, factors.c.data)).all():
        if isinstance(data, dict) and "kind" not in data:
            conn.execute(
                factors.update()
                .where(factors.c.id == row_id)
                .values(data={**data, "kind": DEFAULT_KIND}, kind=DEFAULT_KIND)
            )
        elif isinstance(data, dict):
            conn.execute(factors.update().where(factors.c.id == row_id).values(kind=data["kind"]))


def downgrade() -> None:
    op.drop_index(op.f("ix_factors_kind"), table_name="factors")
    op.drop_column("factors", "kind")  # SQLite 3.35+ drops a column in place
