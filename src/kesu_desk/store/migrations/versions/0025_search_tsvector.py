"""Issue 16: on PostgreSQL the search index keeps each case's tsvector in a stored column with
its GIN index, so a search no longer recomputes ``to_tsvector(body)`` for every row it checks (a
pair of common characters that never occur side by side read every row: 2.8 s at 200,000 cases).
SQLite's FTS5 table is unchanged.

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-04 18:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("ALTER TABLE case_search ADD COLUMN body_tsv tsvector "
               "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED")
    op.execute("DROP INDEX IF EXISTS ix_case_search_body")
    op.execute("CREATE INDEX ix_case_search_tsv ON case_search USING gin (body_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_case_search_tsv")
    op.execute("ALTER TABLE case_search DROP COLUMN body_tsv")
    op.execute("CREATE INDEX ix_case_search_body ON case_search USING gin (to_tsvector('simple', body))")
