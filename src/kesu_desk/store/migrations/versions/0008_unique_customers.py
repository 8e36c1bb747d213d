"""One customer per phone number and per e-mail address: the duplicates a database already holds
are merged, then the schema refuses new ones.

Two terminals registering the same new caller at the same moment could both find no customer and
both add one (PostgreSQL; SQLite's writers take turns). Customers that share a phone or an e-mail
address (written in any letter case), directly or through each other, are one customer: the
oldest record stays, takes from the others what it lacks (name, phone, e-mail, dealer), and
their cases and sub-dealers point to it. What the merged records said is written, with the
merge, on the timeline of every case of that customer — a second phone number that the kept
record has no room for is kept there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 11:00:00
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Who writes the merge on the timelines: the desk itself, as an inactive user nobody can be.
SYSTEM_USER = "kesu-desk"
CUSTOMER_MERGED = "customer_merged"

_customers = sa.table(
    "customers",
    sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("phone", sa.String),
    sa.column("email", sa.String), sa.column("dealer_id", sa.Integer),
)
_events = sa.table(
    "case_events",
    sa.column("case_id", sa.Integer), sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer), sa.column("action", sa.String),
    sa.column("from_status", sa.String), sa.column("to_status", sa.String),
    sa.column("comment", sa.Text), sa.column("visibility", sa.String), sa.column("details", sa.Text),
)
_users = sa.table(
    "users",
    sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("display_name", sa.String),
    sa.column("role", sa.String), sa.column("department_code", sa.String),
    sa.column("active", sa.Boolean), sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    conn = op.get_bind()
    _normalise(conn)
    groups = _duplicate_groups(conn)
    if groups:
        now = datetime.now(UTC)
        actor = _system_user(conn, now)
        for group in groups:
            _merge(conn, group, actor, now)
    for column in ("phone", "email"):
        op.drop_index(f"ix_customers_{column}", table_name="customers")
        op.create_index(f"ix_customers_{column}", "customers", [column], unique=True)


def _normalise(conn: sa.Connection) -> None:
    """Empty contacts become NULL (none, not a shared ""); e-mail addresses lower case, as the
    desk now stores them (Python's lower(): SQL's differs between engines outside ASCII)."""
    for column in ("phone", "email"):
        conn.execute(sa.text(f"UPDATE customers SET {column} = NULL WHERE trim({column}) = ''"))
    rows = conn.execute(sa.text("SELECT id, email FROM customers WHERE email IS NOT NULL")).all()
    changed = [{"i": cid, "e": email.strip().lower()} for cid, email in rows
               if email != email.strip().lower()]
    if changed:
        conn.execute(sa.text("UPDATE customers SET email = :e WHERE id = :i"), changed)


def _duplicate_groups(conn: sa.Connection) -> list[list[Any]]:
    """Customers linked by a shared phone or e-mail, directly or through others: each group's
    rows in id order. Only rows with a shared value are read (a component of two or more rows
    is linked by such values throughout)."""
    rows = conn.execute(sa.text(
        "SELECT id, name, phone, email, dealer_id FROM customers "
        "WHERE phone IN (SELECT phone FROM customers WHERE phone IS NOT NULL "
        "GROUP BY phone HAVING count(*) > 1) "
        "OR email IN (SELECT email FROM customers WHERE email IS NOT NULL "
        "GROUP BY email HAVING count(*) > 1) ORDER BY id"
    )).all()
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for row in rows:
        parent[row.id] = row.id
        for key in (("phone", row.phone), ("email", row.email)):
            if key[1] is None:
                continue
            other = first_with.setdefault(key, row.id)
            a, b = root(other), root(row.id)
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(root(row.id), []).append(row)
    return [g for g in groups.values() if len(g) > 1]


def _system_user(conn: sa.Connection, now: datetime) -> int:
    found = conn.execute(sa.select(_users.c.id).where(_users.c.name == SYSTEM_USER)).scalar()
    if found is not None:
        return int(found)
    conn.execute(sa.insert(_users).values(
        name=SYSTEM_USER, display_name=SYSTEM_USER, role="admin", department_code=None,
        active=False, created_at=now,
    ))
    return int(conn.execute(sa.select(_users.c.id).where(_users.c.name == SYSTEM_USER)).scalar_one())


def _merge(conn: sa.Connection, group: list[Any], actor: int, now: datetime) -> None:
    kept, merged = group[0], group[1:]
    ids = [row.id for row in merged]

    def first(field: str) -> Any:
        return next((getattr(r, field) for r in group if getattr(r, field)), None)

    # A dealer outside the group (one inside it is the customer itself now).
    dealer = next((r.dealer_id for r in group if r.dealer_id and r.dealer_id not in (kept.id, *ids)),
                  None)
    in_ids: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
    params = {"kept": kept.id, "ids": ids}
    conn.execute(sa.text("UPDATE cases SET customer_id = :kept WHERE customer_id IN :ids")
                 .bindparams(in_ids), params)
    conn.execute(sa.text("UPDATE customers SET dealer_id = :kept WHERE dealer_id IN :ids")
                 .bindparams(in_ids), params)
    conn.execute(sa.text("DELETE FROM customers WHERE id IN :ids").bindparams(in_ids), params)
    conn.execute(sa.update(_customers).where(_customers.c.id == kept.id).values(
        name=first("name") or "", phone=first("phone"), email=first("email"), dealer_id=dealer,
    ))
    said = "; ".join(
        " ".join(str(part) for part in (f"#{r.id}", r.name, r.phone, r.email) if part) for r in merged
    )
    details = json.dumps({
        "into": kept.id, "merged": ids,
        "phones": sorted({r.phone for r in group if r.phone}),
        "emails": sorted({r.email for r in group if r.email}),
    }, ensure_ascii=False)
    affected = conn.execute(sa.text("SELECT id, status FROM cases WHERE customer_id = :kept ORDER BY id"),
                            {"kept": kept.id}).all()
    if affected:
        conn.execute(sa.insert(_events), [
            {"case_id": case_id, "at": now, "actor_id": actor, "action": CUSTOMER_MERGED,
             "from_status": status, "to_status": status, "comment": said,
             "visibility": "internal", "details": details}
            for case_id, status in affected
        ])


def downgrade() -> None:
    # The merged records are not split again: their cases stay with the customer they joined.
    for column in ("phone", "email"):
        op.drop_index(f"ix_customers_{column}", table_name="customers")
        op.create_index(f"ix_customers_{column}", "customers", [column], unique=False)
