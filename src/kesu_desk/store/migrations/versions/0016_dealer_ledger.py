"""Dealers' after-sales allowance: an append-only ledger of purchases and charges (issue 13).

- ``dealer_ledger``: one row per purchase an A-class dealer made (it earns the allowance) and per
  charge against it (a spare part sent, its shipping), with the case, who recorded it and, for a
  charge beyond the balance, the business representative who approved it. Append-only: the
  database refuses UPDATE and DELETE.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER_APPEND_ONLY = "the dealer ledger is append-only"


def upgrade() -> None:
    op.create_table(
        "dealer_ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer_id", sa.Integer(), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("approved_by", sa.String(length=128), nullable=True),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_dealer_ledger_dealer", "dealer_ledger", ["dealer_id", "id"])
    if op.get_bind().dialect.name == "sqlite":
        for when, name in (("UPDATE", "no_update"), ("DELETE", "no_delete")):
            op.execute(f"CREATE TRIGGER dealer_ledger_{name} BEFORE {when} ON dealer_ledger "
                       f"BEGIN SELECT RAISE(ABORT, '{LEDGER_APPEND_ONLY}'); END")
        op.execute(  # REPLACE deletes without firing the delete trigger (see 0007)
            "CREATE TRIGGER dealer_ledger_no_replace BEFORE INSERT ON dealer_ledger "
            "WHEN EXISTS (SELECT 1 FROM dealer_ledger WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{LEDGER_APPEND_ONLY}'); END"
        )
        return
    op.execute("CREATE TRIGGER dealer_ledger_append_only BEFORE UPDATE OR DELETE ON dealer_ledger "
               f"FOR EACH ROW EXECUTE FUNCTION kesu_refuse('{LEDGER_APPEND_ONLY}')")
    op.execute("CREATE TRIGGER dealer_ledger_no_truncate BEFORE TRUNCATE ON dealer_ledger "
               f"FOR EACH STATEMENT EXECUTE FUNCTION kesu_refuse('{LEDGER_APPEND_ONLY}')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("no_update", "no_delete", "no_replace"):
            op.execute(f"DROP TRIGGER dealer_ledger_{name}")
    op.drop_index("ix_dealer_ledger_dealer", table_name="dealer_ledger")
    op.drop_table("dealer_ledger")
