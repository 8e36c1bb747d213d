"""Day counters an import pushed past the counter's range are brought back.

Imports used to accept any digits after ``KS-YYYYMMDD-``: a number like ``…-2147483647`` moved
the day's counter to the end of PostgreSQL's integer (every later registration that day failed)
and ``…-9223372036854775807`` past SQLite's. Such a counter goes back to the largest number of
that day written the desk's way (domain/numbering.py); the cases keep their numbers.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kesu_desk.domain import numbering

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    days = conn.execute(
        sa.text("SELECT day FROM case_counters WHERE last > :max OR last < 0"),
        {"max": numbering.COUNTER_MAX},
    ).scalars().all()
    for day in days:
        numbers = conn.execute(
            sa.text("SELECT number FROM cases WHERE number LIKE :prefix"), {"prefix": f"KS-{day}-%"}
        ).scalars()
        counters = [parsed[1] for n in numbers if (parsed := numbering.parse_number(n))]
        conn.execute(sa.text("UPDATE case_counters SET last = :last WHERE day = :day"),
                     {"last": max(counters, default=0), "day": day})


def downgrade() -> None:
    pass  # a counter in range is right for every revision
