"""The approval inbox and batch approval, on SQLite and PostgreSQL: who sees which proposal,
who may approve it, and that every refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from casesteps import draft, to_investigating, to_proposed
from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.vocabulary import Status
from kesu_desk.i18n import describe
from kesu_desk.services import approvals, cases
from kesu_desk.services.approvals import approval_inbox, approve_many, waiting_count
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.sla import DeadlineState, utcnow
from kesu_desk.store import queries
from kesu_desk.store.models import Approval, CaseEvent

Register = Callable[..., CaseView]
APPROVERS = ("sup", "sup2", "mgr", "adm")


def written(desk: Desk) -> tuple[int, int]:
    """(approvals, timeline events): what a refusal must leave as it was."""
    with desk.uow(write=False) as uow:
        s = uow.session
        return (s.execute(select(func.count()).select_from(Approval)).scalar_one(),
                s.execute(select(func.count()).select_from(CaseEvent)).scalar_one())


def numbers(items: list[approvals.InboxItem]) -> list[str]:
    return [i.number for i in items]


def proposed_by_sup(desk: Desk, register: Register, amount: str = "200") -> CaseView:
    view = to_investigating(desk, register())
    return cases.propose(desk, "sup", view.number, remedy="discount", amount=Decimal(amount),
                         version=view.version)


def test_the_inbox_shows_what_the_approver_needs_oldest_first(
    desk: Desk, register: Register, people: Any
) -> None:
    suggested = {"department": "QA", "category": "quality_defect", "severity": "normal",
                 "remedies": ["exchange", "refund"]}
    first = cases.register_case(desk, "ag", draft(description="壶底漏水"), suggested=suggested,
                                chosen={"department": "QA"})
    first = to_proposed(desk, first, remedy="refund", amount="300")
    second = to_proposed(desk, register(description="把手断裂"), remedy="repair", amount=None)

    items = approval_inbox(desk, "sup")

    assert numbers(items) == [first.number, second.number]
    a, b = items
    assert (a.version, a.remedy, a.amount, a.proposed_by) == (first.version, "refund", Decimal("300"), "hq")
    assert a.summary == "壶底漏水" and a.customer == "李雷" and a.department == "QA"
    assert a.suggested_remedies == ("exchange", "refund") and a.as_suggested is True
    assert b.suggested_remedies == () and b.as_suggested is None  # none recorded: none shown
    assert (b.remedy, b.amount) == ("repair", None)
    # The deadline a waiting proposal threatens is the answer promised to the customer.
    assert a.due_at == first.deadlines["answer"]
    assert a.state is DeadlineState.ON_TIME
    assert a.deadline_state(first.deadlines["answer"] + timedelta(minutes=1)) is DeadlineState.OVERDUE
    assert a.proposed_at <= utcnow()
    assert (a.approvable, a.reason, a.approvals_needed, a.approved_by, a.level) == (True, None, 1, (), 1)
    assert waiting_count(desk, "sup") == 2
    assert approvals.pending_total(desk) == 2


def test_agents_and_handlers_have_no_inbox(desk: Desk, register: Register) -> None:
    to_proposed(desk, register())
    for who in ("ag", "hq"):
        with pytest.raises(WorkflowError) as info:
            approval_inbox(desk, who)
        assert (info.value.code, info.value.params["action"]) == ("wrong_role", "approve")
        assert waiting_count(desk, who) == 0  # nothing waits for them


def test_agents_and_handlers_approve_nothing_and_write_nothing(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register())
    before = written(desk)
    for who in ("ag", "hq"):
        [result] = approve_many(desk, who, [(view.number, view.version)])
        assert not result.approved
        assert result.error is not None and result.error.code == "wrong_role"
    assert written(desk) == before
    assert cases.get_case(desk, view.number).status is Status.PROPOSED


def test_an_own_proposal_is_listed_but_never_approvable(desk: Desk, register: Register) -> None:
    view = proposed_by_sup(desk, register)

    [item] = approval_inbox(desk, "sup")
    assert (item.number, item.approvable) == (view.number, False)
    assert item.reason is not None and item.reason.code == "own_proposal"
    assert "someone else" in describe(item.reason, "en")
    assert waiting_count(desk, "sup") == 0
    assert [i.approvable for i in approval_inbox(desk, "sup2")] == [True]
    assert waiting_count(desk, "sup2") == 1

    before = written(desk)
    [result] = approve_many(desk, "sup", [(view.number, view.version)])
    assert (result.approved, result.error.code if result.error else None) == (False, "own_proposal")
    assert written(desk) == before
    assert cases.get_case(desk, view.number).version == view.version


def test_above_the_threshold_a_manager_gives_the_second_approval(
    desk: Desk, register: Register
) -> None:
    view = to_proposed(desk, register(), amount="5000")
    for who in APPROVERS:
        [item] = approval_inbox(desk, who)
        assert (item.approvable, item.approvals_needed, item.level) == (True, 2, 1)

    [first] = approve_many(desk, "sup", [(view.number, view.version)])
    assert (first.approved, first.status, first.awaits_second_approval) == (True, Status.PROPOSED, True)

    # Done on the first approver's side; another supervisor's approval cannot follow.
    assert approval_inbox(desk, "sup") == [] and waiting_count(desk, "sup") == 0
    assert approval_inbox(desk, "sup2") == [] and waiting_count(desk, "sup2") == 0
    before = written(desk)
    [refused] = approve_many(desk, "sup2", [(view.number, first.version)])
    assert refused.error is not None and refused.error.code == "needs_manager"
    assert written(desk) == before

    [item] = approval_inbox(desk, "mgr")
    assert (item.approvable, item.approved_by, item.level, item.version) == (True, ("sup",), 2, first.version)
    assert waiting_count(desk, "mgr") == 1
    [second] = approve_many(desk, "mgr", [(item.number, item.version)])
    assert (second.approved, second.status, second.awaits_second_approval) == (True, Status.APPROVED, False)
    assert all(approval_inbox(desk, who) == [] for who in APPROVERS)
    view = cases.get_case(desk, view.number)
    assert [(e.actor, e.details["level"]) for e in view.timeline if e.action == "approve"] == [
        ("sup", 1), ("mgr", 2)]


def test_after_a_managers_first_approval_a_supervisor_may_give_the_second(
    desk: Desk, register: Register
) -> None:
    view = to_proposed(desk, register(), amount="5000")
    [first] = approve_many(desk, "mgr", [(view.number, view.version)])
    assert first.awaits_second_approval
    assert approval_inbox(desk, "mgr") == []
    [item] = approval_inbox(desk, "sup2")
    assert (item.approvable, item.approved_by) == (True, ("mgr",))
    [second] = approve_many(desk, "sup2", [(item.number, item.version)])
    assert second.status is Status.APPROVED


def test_batch_approval_one_transaction_each_and_refusals_do_not_stop_the_others(
    desk: Desk, register: Register
) -> None:
    ok = to_proposed(desk, register(description="一"))
    own = proposed_by_sup(desk, register)
    stale = to_proposed(desk, register(description="三"))
    cases.add_note(desk, "ag", stale.number, text="客户又来电")  # a note keeps the version
    stale = cases.escalate(desk, "ag", stale.number, comment="媒体曝光", version=stale.version)
    last = to_proposed(desk, register(description="四"), remedy="apology", amount=None)
    before = written(desk)

    results = approve_many(desk, "sup", [
        (ok.number, ok.version), (own.number, own.version),
        (stale.number, stale.version - 1), (last.number, last.version), ("KS-20000101-0001", None),
    ], comment="同意")

    assert [(r.number, r.approved) for r in results] == [
        (ok.number, True), (own.number, False), (stale.number, False), (last.number, True),
        ("KS-20000101-0001", False)]
    assert [r.error.code for r in results if r.error] == ["own_proposal", "conflict", "case_not_found"]
    assert [r.status for r in results if r.approved] == [Status.APPROVED, Status.APPROVED]
    # Two approvals, each with its own timeline event; the refused cases are as they were.
    assert written(desk) == (before[0] + 2, before[1] + 2)
    for view in (ok, last):
        after = cases.get_case(desk, view.number)
        assert (after.status, after.timeline[-1].action, after.timeline[-1].comment) == (
            Status.APPROVED, "approve", "同意")
        assert after.version == next(r.version for r in results if r.number == view.number)
    assert cases.get_case(desk, own.number).status is Status.PROPOSED
    assert cases.get_case(desk, stale.number).version == stale.version
    assert numbers(approval_inbox(desk, "sup")) == [own.number, stale.number]


def test_the_count_is_the_approvable_part_of_the_inbox(desk: Desk, register: Register) -> None:
    to_proposed(desk, register())  # small, by hq
    big = to_proposed(desk, register(), amount="5000")  # two approvals
    proposed_by_sup(desk, register)  # the supervisor's own
    mine_too = proposed_by_sup(desk, register, amount="3000")
    approve_many(desk, "mgr", [(mine_too.number, mine_too.version)])
    approve_many(desk, "sup2", [(big.number, big.version)])
    for who in APPROVERS:
        inbox = approval_inbox(desk, who)
        assert waiting_count(desk, who) == sum(i.approvable for i in inbox), who
        assert all(i.approvable or i.reason is not None for i in inbox)
    assert waiting_count(desk, "sup") == 1  # the small one; big needs a manager; own never
    assert waiting_count(desk, "sup2") == 3  # small, and both of sup's (mine_too has mgr's)
    assert waiting_count(desk, "mgr") == 3  # small, big (second), sup's small own; not mine_too
    assert waiting_count(desk, "adm") == 4
    assert approvals.pending_total(desk) == 4


def test_inbox_pages_by_key_set(desk: Desk, register: Register) -> None:
    made = [to_proposed(desk, register(description=f"第{i}件")).number for i in range(5)]
    first = approval_inbox(desk, "sup", limit=2)
    rest = approval_inbox(desk, "sup", after_id=first[-1].proposal_id, limit=10)
    assert numbers(first) + numbers(rest) == made


def test_a_returned_proposal_leaves_the_inbox(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register())
    cases.return_proposal(desk, "sup2", view.number, comment="先换货", version=view.version)
    assert approval_inbox(desk, "sup") == []
    assert waiting_count(desk, "sup") == 0


def test_the_inbox_says_the_same_number_as_the_header(desk: Desk, register: Register) -> None:
    """Issue 15 item 14 ("563 waiting, the header says 562"): own proposals are listed, not
    counted, in the inbox as in the badge."""
    to_proposed(desk, register())
    proposed_by_sup(desk, register)  # listed for sup, never theirs to approve
    big = to_proposed(desk, register(), amount="5000")
    approve_many(desk, "sup2", [(big.number, big.version)])  # now a manager's second approval
    for who in APPROVERS:
        inbox = approval_inbox(desk, who)
        assert approvals.waiting_in(inbox) == waiting_count(desk, who), who
    assert len(approval_inbox(desk, "sup")) == 2 and waiting_count(desk, "sup") == 1


def test_the_badge_says_what_the_inbox_says_through_a_history_of_approvals(
    desk: Desk, register: Register
) -> None:
    """Issue 16: the badge looks up a proposal's approvals only when it has some (a first of
    two); through returns, new proposals, first approvals by a supervisor and by a manager and
    own proposals, every approver's badge still counts what their inbox offers to approve."""
    small = to_proposed(desk, register())
    again = to_proposed(desk, register())
    again = cases.return_proposal(desk, "sup2", again.number, comment="先换货", version=again.version)
    again = cases.propose(desk, "hq", again.number, remedy="exchange", version=again.version)
    by_sup = to_proposed(desk, register(), amount="5000")
    cases.approve(desk, "sup", by_sup.number, version=by_sup.version)  # a manager must follow
    by_mgr = to_proposed(desk, register(), amount="5000")
    cases.approve(desk, "mgr", by_mgr.number, version=by_mgr.version)  # a supervisor may follow
    own = proposed_by_sup(desk, register, amount="3000")
    cases.approve(desk, "sup2", own.number, version=own.version)
    done = to_proposed(desk, register())
    cases.approve(desk, "sup2", done.number, version=done.version)

    small, again, by_sup, by_mgr, own = (v.number for v in (small, again, by_sup, by_mgr, own))
    expected = {"sup": {small, again, by_mgr}, "sup2": {small, again, by_mgr},
                "mgr": {small, again, by_sup, own}, "adm": {small, again, by_sup, by_mgr, own}}
    for who, waiting in expected.items():
        inbox = approval_inbox(desk, who)
        assert {i.number for i in inbox if i.approvable} == waiting, who
        assert waiting_count(desk, who) == approvals.waiting_in(inbox) == len(waiting), who
    assert numbers(approval_inbox(desk, "sup")) == [small, again, by_mgr, own]


