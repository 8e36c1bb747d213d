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

from datetime import date, datetime, timedelta
from typing import Any

from kesu_desk.domain import workflow
from kesu_desk.domain.errors import NotFoundError, WorkflowError
from kesu_desk.domain.limits import TEXT_LIMITS, check_lengths
from kesu_desk.domain.vocabulary import Action, CorrectiveStatus, Status
from kesu_desk.domain.workflow import STAFF, Actor
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.store import corrective as store
from kesu_desk.store.corrective import CorrectiveView as CorrectiveView  # the screens see it here
from kesu_desk.store.models import Case, CorrectiveAction, User
from kesu_desk.store.uow import UnitOfWork

# The corrective action a batch problem opens by itself is due this many days after it opened.
BATCH_ACTION_DAYS = 14

# -- reading -------------------------------------------------------------------------------------


def views(session: Any, *where: Any) -> list[CorrectiveView]:
    """Kept for the report and the record form until B1/B2 merge: use
    ``store.corrective.views`` (with the reader's scope) or ``uow.corrective.listed``."""
    return store.views(session, *where)


def get_action(desk: Desk, action_id: int) -> CorrectiveView:
    """The action, for a reader who may see its case or who owns it."""
    with desk.uow(write=False) as uow:
        view = uow.corrective.view(action_id)
        if view is None:
            raise NotFoundError("corrective_not_found", id=action_id)
        if desk.reader is None or desk.reader.name != view.owner:
            cases.check_visible(desk, uow.cases.get(view.case_number))
    return view


def list_actions(
    desk: Desk, *, case_number: str | None = None, product: str | None = None,
    batch: str | None = None, statuses: tuple[CorrectiveStatus, ...] = (),
) -> list[CorrectiveView]:
    """Corrective actions of a case, of a product (and batch), in some statuses; all by default
    — those of the cases the reader may see."""
    with desk.uow(write=False) as uow:
        return uow.corrective.listed(case_number=case_number, product=product, batch=batch,
                                     statuses=statuses, scope=desk.scope)


def checks_due(desk: Desk, on: date) -> list[CorrectiveView]:
    """Done actions whose effectiveness check falls due on or before ``on``."""
    with desk.uow(write=False) as uow:
        return uow.corrective.listed(statuses=(CorrectiveStatus.DONE,), check_due_by=on,
                                     scope=desk.scope)


# -- changing ------------------------------------------------------------------------------------


def _for_change(
    desk: Desk, uow: UnitOfWork, action_id: int, version: int | None, *, owner_too: bool = False
) -> tuple[CorrectiveAction, Case]:
    """The action locked for a change, at ``version``, and its case, which the reader may see
    — or, with ``owner_too``, of which the reader owns the action (an owner records progress
    whatever their department, domain/workflow.py)."""
    ca = uow.corrective.for_change(action_id, version)
    case = uow.cases.by_id(ca.case_id)
    if not (owner_too and desk.reader is not None and desk.reader.id == ca.owner_id):
        cases.check_visible(desk, case)
    return ca, case


def _owner(uow: UnitOfWork, name: str) -> User:
    user, _ = uow.users.load(name)  # an unknown or inactive owner is refused
    return user


def _not_past(desk: Desk, due: date, today: date | None = None) -> None:
    if due < (today or desk.calendar.local_date(utcnow())):
        raise WorkflowError("due_in_past", date=due.isoformat())


def _written(uow: UnitOfWork, ca: CorrectiveAction) -> CorrectiveView:
    assert ca.id is not None
    view = uow.corrective.view(ca.id)
    assert view is not None
    return view


def open_action(
    desk: Desk, actor: str, number: str, *, owner: str, due: date | None, text: str,
    for_batch: bool = False,
) -> CorrectiveView:
    """Open a corrective action on case ``number`` (for its batch problem with ``for_batch``)."""
    check_lengths(corrective_text=text)
    desk.check_actor(actor)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        # Locked, so two supervisors opening one at the same moment take turns (and the second
        # is told it exists).
        case = uow.cases.for_change(number)
        cases.check_visible(desk, case)
        workflow.transition(Action.CORRECTIVE_ACTION, cases.case_facts(case), who,
                            owner=owner, due=due, text=text)
        assert due is not None and case.id is not None
        _not_past(desk, due)
        owner_user = _owner(uow, owner)
        if for_batch and not (case.product and case.batch):
            raise WorkflowError("no_batch", number=number)
        product, batch = (case.product, case.batch) if for_batch else ("", "")
        existing = uow.corrective.unfinished(case, for_batch=for_batch)
        if existing is not None:
            raise WorkflowError("corrective_exists", id=existing)
        now = utcnow()
        assert owner_user.id is not None
        ca = CorrectiveAction(
            case_id=case.id, product=product, batch=batch, action=text.strip(),
            owner_id=owner_user.id, due_date=due, opened_by=who.id, opened_at=now, updated_at=now,
        )
        uow.corrective.add(ca)
        _tell(uow, case, who, Action.CORRECTIVE_ACTION, ca.action, now, ca,
              opened=True, owner=owner_user.name, due=due)
        view = _written(uow, ca)
        uow.commit()
        return view


