"""The schema refuses REPLACE: no client can rewrite a timeline event, delete a case or move its
number by replacing rows.

SQLite's REPLACE (``INSERT OR REPLACE``, ``REPLACE INTO``, ``UPDATE OR REPLACE``) deletes the row
it conflicts with without firing a delete trigger unless the connection turned
``recursive_triggers`` on — which no plain ``sqlite3`` connection does. So the triggers of 0001
let an event be rewritten and a case be deleted (and the kept counts drift). Here an insert that
would meet an existing event or case is refused before SQLite resolves the conflict, and a case's
id, number and import key (its unique columns) never change, so no update can meet another case.
PostgreSQL has no REPLACE (``ON CONFLICT DO UPDATE`` fires the update triggers of 0001), but a
case keeps its number there too.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "the case timeline is append-only"
NEVER_DELETED = "cases are never deleted"
KEEPS_NUMBER = "a case keeps its number"

_KEYS_CHANGED = (
    "OLD.id IS DISTINCT FROM NEW.id OR OLD.number IS DISTINCT FROM NEW.number "
    "OR OLD.source_key IS DISTINCT FROM NEW.source_key"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(
            "CREATE TRIGGER cases_keep_number BEFORE UPDATE OF id, number, source_key ON cases "
            f"FOR EACH ROW WHEN ({_KEYS_CHANGED}) EXECUTE FUNCTION kesu_refuse('{KEEPS_NUMBER}')"
        )
        return
    # BEFORE INSERT runs before the conflict is resolved. An insert that gives no id gets a new
    # one (NEW.id is then NULL or -1 here), which meets nothing.
    op.execute(
        "CREATE TRIGGER case_events_no_replace BEFORE INSERT ON case_events "
        "WHEN EXISTS (SELECT 1 FROM case_events WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    )
    op.execute(
        "CREATE TRIGGER cases_no_replace BEFORE INSERT ON cases "
        "WHEN EXISTS (SELECT 1 FROM cases WHERE id = NEW.id) "
        "OR EXISTS (SELECT 1 FROM cases WHERE number = NEW.number) "
        "OR EXISTS (SELECT 1 FROM cases WHERE source_key = NEW.source_key) "
        f"BEGIN SELECT RAISE(ABORT, '{NEVER_DELETED}'); END"
    )
    op.execute(
        "CREATE TRIGGER cases_keep_number BEFORE UPDATE OF id, number, source_key ON cases "
        f"WHEN {_KEYS_CHANGED.replace('IS DISTINCT FROM', 'IS NOT')} "
        f"BEGIN SELECT RAISE(ABORT, '{KEEPS_NUMBER}'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER cases_keep_number ON cases")
        return
    for trigger in ("case_events_no_replace", "cases_no_replace", "cases_keep_number"):
        op.execute(f"DROP TRIGGER {trigger}")
