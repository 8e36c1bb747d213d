"""The task-template steps a case carries (issue 13): read and write ``case_tasks``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from kesu_desk.store.models import Case, CaseTask, User


def of_case(session: Session, case: Case) -> list[CaseTask]:
    return list(session.exec(select(CaseTask).where(col(CaseTask.case_id) == case.id)
                             .order_by(col(CaseTask.template), col(CaseTask.position))).all())


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.name for u in session.exec(select(User).where(col(User.id).in_(sorted(ids)))).all()
            if u.id is not None}


def mark_done(session: Session, task_id: int, at: datetime, by: int | None, note: str) -> bool:
    """The step done — only while it is still open: of two terminals at the same instant, one
    marks it and the other gets False."""
    result = session.execute(
        update(CaseTask).where(col(CaseTask.id) == task_id, col(CaseTask.done_at).is_(None))
        .values(done_at=at, done_by=by, note=note))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
