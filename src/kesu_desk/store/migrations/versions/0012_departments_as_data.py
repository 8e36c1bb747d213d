"""Departments are data an admin manages: one can be retired (its cases and users stay; it is no
longer offered for assignment, new users or the rules).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("departments", sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("departments", "retired_at")  # in place: departments are referenced
