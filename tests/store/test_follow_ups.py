"""Follow-up calls on SQLite and PostgreSQL: the list of customers to call back, unanswered
calls closing the case as "no answer", and a dissatisfied customer sending the case back to its
department with the survey in its timeline."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from casesteps import to_follow_up, to_proposed
from kesu_desk.domain.errors import ConflictError, WorkflowError
from kesu_desk.domain.vocabulary import Action, Closure, Status
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.follow_ups import follow_ups_due, record_no_answer, record_survey
from kesu_desk.services.queue import queue_page
from kesu_desk.services.views import CaseView
from kesu_desk.sla import DeadlineState, utcnow
from kesu_desk.store.models import CaseEvent, Survey
from kesu_desk.store.queries import QueueFilter

Register = Callable[..., CaseView]


def written(desk: Desk) -> tuple[int, int]:
    """(surveys, timeline events): what a refusal must leave as it was."""
    with desk.uow(write=False) as uow:
        s = uow.session
        return (s.execute(select(func.count()).select_from(Survey)).scalar_one(),
                s.execute(select(func.count()).select_from(CaseEvent)).scalar_one())


def surveys(desk: Desk, view: CaseView) -> list[tuple[int | None, bool, str]]:
    with desk.uow(write=False) as uow:
        rows = uow.session.execute(
            select(Survey.score, Survey.answered, Survey.comments)
            .where(Survey.case_id == view.id).order_by(Survey.id)
        ).all()
        return [(r.score, r.answered, r.comments) for r in rows]


def test_the_list_shows_whom_to_call_and_what_was_promised_and_done(
    desk: Desk, register: Register
) -> None:
    early = to_follow_up(desk, register(phone="13900000001", customer_name="王芳",
                                        caller_mood="angry"))
    late = to_follow_up(desk, register(phone="13900000002"))
    to_proposed(desk, register())  # not in follow-up: not listed
    now = utcnow()

    items = follow_ups_due(desk, "ag", now)

    assert [i.number for i in items] == [early.number, late.number]  # nearest deadline first
    item = items[0]
    assert (item.customer, item.phone, item.caller_mood) == ("王芳", "+8613900000001", "angry")
    assert (item.remedy, item.amount, item.implementation) == ("refund", Decimal("300"), "退款已到账")
    assert item.version == early.version
    assert item.due_at == early.deadlines["follow_up"]
    assert item.state is DeadlineState.ON_TIME
    assert (item.attempts, item.attempts_allowed, item.attempts_left, item.last_attempt_at) == (0, 3, 3, None)
    # Key-set pages: the next page starts after the last item shown.
    assert [i.number for i in follow_ups_due(desk, "ag", now, limit=1)] == [early.number]
    assert [i.number for i in follow_ups_due(desk, "ag", now, after=item.key)] == [late.number]
    # Supervisors and managers may make the calls too.
    assert [i.number for i in follow_ups_due(desk, "sup", now)] == [early.number, late.number]


def test_the_accepted_proposals_details_are_what_was_promised(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy="exchange", amount=None)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=False, comment="要退款",
                                        version=cases.approve(desk, "sup", view.number).version)
    view = cases.propose(desk, "hq", view.number, remedy="refund", amount=Decimal("120"),
                         details="原路退回 120 元", version=view.version)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)
    cases.implement(desk, "hq", view.number, implementation="已退款", accountability="仓库",
                    version=view.version)
    [item] = follow_ups_due(desk, "ag", utcnow())
    assert (item.remedy, item.amount, item.promised) == ("refund", Decimal("120"), "原路退回 120 元")


def test_handlers_do_not_make_survey_calls(desk: Desk, register: Register) -> None:
    view = to_follow_up(desk, register())
    with pytest.raises(WorkflowError) as info:
        follow_ups_due(desk, "hq", utcnow())
    assert (info.value.code, info.value.params["action"]) == ("wrong_role", Action.FOLLOW_UP.value)
    before = written(desk)
    with pytest.raises(WorkflowError) as info:
        record_no_answer(desk, "hq", view.number, view.version)
    assert info.value.code == "wrong_role"
    with pytest.raises(WorkflowError):
        record_survey(desk, "hq", view.number, view.version, score=5)
    assert written(desk) == before
    assert cases.get_case(desk, view.number).version == view.version


def test_unanswered_calls_close_the_case_as_no_answer(desk: Desk, register: Register) -> None:
    view = to_follow_up(desk, register())
    events = len(view.timeline)

    for attempt in (1, 2):
        view = record_no_answer(desk, "ag", view.number, view.version, comment="无人接听")
        assert (view.status, view.closure) == (Status.FOLLOW_UP, None)
        last = view.timeline[-1]
        assert (last.action, last.from_status, last.to_status, last.visibility) == (
            "follow_up", "follow_up", "follow_up", "internal")
        assert last.details == {"answered": False, "attempt": attempt, "of": 3}
        [item] = follow_ups_due(desk, "ag", utcnow())
        assert (item.attempts, item.attempts_left, item.version) == (attempt, 3 - attempt, view.version)
        assert item.last_attempt_at is not None
    assert view.next_due_at == view.deadlines["follow_up"]  # the deadline does not move

    view = record_no_answer(desk, "sup", view.number, view.version)
    assert (view.status, view.closure, view.satisfaction) == (Status.CLOSED, Closure.NO_ANSWER, None)
    assert view.next_due_at is None
    assert view.timeline[-1].details == {"answered": False, "attempt": 3, "of": 3, "closure": "no_answer"}
    assert view.timeline[-1].to_status == "closed"
    assert len(view.timeline) == events + 3
    assert surveys(desk, view) == [(None, False, "无人接听"), (None, False, "无人接听"), (None, False, "")]
    assert follow_ups_due(desk, "ag", utcnow()) == []


def test_a_refused_call_writes_nothing(desk: Desk, register: Register) -> None:
    proposed = to_proposed(desk, register())
    view = to_follow_up(desk, register())
    before = written(desk)
    with pytest.raises(WorkflowError) as info:
        record_no_answer(desk, "ag", proposed.number, proposed.version)
    assert info.value.code == "wrong_state"
    with pytest.raises(ConflictError):
        record_no_answer(desk, "ag", view.number, view.version - 1)
    assert written(desk) == before


def test_answering_after_unanswered_calls_closes_as_satisfied(desk: Desk, register: Register) -> None:
    view = to_follow_up(desk, register())
    view = record_no_answer(desk, "ag", view.number, view.version)
    view = record_survey(desk, "ag", view.number, view.version, score=4, solved=True, comments="满意")
    assert (view.status, view.closure, view.satisfaction) == (Status.CLOSED, Closure.SATISFIED, 4)
    assert surveys(desk, view) == [(None, False, ""), (4, True, "满意")]


def test_a_dissatisfied_customer_sends_the_case_back_to_its_department(
    desk: Desk, register: Register
) -> None:
    view = to_follow_up(desk, register())
    view = record_no_answer(desk, "ag", view.number, view.version)
    view = record_survey(desk, "ag", view.number, view.version, score=2, solved=False,
                         comments="退款到账了，但产品问题没有解决")

    assert (view.status, view.department, view.handler, view.closure) == (
        Status.REOPENED, "QA", "hq", None)
    survey = view.timeline[-1]
    assert (survey.action, survey.to_status, survey.comment, survey.details) == (
        "follow_up", "reopened", "退款到账了，但产品问题没有解决", {"score": 2, "solved": False})
    # The department's clock runs again from the reopening, and the case is in its queue.
    assert view.next_due_at == view.deadlines["department"]
    assert view.next_due_at is not None and view.next_due_at > survey.at
    queue = queue_page(desk, QueueFilter(department="QA", statuses=(Status.REOPENED,)))
    assert [r.number for r in queue] == [view.number]
    assert Action.RECORD_CAUSE in cases.allowed_actions(desk, "hq", view.number)
    assert Action.RECORD_CAUSE not in cases.allowed_actions(desk, "hl", view.number)
    assert follow_ups_due(desk, "ag", utcnow()) == []

    # Back through the department: a new remedy, and the calls count afresh.
    view = cases.record_cause(desk, "hq", view.number, fishbone="method", what="密封圈",
                              why="返修未更换密封圈", version=view.version)
    view = cases.propose(desk, "hq", view.number, remedy="exchange", version=view.version)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)
    view = cases.implement(desk, "hq", view.number, implementation="已换新", accountability="售后",
                           version=view.version)
    [item] = follow_ups_due(desk, "ag", utcnow())
    assert (item.remedy, item.attempts) == ("exchange", 0)
    view = record_no_answer(desk, "ag", view.number, view.version)
    assert (view.status, view.timeline[-1].details["attempt"]) == (Status.FOLLOW_UP, 1)


def test_the_number_of_attempts_comes_from_the_settings(desk: Desk, register: Register) -> None:
    desk.settings.follow_up_attempts = 1
    view = to_follow_up(desk, register())
    view = record_no_answer(desk, "ag", view.number, view.version)
    assert (view.status, view.closure) == (Status.CLOSED, Closure.NO_ANSWER)
