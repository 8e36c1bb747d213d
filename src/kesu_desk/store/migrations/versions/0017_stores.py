"""Stores (issue 13): the ``stores`` table, the store of a user (a store manager's) and of a
case, and the language a case's customer is answered in (the written answer). Plain ADD
COLUMNs, nullable: no rebuild of the big tables.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stores",
        sa.Column("code", sa.String(length=16), primary_key=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("approval_limit_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("users", "cases"):
        if sqlite:  # the reference inline: SQLite has no ALTER … ADD CONSTRAINT (see 0011)
            op.execute(f"ALTER TABLE {table} ADD COLUMN store_code VARCHAR(16) REFERENCES stores(code)")
        else:
            op.add_column(table, sa.Column("store_code", sa.String(length=16), sa.ForeignKey("stores.code")))
    op.add_column("cases", sa.Column("customer_lang", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE cases DROP COLUMN customer_lang")
    for table in ("cases", "users"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN store_code")
    op.drop_table("stores")
