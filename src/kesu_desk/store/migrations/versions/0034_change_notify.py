"""Issue 16: on PostgreSQL every change other terminals show is announced on the channel
``kesu_desk_<schema>`` (LISTEN/NOTIFY; channels are per database, so desks whose tables live in
another schema of it hear nothing of these), so a desk waits for it instead of asking every second.

One notification per statement, sent when its transaction commits (none for one rolled back):
``e<id>`` for new timeline events (the newest id, which is what a desk compares), ``a`` for a
change of proposals or approvals (the approvals badge). PostgreSQL folds equal payloads of one
transaction into one. SQLite has no channel: its desks keep their cheap look at the newest event.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-04 22:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "'kesu_desk_' || TG_TABLE_SCHEMA"  # as store/listen.py listens: CHANNEL_PREFIX + schema
_APPROVAL_TABLES = ("proposals", "approvals")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        "CREATE FUNCTION kesu_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE newest bigint; BEGIN SELECT max(id) INTO newest FROM new_rows; "
        f"IF newest IS NOT NULL THEN PERFORM pg_notify({CHANNEL}, 'e' || newest); END IF; "
        "RETURN NULL; END $$")
    op.execute("CREATE TRIGGER case_events_notify AFTER INSERT ON case_events "
               "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kesu_notify_events()")
    op.execute(
        "CREATE FUNCTION kesu_notify_approvals() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"PERFORM pg_notify({CHANNEL}, 'a'); RETURN NULL; END $$")
    for table in _APPROVAL_TABLES:
        op.execute(f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION kesu_notify_approvals()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table in _APPROVAL_TABLES:
        op.execute(f"DROP TRIGGER {table}_notify ON {table}")
    op.execute("DROP TRIGGER case_events_notify ON case_events")
    op.execute("DROP FUNCTION kesu_notify_approvals()")
    op.execute("DROP FUNCTION kesu_notify_events()")
