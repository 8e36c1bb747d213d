"""Issue 13, batch part: a batch problem counts units (this call's included), opens one
corrective action per batch and tells QA, R&D, production and the general manager; escalations
are stored in the recipients' inboxes; the general manager confirms the batch's handling."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from casesteps import draft
from kesu_desk.domain.errors import DeskError, InvalidInput, WorkflowError
from kesu_desk.services import cases, notifications
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import MAX_UNITS
from kesu_desk.services.users import UserView
from kesu_desk.services.views import CaseView
from kesu_desk.store.models import Case, CaseEvent, CorrectiveAction, Department, Notification

Register = Callable[..., CaseView]


def add_departments(desk: Desk, *codes: str) -> None:
    with desk.uow() as uow:
        for code in codes:
            uow.session.add(Department(code=code, name_zh=code, name_en=code, name_es=code))
        uow.commit()


def user_id(desk: Desk, name: str) -> int | None:
    with desk.uow(write=False) as uow:
        return uow.users.actor(name).id


def stored(desk: Desk, model: Any) -> list[Any]:
    with desk.uow(write=False) as uow:
        found = list(uow.session.exec(select(model)).all())
        uow.session.expunge_all()
        return found


def test_two_and_three_units_reach_five_one_action_and_everyone_told(
    desk: Desk, people: dict[str, UserView], register: Register,
) -> None:
    add_departments(desk, "RND", "PROD")
    first = register(batch="B5", units=2)
    assert stored(desk, CorrectiveAction) == [] and stored(desk, Notification) == []
    second = register(batch="B5", units=3, phone="13800138001")
    actions = stored(desk, CorrectiveAction)
    assert [(a.batch, a.product) for a in actions] == [("B5", "电水壶 K-200")]
    assert actions[0].case_id == cases.get_case(desk, first.number).id  # on the batch's first case
    notes = stored(desk, Notification)
    assert sorted(n.department_code for n in notes if n.department_code) == ["PROD", "QA", "RND"]
    assert [n.user_id for n in notes if n.user_id] == [user_id(desk, "mgr")]
    # a later case of the batch adds units but no second action nor new notifications
    register(batch="B5", phone="13800138002")
    assert len(stored(desk, CorrectiveAction)) == 1 and len(stored(desk, Notification)) == 4
    # the inboxes: QA's handler sees QA's, the manager theirs, an agent nothing
    assert [n.kind for n in notifications.inbox(desk, "hq")] == ["batch_problem"]
    assert [n.case_number for n in notifications.inbox(desk, "mgr")] == [second.number]
    assert notifications.inbox(desk, "ag") == []


def test_four_units_are_not_a_batch_problem_and_other_batches_do_not_count(
    desk: Desk, people: dict[str, UserView], register: Register,
) -> None:
    register(batch="B4", units=4)
    register(batch="OTHER", units=4, phone="13800138001")
    assert stored(desk, CorrectiveAction) == []


def test_a_missing_department_is_skipped_with_a_warning_never_failing_registration(
    desk: Desk, people: dict[str, UserView], register: Register, caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        case = register(batch="B5", units=5)
    assert case.number
    assert "RND" in caplog.text and "PROD" in caplog.text
    notes = stored(desk, Notification)
    assert sorted(str(n.department_code or n.user_id) for n in notes) == sorted(["QA", str(user_id(desk, "mgr"))])


@pytest.mark.parametrize("units", [0, -3, MAX_UNITS + 1, "many"])
def test_absurd_units_are_refused_and_nothing_is_written(
    desk: Desk, people: dict[str, UserView], register: Register, units: Any,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(batch="B5", units=units)
    assert refused.value.params["errors"] == {"units": "bad_units"}


def test_two_registrations_at_the_same_instant_both_count(
    desk: Desk, people: dict[str, UserView],
) -> None:
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def one(phone: str, units: int) -> None:
        try:
            start.wait()
            cases.register_case(desk, "ag", draft(batch="BC", units=units, phone=phone))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one, args=("13800138003", 3)),
               threading.Thread(target=one, args=("13800138004", 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(c.units for c in stored_cases(desk, "BC")) == 5
    assert len(stored(desk, CorrectiveAction)) == 1


def stored_cases(desk: Desk, batch: str) -> list[Any]:
    with desk.uow(write=False) as uow:
        found = list(uow.session.exec(select(Case).where(Case.batch == batch)).all())
        uow.session.expunge_all()
        return found


def test_escalation_is_stored_for_the_department_and_the_manager(
    desk: Desk, people: dict[str, UserView], register: Register,
) -> None:
    case = register()
    cases.escalate(desk, "sup", case.number, comment="客户要投诉到媒体")
    notes = stored(desk, Notification)
    assert [(n.kind, n.user_id, n.text) for n in notes] == [("escalation", user_id(desk, "mgr"), "客户要投诉到媒体")]
    note = notifications.inbox(desk, "mgr", unread=True)[0]
    notifications.mark_read(desk, "mgr", note.id)
    assert notifications.inbox(desk, "mgr", unread=True) == []
    assert notifications.inbox(desk, "mgr")[0].read_by == "mgr"
    with pytest.raises(DeskError):
        notifications.mark_read(desk, "hq", note.id)  # not in QA's inbox


def test_representative_problem_and_gm_confirmation(
    desk: Desk, people: dict[str, UserView], register: Register,
) -> None:
    case = register()
    with pytest.raises(WorkflowError):
        notifications.representative(desk, "ag", case.number, comment="典型")
    assert notifications.representative(desk, "sup", case.number, comment="典型质量问题") == 2  # QA + mgr
    batch = register(batch="B5", units=5, phone="13800138001")
    action = stored(desk, CorrectiveAction)[0]
    with pytest.raises(WorkflowError):
        notifications.confirm_batch(desk, "sup", action.id)
    notifications.confirm_batch(desk, "mgr", action.id)
    confirmed = stored(desk, CorrectiveAction)[0]
    assert confirmed.gm_confirmed_by == user_id(desk, "mgr") and confirmed.gm_confirmed_at is not None
    events = [e for e in stored(desk, CaseEvent) if '"gm_confirmed": true' in e.details]
    assert len(events) == 1 and events[0].case_id == cases.get_case(desk, batch.number).id  # its only case


def test_the_overview_and_review_count_units_too(
    desk: Desk, people: dict[str, UserView], register: Register,
) -> None:
    from kesu_desk.store import figures

    register(batch="B5", units=2)
    register(batch="B5", units=3, phone="13800138001")
    register(batch="B4", units=4, phone="13800138002")
    with desk.uow(write=False) as uow:
        found = figures.batch_problems(uow.session, desk.rules.batch_threshold)
    assert [(b.batch, b.cases, b.total) for b in found] == [("B5", 2, 5)]
