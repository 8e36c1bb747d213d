"""Issue 13: the task-template steps a case carries.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("step_key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("department_code", sa.String(length=16), sa.ForeignKey("departments.code"), nullable=False),
        sa.Column("parallel", sa.Boolean(), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.UniqueConstraint("case_id", "template", "step_key", name="uq_case_tasks_step"),
    )
    op.create_index("ix_case_tasks_case_id", "case_tasks", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_tasks_case_id", table_name="case_tasks")
    op.drop_table("case_tasks")
