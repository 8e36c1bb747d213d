"""Each desk user's own choices (issue 15): read and write the ``user_preferences`` table."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from kesu_desk.sla import utcnow
from kesu_desk.store.models import UserPreference


def get(session: Session, user_id: int, name: str) -> str | None:
    return session.exec(
        select(UserPreference.value).where(col(UserPreference.user_id) == user_id, col(UserPreference.name) == name)
    ).first()


def put(session: Session, user_id: int, name: str, value: str) -> None:
    """Insert or replace in one statement: two terminals of the same user saving at the same
    instant leave one of their values, never an error."""
    # Each dialect's module only on its database: PostgreSQL's takes 20-30 ms, which an
    # SQLite desk would spend before its first screen.
    table = UserPreference.__table__  # type: ignore[attr-defined]
    statement: Any
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table)
    statement = statement.values(user_id=user_id, name=name, value=value, updated_at=utcnow())
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "name"], set_={"value": value, "updated_at": utcnow()})
    session.execute(statement)
