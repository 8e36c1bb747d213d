"""The access policy at the case services' door: a signed-in handler reads and changes only their
department's cases, and every signed-in user acts in their own name (domain/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from casesteps import draft, sign_in, to_assigned
from kesu_desk.domain.errors import AccessDenied
from kesu_desk.domain.vocabulary import Action
from kesu_desk.i18n import describe
from kesu_desk.services import cases, corrective, intake, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

FAR = date.today() + timedelta(days=30)



@pytest.fixture
def qa_case(desk: Desk, register: Callable[..., CaseView]) -> CaseView:
    """A case of the QA department (handler hq; hl is LOG's handler)."""
    return to_assigned(desk, register())


def timeline_length(desk: Desk, number: str) -> int:
    desk.identity = None
    return len(cases.get_case(desk, number).timeline)


def test_a_handler_of_another_department_cannot_read_the_case(desk: Desk, qa_case: CaseView) -> None:
    sign_in(desk, "hl")
    reads: list[Callable[[], Any]] = [
        lambda: cases.get_case(desk, qa_case.number),
        lambda: cases.case_snapshot(desk, "hl", qa_case.number),
        lambda: cases.allowed_actions(desk, "hl", qa_case.number),
    ]
    for read in reads:
        with pytest.raises(AccessDenied) as refused:
            read()
        assert describe(refused.value, "en") == (
            f"Case {qa_case.number} belongs to another department: hl cannot see it.")


def test_the_department_and_staff_read_the_case_with_their_actions(desk: Desk, qa_case: CaseView) -> None:
    sign_in(desk, "hq")
    snapshot = cases.case_snapshot(desk, "hq", qa_case.number)
    assert snapshot.view.number == qa_case.number and snapshot.view.version == qa_case.version
    assert Action.RECORD_CAUSE in snapshot.actions and Action.ASSIGN not in snapshot.actions
    sign_in(desk, "sup")
    snapshot = cases.case_snapshot(desk, "sup", qa_case.number)
    assert Action.ASSIGN in snapshot.actions
    assert cases.get_case(desk, qa_case.number).timeline == snapshot.view.timeline


def test_a_handler_of_another_department_cannot_change_the_case(desk: Desk, qa_case: CaseView) -> None:
    before = timeline_length(desk, qa_case.number)
    sign_in(desk, "hl")
    with pytest.raises(AccessDenied):
        cases.add_note(desk, "hl", qa_case.number, text="looked at it", version=qa_case.version)
    with pytest.raises(AccessDenied):
        cases.log_call(desk, "hl", qa_case.number, summary="called", version=qa_case.version)
    assert timeline_length(desk, qa_case.number) == before


def test_nobody_changes_a_case_in_someone_elses_name(desk: Desk, qa_case: CaseView) -> None:
    before = timeline_length(desk, qa_case.number)
    sign_in(desk, "ag")
    with pytest.raises(AccessDenied) as refused:
        cases.escalate(desk, "sup", qa_case.number, comment="angry", version=qa_case.version)
    assert describe(refused.value, "en") == (
        "You are signed in as ag: nothing can be done in sup's name.")
    with pytest.raises(AccessDenied):
        cases.register_case(desk, "sup", draft(phone="13900139000"))
    with pytest.raises(AccessDenied):
        corrective.open_action(desk, "sup", qa_case.number, owner="hq", due=FAR, text="fix it")
    assert timeline_length(desk, qa_case.number) == before
    sign_in(desk, "ag")
    cases.escalate(desk, "ag", qa_case.number, comment="angry", version=qa_case.version)
    assert timeline_length(desk, qa_case.number) == before + 1


def test_corrective_actions_are_read_and_changed_within_the_department(
    desk: Desk, qa_case: CaseView
) -> None:
    action = corrective.open_action(desk, "sup", qa_case.number, owner="hq", due=FAR, text="new seal")
    sign_in(desk, "hl")
    assert corrective.list_actions(desk) == []
    assert corrective.checks_due(desk, FAR + timedelta(days=400)) == []
    with pytest.raises(AccessDenied):
        corrective.get_action(desk, action.id)
    sign_in(desk, "hq")
    assert [a.id for a in corrective.list_actions(desk)] == [action.id]
    sign_in(desk, "sup")
    with pytest.raises(AccessDenied):
        corrective.record_progress(desk, "hq", action.id, note="half done", version=action.version)
    assert corrective.get_action(desk, action.id).progress == ""


def test_the_owner_of_a_corrective_action_records_progress_whatever_their_department(
    desk: Desk, qa_case: CaseView
) -> None:
    action = corrective.open_action(desk, "sup", qa_case.number, owner="hl", due=FAR, text="new seal")
    sign_in(desk, "hl")
    assert corrective.get_action(desk, action.id).owner == "hl"
    done = corrective.record_progress(desk, "hl", action.id, note="half done", version=action.version)
    assert done.progress == "half done"
    with pytest.raises(AccessDenied):
        cases.get_case(desk, qa_case.number)


def test_a_handler_sees_only_their_departments_cases_of_a_caller(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    qa = to_assigned(desk, register())
    log = cases.decide_validity(desk, "ag", register().number, founded=True)
    log = cases.assign(desk, "ag", log.number, department="LOG", version=log.version)
    unassigned = register()
    sign_in(desk, "sup")
    everyone = intake.find_customer(desk, phone="13800138000")
    assert everyone is not None
    assert [c.number for c in everyone.cases] == [unassigned.number, log.number, qa.number]
    sign_in(desk, "hq")
    found = intake.find_customer(desk, phone="13800138000")
    assert found is not None and [c.number for c in found.cases] == [qa.number]
    assert [c.number for c in intake.other_open_cases(desk, qa.customer.id, excluding="")] == [qa.number]
    sign_in(desk, "hl")
    assert [c.number for c in intake.other_open_cases(desk, qa.customer.id, excluding=log.number)] == []


def test_only_an_admin_adds_users(desk: Desk, people: dict[str, Any]) -> None:
    sign_in(desk, "ag")
    assert "hq" in {u.name for u in users.list_users(desk)}  # whom to assign a case to
    for name in ("ag", "sup", "mgr"):
        sign_in(desk, name)
        with pytest.raises(AccessDenied):
            users.add_user(desk, "mallory", "admin")
    sign_in(desk, "adm")
    assert users.add_user(desk, "li", "agent").name == "li"
    desk.identity = None
