"""Corrective actions on both engines: open, progress, the effectiveness check (effective finishes
it; not effective opens it again and reopens its closed case), refusals that write nothing, and
marking a case typical for training."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from casesteps import to_follow_up
from kesu_desk.domain.errors import ConflictError, DeskError, NotFoundError
from kesu_desk.domain.vocabulary import Action, CorrectiveStatus, Status
from kesu_desk.services import cases, corrective
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import UserView
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.store.models import CaseEvent, CorrectiveAction

Register = Callable[..., CaseView]


@pytest.fixture
def today(desk: Desk) -> date:
    return desk.calendar.local_date(utcnow())


def closed_case(desk: Desk, register: Register, **fields: Any) -> CaseView:
    view = to_follow_up(desk, register(**fields))
    view = cases.record_follow_up(desk, "ag", view.number, score=5, version=view.version)
    assert view.status is Status.CLOSED
    return view


def rows(desk: Desk) -> tuple[int, list[tuple[Any, ...]]]:
    """Every timeline event counted and every corrective action as stored: what a refusal must
    leave as it was."""
    with desk.uow(write=False) as uow:
        events = uow.session.execute(select(func.count()).select_from(CaseEvent)).scalar_one()
        actions = uow.session.execute(select(CorrectiveAction).order_by(CorrectiveAction.id)).scalars().all()
        return events, [tuple(a.model_dump().items()) for a in actions]


def refused(desk: Desk, code: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> DeskError:
    before = rows(desk)
    with pytest.raises(DeskError) as info:
        call(desk, *args, **kwargs)
    assert info.value.code == code, info.value
    assert rows(desk) == before, f"refused ({code}) but wrote"
    return info.value


def test_a_corrective_action_from_opening_to_effective(
    desk: Desk, people: dict[str, UserView], register: Register, today: date
) -> None:
    case = closed_case(desk, register, batch="B7")
    due = today + timedelta(days=14)
    opened = corrective.open_action(desk, "sup", case.number, owner="hq", due=due,
                                    text="更换密封圈供应商，来料全检", for_batch=True)
    assert (opened.status, opened.owner, opened.due_date, opened.rounds) == (CorrectiveStatus.OPEN, "hq", due, 1)
    assert (opened.product, opened.batch, opened.for_batch) == ("电水壶 K-200", "B7", True)
    assert (opened.case_number, opened.opened_by, opened.check_due) == (case.number, "sup", None)

    progress = corrective.record_progress(desk, "hq", opened.id, note="已联系新供应商")
    assert (progress.status, progress.progress) == (CorrectiveStatus.OPEN, "已联系新供应商")
    done = corrective.record_progress(desk, "hq", opened.id, note="新供应商首批到货，全检合格",
                                      done=True, today=today)
    assert done.status is CorrectiveStatus.DONE and done.completed_at is not None
    # The check falls due corrective_check_days (60) calendar days after the action was done.
    assert done.check_due == today + timedelta(days=60)
    assert [a.id for a in corrective.checks_due(desk, today + timedelta(days=60))] == [opened.id]
    assert corrective.checks_due(desk, today + timedelta(days=59)) == []

    checked = corrective.record_check(desk, "mgr", opened.id, effective=True, comment="两个月无复发",
                                      today=today + timedelta(days=60))
    assert (checked.status, checked.effective, checked.checked_by) == (CorrectiveStatus.EFFECTIVE, True, "mgr")
    assert checked == corrective.get_action(desk, opened.id)

    after = cases.get_case(desk, case.number)
    # Every change is told on the case's timeline; the case itself (status, version) stays.
    assert (after.status, after.version) == (Status.CLOSED, case.version)
    told = [(e.action, e.actor, e.comment, e.from_status, e.to_status) for e in after.timeline[len(case.timeline):]]
    assert told == [
        (Action.CORRECTIVE_ACTION.value, "sup", "更换密封圈供应商，来料全检", "closed", "closed"),
        (Action.CORRECTIVE_PROGRESS.value, "hq", "已联系新供应商", "closed", "closed"),
        (Action.CORRECTIVE_PROGRESS.value, "hq", "新供应商首批到货，全检合格", "closed", "closed"),
        (Action.EFFECTIVENESS_CHECK.value, "mgr", "两个月无复发", "closed", "closed"),
    ]
    assert after.timeline[-1].details["effective"] is True
    assert after.timeline[-4].details["owner"] == "hq"
    assert after.timeline[-4].details["due"] == due.isoformat()
    assert after.timeline[-2].details["check_due"] == (today + timedelta(days=60)).isoformat()


def test_not_effective_opens_it_again_and_reopens_the_closed_case(
    desk: Desk, people: dict[str, UserView], register: Register, today: date
) -> None:
    case = closed_case(desk, register)
    action = corrective.open_action(desk, "sup", case.number, owner="hq",
                                    due=today + timedelta(days=7), text="改进出厂检验")
    corrective.record_progress(desk, "hq", action.id, note="检验规程已更新", done=True)
    new_due = today + timedelta(days=30)
    # Not effective may be recorded at once: the problem came back.
    checked = corrective.record_check(desk, "sup", action.id, effective=False,
                                      comment="同批次又有两起漏水", due=new_due)
    assert (checked.status, checked.effective, checked.rounds) == (CorrectiveStatus.OPEN, False, 2)
    assert (checked.due_date, checked.completed_at, checked.check_due) == (new_due, None, None)

    after = cases.get_case(desk, case.number)
    assert after.status is Status.REOPENED and after.closure is None
    assert after.version == case.version + 1  # the reopening, through the workflow
    check, reopen = after.timeline[-2:]
    assert (check.action, check.details["effective"], check.details["due"]) == (
        Action.EFFECTIVENESS_CHECK.value, False, new_due.isoformat())
    assert (reopen.action, reopen.actor, reopen.from_status, reopen.to_status) == (
        Action.REOPEN.value, "sup", "closed", "reopened")
    assert "同批次又有两起漏水" in reopen.comment

    # Round two: the owner works again, and this time it holds.
    corrective.record_progress(desk, "hq", action.id, note="更换模具", done=True, today=today)
    final = corrective.record_check(desk, "sup", action.id, effective=True, today=today + timedelta(days=60))
    assert (final.status, final.rounds) == (CorrectiveStatus.EFFECTIVE, 2)


def test_not_effective_leaves_an_open_case_as_it_is(
    desk: Desk, people: dict[str, UserView], register: Register, today: date
) -> None:
    case = register()
    action = corrective.open_action(desk, "mgr", case.number, owner="hl",
                                    due=today + timedelta(days=7), text="x")
    corrective.record_progress(desk, "sup", action.id, note="staff may record it too", done=True)
    corrective.record_check(desk, "sup", action.id, effective=False, comment="again",
                            due=today + timedelta(days=9))
    after = cases.get_case(desk, case.number)
    assert (after.status, after.version) == (Status.REGISTERED, case.version)
    assert after.timeline[-1].action == Action.EFFECTIVENESS_CHECK.value


def test_refusals_write_nothing(
    desk: Desk, people: dict[str, UserView], register: Register, today: date
) -> None:
    case = register(batch="B9")
    soon = today + timedelta(days=7)
    refused(desk, "wrong_role", corrective.open_action, "ag", case.number, owner="hq", due=soon, text="x")
    refused(desk, "wrong_role", corrective.open_action, "hq", case.number, owner="hq", due=soon, text="x")
    refused(desk, "missing_field", corrective.open_action, "sup", case.number, owner="hq", due=soon, text=" ")
    refused(desk, "missing_field", corrective.open_action, "sup", case.number, owner="hq", due=None, text="x")
    refused(desk, "unknown_user", corrective.open_action, "sup", case.number, owner="nobody", due=soon, text="x")
    refused(desk, "due_in_past", corrective.open_action, "sup", case.number, owner="hq",
            due=today - timedelta(days=1), text="x")
    refused(desk, "case_not_found", corrective.open_action, "sup", "KS-19990101-0001", owner="hq", due=soon, text="x")
    no_batch = register()
    refused(desk, "no_batch", corrective.open_action, "sup", no_batch.number, owner="hq", due=soon,
            text="x", for_batch=True)

    action = corrective.open_action(desk, "sup", case.number, owner="hq", due=soon, text="x", for_batch=True)
    # One unfinished action per batch, and per case.
    other = register(batch="B9")
    refused(desk, "corrective_exists", corrective.open_action, "sup", other.number, owner="hq", due=soon,
            text="y", for_batch=True)
    refused(desk, "corrective_exists", corrective.open_action, "sup", case.number, owner="hq", due=soon,
            text="y", for_batch=True)
    # Progress: the owner or staff only; a handler of another department is neither.
    refused(desk, "not_corrective_owner", corrective.record_progress, "hl", action.id, note="x")
    refused(desk, "not_corrective_owner", corrective.record_progress, "ag", action.id, note="x")
    refused(desk, "missing_field", corrective.record_progress, "hq", action.id, note="")
    refused(desk, "corrective_not_found", corrective.record_progress, "hq", 999, note="x")
    # The check: staff only, and only once the action is done.
    refused(desk, "corrective_not_done", corrective.record_check, "sup", action.id, effective=True)
    corrective.record_progress(desk, "hq", action.id, note="done", done=True, today=today)
    refused(desk, "corrective_not_open", corrective.record_progress, "hq", action.id, note="more")
    refused(desk, "wrong_role", corrective.record_check, "hq", action.id, effective=True)
    refused(desk, "wrong_role", corrective.record_check, "ag", action.id, effective=False, comment="x", due=soon)
    refused(desk, "check_too_early", corrective.record_check, "sup", action.id, effective=True,
            today=today + timedelta(days=59))
    error = refused(desk, "missing_field", corrective.record_check, "sup", action.id, effective=False, due=soon)
    assert error.params == {"field": "comment"}
    error = refused(desk, "missing_field", corrective.record_check, "sup", action.id, effective=False,
                    comment="came back")
    assert error.params == {"field": "corrective_due"}
    refused(desk, "due_in_past", corrective.record_check, "sup", action.id, effective=False,
            comment="came back", due=today - timedelta(days=1))
    corrective.record_check(desk, "sup", action.id, effective=True, today=today + timedelta(days=60))
    refused(desk, "corrective_finished", corrective.change_action, "sup", action.id, due=soon)
    refused(desk, "corrective_finished", corrective.record_check, "sup", action.id, effective=True,
            today=today + timedelta(days=61))
    # A finished action no longer blocks a new one for the batch.
    again = corrective.open_action(desk, "sup", other.number, owner="hq", due=soon, text="y", for_batch=True)
    assert again.id != action.id
    with pytest.raises(NotFoundError):
        corrective.get_action(desk, 999)


def test_staff_change_the_owner_and_due_date(
    desk: Desk, people: dict[str, UserView], register: Register, today: date
) -> None:
    case = register()
    action = corrective.open_action(desk, "sup", case.number, owner="hq", due=today + timedelta(days=7), text="a")
    refused(desk, "wrong_role", corrective.change_action, "hq", action.id, owner="hl")
    unchanged = corrective.change_action(desk, "sup", action.id, owner="hq")
    assert unchanged == action
    changed = corrective.change_action(desk, "sup2", action.id, owner="hl", due=today + timedelta(days=10),
                                       text="b")
    assert (changed.owner, changed.due_date, changed.action) == ("hl", today + timedelta(days=10), "b")
    event = cases.get_case(desk, case.number).timeline[-1]
    assert (event.action, event.actor, event.comment) == (Action.CORRECTIVE_ACTION.value, "sup2", "b")
    assert (event.details["owner"], event.details["due"]) == ("hl", (today + timedelta(days=10)).isoformat())
    # The new owner records progress; the old one no longer may.
    refused(desk, "not_corrective_owner", corrective.record_progress, "hq", action.id, note="x")
    corrective.record_progress(desk, "hl", action.id, note="x")
    assert [a.id for a in corrective.list_actions(desk, case_number=case.number)] == [action.id]
    assert corrective.list_actions(desk, statuses=(CorrectiveStatus.DONE,)) == []


def test_the_check_falls_due_after_the_configured_days(
    desk: Desk, people: dict[str, UserView], register: Register, today: date
) -> None:
    sooner = Desk(desk.settings.model_copy(update={"corrective_check_days": 30}), desk.engine)
    case = register()
    action = corrective.open_action(sooner, "sup", case.number, owner="hq", due=today + timedelta(days=3), text="a")
    done = corrective.record_progress(sooner, "hq", action.id, note="ok", done=True, today=today)
    assert done.check_due == today + timedelta(days=30)


def test_a_supervisor_marks_a_case_typical_for_training(
    desk: Desk, people: dict[str, UserView], register: Register
) -> None:
    case = register()
    assert not case.typical
    refused(desk, "wrong_role", cases.mark_typical, "ag", case.number)
    refused(desk, "wrong_role", cases.mark_typical, "hq", case.number)
    marked = cases.mark_typical(desk, "sup", case.number, comment="培训素材", version=case.version)
    assert marked.version == case.version + 1 and marked.status is Status.REGISTERED
    event = marked.timeline[-1]
    assert (event.action, event.actor, event.comment, event.details) == (
        Action.TYPICAL.value, "sup", "培训素材", {"typical": True})
    # The view says so itself, both as returned and as read again.
    assert marked.typical and cases.get_case(desk, case.number).typical
    unmarked = cases.mark_typical(desk, "mgr", case.number, typical=False, version=marked.version)
    assert unmarked.timeline[-1].details == {"typical": False}
    assert not unmarked.typical and not cases.get_case(desk, case.number).typical
    with pytest.raises(ConflictError):
        cases.mark_typical(desk, "adm", case.number, version=marked.version)  # stale: refused


# -- two supervisors at once ----------------------------------------------------------------------


def test_a_change_to_an_action_someone_changed_meanwhile_is_refused(
    desk: Desk, people: dict[str, UserView], register: Register, today: date
) -> None:
    """Each change names the version of the action it was made on, as changes to cases do: the
    second of two supervisors working on the same version is told, and nothing of theirs is
    written over the first's."""
    case = closed_case(desk, register)
    opened = corrective.open_action(desk, "sup", case.number, owner="hq", due=today + timedelta(days=9),
                                    text="更换密封圈供应商")
    assert opened.version == 1
    first = corrective.change_action(desk, "sup", opened.id, due=today + timedelta(days=20),
                                     version=opened.version)
    assert first.version == 2
    error = refused(desk, "corrective_conflict", corrective.change_action, "sup2", opened.id,
                    owner="hl", version=opened.version)
    assert error.params == {"id": opened.id, "yours": 1, "theirs": 2}
    assert isinstance(error, ConflictError)

    progress = corrective.record_progress(desk, "hq", opened.id, note="已联系供应商", version=first.version)
    refused(desk, "corrective_conflict", corrective.record_progress, "sup", opened.id,
            note="供应商已换", done=True, version=first.version)
    done = corrective.record_progress(desk, "hq", opened.id, note="已换", done=True,
                                      version=progress.version)
    checked = corrective.record_check(desk, "sup", opened.id, effective=False, comment="又漏了",
                                      due=today + timedelta(days=30), version=done.version)
    refused(desk, "corrective_conflict", corrective.record_check, "mgr", opened.id, effective=False,
            comment="还在漏", due=today + timedelta(days=40), version=done.version)
    assert corrective.get_action(desk, opened.id) == checked
    assert (checked.owner, checked.due_date, checked.check_comment, checked.version) == (
        "hq", today + timedelta(days=30), "又漏了", 5)
