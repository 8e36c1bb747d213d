"""Who is who, and who read what: the users an identity maps to, and the access log."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, text
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from kesu_desk.domain.vocabulary import Role
from kesu_desk.domain.workflow import Actor
from kesu_desk.store.models import AccessEntry, Case, User


def active_user(session: Session, name: str) -> Actor | None:
    """The desk user called ``name``, unless there is none or they were deactivated."""
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None or not user.active:
        return None
    assert user.id is not None
    return Actor(user.id, user.name, Role(user.role), user.department_code, user.store_code)


def has_users(session: Session) -> bool:
    return session.exec(select(User.id).limit(1)).first() is not None


def has_cases(session: Session) -> bool:
    return session.exec(select(Case.id).limit(1)).first() is not None


def connected_role(session: Session) -> str:
    """The PostgreSQL role this connection signed in as (``session_user``: a ``SET ROLE`` by the
    client cannot change it)."""
    return str(session.execute(text("SELECT session_user")).scalar_one())


def log_access(
    session: Session, *, at: datetime, user_id: int, admin_id: int | None, login: str, use: str,
    details: dict[str, Any], rows: int | None = None, customer_id: int | None = None,
) -> int:
    entry = AccessEntry(at=at, user_id=user_id, admin_id=admin_id, login=login, use=use,
                        details=json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
                        rows=rows, customer_id=customer_id)
    session.add(entry)
    session.flush()
    assert entry.id is not None
    return entry.id


@dataclass(frozen=True)
class AccessRow:
    id: int
    at: datetime
    user: str
    admin: str | None
    login: str
    use: str
    details: dict[str, Any]
    rows: int | None


def access_entries(
    session: Session, *, since: datetime | None = None, until: datetime | None = None,
    user: str | None = None, limit: int = 1000,
) -> list[AccessRow]:
    """The newest ``limit`` entries, oldest first, optionally of one user (acting or admin)."""
    admin = aliased(User)
    stmt = (
        select(AccessEntry, col(User.name), col(admin.name))
        .join(User, col(User.id) == col(AccessEntry.user_id))
        .outerjoin(admin, col(admin.id) == col(AccessEntry.admin_id))
    )
    if since is not None:
        stmt = stmt.where(col(AccessEntry.at) >= since)
    if until is not None:
        stmt = stmt.where(col(AccessEntry.at) < until)
    if user is not None:
        stmt = stmt.where((col(User.name) == user) | (col(admin.name) == user))
    rows: Sequence[Any] = session.exec(stmt.order_by(col(AccessEntry.id).desc()).limit(limit)).all()
    return [AccessRow(e.id, e.at, name, admin_name, e.login, e.use, json.loads(e.details), e.rows)
            for e, name, admin_name in reversed(rows)]


def count_entries(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(AccessEntry)).one())
