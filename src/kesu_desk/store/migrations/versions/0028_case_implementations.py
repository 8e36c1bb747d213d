"""Issue 13, accountability: each implementation of a case is a row of its own, with the person
responsible, the penalty and who delayed the handling; the existing implementations become the
first rows (their accountability text as the person responsible).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_implementations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("implemented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("implemented_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("implementation", sa.Text(), nullable=False),
        sa.Column("preventive_action", sa.Text(), nullable=False, server_default=""),
        sa.Column("responsible", sa.String(length=128), nullable=False),
        sa.Column("penalty_percent_hundredths", sa.Integer(), nullable=True),
        sa.Column("penalty_cents", sa.Integer(), nullable=True),
        sa.Column("loss_cents", sa.Integer(), nullable=True),
        sa.Column("delayed_by", sa.String(length=128), nullable=False),
        sa.Column("delay_reason", sa.String(length=500), nullable=False),
        sa.UniqueConstraint("case_id", "seq", name="uq_case_implementations_seq"),
    )
    op.create_index("ix_case_implementations_case_id", "case_implementations", ["case_id"])
    # What was implemented before: its first row, who did it unknown beyond the case's handler.
    op.execute(
        "INSERT INTO case_implementations (case_id, seq, implemented_at, implemented_by, implementation, "
        "preventive_action, responsible, delayed_by, delay_reason) "
        "SELECT id, 1, implemented_at, COALESCE(handler_id, registered_by), implementation, "
        "COALESCE(preventive_action, ''), SUBSTR(COALESCE(accountability, ''), 1, 128), '', '' "
        "FROM cases WHERE implemented_at IS NOT NULL AND implementation IS NOT NULL AND implementation <> ''"
    )


def downgrade() -> None:
    op.drop_index("ix_case_implementations_case_id", table_name="case_implementations")
    op.drop_table("case_implementations")
