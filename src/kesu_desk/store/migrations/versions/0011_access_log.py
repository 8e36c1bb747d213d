"""Who did it, who read it, and a customer's right to be forgotten.

- ``case_events.admin_id``: the admin who acted as the event's actor (``kesu-desk --user``).
- ``access_log``: an append-only log of bulk reads of personal data and of erasures.
- ``customers.erased_at`` and ``case_events.erasure_id``: an erasure masks a customer's name,
  phone and e-mail in their cases' timeline. The timeline stays append-only for everything
  else: the database lets an event change only its comment and details, only when the change
  names the newest entry of the access log, an erasure of the customer of the event's case, while
  that erasure is under way (the customer is marked erased at its end, and stays so).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "the case timeline is append-only"
LOG_APPEND_ONLY = "the access log is append-only"
STAYS_ERASED = "an erased customer stays erased"

# The columns an erasure may not change, and the erasure it must name (new, about this
# customer). ``IS NOT DISTINCT FROM`` on PostgreSQL, ``IS`` on SQLite.
_KEPT = ("id", "case_id", "at", "actor_id", "admin_id", "action", "from_status", "to_status", "visibility")


def _erasure(same: str) -> str:
    kept = " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in _KEPT)
    return (
        f"NEW.erasure_id IS NOT NULL AND NEW.erasure_id > COALESCE(OLD.erasure_id, 0) AND {kept} "
        "AND NEW.erasure_id = (SELECT max(id) FROM access_log) "
        "AND EXISTS (SELECT 1 FROM access_log a JOIN cases c ON c.customer_id = a.customer_id "
        "JOIN customers p ON p.id = a.customer_id "
        "WHERE a.id = NEW.erasure_id AND a.use = 'erase' AND c.id = NEW.case_id AND p.erased_at IS NULL)"
    )


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("admin_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("use", sa.String(length=16), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customers.id"), nullable=True),
    )
    op.create_index("ix_access_log_at", "access_log", ["at", "id"])
    # Plain ADD COLUMNs: no batch (copy-and-move) rebuild of the big tables. SQLite takes the
    # reference inline (Alembic would try an ALTER … ADD CONSTRAINT, which SQLite has not).
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, table in (("admin_id", "users"), ("erasure_id", "access_log")):
        if sqlite:
            op.execute(f"ALTER TABLE case_events ADD COLUMN {column} INTEGER REFERENCES {table}(id)")
        else:
            op.add_column("case_events", sa.Column(column, sa.Integer(), sa.ForeignKey(f"{table}.id")))
    op.add_column("customers", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    if sqlite:
        op.execute("DROP TRIGGER case_events_no_update")
        op.execute(
            "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
            f"WHEN NOT ({_erasure('IS')}) "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
        for when, name in (("UPDATE", "no_update"), ("DELETE", "no_delete")):
            op.execute(f"CREATE TRIGGER access_log_{name} BEFORE {when} ON access_log "
                       f"BEGIN SELECT RAISE(ABORT, '{LOG_APPEND_ONLY}'); END")
        op.execute(
            "CREATE TRIGGER customers_stay_erased BEFORE UPDATE OF erased_at ON customers "
            "WHEN OLD.erased_at IS NOT NULL AND NEW.erased_at IS NOT OLD.erased_at "
            f"BEGIN SELECT RAISE(ABORT, '{STAYS_ERASED}'); END"
        )
        op.execute(  # REPLACE deletes without firing the delete trigger (see 0007)
            "CREATE TRIGGER access_log_no_replace BEFORE INSERT ON access_log "
            "WHEN EXISTS (SELECT 1 FROM access_log WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{LOG_APPEND_ONLY}'); END"
        )
        return
    op.execute("DROP TRIGGER case_events_append_only ON case_events")
    op.execute(
        "CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events "
        f"FOR EACH ROW EXECUTE FUNCTION kesu_refuse('{APPEND_ONLY}')"
    )
    # A trigger's WHEN may not hold a subquery on PostgreSQL: the check is a function.
    op.execute(
        "CREATE FUNCTION kesu_event_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF {_erasure('IS NOT DISTINCT FROM')} THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
    )
    op.execute("CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
               "FOR EACH ROW EXECUTE FUNCTION kesu_event_update()")
    op.execute("CREATE TRIGGER customers_stay_erased BEFORE UPDATE OF erased_at ON customers FOR EACH ROW "
               "WHEN (OLD.erased_at IS NOT NULL AND NEW.erased_at IS DISTINCT FROM OLD.erased_at) "
               f"EXECUTE FUNCTION kesu_refuse('{STAYS_ERASED}')")
    op.execute("CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
               f"FOR EACH ROW EXECUTE FUNCTION kesu_refuse('{LOG_APPEND_ONLY}')")
    op.execute("CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
               f"FOR EACH STATEMENT EXECUTE FUNCTION kesu_refuse('{LOG_APPEND_ONLY}')")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for trigger in ("case_events_no_update", "access_log_no_update", "access_log_no_delete",
                        "access_log_no_replace", "customers_stay_erased"):
            op.execute(f"DROP TRIGGER {trigger}")
    else:
        op.execute("DROP TRIGGER case_events_no_update ON case_events")
        op.execute("DROP TRIGGER case_events_no_delete ON case_events")
        op.execute("DROP TRIGGER customers_stay_erased ON customers")
        op.execute("DROP FUNCTION kesu_event_update()")
        op.execute("CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events "
                   f"FOR EACH ROW EXECUTE FUNCTION kesu_refuse('{APPEND_ONLY}')")
    # SQLite (3.35 and later) drops a column in place: a batch rebuild of the tables would drop
    # their triggers and, with the foreign keys on, refuse to drop the referenced customers.
    for table, column in (("customers", "erased_at"), ("case_events", "erasure_id"), ("case_events", "admin_id")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    if sqlite:  # the guard of 0001, as it was
        op.execute("CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
                   f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END")
    op.drop_index("ix_access_log_at", table_name="access_log")
    op.drop_table("access_log")
