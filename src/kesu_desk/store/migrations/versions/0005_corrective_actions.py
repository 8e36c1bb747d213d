"""Corrective actions: owner, due date, action, and the check whether the problem came back;
an index on when cases were registered, for the period review.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "corrective_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=128), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("check_due", sa.Date(), nullable=True),
        sa.Column("effective", sa.Boolean(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_by", sa.Integer(), nullable=True),
        sa.Column("check_comment", sa.Text(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["checked_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["opened_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_corrective_actions_case_id"), "corrective_actions", ["case_id"])
    op.create_index("ix_corrective_actions_product_batch", "corrective_actions", ["product", "batch"])
    op.create_index("ix_corrective_actions_status_id", "corrective_actions", ["status", "id"])
    # A plain CREATE INDEX: a batch (copy-and-move) rebuild would drop the triggers on cases.
    op.create_index("ix_cases_registered_at", "cases", ["registered_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_registered_at", table_name="cases")
    op.drop_index("ix_corrective_actions_status_id", table_name="corrective_actions")
    op.drop_index("ix_corrective_actions_product_batch", table_name="corrective_actions")
    op.drop_index(op.f("ix_corrective_actions_case_id"), table_name="corrective_actions")
    op.drop_table("corrective_actions")
