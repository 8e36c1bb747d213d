"""Products and spare parts (issue 13): the catalogue loaded by ``kesu-desk products import``,
their barcodes, and the product a case names (``cases.product_code``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("name_zh", sa.String(length=128), nullable=False),
        sa.Column("name_en", sa.String(length=128), nullable=False),
        sa.Column("name_es", sa.String(length=128), nullable=False),
        sa.Column("warranty_months", sa.Integer(), nullable=True),
        sa.Column("retail_price_cents", sa.Integer(), nullable=True),
        sa.Column("fits", sa.Text(), nullable=False),
        sa.Column("retired_at", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "product_barcodes",
        sa.Column("barcode", sa.String(length=14), primary_key=True),
        sa.Column("product_id", sa.Integer(), sa.ForeignKey("products.id"), nullable=False),
    )
    op.create_index("ix_product_barcodes_product_id", "product_barcodes", ["product_id"])
    # A plain ADD COLUMN (no batch rebuild of the cases table); SQLite takes the reference inline.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE cases ADD COLUMN product_code VARCHAR(32) REFERENCES products(code)")
    else:
        op.add_column("cases", sa.Column("product_code", sa.String(length=32), sa.ForeignKey("products.code"),
                                         nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("cases_product_code_fkey", "cases", type_="foreignkey")
    op.execute("ALTER TABLE cases DROP COLUMN product_code")
    op.drop_index("ix_product_barcodes_product_id", table_name="product_barcodes")
    op.drop_table("product_barcodes")
    op.drop_table("products")
