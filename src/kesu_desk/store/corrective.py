"""Corrective actions in the store: the repository their changes go through, and the actions as
the screens, the record form and the report list them (:class:`CorrectiveView`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from kesu_desk.domain.access import EVERYTHING, Scope
from kesu_desk.domain.errors import ConflictError, NotFoundError
from kesu_desk.domain.vocabulary import CorrectiveStatus
from kesu_desk.store.models import Case, CorrectiveAction, User

UNFINISHED = (CorrectiveStatus.OPEN.value, CorrectiveStatus.DONE.value)


@dataclass(frozen=True)
class CorrectiveView:
    """One corrective action as the screens and the report show it."""

    id: int
    version: int  # goes back with the next change (a change on an older one is refused)
    case_number: str
    product: str
    batch: str
    action: str
    owner: str
    due_date: date
    status: CorrectiveStatus
    rounds: int
    progress: str
    completed_at: datetime | None
    check_due: date | None
    effective: bool | None
    checked_at: datetime | None
    checked_by: str | None
    check_comment: str
    opened_by: str
    opened_at: datetime

    @property
    def for_batch(self) -> bool:
        return bool(self.product and self.batch)

    def overdue(self, today: date) -> bool:
        """Open past its due date, or done and its check not recorded past the check's date."""
        if self.status is CorrectiveStatus.OPEN:
            return today > self.due_date
        return self.status is CorrectiveStatus.DONE and self.check_due is not None and today > self.check_due


def _select_views() -> sa.Select[CorrectiveAction, str, str, str, str]:
    owner, opener, checker = aliased(User), aliased(User), aliased(User)
    return (
        sa.select(CorrectiveAction, col(Case.number), col(owner.name), col(opener.name),
                  col(checker.name))
        .join(Case, col(Case.id) == CorrectiveAction.case_id)
        .join(owner, col(owner.id) == CorrectiveAction.owner_id)
        .join(opener, col(opener.id) == CorrectiveAction.opened_by)
        .outerjoin(checker, col(checker.id) == CorrectiveAction.checked_by)
    )


def _to_view(row: Any) -> CorrectiveView:
    ca, number, owner, opener, checker = row
    assert ca.id is not None
    return CorrectiveView(
        id=ca.id, version=ca.version, case_number=number, product=ca.product, batch=ca.batch,
        action=ca.action,
        owner=owner, due_date=ca.due_date, status=CorrectiveStatus(ca.status), rounds=ca.rounds,
        progress=ca.progress, completed_at=ca.completed_at, check_due=ca.check_due,
        effective=ca.effective, checked_at=ca.checked_at, checked_by=checker,
        check_comment=ca.check_comment, opened_by=opener, opened_at=ca.opened_at,
    )


def views(session: Session, *where: Any, scope: Scope = EVERYTHING) -> list[CorrectiveView]:
    """The actions matching ``where`` (SQL conditions on CorrectiveAction/Case) opened from cases
    in ``scope``, oldest first."""
    # The overview's module, not loaded with every unit of work (it is not needed to start).
    from kesu_desk.store.figures import in_scope

    stmt = _select_views().where(*where, *in_scope(Case.department_code, scope))
    return [_to_view(row) for row in session.execute(stmt.order_by(col(CorrectiveAction.id))).all()]


class CorrectiveRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_change(self, action_id: int, version: int | None = None) -> CorrectiveAction:
        """The action locked for a change (NotFoundError when there is none), checked to be at
        ``version`` (ConflictError when someone changed it since; None: any version)."""
        ca = self.session.exec(
            select(CorrectiveAction).where(CorrectiveAction.id == action_id).with_for_update()
        ).first()
        if ca is None:
            raise NotFoundError("corrective_not_found", id=action_id)
        if version is not None and ca.version != version:
            raise ConflictError("corrective_conflict", id=action_id, yours=version, theirs=ca.version)
        return ca

    def unfinished(self, case: Case, *, for_batch: bool) -> int | None:
        """The id of an unfinished action of the case's batch (``for_batch``) or of the case."""
        same = (
            (col(CorrectiveAction.product) == case.product) & (col(CorrectiveAction.batch) == case.batch)
            if for_batch else col(CorrectiveAction.case_id) == case.id
        )
        return self.session.exec(
            select(CorrectiveAction.id).where(col(CorrectiveAction.status).in_(UNFINISHED), same)
        ).first()

    def add(self, ca: CorrectiveAction) -> None:
        """A new action, written at once (it gets its id)."""
        self.session.add(ca)
        self.session.flush()

    def view(self, action_id: int) -> CorrectiveView | None:
        """The action as it stands in this transaction (changes made in it included)."""
        self.session.flush()
        found = views(self.session, col(CorrectiveAction.id) == action_id)
        return found[0] if found else None

    def listed(
        self, *, case_number: str | None = None, product: str | None = None,
        batch: str | None = None, statuses: Sequence[CorrectiveStatus] = (),
        check_due_by: date | None = None, scope: Scope = EVERYTHING,
    ) -> list[CorrectiveView]:
        """The actions of a case, of a product (and batch), in some statuses, whose check falls
        due by a day — of cases in ``scope``; oldest first."""
        where: list[Any] = []
        if case_number is not None:
            where.append(col(Case.number) == case_number)
        if product is not None:
            where.append(col(CorrectiveAction.product) == product)
        if batch is not None:
            where.append(col(CorrectiveAction.batch) == batch)
        if statuses:
            where.append(col(CorrectiveAction.status).in_([s.value for s in statuses]))
        if check_due_by is not None:
            where.append(col(CorrectiveAction.check_due) <= check_due_by)
        return views(self.session, *where, scope=scope)
