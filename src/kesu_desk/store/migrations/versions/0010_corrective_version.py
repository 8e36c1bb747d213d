"""Corrective actions carry a version, as cases do: a change made on an older version of an
action is refused instead of silently writing over a colleague's.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (copy-and-move) rebuild is not needed and would be slow.
    op.add_column("corrective_actions",
                  sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("corrective_actions") as batch:
        batch.drop_column("version")