def test_the_badge_reads_the_pending_proposals_not_the_approval_history(
    desk: Desk, register: Register
) -> None:
    """Issue 16: on PostgreSQL the badge's EXISTS clauses inside an OR became hashed subplans
    and a hash anti-join that read every past approval (180,647 at 200,000 demo cases, 58.6 ms
    on every approver's terminal). With a long history and many pending proposals, its plan
    reads no approval of a proposal that has none."""
    if desk.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL plan")
    view = to_proposed(desk, register(), amount="5000")
    with desk.engine.begin() as conn:
        run = conn.exec_driver_sql
        ids = dict(run("SELECT name, id FROM users WHERE name IN ('hq', 'sup2')").all())
        case_id = run("SELECT case_id FROM proposals").scalar_one()
        # A long history: 5,000 accepted proposals with an approval each, then 500 pending.
        for status, given, n in (("accepted", 1, 5_000), ("pending", 0, 500)):
            run("INSERT INTO proposals (case_id, remedy, amount_cents, details, proposed_by, proposed_at, "
                "status, approvals_needed, approvals_given) SELECT %(case)s, 'refund', 500000, '', %(hq)s, "
                "now(), %(status)s, 2, %(given)s FROM generate_series(1, %(n)s)",
                {"case": case_id, "hq": ids["hq"], "status": status, "given": given, "n": n})
        run("INSERT INTO approvals (proposal_id, approver_id, decision, comment, at) "
            "SELECT id, %(sup2)s, 'approved', '', now() FROM proposals WHERE status = 'accepted'",
            {"sup2": ids["sup2"]})
        run("ANALYZE proposals")
        run("ANALYZE approvals")
    assert waiting_count(desk, "sup") == 501
    assert waiting_count(desk, "sup2") == 501

    compiled = next(e for (dialect, shape), e in queries._COMPILED.items()
                    if dialect == "postgresql" and shape[:3] == ("count_waiting", False, False))
    with desk.uow(write=False) as uow:
        args = approvals.waiting_args(desk, uow.users.actor("sup2"))
    params = compiled.defaults | queries._waiting_params(args["me"], args["senior_roles"], args["limit_cents"])
    with desk.engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled.sql}", params).scalar_one()

    def nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
        return [node, *(n for child in node.get("Plans", []) for n in nodes(child))]

    read = [n for n in nodes(plan[0]["Plan"]) if n.get("Relation Name") == "approvals"]
    assert all(n["Node Type"] != "Seq Scan" for n in read), read
    assert sum(n["Actual Rows"] * n["Actual Loops"] for n in read) <= 1  # the one of view's case
    assert view.number  # the proposal above the threshold, not approved: counted for both