def open_batch_in(
    uow: UnitOfWork, desk: Desk, case: Case, who: Actor, *, owner_id: int, text: str, now: datetime,
) -> CorrectiveAction | None:
    """Open the corrective action of ``case``'s batch inside the caller's unit of work, unless
    the batch has an unfinished one (None then): one per batch, however many cases reach it."""
    if uow.corrective.unfinished(case, for_batch=True) is not None:
        return None
    assert case.id is not None
    ca = CorrectiveAction(
        case_id=case.id, product=case.product, batch=case.batch, action=text,
        owner_id=owner_id, due_date=desk.calendar.local_date(now) + timedelta(days=BATCH_ACTION_DAYS),
        opened_by=who.id, opened_at=now, updated_at=now,
    )
    uow.corrective.add(ca)
    _tell(uow, case, who, Action.CORRECTIVE_ACTION, ca.action, now, ca, opened=True, batch_problem=True)
    return ca


def change_action(
    desk: Desk, actor: str, action_id: int, *, owner: str | None = None, due: date | None = None,
    text: str | None = None, version: int | None = None,
) -> CorrectiveView:
    """Staff change an unfinished action's owner, due date or text; what changed goes on the
    timeline. With ``version`` (the action as the user saw it) a change made meanwhile by someone
    else is refused (ConflictError), as for cases."""
    check_lengths(corrective_text=text)
    desk.check_actor(actor)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        ca, case = _for_change(desk, uow, action_id, version)
        old_owner = uow.users.name_of(ca.owner_id)
        assert old_owner is not None
        workflow.transition(Action.CORRECTIVE_ACTION, cases.case_facts(case), who,
                            owner=owner or old_owner, due=due or ca.due_date,
                            text=ca.action if text is None else text)
        if ca.status == CorrectiveStatus.EFFECTIVE.value:
            raise WorkflowError("corrective_finished", id=action_id)
        changed: dict[str, Any] = {}
        if owner is not None and owner != old_owner:
            new_owner = _owner(uow, owner)
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
            return _written(uow, ca)
        now = utcnow()
        ca.updated_at = now
        ca.version += 1
        _tell(uow, case, who, Action.CORRECTIVE_ACTION, ca.action if "text" in changed else "",
              now, ca, **changed)
        view = _written(uow, ca)
        uow.commit()
        return view


def record_progress(
    desk: Desk, actor: str, action_id: int, *, note: str, done: bool = False, today: date | None = None,
    version: int | None = None,
) -> CorrectiveView:
    """The owner (or staff) says how far the action is; ``done`` finishes it, and its
    effectiveness check falls due ``corrective_check_days`` later."""
    check_lengths(corrective_note=note)
    desk.check_actor(actor)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        ca, case = _for_change(desk, uow, action_id, version, owner_too=True)
        workflow.transition(Action.CORRECTIVE_PROGRESS, cases.case_facts(case), who, note=note)
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
        _tell(uow, case, who, Action.CORRECTIVE_PROGRESS, ca.progress, now, ca,
              done=done or None, check_due=ca.check_due if done else None)
        view = _written(uow, ca)
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
    desk.check_actor(actor)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        ca, case = _for_change(desk, uow, action_id, version)
        workflow.transition(Action.EFFECTIVENESS_CHECK, cases.case_facts(case), who,
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
        _tell(uow, case, who, Action.EFFECTIVENESS_CHECK, ca.check_comment, now, ca,
              effective=effective, due=None if effective else due)
        view = _written(uow, ca)
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
    uow: UnitOfWork, case: Case, who: Actor, action: Action, comment: str, now: datetime,
    ca: CorrectiveAction, **details: Any,
) -> None:
    """The timeline event of a change to ``ca``; the case's status and version stay as they are."""
    uow.events.write(case, who, action, case.status, case.status, comment, now=now,
                     corrective=ca.id, status=ca.status, rounds=ca.rounds, **details)
