"""Kinds of contact: every case is a complaint, an inquiry or a suggestion (the cases before this
revision are complaints); and whether it was resolved at the first contact.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("kind", sa.String(length=16), nullable=False,
                                     server_default="complaint"))
    op.add_column("cases", sa.Column("first_contact", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade() -> None:
    # In place (SQLite 3.35 and later, PostgreSQL): a batch rebuild of cases would be refused by
    # the foreign keys that point at it.
    op.drop_column("cases", "first_contact")
    op.drop_column("cases", "kind")
