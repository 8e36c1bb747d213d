"""Stored notifications (inboxes), and the lock that makes registrations of a batch take turns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, text
from sqlmodel import Session, col, select

from kesu_desk.domain.vocabulary import Role
from kesu_desk.store.models import Case, CorrectiveAction, Department, Notification, User


@dataclass(frozen=True)
class NotificationView:
    id: int
    case_number: str
    kind: str
    text: str
    department: str | None
    user: str | None
    created_at: datetime
    read_at: datetime | None
    read_by: str | None


def lock_batch(session: Session, product: str, batch: str) -> None:
    """Make registrations of one product batch take turns until the end of the transaction
    (SQLite's writers already do: a write transaction begins IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                        {"k": f"kesu-batch\x1f{product}\x1f{batch}"})


def first_of_batch(session: Session, product: str, batch: str) -> Case | None:
    return session.exec(select(Case).where(Case.product == product, Case.batch == batch)
                        .order_by(col(Case.id))).first()


def existing_departments(session: Session, codes: Sequence[str]) -> list[str]:
    found = set(session.exec(select(Department.code).where(col(Department.code).in_(list(codes)))).all())
    return [c for c in codes if c in found]


def managers(session: Session, name: str | None = None) -> list[User]:
    """The general manager: the user ``name`` when configured, else every active manager."""
    query = select(User).where(col(User.active).is_(True))
    query = query.where(User.name == name) if name else query.where(User.role == Role.MANAGER.value)
    return list(session.exec(query.order_by(col(User.id))).all())


def first_member(session: Session, codes: Sequence[str]) -> User | None:
    """The first active user of the first of ``codes`` that has one."""
    for code in codes:
        user = session.exec(select(User).where(User.department_code == code, col(User.active).is_(True))
                            .order_by(col(User.id))).first()
        if user is not None:
            return user
    return None


def add(session: Session, note: Notification) -> None:
    session.add(note)
    session.flush()


def _mine(user: User) -> ColumnElement[bool]:
    conds = [col(Notification.user_id) == user.id]
    if user.department_code:
        conds.append(col(Notification.department_code) == user.department_code)
    return or_(*conds)


def inbox(session: Session, user: User, *, unread: bool = False, limit: int = 200) -> list[NotificationView]:
    """``user``'s notifications (theirs and their department's), newest first."""
    query = (select(Notification, Case.number).join(Case, col(Case.id) == col(Notification.case_id))
             .where(_mine(user)))
    if unread:
        query = query.where(col(Notification.read_at).is_(None))
    rows = session.exec(query.order_by(col(Notification.id).desc()).limit(limit)).all()
    names = {u.id: u.name for u in session.exec(select(User)).all()}
    return [NotificationView(n.id, number, n.kind, n.text, n.department_code,
                             names.get(n.user_id) if n.user_id else None, n.created_at, n.read_at,
                             names.get(n.read_by) if n.read_by else None)
            for n, number in rows if n.id is not None]


def for_user(session: Session, user: User, note_id: int) -> Notification | None:
    """Notification ``note_id`` if it is in ``user``'s inbox, locked for the change."""
    return session.exec(select(Notification).where(Notification.id == note_id, _mine(user))
                        .with_for_update()).first()


def of_case(session: Session, case_id: int) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.case_id == case_id)
                             .order_by(col(Notification.id))).all())


def corrective_for_change(session: Session, action_id: int) -> CorrectiveAction | None:
    return session.exec(select(CorrectiveAction).where(CorrectiveAction.id == action_id).with_for_update()).first()
