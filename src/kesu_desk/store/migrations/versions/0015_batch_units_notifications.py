"""Issue 13, batch part: units of a case, stored notifications (inboxes), the general manager's
confirmation of a batch's corrective action.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("units", sa.Integer(), nullable=False, server_default="1"))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # SQLite takes the reference inline (no ALTER … ADD CONSTRAINT)
        op.execute("ALTER TABLE corrective_actions ADD COLUMN gm_confirmed_by INTEGER REFERENCES users(id)")
    else:
        op.add_column("corrective_actions",
                      sa.Column("gm_confirmed_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True))
    op.add_column("corrective_actions", sa.Column("gm_confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("department_code", sa.String(length=16), sa.ForeignKey("departments.code"), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_index("ix_notifications_recipient", "notifications", ["department_code", "user_id", "id"])
    op.create_index("ix_notifications_case_id", "notifications", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_case_id", table_name="notifications")
    op.drop_index("ix_notifications_recipient", table_name="notifications")
    op.drop_table("notifications")
    for table, column in (("corrective_actions", "gm_confirmed_at"), ("corrective_actions", "gm_confirmed_by"),
                          ("cases", "units")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
