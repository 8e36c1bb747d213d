"""The use cases end to end on SQLite and PostgreSQL: what the desk shows after each step."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import exc, func, select, text

from casesteps import (
    threads_at_once,
    to_approved,
    to_assigned,
    to_follow_up,
    to_investigating,
    to_proposed,
)
from kesu_desk.domain.errors import ConflictError, InvalidInput, NotFoundError, WorkflowError
from kesu_desk.domain.vocabulary import Closure, ProposalStatus, Status, Validity
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.services.views import CaseView
from kesu_desk.store.models import Approval, Case, CaseEvent, Proposal, Survey

Register = Callable[..., CaseView]

NUMBER = re.compile(r"^KS-(\d{8})-(\d{4})$")


def steps(view: CaseView) -> list[tuple[str, str | None, str | None, str]]:
    return [(e.action, e.from_status, e.to_status, e.actor) for e in view.timeline]


def proposals(desk: Desk, view: CaseView) -> list[tuple[str, int | None, str]]:
    with desk.uow(write=False) as uow:
        rows = uow.session.execute(
            select(Proposal.remedy, Proposal.amount_cents, Proposal.status)
            .where(Proposal.case_id == view.id)
            .order_by(Proposal.id)
        ).all()
        return [(r.remedy, r.amount_cents, r.status) for r in rows]


def count(desk: Desk, model: Any) -> int:
    with desk.uow(write=False) as uow:
        return uow.session.execute(select(func.count()).select_from(model)).scalar_one()


# -- the whole process ------------------------------------------------------------------------


def test_happy_path_from_register_to_closed(desk: Desk, register: Register) -> None:
    view = register()
    assert view.status is Status.REGISTERED
    assert view.version == 1
    view = cases.decide_validity(desk, "ag", view.number, founded=True, version=view.version)
    assert view.validity == Validity.FOUNDED
    view = cases.assign(
        desk, "ag", view.number, department="QA", handler="hq", version=view.version
    )
    assert (view.department, view.handler) == ("QA", "hq")
    view = cases.record_cause(
        desk,
        "hq",
        view.number,
        fishbone="material",
        what="密封圈漏水",
        why="供应商批次胶料老化",
        where="产线3",
        version=view.version,
    )
    assert view.cause["why"] == "供应商批次胶料老化"
    assert view.fishbone_factor == "material"
    view = cases.propose(
        desk, "hq", view.number, remedy="refund", amount=Decimal("300"), version=view.version
    )
    assert view.remedy is None  # nothing is promised before approval
    view = cases.approve(desk, "sup", view.number, version=view.version)
    assert (view.remedy, view.amount) == ("refund", Decimal("300"))
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)
    view = cases.implement(
        desk,
        "hq",
        view.number,
        implementation="退款已到账",
        accountability="供应商来料检验",
        preventive_action="加严抽检",
        version=view.version,
    )
    assert view.preventive_action == "加严抽检"
    view = cases.record_follow_up(
        desk, "ag", view.number, score=5, solved=True, version=view.version
    )

    assert view.status is Status.CLOSED
    assert view.closure == Closure.SATISFIED
    assert view.satisfaction == 5
    assert view.version == 9
    assert steps(view) == [
        ("register", None, "registered", "ag"),
        ("decide_validity", "registered", "registered", "ag"),
        ("assign", "registered", "assigned", "ag"),
        ("record_cause", "assigned", "investigating", "hq"),
        ("propose", "investigating", "proposed", "hq"),
        ("approve", "proposed", "approved", "sup"),
        ("customer_answer", "approved", "implementing", "ag"),
        ("implement", "implementing", "follow_up", "hq"),
        ("follow_up", "follow_up", "closed", "ag"),
    ]
    assert view.timeline[4].details == {"remedy": "refund", "amount": "300", "approvals_needed": 1}
    assert view.timeline[5].details["level"] == 1
    # What was returned is what was committed.
    assert cases.get_case(desk, view.number) == view
    assert proposals(desk, view) == [("refund", 30000, ProposalStatus.ACCEPTED.value)]
    assert count(desk, Survey) == 1


def test_not_founded_closes_the_case(desk: Desk, register: Register) -> None:
    view = register()
    with pytest.raises(WorkflowError, match="missing_field"):
        cases.decide_validity(
            desk, "ag", view.number, founded=False, reason=" ", version=view.version
        )
    view = cases.decide_validity(
        desk, "ag", view.number, founded=False, reason="已过保修期两年", version=view.version
    )
    assert view.status is Status.CLOSED
    assert view.closure == Closure.NOT_FOUNDED
    assert (view.validity, view.validity_reason) == (Validity.NOT_FOUNDED, "已过保修期两年")
    assert steps(view)[-1] == ("decide_validity", "registered", "closed", "ag")
    assert view.timeline[-1].comment == "已过保修期两年"
    with pytest.raises(WorkflowError) as info:
        cases.assign(desk, "ag", view.number, department="QA", version=view.version)
    assert info.value.code == "wrong_state"


def test_reopening_a_not_founded_case_makes_it_founded_and_assignable(
    desk: Desk, register: Register
) -> None:
    view = register()
    view = cases.decide_validity(desk, "ag", view.number, founded=False, reason="超出范围")
    view = cases.reopen(desk, "sup", view.number, comment="客户补充了购买凭证", version=view.version)
    assert (view.status, view.closure, view.validity) == (Status.REOPENED, None, Validity.FOUNDED)
    view = cases.assign(desk, "ag", view.number, department="QA", version=view.version)
    assert view.status is Status.ASSIGNED


def test_a_case_is_assigned_only_once_found_valid(desk: Desk, register: Register) -> None:
    view = register()
    with pytest.raises(WorkflowError) as info:
        cases.assign(desk, "ag", view.number, department="QA", version=view.version)
    assert info.value.code == "validity_undecided"


def test_returned_proposal_is_proposed_again(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy="compensation", amount="800")
    view = cases.return_proposal(desk, "sup", view.number, comment="先换货", version=view.version)
    assert view.status is Status.RETURNED
    assert view.timeline[-1].comment == "先换货"
    # The returned remedy may not simply be approved now.
    with pytest.raises(WorkflowError) as info:
        cases.approve(desk, "sup", view.number, version=view.version)
    assert info.value.code == "wrong_state"

    view = cases.propose(desk, "hq", view.number, remedy="exchange", version=view.version)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    assert view.status is Status.APPROVED
    assert (view.remedy, view.amount) == ("exchange", None)
    assert steps(view)[-4:] == [
        ("propose", "investigating", "proposed", "hq"),
        ("return", "proposed", "returned", "sup"),
        ("propose", "returned", "proposed", "hq"),
        ("approve", "proposed", "approved", "sup"),
    ]
    assert proposals(desk, view) == [
        ("compensation", 80000, ProposalStatus.RETURNED.value),
        ("exchange", None, ProposalStatus.APPROVED.value),
    ]


def test_customer_disagrees_back_to_the_department(desk: Desk, register: Register) -> None:
    view = to_approved(desk, register())
    with pytest.raises(WorkflowError, match="missing_field"):
        cases.record_customer_answer(desk, "ag", view.number, agrees=False, version=view.version)
    view = cases.record_customer_answer(
        desk, "ag", view.number, agrees=False, comment="要求全额退款加补偿", version=view.version
    )
    assert view.status is Status.INVESTIGATING
    assert (view.remedy, view.amount) == (None, None)
    assert steps(view)[-1] == ("customer_answer", "approved", "investigating", "ag")
    assert view.timeline[-1].visibility == "customer"
    assert proposals(desk, view) == [("refund", 30000, ProposalStatus.REFUSED.value)]

    # The cause is known already: the department proposes again straight away.
    view = cases.propose(
        desk, "hq", view.number, remedy="compensation", amount=Decimal("600"), version=view.version
    )
    view = cases.approve(desk, "sup2", view.number, version=view.version)
    assert (view.status, view.remedy, view.amount) == (
        Status.APPROVED,
        "compensation",
        Decimal("600"),
    )


@pytest.mark.parametrize("score", [1, 2, 3])
def test_unhappy_survey_reopens(desk: Desk, register: Register, score: int) -> None:
    view = to_follow_up(desk, register())
    view = cases.record_follow_up(
        desk, "ag", view.number, score=score, comments="还是漏", version=view.version
    )
    assert view.status is Status.REOPENED
    assert view.closure is None
    assert view.satisfaction == score
    assert steps(view)[-1] == ("follow_up", "follow_up", "reopened", "ag")
    assert view.deadlines["department"] is not None
    # Back to the department: the case can be investigated again.
    view = cases.record_cause(
        desk,
        "hq",
        view.number,
        fishbone="method",
        what="补发件同批次",
        why="未隔离批次",
        version=view.version,
    )
    assert view.status is Status.INVESTIGATING


def test_satisfied_survey_closes(desk: Desk, register: Register) -> None:
    view = to_follow_up(desk, register())
    view = cases.record_follow_up(desk, "ag", view.number, score=4, version=view.version)
    assert (view.status, view.closure) == (Status.CLOSED, Closure.SATISFIED)
    view = cases.reopen(desk, "mgr", view.number, comment="客户再次来电", version=view.version)
    assert (view.status, view.closure) == (Status.REOPENED, None)


def test_above_the_threshold_a_manager_must_also_approve(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy="compensation", amount="5000")
    view = cases.approve(desk, "sup", view.number, version=view.version)
    assert view.status is Status.PROPOSED
    assert view.remedy is None
    with pytest.raises(WorkflowError) as info:
        cases.approve(desk, "sup", view.number, version=view.version)
    assert info.value.code == "already_approved"
    with pytest.raises(WorkflowError) as info:
        cases.approve(desk, "sup2", view.number, version=view.version)
    assert info.value.code == "needs_manager"
    view = cases.approve(desk, "mgr", view.number, version=view.version)
    assert (view.status, view.remedy, view.amount) == (
        Status.APPROVED,
        "compensation",
        Decimal("5000"),
    )
    assert [
        (e.action, e.actor, e.details["level"], e.details["of"]) for e in view.timeline[-2:]
    ] == [
        ("approve", "sup", 1, 2),
        ("approve", "mgr", 2, 2),
    ]
    assert count(desk, Approval) == 2


# -- refusals write nothing ---------------------------------------------------------------------


def _staff_proposal(desk: Desk, view: CaseView) -> CaseView:
    view = to_investigating(desk, view)
    return cases.propose(desk, "sup", view.number, remedy="apology", version=view.version)


def _first_of_two(desk: Desk, view: CaseView) -> CaseView:
    view = to_proposed(desk, view, remedy="refund", amount="1500")
    return cases.approve(desk, "sup", view.number, version=view.version)


REFUSALS: dict[
    str, tuple[Callable[[Desk, CaseView], CaseView], Callable[[Desk, CaseView], Any], str]
] = {
    "agent approves": (
        to_proposed,
        lambda d, v: cases.approve(d, "ag", v.number, version=v.version),
        "wrong_role",
    ),
    "proposer approves": (
        _staff_proposal,
        lambda d, v: cases.approve(d, "sup", v.number, version=v.version),
        "own_proposal",
    ),
    "other department": (
        to_assigned,
        lambda d, v: cases.record_cause(
            d, "hl", v.number, fishbone="people", what="x", why="y", version=v.version
        ),
        "not_your_department",
    ),
    "refund without amount": (
        to_investigating,
        lambda d, v: cases.propose(d, "hq", v.number, remedy="refund", version=v.version),
        "amount_required",
    ),
    "second supervisor": (
        _first_of_two,
        lambda d, v: cases.approve(d, "sup2", v.number, version=v.version),
        "needs_manager",
    ),
    "bad score": (
        to_follow_up,
        lambda d, v: cases.record_follow_up(d, "ag", v.number, score=7, version=v.version),
        "bad_score",
    ),
    "handler registers": (
        lambda d, v: v,
        lambda d, v: cases.register_case(
            d, "hq", CaseDraft.parse({"phone": "13900139000", "description": "x"})
        ),
        "wrong_role",
    ),
    "close a registered case": (
        lambda d, v: v,
        lambda d, v: cases.close(d, "sup", v.number, comment="done", version=v.version),
        "wrong_state",
    ),
}


def table_counts(desk: Desk) -> dict[str, int]:
    return {m.__tablename__: count(desk, m) for m in (CaseEvent, Proposal, Approval, Survey)}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_refused_action_writes_nothing(desk: Desk, register: Register, name: str) -> None:
    prepare, act, code = REFUSALS[name]
    view = prepare(desk, register())
    assert cases.get_case(desk, view.number) == view
    before = table_counts(desk)
    with pytest.raises(WorkflowError) as info:
        act(desk, view)
    assert info.value.code == code
    after = cases.get_case(desk, view.number)
    assert len(after.timeline) == len(view.timeline)
    assert after.version == view.version
    assert after == view
    assert table_counts(desk) == before


# -- two people on one case ---------------------------------------------------------------------


def test_second_change_on_the_same_version_conflicts(desk: Desk, register: Register) -> None:
    view = cases.decide_validity(desk, "ag", register().number, founded=True)
    seen_by_agent = cases.get_case(desk, view.number)
    seen_by_supervisor = cases.get_case(desk, view.number)
    assert seen_by_agent.version == seen_by_supervisor.version

    first = cases.assign(
        desk, "ag", view.number, department="QA", handler="hq", version=seen_by_agent.version
    )
    with pytest.raises(ConflictError) as info:
        cases.assign(
            desk,
            "sup",
            view.number,
            department="LOG",
            handler="hl",
            version=seen_by_supervisor.version,
        )
    assert info.value.params["yours"] == seen_by_supervisor.version
    assert info.value.params["theirs"] == first.version

    now = cases.get_case(desk, view.number)
    assert now == first
    assert (now.department, now.handler) == ("QA", "hq")
    assert [e.actor for e in now.timeline if e.action == "assign"] == ["ag"]
    assert now.version == seen_by_agent.version + 1


def test_notes_never_conflict(desk: Desk, register: Register) -> None:
    # A note changes no field, so adding one from an older screen overwrites nothing.
    view = register()
    cases.escalate(desk, "sup", view.number, comment="媒体曝光", version=view.version)
    noted = cases.add_note(desk, "ag", view.number, text="客户情绪激动", version=view.version)
    assert noted.urgent
    assert noted.version == view.version + 1
    assert steps(noted)[-2:] == [
        ("escalate", "registered", "registered", "sup"),
        ("note", "registered", "registered", "ag"),
    ]


# -- numbers, timeline guards, intake validation --------------------------------------------------


def test_case_numbers_are_dated_and_increase(desk: Desk, register: Register) -> None:
    views = [register(phone=f"1380013800{i}") for i in range(4)]
    numbers = [v.number for v in views]
    for view in views:
        match = NUMBER.match(view.number)
        assert match, view.number
        assert match.group(1) == desk.calendar.local_date(view.registered_at).strftime("%Y%m%d")
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)
    if len({n[:11] for n in numbers}) == 1:  # unless the test ran across local midnight
        assert [int(n[-4:]) for n in numbers] == [1, 2, 3, 4]


def test_timeline_is_append_only_in_the_database(desk: Desk, register: Register) -> None:
    view = cases.add_note(desk, "ag", register().number, text="first note")
    statements = [
        ("UPDATE case_events SET comment = 'rewritten'", "append-only"),
        ("DELETE FROM case_events", "append-only"),
        ("DELETE FROM cases", "never deleted"),
    ]
    for sql, message in statements:
        with pytest.raises(exc.DBAPIError, match=message), desk.engine.begin() as conn:
            conn.execute(text(sql))
    after = cases.get_case(desk, view.number)
    assert after == view
    assert [e.comment for e in after.timeline] == ["", "first note"]


def test_intake_reports_every_bad_field_at_once() -> None:
    with pytest.raises(InvalidInput) as info:
        CaseDraft.parse({"phone": "12345", "email": "li at example", "description": "   "})
    assert info.value.params["errors"] == {
        "phone": "bad_phone",
        "email": "bad_email",
        "description": "description_missing",
    }


def test_intake_reports_contact_errors_next_to_type_errors() -> None:
    with pytest.raises(InvalidInput) as info:
        CaseDraft.parse({"email": "nobody@", "description": "", "purchase_date": "昨天"})
    errors = info.value.params["errors"]
    assert set(errors) == {"email", "description", "purchase_date"}
    assert errors["email"] == "bad_email"


def test_intake_needs_some_way_to_reach_the_customer() -> None:
    with pytest.raises(InvalidInput) as info:
        CaseDraft.parse({"description": "漏水"})
    assert info.value.params["errors"] == {"phone": "contact_missing"}


# -- duplicates ---------------------------------------------------------------------------------


def test_merge_closes_the_duplicate_and_names_it_on_the_survivor(
    desk: Desk, register: Register
) -> None:
    survivor = register()
    duplicate = to_assigned(desk, register())
    merged = cases.merge(
        desk,
        "ag",
        duplicate.number,
        into=survivor.number,
        comment="同一客户重复来电",
        version=duplicate.version,
    )
    assert (merged.status, merged.closure) == (Status.CLOSED, Closure.MERGED)
    assert steps(merged)[-1] == ("merge", "assigned", "closed", "ag")
    assert merged.timeline[-1].details == {"into": survivor.number}
    lives_on = cases.get_case(desk, survivor.number)
    assert lives_on.status is Status.REGISTERED
    assert lives_on.version == survivor.version  # a note, not a change
    assert steps(lives_on)[-1] == ("note", "registered", "registered", "ag")
    assert lives_on.timeline[-1].details == {"merged_from": duplicate.number}


@pytest.mark.parametrize("problem", ["itself", "closed survivor", "remedy approved"])
def test_merge_refusals_write_nothing(desk: Desk, register: Register, problem: str) -> None:
    survivor, duplicate = register(), register()
    if problem == "itself":
        into, code = duplicate.number, "merge_into_itself"
    elif problem == "closed survivor":
        cases.decide_validity(desk, "ag", survivor.number, founded=False, reason="重复")
        into, code = survivor.number, "merge_into_closed"
    else:
        # The approved remedy would stay 'approved' on a closed case and be taken for the live
        # one if the case were reopened: the customer's answer comes first.
        duplicate = to_approved(desk, duplicate)
        into, code = survivor.number, "wrong_state"
    survivor = cases.get_case(desk, survivor.number)
    before = table_counts(desk)
    with pytest.raises(WorkflowError) as info:
        cases.merge(
            desk, "ag", duplicate.number, into=into, comment="重复", version=duplicate.version
        )
    assert info.value.code == code
    assert cases.get_case(desk, duplicate.number) == duplicate
    assert cases.get_case(desk, survivor.number) == survivor
    assert table_counts(desk) == before


def test_waiting_for_the_customer_pauses_the_department_clock(desk: Desk, register: Register) -> None:
    from kesu_desk.sla import DeadlineState, utcnow

    view = to_assigned(desk, register())
    due_before = view.deadlines["department"]
    assert view.deadline_state(utcnow()) is DeadlineState.ON_TIME
    view = cases.await_customer(desk, "hq", view.number, comment="请客户补拍照片", version=view.version)
    assert view.waiting_since is not None and view.next_due_at is None
    assert view.deadline_state(utcnow()) is None  # no deadline runs while waiting
    with pytest.raises(WorkflowError) as info:
        cases.await_customer(desk, "hq", view.number, comment="again", version=view.version)
    assert info.value.code == "already_waiting"
    view = cases.customer_replied(desk, "ag", view.number, comment="照片已收到", version=view.version)
    assert view.waiting_since is None
    assert view.deadlines["department"] is not None and due_before is not None
    assert view.deadlines["department"] >= due_before
    assert view.next_due_at == view.deadlines["department"]
    assert [e.action for e in view.timeline[-2:]] == ["await_customer", "customer_replied"]
    with pytest.raises(WorkflowError) as info:
        cases.customer_replied(desk, "ag", view.number, version=view.version)
    assert info.value.code == "not_waiting"


def test_a_proposal_ends_the_wait(desk: Desk, register: Register) -> None:
    view = to_investigating(desk, register())
    view = cases.await_customer(desk, "hq", view.number, comment="等客户确认型号", version=view.version)
    view = cases.propose(desk, "hq", view.number, remedy="exchange", version=view.version)
    assert view.waiting_since is None and view.next_due_at == view.deadlines["answer"]


# -- refusals that used to reach the user as database errors ---------------------------------------


def test_assigning_to_a_department_that_does_not_exist_is_refused_in_words(
    desk: Desk, register: Register
) -> None:
    view = register()
    view = cases.decide_validity(desk, "ag", view.number, founded=True, version=view.version)
    with pytest.raises(NotFoundError) as refused:
        cases.assign(desk, "ag", view.number, department="XX", version=view.version)
    assert refused.value.code == "unknown_department"
    assert cases.get_case(desk, view.number) == view


def test_two_crossing_merges_at_the_same_moment_leave_one_merge_and_a_clear_refusal(
    desk: Desk, register: Register
) -> None:
    """A into B and B into A from two terminals at once: one is done, the other is told why
    (B is closed now) — never a deadlock reported as a database error."""
    for round_ in range(12):
        a = register(phone=f"1380013{round_:04d}", description=f"第{round_}次 A").number
        b = register(phone=f"1380013{round_:04d}", description=f"第{round_}次 B").number
        outcomes = threads_at_once(
            lambda a=a, b=b: cases.merge(desk, "ag", a, into=b, comment="同一问题"),
            lambda a=a, b=b: cases.merge(desk, "sup", b, into=a, comment="同一问题"),
        )
        done = [v for v in outcomes if isinstance(v, CaseView)]
        refused = [e for e in outcomes if not isinstance(e, CaseView)]
        assert len(done) == 1 and len(refused) == 1, outcomes
        assert isinstance(refused[0], WorkflowError), repr(refused[0])
        assert refused[0].code == "merge_into_closed"


def test_a_deadlock_between_two_terminals_is_told_as_a_conflict(desk: Desk, register: Register) -> None:
    """Whatever two transactions run into each other, the one the database gives up is reported
    as a change to try again (nothing saved), never as a database failure."""
    import threading

    if desk.engine.dialect.name == "sqlite":
        pytest.skip("SQLite's writers take turns: they never deadlock")
    first, second = register().number, register(phone="13900139000").number
    both_hold_one = threading.Barrier(2)

    def crossing(one: str, other: str) -> None:
        with desk.uow() as uow:
            uow.session.execute(select(Case.id).where(Case.number == one).with_for_update())
            both_hold_one.wait(10)
            uow.session.execute(select(Case.id).where(Case.number == other).with_for_update())
            uow.commit()

    outcomes = threads_at_once(lambda: crossing(first, second), lambda: crossing(second, first))
    errors = [e for e in outcomes if e is not None]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ConflictError) and errors[0].code == "concurrent_change"
