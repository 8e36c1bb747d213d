"""Case counts per status, department and severity, kept by triggers on both engines.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One statement that adds ``delta`` to the row of (status, department, severity) of ``ROW``.
_BUMP = (
    "INSERT INTO case_counts (status, department, severity, n) "
    "VALUES ({row}.status, COALESCE({row}.department_code, ''), {row}.severity, {delta}) "
    "ON CONFLICT (status, department, severity) DO UPDATE SET n = case_counts.n + {delta}"
)
_CHANGED = (
    "OLD.status IS DISTINCT FROM NEW.status OR OLD.department_code IS DISTINCT FROM "
    "NEW.department_code OR OLD.severity IS DISTINCT FROM NEW.severity"
)


def upgrade() -> None:
    op.create_table(
        "case_counts",
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("department", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", "department", "severity"),
    )
    create_count_triggers()
    op.execute(
        "INSERT INTO case_counts (status, department, severity, n) "
        "SELECT status, COALESCE(department_code, ''), severity, COUNT(*) FROM cases "
        "GROUP BY status, COALESCE(department_code, ''), severity"
    )


def create_count_triggers() -> None:
    plus = _BUMP.format(row="NEW", delta=1)
    minus = _BUMP.format(row="OLD", delta=-1)
    if op.get_bind().dialect.name == "sqlite":
        changed = _CHANGED.replace("IS DISTINCT FROM", "IS NOT")
        op.execute(f"CREATE TRIGGER cases_count_insert AFTER INSERT ON cases BEGIN {plus}; END")
        op.execute(
            "CREATE TRIGGER cases_count_update AFTER UPDATE OF status, department_code, severity "
            f"ON cases WHEN {changed} BEGIN {minus}; {plus}; END"
        )
        return
    op.execute(
        "CREATE FUNCTION kesu_count_cases() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'UPDATE' THEN {minus}; END IF; {plus}; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER cases_count_insert AFTER INSERT ON cases "
        "FOR EACH ROW EXECUTE FUNCTION kesu_count_cases()"
    )
    op.execute(
        "CREATE TRIGGER cases_count_update AFTER UPDATE OF status, department_code, severity "
        f"ON cases FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION kesu_count_cases()"
    )


def drop_count_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER cases_count_insert")
        op.execute("DROP TRIGGER cases_count_update")
        return
    op.execute("DROP TRIGGER cases_count_insert ON cases")
    op.execute("DROP TRIGGER cases_count_update ON cases")
    op.execute("DROP FUNCTION kesu_count_cases()")


def downgrade() -> None:
    drop_count_triggers()
    op.drop_table("case_counts")
