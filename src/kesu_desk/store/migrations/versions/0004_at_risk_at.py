"""When a case becomes "at risk" (under a quarter of the time to its next deadline left).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:10:00
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The clock of the next deadline starts at assignment for the department's statuses and at
# implementation for the follow-up (kesu_desk.sla.clock_start; copied: migrations stay frozen).
_DEPARTMENT = ("assigned", "investigating", "returned", "reopened")
_BATCH = 5000


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (copy-and-move) rebuild would drop the triggers on cases.
    op.add_column("cases", sa.Column("at_risk_at", sa.DateTime(timezone=True), nullable=True))
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer), sa.column("status", sa.String),
        sa.column("registered_at", sa.DateTime(timezone=True)),
        sa.column("assigned_at", sa.DateTime(timezone=True)),
        sa.column("implemented_at", sa.DateTime(timezone=True)),
        sa.column("next_due_at", sa.DateTime(timezone=True)),
        sa.column("at_risk_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(cases.c.id, cases.c.status, cases.c.registered_at, cases.c.assigned_at,
                      cases.c.implemented_at, cases.c.next_due_at)
            .where(cases.c.id > last, cases.c.next_due_at.is_not(None))
            .order_by(cases.c.id).limit(_BATCH)
        ).all()
        if not rows:
            break
        values = [{"i": r.id, "at": _at_risk(r)} for r in rows]
        bind.execute(
            cases.update().where(cases.c.id == sa.bindparam("i")).values(at_risk_at=sa.bindparam("at")),
            values,
        )
        last = rows[-1].id


def _at_risk(row: Any) -> datetime:
    start: datetime = row.registered_at
    if row.status in _DEPARTMENT and row.assigned_at is not None:
        start = row.assigned_at
    elif row.status == "follow_up" and row.implemented_at is not None:
        start = row.implemented_at
    due: datetime = row.next_due_at
    return due - (due - start) / 4


def downgrade() -> None:
    op.drop_column("cases", "at_risk_at")
