"""The case workflow on its own: who may do what in which state, where it leads, what it needs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kesu_desk.domain import workflow
from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.vocabulary import Action, Remedy, Role, Status, Validity
from kesu_desk.domain.workflow import RULES, Actor, CaseFacts, check, transition

S = Status
A = Action

# The table as DOMAIN.md describes it, written out independently of workflow.RULES so that a
# change to the rules shows up here as a failing test.
# Issue 13: a store manager does an agent's work, and approves, for their own store's cases.
FRONT = {Role.AGENT, Role.STORE_MANAGER, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
DEPARTMENT = {Role.HANDLER, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
STAFF = {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
EVERYONE = set(Role)
OPEN = set(Status) - {S.CLOSED}

# action: (source statuses, roles, a handler must belong to the case's department)
EXPECTED_TABLE: dict[Action, tuple[set[Status], set[Role], bool]] = {
    A.DECIDE_VALIDITY: ({S.REGISTERED}, FRONT, False),
    A.ASSIGN: ({S.REGISTERED, S.ASSIGNED, S.INVESTIGATING, S.RETURNED, S.REOPENED}, FRONT, False),
    A.RECORD_CAUSE: ({S.ASSIGNED, S.INVESTIGATING, S.RETURNED, S.REOPENED}, DEPARTMENT, True),
    A.PROPOSE: ({S.INVESTIGATING, S.RETURNED}, DEPARTMENT, True),
    A.APPROVE: ({S.PROPOSED}, STAFF | {Role.STORE_MANAGER}, False),
    A.RETURN: ({S.PROPOSED}, STAFF, False),
    A.CUSTOMER_ANSWER: ({S.APPROVED}, FRONT, False),
    A.IMPLEMENT: ({S.IMPLEMENTING}, DEPARTMENT, True),
    A.FOLLOW_UP: ({S.FOLLOW_UP}, FRONT, False),
    A.CLOSE: ({S.FOLLOW_UP}, STAFF, False),
    A.REOPEN: ({S.CLOSED}, STAFF, False),
    A.ESCALATE: (OPEN, EVERYONE, True),
    # Never while a remedy is under review or approved but not yet put to the customer.
    A.MERGE: (OPEN - {S.PROPOSED, S.APPROVED}, FRONT, False),
    A.AWAIT_CUSTOMER: ({S.ASSIGNED, S.INVESTIGATING, S.RETURNED, S.REOPENED}, EVERYONE, True),
    A.CUSTOMER_REPLIED: ({S.ASSIGNED, S.INVESTIGATING, S.RETURNED, S.REOPENED}, EVERYONE, True),
    A.NOTE: (set(Status), EVERYONE, True),
    A.CALL: (set(Status), EVERYONE, True),
    A.SUGGESTION: (set(Status), EVERYONE, True),
    # Review, in any state: supervisors keep typical cases and open and check corrective
    # actions; progress is the owner's (checked by the service), whatever their department.
    A.TYPICAL: (set(Status), STAFF, False),
    A.CORRECTIVE_ACTION: (set(Status), STAFF, False),
    A.CORRECTIVE_PROGRESS: (set(Status), EVERYONE, False),
    A.EFFECTIVENESS_CHECK: (set(Status), STAFF, False),
    # Only the upgrade that merges duplicate customer records writes it.
    A.CUSTOMER_MERGED: (set(Status), set(), False),
    A.MAIL: (set(Status), set(), False),
    A.TASK: (set(Status), EVERYONE, False),
    A.EVIDENCE: (set(Status), EVERYONE, True),
    A.LETTER: ({S.APPROVED, S.IMPLEMENTING, S.FOLLOW_UP, S.CLOSED}, EVERYONE, True),
    A.PRICE: (OPEN, EVERYONE, True),  # issue 13, remedies: the price a compensation is measured by
    # Issue 13, dealers in the case's work: while the case is open, like a note.
    A.DEALER_HANDOVER: (OPEN, EVERYONE, True),
    A.PARTS_SENT: (OPEN, EVERYONE, True),
}

THRESHOLD = Decimal("1000")


def actor(role: Role, department: str | None = None, id: int = 1) -> Actor:
    if role is Role.HANDLER and department is None:
        department = "QA"
    store = "M01" if role is Role.STORE_MANAGER else None  # the store of the cases of facts()
    return Actor(id, f"{role.value}-{id}", role, department, store)


def facts(status: Status, **kw: Any) -> CaseFacts:
    kw.setdefault("department", "QA")
    kw.setdefault("store", "M01")
    return CaseFacts(status=status, **kw)


def refused(code: str, call: Any, *args: Any, **kwargs: Any) -> WorkflowError:
    with pytest.raises(WorkflowError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


def expected_refusal(
    action: Action, status: Status, who: Actor, case_department: str
) -> str | None:
    sources, roles, bound = EXPECTED_TABLE[action]
    if who.role not in roles:
        return "wrong_role"
    if status not in sources:
        return "wrong_state"
    if bound and who.role is Role.HANDLER and who.department != case_department:
        return "not_your_department"
    return None


def test_every_action_but_register_has_a_rule() -> None:
    # Registration is the intake service's business; every later action must be in the table.
    assert set(RULES) == set(Action) - {A.REGISTER}
    assert set(EXPECTED_TABLE) == set(RULES)


# -- the table: every action × every status × every role ------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("status", list(Status), ids=str)
@pytest.mark.parametrize("action", list(RULES), ids=str)
def test_check_follows_the_table(action: Action, status: Status, role: Role) -> None:
    case = facts(status, department="QA")
    # A handler of the case's department, and one of another department; staff are never bound.
    for department in ("QA", "LOG"):
        who = actor(role, department)
        expected = expected_refusal(action, status, who, "QA")
        if expected is None:
            check(action, case, who)  # must not raise
            assert action in workflow.allowed_actions(case, who)
        else:
            error = refused(expected, check, action, case, who)
            assert action not in workflow.allowed_actions(case, who)
            if expected == "wrong_role":
                assert error.params == {"action": action.value, "role": role.value}
            elif expected == "wrong_state":
                assert error.params == {"action": action.value, "status": status.value}
            else:
                assert error.params == {"department": "QA"}


def test_handler_on_a_case_without_department_is_told_so() -> None:
    error = refused(
        "not_your_department",
        check,
        A.NOTE,
        facts(S.REGISTERED, department=None),
        actor(Role.HANDLER, "QA"),
    )
    assert error.params == {"department": "-"}


def test_transition_checks_the_table_before_the_fields() -> None:
    # An agent may not approve, whatever parameters come with it.
    refused(
        "wrong_role",
        transition,
        A.APPROVE,
        facts(S.PROPOSED),
        actor(Role.AGENT),
        proposer_id=99,
        amount=None,
        threshold=THRESHOLD,
    )
    refused(
        "wrong_state",
        transition,
        A.IMPLEMENT,
        facts(S.APPROVED),
        actor(Role.HANDLER),
        implementation="x",
        accountability="y",
    )


# -- where each transition leads ------------------------------------------------------------------

FOUNDED = {"validity": Validity.FOUNDED}
WITH_CAUSE = {"has_cause": True}

TARGETS: list[tuple[Action, Status, dict[str, Any], Role, dict[str, Any], Status]] = [
    (A.DECIDE_VALIDITY, S.REGISTERED, {}, Role.AGENT, {"founded": True}, S.REGISTERED),
    (
        A.DECIDE_VALIDITY,
        S.REGISTERED,
        {},
        Role.AGENT,
        {"founded": False, "reason": "no receipt"},
        S.CLOSED,
    ),
    (A.ASSIGN, S.REGISTERED, FOUNDED, Role.AGENT, {"department": "QA"}, S.ASSIGNED),
    (A.ASSIGN, S.ASSIGNED, FOUNDED, Role.SUPERVISOR, {"department": "LOG"}, S.ASSIGNED),
    (A.ASSIGN, S.INVESTIGATING, FOUNDED, Role.AGENT, {"department": "LOG"}, S.ASSIGNED),
    (A.ASSIGN, S.RETURNED, FOUNDED, Role.AGENT, {"department": "LOG"}, S.ASSIGNED),
    (A.ASSIGN, S.REOPENED, FOUNDED, Role.AGENT, {"department": "QA"}, S.ASSIGNED),
    (
        A.ASSIGN,
        S.REGISTERED,
        FOUNDED,
        Role.AGENT,
        {"department": "QA", "handler": Actor(7, "hq", Role.HANDLER, "QA")},
        S.ASSIGNED,
    ),
    *(
        (
            A.RECORD_CAUSE,
            source,
            {},
            Role.HANDLER,
            {"what": "seal leaks", "why": "worn mould", "fishbone": "machine"},
            S.INVESTIGATING,
        )
        for source in (S.ASSIGNED, S.INVESTIGATING, S.RETURNED, S.REOPENED)
    ),
    (A.PROPOSE, S.INVESTIGATING, WITH_CAUSE, Role.HANDLER, {"remedy": Remedy.EXCHANGE}, S.PROPOSED),
    (
        A.PROPOSE,
        S.RETURNED,
        WITH_CAUSE,
        Role.HANDLER,
        {"remedy": Remedy.REFUND, "amount": Decimal("80")},
        S.PROPOSED,
    ),
    (
        A.APPROVE,
        S.PROPOSED,
        {},
        Role.SUPERVISOR,
        {"proposer_id": 99, "amount": Decimal("80"), "threshold": THRESHOLD},
        S.APPROVED,
    ),
    (A.RETURN, S.PROPOSED, {}, Role.SUPERVISOR, {"comment": "too generous"}, S.RETURNED),
    (A.CUSTOMER_ANSWER, S.APPROVED, {}, Role.AGENT, {"agrees": True}, S.IMPLEMENTING),
    (
        A.CUSTOMER_ANSWER,
        S.APPROVED,
        {},
        Role.AGENT,
        {"agrees": False, "comment": "wants a refund"},
        S.INVESTIGATING,
    ),
    (
        A.IMPLEMENT,
        S.IMPLEMENTING,
        {},
        Role.HANDLER,
        {"implementation": "sent new kettle", "accountability": "line 3 retrained"},
        S.FOLLOW_UP,
    ),
    *((A.FOLLOW_UP, S.FOLLOW_UP, {}, Role.AGENT, {"score": s}, S.CLOSED) for s in (4, 5)),
    *((A.FOLLOW_UP, S.FOLLOW_UP, {}, Role.AGENT, {"score": s}, S.REOPENED) for s in (1, 2, 3)),
    (A.CLOSE, S.FOLLOW_UP, {}, Role.SUPERVISOR, {"comment": "unreachable"}, S.CLOSED),
    (A.REOPEN, S.CLOSED, {}, Role.MANAGER, {"comment": "customer called again"}, S.REOPENED),
    (A.MERGE, S.ASSIGNED, {}, Role.AGENT, {"comment": "same as KS-1"}, S.CLOSED),
    *((A.ESCALATE, s, {}, Role.AGENT, {"comment": "press"}, s) for s in (S.REGISTERED, S.PROPOSED)),
    *((A.NOTE, s, {}, Role.AGENT, {"comment": "called"}, s) for s in (S.REGISTERED, S.CLOSED)),
    (A.CALL, S.FOLLOW_UP, {}, Role.AGENT, {"comment": "no answer"}, S.FOLLOW_UP),
    (A.SUGGESTION, S.REGISTERED, {}, Role.AGENT, {}, S.REGISTERED),
    (A.TYPICAL, S.CLOSED, {}, Role.SUPERVISOR, {}, S.CLOSED),
    (A.CORRECTIVE_ACTION, S.CLOSED, {}, Role.SUPERVISOR,
     {"owner": "hq", "due": "2026-12-31", "text": "change supplier"}, S.CLOSED),
    (A.CORRECTIVE_PROGRESS, S.INVESTIGATING, {}, Role.HANDLER, {"note": "half done"}, S.INVESTIGATING),
    (A.EFFECTIVENESS_CHECK, S.CLOSED, {}, Role.MANAGER, {"effective": True}, S.CLOSED),
    (A.EFFECTIVENESS_CHECK, S.CLOSED, {}, Role.MANAGER,
     {"effective": False, "comment": "came back", "due": "2027-01-31"}, S.CLOSED),
]


@pytest.mark.parametrize(
    ("action", "source", "case_kw", "role", "params", "target"),
    TARGETS,
    ids=[f"{t[0]}-{t[1]}-{t[5]}-{i}" for i, t in enumerate(TARGETS)],
)
def test_transition_target(
    action: Action,
    source: Status,
    case_kw: dict[str, Any],
    role: Role,
    params: dict[str, Any],
    target: Status,
) -> None:
    assert transition(action, facts(source, **case_kw), actor(role), **params) is target


# -- required fields ------------------------------------------------------------------------------

CAUSE = {"what": "seal leaks", "why": "worn mould", "fishbone": "machine"}
IMPLEMENTATION = {"implementation": "sent new kettle", "accountability": "line 3 retrained"}

MISSING: list[tuple[Action, Status, dict[str, Any], Role, dict[str, Any], str]] = [
    (A.DECIDE_VALIDITY, S.REGISTERED, {}, Role.AGENT, {"founded": False}, "reason"),
    (
        A.DECIDE_VALIDITY,
        S.REGISTERED,
        {},
        Role.AGENT,
        {"founded": False, "reason": "   "},
        "reason",
    ),
    (A.ASSIGN, S.REGISTERED, FOUNDED, Role.AGENT, {"department": None}, "department"),
    (A.ASSIGN, S.REGISTERED, FOUNDED, Role.AGENT, {"department": ""}, "department"),
    *(
        (A.RECORD_CAUSE, S.ASSIGNED, {}, Role.HANDLER, {**CAUSE, field: None}, field)
        for field in ("what", "why", "fishbone")
    ),
    (A.RECORD_CAUSE, S.ASSIGNED, {}, Role.HANDLER, {**CAUSE, "why": " "}, "why"),
    (A.PROPOSE, S.INVESTIGATING, WITH_CAUSE, Role.HANDLER, {"remedy": None}, "remedy"),
    (A.RETURN, S.PROPOSED, {}, Role.SUPERVISOR, {"comment": ""}, "comment"),
    (A.CUSTOMER_ANSWER, S.APPROVED, {}, Role.AGENT, {"agrees": False}, "comment"),
    *(
        (A.IMPLEMENT, S.IMPLEMENTING, {}, Role.HANDLER, {**IMPLEMENTATION, field: ""}, field)
        for field in ("implementation", "accountability")
    ),
    (A.FOLLOW_UP, S.FOLLOW_UP, {}, Role.AGENT, {"score": None}, "score"),
    (A.CLOSE, S.FOLLOW_UP, {}, Role.SUPERVISOR, {"comment": None}, "comment"),
    (A.REOPEN, S.CLOSED, {}, Role.SUPERVISOR, {"comment": ""}, "comment"),
    (A.MERGE, S.ASSIGNED, {}, Role.AGENT, {"comment": ""}, "comment"),
    (A.ESCALATE, S.ASSIGNED, {}, Role.AGENT, {"comment": " "}, "comment"),
    (A.NOTE, S.ASSIGNED, {}, Role.AGENT, {"comment": ""}, "comment"),
    (A.CALL, S.ASSIGNED, {}, Role.AGENT, {"comment": ""}, "comment"),
    *(
        (A.CORRECTIVE_ACTION, S.CLOSED, {}, Role.SUPERVISOR,
         {"owner": "hq", "due": "2026-12-31", "text": "x", field: value}, name)
        for field, value, name in (("owner", "", "corrective_owner"), ("due", None, "corrective_due"),
                                   ("text", " ", "corrective_text"))
    ),
    (A.CORRECTIVE_PROGRESS, S.CLOSED, {}, Role.HANDLER, {"note": ""}, "corrective_note"),
    (A.EFFECTIVENESS_CHECK, S.CLOSED, {}, Role.SUPERVISOR, {"effective": False, "due": "2027-01-31"}, "comment"),
    (A.EFFECTIVENESS_CHECK, S.CLOSED, {}, Role.SUPERVISOR,
     {"effective": False, "comment": "came back"}, "corrective_due"),
]


@pytest.mark.parametrize(
    ("action", "source", "case_kw", "role", "params", "field"),
    MISSING,
    ids=[f"{m[0]}-{m[5]}-{i}" for i, m in enumerate(MISSING)],
)
def test_missing_field_is_named(
    action: Action,
    source: Status,
    case_kw: dict[str, Any],
    role: Role,
    params: dict[str, Any],
    field: str,
) -> None:
    error = refused(
        "missing_field", transition, action, facts(source, **case_kw), actor(role), **params
    )
    assert error.params == {"field": field}


def test_preventive_action_is_optional() -> None:
    assert (
        transition(
            A.IMPLEMENT,
            facts(S.IMPLEMENTING),
            actor(Role.HANDLER),
            preventive_action=None,
            **IMPLEMENTATION,
        )
        is S.FOLLOW_UP
    )


# -- other guards ---------------------------------------------------------------------------------


def test_assignment_waits_for_the_validity_decision() -> None:
    refused(
        "validity_undecided",
        transition,
        A.ASSIGN,
        facts(S.REGISTERED),
        actor(Role.AGENT),
        department="QA",
    )


def test_a_reopened_case_is_assigned_without_a_new_validity_decision() -> None:
    assert transition(A.ASSIGN, facts(S.REOPENED), actor(Role.AGENT), department="QA") is S.ASSIGNED


def test_assigned_handler_must_be_a_handler_of_that_department() -> None:
    case = facts(S.REGISTERED, **FOUNDED)
    refused(
        "not_a_handler",
        transition,
        A.ASSIGN,
        case,
        actor(Role.AGENT),
        department="QA",
        handler=Actor(8, "sup", Role.SUPERVISOR),
    )
    error = refused(
        "handler_other_department",
        transition,
        A.ASSIGN,
        case,
        actor(Role.AGENT),
        department="QA",
        handler=Actor(9, "hl", Role.HANDLER, "LOG"),
    )
    assert error.params == {"user": "hl", "department": "QA"}


def test_no_proposal_before_a_cause() -> None:
    refused(
        "cause_missing",
        transition,
        A.PROPOSE,
        facts(S.INVESTIGATING),
        actor(Role.HANDLER),
        remedy=Remedy.EXCHANGE,
    )


@pytest.mark.parametrize("score", [0, 6, -1, 10])
def test_survey_score_is_one_to_five(score: int) -> None:
    error = refused(
        "bad_score", transition, A.FOLLOW_UP, facts(S.FOLLOW_UP), actor(Role.AGENT), score=score
    )
    assert error.params == {"score": score}


# -- amounts --------------------------------------------------------------------------------------


def propose(remedy: Remedy, amount: Decimal | None) -> Status:
    return transition(
        A.PROPOSE,
        facts(S.INVESTIGATING, has_cause=True),
        actor(Role.HANDLER),
        remedy=remedy,
        amount=amount,
    )


@pytest.mark.parametrize("remedy", [Remedy.DISCOUNT, Remedy.COMPENSATION, Remedy.REFUND], ids=str)
def test_money_remedies_need_an_amount(remedy: Remedy) -> None:
    for amount in (None, Decimal("0")):
        error = refused("amount_required", propose, remedy, amount)
        assert error.params == {"low": "0.01", "high": "10 000 000.00"}
    assert propose(remedy, Decimal("0.01")) is S.PROPOSED


def test_apology_has_no_amount() -> None:
    assert propose(Remedy.APOLOGY, None) is S.PROPOSED
    refused("apology_has_no_amount", propose, Remedy.APOLOGY, Decimal("20"))


@pytest.mark.parametrize("remedy", [Remedy.RETURN, Remedy.EXCHANGE, Remedy.REPAIR], ids=str)
def test_goods_remedies_may_carry_an_amount_or_not(remedy: Remedy) -> None:
    assert propose(remedy, None) is S.PROPOSED
    assert propose(remedy, Decimal("120")) is S.PROPOSED


@pytest.mark.parametrize("remedy", list(Remedy), ids=str)
def test_negative_amounts_are_refused(remedy: Remedy) -> None:
    refused("negative_amount", propose, remedy, Decimal("-5"))


# -- approval: four eyes and the second, higher approval ------------------------------------------

PROPOSER = 1
SUP = Actor(2, "sup", Role.SUPERVISOR)
SUP2 = Actor(3, "sup2", Role.SUPERVISOR)
MGR = Actor(4, "mgr", Role.MANAGER)
ADM = Actor(5, "adm", Role.ADMIN)


def approve(
    who: Actor, amount: Decimal | None, prior: tuple[Actor, ...] = (), proposer: int = PROPOSER
) -> Status:
    return transition(
        A.APPROVE,
        facts(S.PROPOSED),
        who,
        proposer_id=proposer,
        amount=amount,
        threshold=THRESHOLD,
        prior_approvals=prior,
    )


@pytest.mark.parametrize("amount", [None, Decimal("80"), Decimal("2000")], ids=str)
def test_nobody_approves_their_own_proposal(amount: Decimal | None) -> None:
    # A supervisor may propose (staff can do department work) but never approve it too.
    for who in (SUP, MGR, ADM):
        refused("own_proposal", approve, who, amount, proposer=who.id)
    refused("own_proposal", approve, MGR, amount, (SUP,), proposer=MGR.id)


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("999.99"), THRESHOLD], ids=str)
def test_up_to_the_threshold_one_approval_is_enough(amount: Decimal | None) -> None:
    assert approve(SUP, amount) is S.APPROVED


@pytest.mark.parametrize("first", [SUP, MGR, ADM], ids=lambda a: a.name)
def test_above_the_threshold_the_first_approval_is_not_enough(first: Actor) -> None:
    assert approve(first, Decimal("1000.01")) is S.PROPOSED


def test_two_supervisors_are_not_enough_above_the_threshold() -> None:
    error = refused("needs_manager", approve, SUP2, Decimal("5000"), (SUP,))
    assert error.params == {"threshold": "1000"}


@pytest.mark.parametrize(
    ("first", "second"),
    [(MGR, SUP), (SUP, MGR), (SUP, ADM), (ADM, SUP2), (MGR, ADM)],
    ids=lambda a: a.name,
)
def test_two_approvals_one_senior_approve_above_the_threshold(first: Actor, second: Actor) -> None:
    assert approve(first, Decimal("5000")) is S.PROPOSED
    assert approve(second, Decimal("5000"), (first,)) is S.APPROVED


def test_the_same_approver_cannot_count_twice() -> None:
    refused("already_approved", approve, MGR, Decimal("5000"), (MGR,))
