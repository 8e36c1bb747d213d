"""Indexes for the supervisor's overview: satisfaction of recent days, causes of recent months.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_surveys_at", "surveys", ["at", "answered", "score"])
    op.create_index("ix_cases_closed_at", "cases", ["closed_at", "fishbone_factor", "merged_into_id"])


def downgrade() -> None:
    op.drop_index("ix_cases_closed_at", table_name="cases")
    op.drop_index("ix_surveys_at", table_name="surveys")
