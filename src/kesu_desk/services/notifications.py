"""Stored notifications and the inbox (issue 13, batch part).

* A batch problem: the units of the cases of one product and batch (this case's included)
  reach the rules' batch threshold. The batch then gets ONE corrective action, on the batch's
  first case, where its investigation starts (owned by the first
  active user of the first department told, else by the general manager, else by whoever
  registered the case; due in ``corrective.BATCH_ACTION_DAYS`` days) and the departments of
  ``Settings.batch_inform`` and the general manager are told. A department code that does not
  exist is skipped with a logged warning; registration never fails for it.
* An escalation tells the case's department (when it has one) and the general manager.
* A representative quality problem: a supervisor, QA or a manager escalates it "as
  representative": the same people as for a batch problem are told.
* The general manager (``Settings.general_manager``, else every active manager) confirms the
  handling of a batch's corrective action; who and when go on the action and the timeline.
"""

from __future__ import annotations

import logging
from datetime import datetime

from kesu_desk.domain.errors import NotFoundError, WorkflowError
from kesu_desk.domain.vocabulary import Action, Role
from kesu_desk.domain.workflow import Actor
from kesu_desk.services import corrective
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.store import notifications as store
from kesu_desk.store import queries
from kesu_desk.store.models import Case, Notification
from kesu_desk.store.notifications import NotificationView as NotificationView
from kesu_desk.store.uow import UnitOfWork

__all__ = ["NotificationView", "after_registration", "confirm_batch", "inbox", "mark_read", "notify_escalation",
           "representative"]

log = logging.getLogger(__name__)

BATCH_PROBLEM = "batch_problem"
ESCALATION = "escalation"
REPRESENTATIVE = "representative"


def _tell(uow: UnitOfWork, desk: Desk, case: Case, kind: str, text: str, now: datetime,
          departments: list[str], *, managers: bool = True) -> int:
    """Store one notification per department that exists and per general manager."""
    assert case.id is not None
    session = uow.session
    known = store.existing_departments(session, departments)
    for code in departments:
        if code not in known:
            log.warning("notification for department %s skipped: no such department", code)
    told = 0
    for code in known:
        store.add(session, Notification(department_code=code, case_id=case.id, kind=kind, text=text, created_at=now))
        told += 1
    if managers:
        for user in store.managers(session, desk.settings.general_manager):
            store.add(session, Notification(user_id=user.id, case_id=case.id, kind=kind, text=text, created_at=now))
            told += 1
    return told


def after_registration(uow: UnitOfWork, desk: Desk, case: Case, who: Actor, now: datetime) -> bool:
    """Count the units of ``case``'s batch (its own included); on reaching the threshold open
    the batch's corrective action and tell who must know. True when that happened now."""
    if not (case.product and case.batch):
        return False
    session = uow.session
    store.lock_batch(session, case.product, case.batch)
    units = queries.batch_count(session, case.product, case.batch)
    threshold = desk.rules.batch_threshold
    if units < threshold:
        return False
    text = f"{case.product} / {case.batch}: {units} ≥ {threshold}"
    owner = _owner(uow, desk, who)
    first = store.first_of_batch(session, case.product, case.batch) or case
    ca = corrective.open_batch_in(uow, desk, first, who, owner_id=owner, text=text, now=now)
    if ca is None:
        return False
    _tell(uow, desk, case, BATCH_PROBLEM, text, now, list(desk.settings.batch_inform))
    return True


def _owner(uow: UnitOfWork, desk: Desk, who: Actor) -> int:
    user = store.first_member(uow.session, desk.settings.batch_inform)
    if user is None:
        gms = store.managers(uow.session, desk.settings.general_manager)
        user = gms[0] if gms else None
    return user.id if user is not None and user.id is not None else who.id


def notify_escalation(uow: UnitOfWork, desk: Desk, case: Case, comment: str, now: datetime) -> None:
    """An escalated case: its department (if it has one) and the general manager are told."""
    _tell(uow, desk, case, ESCALATION, comment, now, [case.department_code] if case.department_code else [])


def representative(desk: Desk, actor: str, number: str, *, comment: str) -> int:
    """Escalate case ``number`` as a representative quality problem: the batch-problem
    recipients are told. Supervisors, QA and managers only. How many were told."""
    desk.check_actor(actor)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        if who.role not in (Role.SUPERVISOR, Role.MANAGER, Role.ADMIN) and who.department != "QA":
            raise WorkflowError("wrong_role", action=Action.ESCALATE.value, role=who.role.value)
        case = uow.cases.for_change(number)
        now = utcnow()
        uow.events.write(case, who, Action.ESCALATE, case.status, case.status, comment, now=now,
                         representative=True)
        told = _tell(uow, desk, case, REPRESENTATIVE, comment, now, list(desk.settings.batch_inform))
        uow.commit()
        return told


def inbox(desk: Desk, actor: str, *, unread: bool = False) -> list[NotificationView]:
    desk.check_actor(actor)
    with desk.uow(write=False) as uow:
        user, _ = uow.users.load(actor)
        return store.inbox(uow.session, user, unread=unread)


def mark_read(desk: Desk, actor: str, note_id: int) -> None:
    """Mark notification ``note_id`` of ``actor``'s inbox read (reading it again changes nothing)."""
    desk.check_actor(actor)
    with desk.uow() as uow:
        user, _ = uow.users.load(actor)
        note = store.for_user(uow.session, user, note_id)
        if note is None:
            raise NotFoundError("notification_not_found", id=note_id)
        if note.read_at is None:
            note.read_at, note.read_by = utcnow(), user.id
            uow.session.add(note)
        uow.commit()


def confirm_batch(desk: Desk, actor: str, action_id: int) -> None:
    """The general manager confirms the handling of a batch's corrective action."""
    desk.check_actor(actor)
    with desk.uow() as uow:
        user, who = uow.users.load(actor)
        gms = {u.id for u in store.managers(uow.session, desk.settings.general_manager)}
        if user.id not in gms:
            raise WorkflowError("wrong_role", action="gm_confirm", role=who.role.value)
        ca = store.corrective_for_change(uow.session, action_id)
        if ca is None or not (ca.product and ca.batch):
            raise NotFoundError("batch_action_not_found", id=action_id)
        case = uow.session.get(Case, ca.case_id)
        assert case is not None
        if ca.gm_confirmed_at is None:
            now = utcnow()
            ca.gm_confirmed_at, ca.gm_confirmed_by = now, user.id
            uow.session.add(ca)
            uow.events.write(case, who, Action.CORRECTIVE_ACTION, case.status, case.status, "", now=now,
                             corrective=ca.id, gm_confirmed=True)
        uow.commit()
