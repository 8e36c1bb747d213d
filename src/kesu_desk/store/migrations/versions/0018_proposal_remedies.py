"""Issue 13, remedies: several remedies in one proposal (``proposal_remedies``: one row per
remedy, in order, each with its own amount; ``proposals.remedy``/``amount_cents`` stay the first
remedy and the sum, so older rows and readers keep working), the price of what the complaint is
about (``cases.price_cents``) and, on a proposal, the price it was measured against and the
proposer's reason for a compensation outside the suggested range. Plain ADD COLUMNs, nullable.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proposal_remedies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("proposal_id", sa.Integer(), sa.ForeignKey("proposals.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("remedy", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.UniqueConstraint("proposal_id", "position", name="uq_proposal_remedies_position"),
    )
    op.add_column("cases", sa.Column("price_cents", sa.Integer(), nullable=True))
    op.add_column("proposals", sa.Column("price_cents", sa.Integer(), nullable=True))
    op.add_column("proposals", sa.Column("range_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    for table, column in (("proposals", "range_reason"), ("proposals", "price_cents"),
                          ("cases", "price_cents")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("proposal_remedies")
