"""Dealers in the case's work (issue 13): an A-class dealer's contract (``dealer_contracts``, one
row per dealer customer) and the spare parts sent on a case (``spare_part_shipments``). New
tables only: nothing on the big tables changes.

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-04 18:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dealer_contracts",
        sa.Column("dealer_id", sa.Integer(), sa.ForeignKey("customers.id"), primary_key=True),
        sa.Column("contract_no", sa.String(length=64), nullable=False),
        sa.Column("representative", sa.String(length=128), nullable=False),
        sa.Column("contact", sa.String(length=128), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
    )
    op.create_table(
        "spare_part_shipments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("part_code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("charged_to", sa.String(length=16), nullable=False),
        sa.Column("dealer_id", sa.Integer(), sa.ForeignKey("customers.id"), nullable=True),
        sa.Column("approved_by", sa.String(length=128), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_spare_part_shipments_case", "spare_part_shipments", ["case_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_spare_part_shipments_case", "spare_part_shipments")
    op.drop_table("spare_part_shipments")
    op.drop_table("dealer_contracts")
