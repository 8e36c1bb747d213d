"""Each desk user's own choices (issue 15): read and write the ``user_preferences`` table."""

from __future__ import annotations

from sqlmodel import Session, col, select

from kesu_desk.sla import utcnow
from kesu_desk.store.models import UserPreference
from kesu_desk.store.repositories import dialect_insert


def get(session: Session, user_id: int, name: str) -> str | None:
    return session.exec(
        select(UserPreference.value).where(col(UserPreference.user_id) == user_id, col(UserPreference.name) == name)
    ).first()


def put(session: Session, user_id: int, name: str, value: str) -> None:
    """Insert or replace in one statement: two terminals of the same user saving at the same
    instant leave one of their values, never an error."""
    statement = dialect_insert(session, UserPreference.__table__)  # type: ignore[attr-defined]
    statement = statement.values(user_id=user_id, name=name, value=value, updated_at=utcnow())
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "name"], set_={"value": value, "updated_at": utcnow()})
    session.execute(statement)
