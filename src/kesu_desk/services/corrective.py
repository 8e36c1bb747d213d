"""Corrective actions: a batch problem, or any case a supervisor marks, gets one; later someone
checks whether the problem came back.

The life of an action::

    open ──(owner: progress, done=True)──▶ done ──(staff: check, effective)──▶ effective
      ▲                                      │
      └──────(staff: check, not effective, with a new due date)────────────────┘

* Supervisors, managers and admins open and change an action and record its effectiveness
  check; the owner (any user) records progress and completion, and so may staff.
* The check falls due ``Settings.corrective_check_days`` (default 60) calendar days after the
  owner records the action done: the problem can only be seen coming back once the action is in
  place, and an action finished early is checked early. "Effective" may be recorded from that day
  on; "not effective" at any time once the action is done.
* Not effective: the action goes back to open with a new due date and one more round, and the
  case it was opened from is reopened through the workflow (:func:`cases.reopen`, which writes its
  own timeline event) when it is closed. The reopening is a second transaction after the check
  is saved; if someone else reopened the case meanwhile, that is left as it is.
* Every change writes a timeline event on that case (actions CORRECTIVE_ACTION,
  CORRECTIVE_PROGRESS, EFFECTIVENESS_CHECK); none changes the case itself, so its version stays.
* Every change names the version of the action the user saw and bumps it: a change made on an
  older version (a colleague changed the action meanwhile) is refused with ConflictError and
  writes nothing, as for cases.
* For a batch problem (``for_batch=True``) the action carries the case's product and batch, and a
  batch has at most one unfinished action; otherwise a case has at most one unfinished action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from kesu_desk.domain import workflow
from kesu_desk.domain.errors import ConflictError, NotFoundError, WorkflowError
from kesu_desk.domain.limits import TEXT_LIMITS, check_lengths
from kesu_desk.domain.vocabulary import Action, CorrectiveStatus, Status
from kesu_desk.domain.workflow import STAFF, Actor
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
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


# -- reading -------------------------------------------------------------------------------------


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


def views(session: Session, *where: Any) -> list[CorrectiveView]:
    """The actions matching ``where`` (SQL conditions on CorrectiveAction/Case), oldest first."""
    stmt = _select_views().where(*where).order_by(col(CorrectiveAction.id))
    return [_to_view(row) for row in session.execute(stmt).all()]


def get_action(desk: Desk, action_id: int) -> CorrectiveView:
    with desk.uow(write=False) as uow:
        found = views(uow.session, col(CorrectiveAction.id) == action_id)
    if not found:
        raise NotFoundError("corrective_not_found", id=action_id)
    return found[0]


def list_actions(
    desk: Desk, *, case_number: str | None = None, product: str | None = None,
    batch: str | None = None, statuses: tuple[CorrectiveStatus, ...] = (),
) -> list[CorrectiveView]:
    """Corrective actions of a case, of a product (and batch), in some statuses; all by default."""
    where: list[Any] = []
    if case_number is not None:
        where.append(col(Case.number) == case_number)
    if product is not None:
        where.append(col(CorrectiveAction.product) == product)
    if batch is not None:
        where.append(col(CorrectiveAction.batch) == batch)
    if statuses:
        where.append(col(CorrectiveAction.status).in_([s.value for s in statuses]))
    with desk.uow(write=False) as uow:
        return views(uow.session, *where)


def checks_due(desk: Desk, on: date) -> list[CorrectiveView]:
    """Done actions whose effectiveness check falls due on or before ``on``."""
    with desk.uow(write=False) as uow:
        return views(
            uow.session,
            col(CorrectiveAction.status) == CorrectiveStatus.DONE.value,
            col(CorrectiveAction.check_due) <= on,
        )


# -- changing ------------------------------------------------------------------------------------


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    assert case is not None
    return case


def _load_action(session: Session, action_id: int, expected_version: int | None) -> CorrectiveAction:
    ca = session.exec(
        select(CorrectiveAction).where(CorrectiveAction.id == action_id).with_for_update()
    ).first()
    if ca is None:
        raise NotFoundError("corrective_not_found", id=action_id)
    if expected_version is not None and ca.version != expected_version:
        raise ConflictError("corrective_conflict", id=action_id, yours=expected_version,
                            theirs=ca.version)
    return ca


def _owner(session: Session, name: str) -> User:
    user, _ = cases.load_actor(session, name)  # an unknown or inactive owner is refused
    return user


def _not_past(desk: Desk, due: date, today: date | None = None) -> None:
    if due < (today or desk.calendar.local_date(utcnow())):
        raise WorkflowError("due_in_past", date=due.isoformat())


def _written(session: Session, ca: CorrectiveAction) -> CorrectiveView:
    session.flush()
    return views(session, col(CorrectiveAction.id) == ca.id)[0]


def open_action(
    desk: Desk, actor: str, number: str, *, owner: str, due: date | None, text: str,
    for_batch: bool = False,
) -> CorrectiveView:
    """Open a corrective action on case ``number`` (for its batch problem with ``for_batch``)."""
    check_lengths(corrective_text=text)
    with desk.uow() as uow:
        session = uow.session
        _, who = cases.load_actor(session, actor)
        # Locked, so two supervisors opening one at the same moment take turns (and the second
        # is told it exists).
        case = session.exec(select(Case).where(Case.number == number).with_for_update()).first()
        if case is None:
            raise NotFoundError("case_not_found", number=number)
        workflow.transition(Action.CORRECTIVE_ACTION, cases._facts(case), who,
                            owner=owner, due=due, text=text)
        assert due is not None and case.id is not None
        _not_past(desk, due)
        owner_user = _owner(session, owner)
        if for_batch and not (case.product and case.batch):
            raise WorkflowError("no_batch", number=number)
        product, batch = (case.product, case.batch) if for_batch else ("", "")
        unfinished = col(CorrectiveAction.status).in_(UNFINISHED)
        same = (
            (col(CorrectiveAction.product) == product) & (col(CorrectiveAction.batch) == batch)
            if for_batch else col(CorrectiveAction.case_id) == case.id
        )
        existing = session.exec(select(CorrectiveAction.id).where(unfinished, same)).first()
        if existing is not None:
            raise WorkflowError("corrective_exists", id=existing)
        now = utcnow()
        assert owner_user.id is not None
        ca = CorrectiveAction(
            case_id=case.id, product=product, batch=batch, action=text.strip(),
            owner_id=owner_user.id, due_date=due, opened_by=who.id, opened_at=now, updated_at=now,
        )
        session.add(ca)
        session.flush()
        _tell(session, case, who, Action.CORRECTIVE_ACTION, ca.action, now, ca,
              opened=True, owner=owner_user.name, due=due)
        view = _written(session, ca)
        uow.commit()
        return view


def change_action(
    desk: Desk, actor: str, action_id: int, *, owner: str | None = None, due: date | None = None,
    text: str | None = None, version: int | None = None,
) -> CorrectiveView:
    """Staff change an unfinished action's owner, due date or text; what changed goes on the
    timeline. With ``version`` (the action as the user saw it) a change made meanwhile by someone
    else is refused (ConflictError), as for cases."""
    check_lengths(corrective_text=text)
    with desk.uow() as uow:
        session = uow.session
        _, who = cases.load_actor(session, actor)
        ca = _load_action(session, action_id, version)
        case = _case(session, ca.case_id)
        old_owner = session.get(User, ca.owner_id)
        assert old_owner is not None
        workflow.transition(Action.CORRECTIVE_ACTION, cases._facts(case), who,
                            owner=owner or old_owner.name, due=due or ca.due_date,
                            text=ca.action if text is None else text)
        if ca.status == CorrectiveStatus.EFFECTIVE.value:
            raise WorkflowError("corrective_finished", id=action_id)
        changed: dict[str, Any] = {}
        if owner is not None and owner != old_owner.name:
            new_owner = _owner(session, owner)
            assert new_owner.id is not None
            ca.owner_id = new_owner.id
            changed["owner"] = new_owner.name
        if due is not None and due != ca.due_date:
            _not_past(desk, due)
            ca.due_date = due
            changed["due"] = due
        if text is not None and text.strip() != ca.action:
            ca.action = text.strip()
            changed["text"] = True
        if not changed:
            return _written(session, ca)
        now = utcnow()
        ca.updated_at = now
        ca.version += 1
        session.add(ca)
        _tell(session, case, who, Action.CORRECTIVE_ACTION, ca.action if "text" in changed else "",
              now, ca, **changed)
        view = _written(session, ca)
        uow.commit()
        return view


def record_progress(
    desk: Desk, actor: str, action_id: int, *, note: str, done: bool = False, today: date | None = None,
    version: int | None = None,
) -> CorrectiveView:
    """The owner (or staff) says how far the action is; ``done`` finishes it, and its
    effectiveness check falls due ``corrective_check_days`` later."""
    check_lengths(corrective_note=note)
    with desk.uow() as uow:
        session = uow.session
        _, who = cases.load_actor(session, actor)
        ca = _load_action(session, action_id, version)
        case = _case(session, ca.case_id)
        workflow.transition(Action.CORRECTIVE_PROGRESS, cases._facts(case), who, note=note)
        if who.id != ca.owner_id and who.role not in STAFF:
            raise WorkflowError("not_corrective_owner", id=action_id)
        if ca.status != CorrectiveStatus.OPEN.value:
            raise WorkflowError("corrective_not_open", id=action_id)
        now = utcnow()
        ca.progress = note.strip()
        if done:
            ca.status = CorrectiveStatus.DONE.value
            ca.completed_at = now
            finished = today or desk.calendar.local_date(now)
            ca.check_due = finished + timedelta(days=desk.settings.corrective_check_days)
        ca.updated_at = now
        ca.version += 1
        session.add(ca)
        _tell(session, case, who, Action.CORRECTIVE_PROGRESS, ca.progress, now, ca,
              done=done or None, check_due=ca.check_due if done else None)
        view = _written(session, ca)
        uow.commit()
        return view


def record_check(
    desk: Desk, actor: str, action_id: int, *, effective: bool, comment: str = "",
    due: date | None = None, today: date | None = None, version: int | None = None,
) -> CorrectiveView:
    """Record whether the problem came back. Effective finishes the action; not effective
    (``comment``: what came back; ``due``: the new due date) opens it again and reopens its case
    when that is closed."""
    check_lengths(comment=comment)
    with desk.uow() as uow:
        session = uow.session
        _, who = cases.load_actor(session, actor)
        ca = _load_action(session, action_id, version)
        case = _case(session, ca.case_id)
        workflow.transition(Action.EFFECTIVENESS_CHECK, cases._facts(case), who,
                            effective=effective, comment=comment, due=due)
        if ca.status == CorrectiveStatus.EFFECTIVE.value:
            raise WorkflowError("corrective_finished", id=action_id)
        if ca.status != CorrectiveStatus.DONE.value:
            raise WorkflowError("corrective_not_done", id=action_id)
        now = utcnow()
        day = today or desk.calendar.local_date(now)
        if effective and ca.check_due is not None and day < ca.check_due:
            raise WorkflowError("check_too_early", date=ca.check_due.isoformat())
        ca.effective = effective
        ca.checked_at = now
        ca.checked_by = who.id
        ca.check_comment = comment.strip()
        if effective:
            ca.status = CorrectiveStatus.EFFECTIVE.value
        else:
            assert due is not None
            _not_past(desk, due, day)
            ca.status = CorrectiveStatus.OPEN.value
            ca.rounds += 1
            ca.due_date = due
            ca.completed_at = None
            ca.check_due = None
        ca.updated_at = now
        ca.version += 1
        session.add(ca)
        _tell(session, case, who, Action.EFFECTIVENESS_CHECK, ca.check_comment, now, ca,
              effective=effective, due=None if effective else due)
        view = _written(session, ca)
        reopen = not effective and case.status == Status.CLOSED.value
        uow.commit()
    if reopen:
        try:
            cases.reopen(desk, actor, view.case_number, comment=_shortened(
                f"#{view.id} {view.action} — {view.check_comment}", TEXT_LIMITS["comment"]))
        except WorkflowError as error:
            if error.code != "wrong_state":  # someone reopened it meanwhile: nothing to do
                raise
    return view


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis showing the cut: the reopening's comment
    quotes the action and the check, which stay whole on the action and its timeline events."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _tell(
    session: Session, case: Case, who: Actor, action: Action, comment: str, now: datetime,
    ca: CorrectiveAction, **details: Any,
) -> None:
    """The timeline event of a change to ``ca``; the case's status and version stay as they are."""
    cases._event(session, case, who, action, case.status, case.status, comment, now=now,
                 corrective=ca.id, status=ca.status, rounds=ca.rounds, **details)
