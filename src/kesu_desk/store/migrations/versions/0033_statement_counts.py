"""Issue 16: on PostgreSQL the kept case counts are updated once per statement, not per row, and
in one of 16 shards per connection, so concurrent registrations do not wait on one counter row.

Before, every inserted or changed case ran ``INSERT … ON CONFLICT DO UPDATE`` on its counter row:
a bulk load of 200,000 cases updated the same ~200 rows hundreds of thousands of times in one
transaction (10 MB of dead rows left behind, every later count slower), and two terminals
registering at the same moment queued on the same row until the first committed. Now a statement
adds its rows' counts per (status, department, severity) at once, from its transition tables, to
the shard of its connection (``pg_backend_pid() % 16``); the readers already add the rows up.
SQLite (one writer at a time) keeps its row triggers, on shard 0.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-04 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARDS = 16
_KEY = "(status, department, severity, shard)"
_CHANGED = "(o.status, o.department_code, o.severity) IS DISTINCT FROM (n.status, n.department_code, n.severity)"
_ADD = (
    f"INSERT INTO case_counts (status, department, severity, shard, n) {{select}} "
    f"ON CONFLICT {_KEY} DO UPDATE SET n = case_counts.n + EXCLUDED.n"
)
_INSERTED = _ADD.format(select=(
    f"SELECT status, COALESCE(department_code, ''), severity, pg_backend_pid() % {SHARDS}, COUNT(*) "
    "FROM new_rows GROUP BY 1, 2, 3"))
_UPDATED = _ADD.format(select=(
    f"SELECT status, department, severity, pg_backend_pid() % {SHARDS}, SUM(delta) FROM ("
    f"SELECT o.status, COALESCE(o.department_code, '') AS department, o.severity, -1 AS delta "
    f"FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {_CHANGED} "
    f"UNION ALL SELECT n.status, COALESCE(n.department_code, ''), n.severity, 1 "
    f"FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {_CHANGED}"
    ") AS moved GROUP BY 1, 2, 3 HAVING SUM(delta) <> 0"))

# SQLite: as in 0002, with the shard in the conflict target.
_SQLITE_BUMP = (
    "INSERT INTO case_counts (status, department, severity, shard, n) "
    "VALUES ({row}.status, COALESCE({row}.department_code, ''), {row}.severity, 0, {delta}) "
    f"ON CONFLICT {_KEY} DO UPDATE SET n = case_counts.n + {{delta}}"
)
_SQLITE_CHANGED = ("OLD.status IS NOT NEW.status OR OLD.department_code IS NOT NEW.department_code "
                   "OR OLD.severity IS NOT NEW.severity")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # The rows are added up into the new table, so the counts stay exact.
    if sqlite:
        op.execute("DROP TRIGGER cases_count_insert")
        op.execute("DROP TRIGGER cases_count_update")
    else:
        op.execute("DROP TRIGGER cases_count_insert ON cases")
        op.execute("DROP TRIGGER cases_count_update ON cases")
        op.execute("DROP FUNCTION kesu_count_cases()")
    _rebuild(sqlite, with_shard=True)
    if sqlite:
        plus = _SQLITE_BUMP.format(row="NEW", delta=1)
        minus = _SQLITE_BUMP.format(row="OLD", delta=-1)
        op.execute(f"CREATE TRIGGER cases_count_insert AFTER INSERT ON cases BEGIN {plus}; END")
        op.execute("CREATE TRIGGER cases_count_update AFTER UPDATE OF status, department_code, severity "
                   f"ON cases WHEN {_SQLITE_CHANGED} BEGIN {minus}; {plus}; END")
        return
    op.execute("CREATE FUNCTION kesu_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"{_INSERTED}; RETURN NULL; END $$")
    op.execute("CREATE FUNCTION kesu_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"{_UPDATED}; RETURN NULL; END $$")
    # Transition tables cannot go with a column list or WHEN: the function compares old and new.
    op.execute("CREATE TRIGGER cases_count_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION kesu_count_inserted()")
    op.execute("CREATE TRIGGER cases_count_update AFTER UPDATE ON cases "
               "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION kesu_count_updated()")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute("DROP TRIGGER cases_count_insert" + ("" if sqlite else " ON cases"))
    op.execute("DROP TRIGGER cases_count_update" + ("" if sqlite else " ON cases"))
    if not sqlite:
        op.execute("DROP FUNCTION kesu_count_inserted()")
        op.execute("DROP FUNCTION kesu_count_updated()")
    _rebuild(sqlite, with_shard=False)
    # The row triggers of 0002, as they were.
    bump = ("INSERT INTO case_counts (status, department, severity, n) "
            "VALUES ({row}.status, COALESCE({row}.department_code, ''), {row}.severity, {delta}) "
            "ON CONFLICT (status, department, severity) DO UPDATE SET n = case_counts.n + {delta}")
    plus, minus = bump.format(row="NEW", delta=1), bump.format(row="OLD", delta=-1)
    if sqlite:
        op.execute(f"CREATE TRIGGER cases_count_insert AFTER INSERT ON cases BEGIN {plus}; END")
        op.execute("CREATE TRIGGER cases_count_update AFTER UPDATE OF status, department_code, severity "
                   f"ON cases WHEN {_SQLITE_CHANGED} BEGIN {minus}; {plus}; END")
        return
    changed = ("OLD.status IS DISTINCT FROM NEW.status OR OLD.department_code IS DISTINCT FROM "
               "NEW.department_code OR OLD.severity IS DISTINCT FROM NEW.severity")
    op.execute("CREATE FUNCTION kesu_count_cases() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF TG_OP = 'UPDATE' THEN {minus}; END IF; {plus}; RETURN NULL; END $$")
    op.execute("CREATE TRIGGER cases_count_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION kesu_count_cases()")
    op.execute("CREATE TRIGGER cases_count_update AFTER UPDATE OF status, department_code, severity "
               f"ON cases FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION kesu_count_cases()")


def _rebuild(sqlite: bool, *, with_shard: bool) -> None:
    """case_counts anew, with or without the shard in its key, the counts added up into it."""
    key = ["status", "department", "severity", *(["shard"] if with_shard else [])]
    op.create_table(
        "case_counts_new",
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("department", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        *([sa.Column("shard", sa.Integer(), nullable=False, server_default="0")] if with_shard else []),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*key, name="pk_case_counts_new"),
    )
    op.execute("INSERT INTO case_counts_new (status, department, severity, n) "
               "SELECT status, department, severity, SUM(n) FROM case_counts GROUP BY status, department, severity")
    op.drop_table("case_counts")
    op.rename_table("case_counts_new", "case_counts")
    if not sqlite:  # the key's name as a table made under this name would have it
        op.execute("ALTER TABLE case_counts RENAME CONSTRAINT pk_case_counts_new TO case_counts_pkey")
