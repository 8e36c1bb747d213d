"""Issue 15: an agent's "my cases" are the cases they registered; the queue finds them by index.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-04 21:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cases_registered_by_id", "cases", ["registered_by", "id"])


def downgrade() -> None:
    op.drop_index("ix_cases_registered_by_id", table_name="cases")
