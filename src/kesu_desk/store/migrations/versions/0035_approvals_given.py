"""Issue 16: a proposal keeps how many approvals it has been given, so the approvals badge reads
the pending proposals alone and looks up the approvals only of those that have some (a first of
two), never the whole approval history. A store manager's cases are found by their store's index
(their badge and queue read every case's store without it).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-04 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("proposals", sa.Column("approvals_given", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE proposals SET approvals_given = (SELECT count(*) FROM approvals a "
        "WHERE a.proposal_id = proposals.id AND a.decision = 'approved') "
        "WHERE id IN (SELECT proposal_id FROM approvals WHERE decision = 'approved')"
    )
    op.create_index("ix_cases_store_id", "cases", ["store_code", "id"])


def downgrade() -> None:
    op.drop_index("ix_cases_store_id", table_name="cases")
    op.execute("ALTER TABLE proposals DROP COLUMN approvals_given")
