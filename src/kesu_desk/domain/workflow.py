"""The case workflow of DOMAIN.md: which action may happen in which state, by whom, and where it leads.

This module is the only place that knows the transitions. Services call :func:`transition` before
changing a case and write the returned status together with the timeline event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.remedies import CompensationRange, RemedyLine, RemedyProblem, check_lines
from kesu_desk.domain.vocabulary import (
    DEPARTMENT_STATUSES,
    OPEN_STATUSES,
    Action,
    Remedy,
    Role,
    Status,
    Validity,
)

ALL_STATUSES = frozenset(Status)
STAFF = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
APPROVERS = STAFF
SENIOR_APPROVERS = frozenset({Role.MANAGER, Role.ADMIN})
# Issue 13: a store manager does what an agent does, for their store's cases only (see check).
FRONT = frozenset({Role.AGENT, Role.STORE_MANAGER}) | STAFF
DEPARTMENT = frozenset({Role.HANDLER}) | STAFF
EVERYONE = frozenset(Role)
LETTER_STATUSES = frozenset({Status.APPROVED, Status.IMPLEMENTING, Status.FOLLOW_UP, Status.CLOSED})


@dataclass(frozen=True)
class Actor:
    id: int
    name: str
    role: Role
    department: str | None = None
    store: str | None = None  # issue 13: a store manager's store


@dataclass(frozen=True)
class CaseFacts:
    """What the workflow needs to know about a case to decide on an action."""

    status: Status
    validity: Validity = Validity.UNDECIDED
    department: str | None = None
    has_cause: bool = False
    waiting: bool = False  # the department is waiting for the customer
    store: str | None = None  # issue 13: the store where the complaint was made


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    roles: frozenset[Role]
    # A handler may only act on cases of their own department.
    department_bound: bool = False


RULES: dict[Action, Rule] = {
    Action.DECIDE_VALIDITY: Rule(frozenset({Status.REGISTERED}), FRONT),
    Action.ASSIGN: Rule(
        frozenset(
            {
                Status.REGISTERED,
                Status.ASSIGNED,
                Status.INVESTIGATING,
                Status.RETURNED,
                Status.REOPENED,
            }
        ),
        FRONT,
    ),
    Action.RECORD_CAUSE: Rule(
        frozenset({Status.ASSIGNED, Status.INVESTIGATING, Status.RETURNED, Status.REOPENED}),
        DEPARTMENT,
        department_bound=True,
    ),
    Action.PROPOSE: Rule(
        frozenset({Status.INVESTIGATING, Status.RETURNED}), DEPARTMENT, department_bound=True
    ),
    # A store manager approves their store's proposals up to the store's limit (see _approve).
    Action.APPROVE: Rule(frozenset({Status.PROPOSED}), APPROVERS | {Role.STORE_MANAGER}),
    Action.RETURN: Rule(frozenset({Status.PROPOSED}), APPROVERS),
    Action.CUSTOMER_ANSWER: Rule(frozenset({Status.APPROVED}), FRONT),
    Action.IMPLEMENT: Rule(frozenset({Status.IMPLEMENTING}), DEPARTMENT, department_bound=True),
    Action.FOLLOW_UP: Rule(frozenset({Status.FOLLOW_UP}), FRONT),
    Action.CLOSE: Rule(frozenset({Status.FOLLOW_UP}), STAFF),
    Action.REOPEN: Rule(frozenset({Status.CLOSED}), STAFF),
    Action.ESCALATE: Rule(OPEN_STATUSES, EVERYONE, department_bound=True),
    # Not while a remedy awaits approval or the customer's answer: it would stay pending/approved
    # on a closed case and be mistaken for the live one if the case is ever reopened.
    Action.MERGE: Rule(OPEN_STATUSES - {Status.PROPOSED, Status.APPROVED}, FRONT),
    Action.AWAIT_CUSTOMER: Rule(DEPARTMENT_STATUSES, EVERYONE, department_bound=True),
    Action.CUSTOMER_REPLIED: Rule(DEPARTMENT_STATUSES, EVERYONE, department_bound=True),
    Action.NOTE: Rule(ALL_STATUSES, EVERYONE, department_bound=True),
    Action.CALL: Rule(ALL_STATUSES, EVERYONE, department_bound=True),
    Action.SUGGESTION: Rule(ALL_STATUSES, EVERYONE, department_bound=True),
    # Review: supervisors keep typical cases for training and open and check corrective actions,
    # in any state. Anyone may record progress: the service lets only the action's owner (or
    # staff) do it, whatever their department.
    Action.TYPICAL: Rule(ALL_STATUSES, STAFF),
    Action.CORRECTIVE_ACTION: Rule(ALL_STATUSES, STAFF),
    Action.CORRECTIVE_PROGRESS: Rule(ALL_STATUSES, EVERYONE),
    Action.EFFECTIVENESS_CHECK: Rule(ALL_STATUSES, STAFF),
    # The desk itself records it (the upgrade that merges duplicate customers); nobody may.
    Action.CUSTOMER_MERGED: Rule(ALL_STATUSES, frozenset()),
    # Issue 13: the written answer, once the outcome is decided (approved, or not founded and
    # closed); for a store's case the service lets only its store manager, supervisors, managers.
    Action.LETTER: Rule(LETTER_STATUSES, EVERYONE, department_bound=True),
    # Issue 17: the desk records an e-mail to the customer with the event that causes it; nobody
    # asks for it as an action of their own.
    Action.MAIL: Rule(ALL_STATUSES, frozenset()),
    # Issue 13: the steps a case carries (returned defectives go on after the customer's case
    # closes); a handler works on their department's steps (services/case_tasks.py).
    Action.TASK: Rule(ALL_STATUSES, EVERYONE),
    # Issue 13: evidence is attached by whoever works on the case, whatever its state.
    Action.EVIDENCE: Rule(ALL_STATUSES, EVERYONE, department_bound=True),
    # Issue 13, remedies: whoever works on an open case may correct the price it is measured by.
    Action.PRICE: Rule(OPEN_STATUSES, EVERYONE, department_bound=True),
    # Issue 13, dealers in the case's work: while the case is open.
    Action.DEALER_HANDOVER: Rule(OPEN_STATUSES, EVERYONE, department_bound=True),
    Action.PARTS_SENT: Rule(OPEN_STATUSES, EVERYONE, department_bound=True),
}


def _require(**fields: Any) -> None:
    for name, value in fields.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            raise WorkflowError("missing_field", field=name)


def check(action: Action, case: CaseFacts, actor: Actor) -> None:
    """Refuse ``action`` unless the actor's role and the case's state allow it."""
    rule = RULES[action]
    if actor.role not in rule.roles:
        raise WorkflowError("wrong_role", action=action.value, role=actor.role.value)
    if case.status not in rule.sources:
        raise WorkflowError("wrong_state", action=action.value, status=case.status.value)
    if rule.department_bound and actor.role is Role.HANDLER and actor.department != case.department:
        raise WorkflowError("not_your_department", department=case.department or "-")
    if actor.role is Role.STORE_MANAGER and (actor.store is None or actor.store != case.store):
        raise WorkflowError("not_your_store", store=case.store or "-")


def allowed_actions(case: CaseFacts, actor: Actor) -> list[Action]:
    """The actions this actor may start on this case now (field checks come later)."""
    allowed = []
    for action in RULES:
        try:
            check(action, case, actor)
        except WorkflowError:
            continue
        allowed.append(action)
    return allowed


def transition(action: Action, case: CaseFacts, actor: Actor, **params: Any) -> Status:
    """Check ``action`` fully (role, state, required fields) and return the status it leads to."""
    check(action, case, actor)
    handler = _TARGETS[action]
    target: Status = handler(case, actor, **params)
    return target


# -- per-action guards and targets -------------------------------------------------------------


def _decide_validity(case: CaseFacts, actor: Actor, *, founded: bool, reason: str | None = None) -> Status:
    if not founded:
        _require(reason=reason)
        return Status.CLOSED
    return case.status


def _assign(
    case: CaseFacts,
    actor: Actor,
    *,
    department: str | None,
    handler: Actor | None = None,
) -> Status:
    _require(department=department)
    if case.status is Status.REGISTERED and case.validity is not Validity.FOUNDED:
        raise WorkflowError("validity_undecided")
    if handler is not None:
        if handler.role is not Role.HANDLER:
            raise WorkflowError("not_a_handler", user=handler.name)
        if handler.department != department:
            raise WorkflowError("handler_other_department", user=handler.name, department=department)
    return Status.ASSIGNED


def _record_cause(
    case: CaseFacts,
    actor: Actor,
    *,
    what: str | None,
    why: str | None,
    fishbone: str | None,
    **_other: Any,
) -> Status:
    _require(what=what, why=why, fishbone=fishbone)
    return Status.INVESTIGATING


def _propose(
    case: CaseFacts,
    actor: Actor,
    *,
    remedy: Remedy | None = None,
    amount: Decimal | None = None,
    remedies: Sequence[RemedyLine] | None = None,
) -> Status:
    # Issue 13: several remedies in one proposal; ``remedy``/``amount`` is a proposal of one.
    lines = list(remedies) if remedies is not None else [RemedyLine(remedy, amount)] if remedy else []
    if not lines:
        _require(remedy=None)
    if not case.has_cause:
        raise WorkflowError("cause_missing")
    check_lines(lines)
    return Status.PROPOSED


def _approve(
    case: CaseFacts,
    actor: Actor,
    *,
    proposer_id: int,
    amount: Decimal | None,
    threshold: Decimal,
    prior_approvals: Iterable[Actor] = (),
    store_limit: Decimal | None = None,
    outside_range: CompensationRange | None = None,
) -> Status:
    """Four-eyes: never one's own proposal; above the threshold two approvers, one a manager.
    A store manager approves only up to their store's limit (``store_limit``; issue 13)."""
    if actor.id == proposer_id:
        raise WorkflowError("own_proposal")
    if outside_range is not None and actor.role not in SENIOR_APPROVERS:
        # Issue 13: a compensation outside the suggested range is a manager's decision.
        raise RemedyProblem("outside_needs_manager", **outside_range.params())
    if actor.role is Role.STORE_MANAGER and (amount or 0) > (store_limit or 0):
        raise WorkflowError("above_store_limit", limit=f"{store_limit or 0:,.2f}")
    prior = list(prior_approvals)
    if any(a.id == actor.id for a in prior):
        raise WorkflowError("already_approved")
    if amount is None or amount <= threshold:
        return Status.APPROVED
    if not prior:
        return Status.PROPOSED  # first of two approvals
    if not ({a.role for a in prior} | {actor.role}) & SENIOR_APPROVERS:
        raise WorkflowError("needs_manager", threshold=str(threshold))
    return Status.APPROVED


def _return(case: CaseFacts, actor: Actor, *, comment: str | None) -> Status:
    _require(comment=comment)
    return Status.RETURNED


def _customer_answer(case: CaseFacts, actor: Actor, *, agrees: bool, comment: str | None = None) -> Status:
    if not agrees:
        _require(comment=comment)
        return Status.INVESTIGATING  # back to the department for a new proposal
    return Status.IMPLEMENTING


def _implement(
    case: CaseFacts,
    actor: Actor,
    *,
    implementation: str | None,
    accountability: str | None,
    preventive_action: str | None = None,
) -> Status:
    _require(implementation=implementation, accountability=accountability)
    return Status.FOLLOW_UP


def _follow_up(
    case: CaseFacts, actor: Actor, *, score: int | None = None, answered: bool = True,
    attempt: int = 1, attempts: int = 1, **_other: Any,
) -> Status:
    if not answered:
        # A call nobody answered: the case waits for the next attempt; after the last one it
        # closes as "no answer" (the service records which attempt this was).
        return Status.CLOSED if attempt >= attempts else Status.FOLLOW_UP
    _require(score=score)
    assert score is not None
    if not 1 <= score <= 5:
        raise WorkflowError("bad_score", score=score)
    return Status.CLOSED if score >= 4 else Status.REOPENED


def _comment_required(target: Status | None) -> Any:
    def guard(case: CaseFacts, actor: Actor, *, comment: str | None) -> Status:
        _require(comment=comment)
        return target if target is not None else case.status

    return guard


def _same_status(case: CaseFacts, actor: Actor, **_params: Any) -> Status:
    return case.status


def _await_customer(case: CaseFacts, actor: Actor, *, comment: str | None) -> Status:
    _require(comment=comment)
    if case.waiting:
        raise WorkflowError("already_waiting")
    return case.status


def _customer_replied(case: CaseFacts, actor: Actor, *, comment: str | None = None) -> Status:
    if not case.waiting:
        raise WorkflowError("not_waiting")
    return case.status


def _corrective_action(
    case: CaseFacts, actor: Actor, *, owner: str | None, due: Any, text: str | None
) -> Status:
    _require(corrective_owner=owner, corrective_due=due, corrective_text=text)
    return case.status


def _corrective_progress(case: CaseFacts, actor: Actor, *, note: str | None) -> Status:
    _require(corrective_note=note)
    return case.status


def _effectiveness_check(
    case: CaseFacts, actor: Actor, *, effective: bool, comment: str | None = None, due: Any = None
) -> Status:
    """Not effective: say what came back, and when the reopened action is now due."""
    if not effective:
        _require(comment=comment, corrective_due=due)
    return case.status


_TARGETS: dict[Action, Any] = {
    Action.DECIDE_VALIDITY: _decide_validity,
    Action.ASSIGN: _assign,
    Action.RECORD_CAUSE: _record_cause,
    Action.PROPOSE: _propose,
    Action.APPROVE: _approve,
    Action.RETURN: _return,
    Action.CUSTOMER_ANSWER: _customer_answer,
    Action.IMPLEMENT: _implement,
    Action.FOLLOW_UP: _follow_up,
    Action.CLOSE: _comment_required(Status.CLOSED),
    Action.REOPEN: _comment_required(Status.REOPENED),
    Action.ESCALATE: _comment_required(None),
    Action.MERGE: _comment_required(Status.CLOSED),
    Action.NOTE: _comment_required(None),
    Action.CALL: _comment_required(None),
    Action.SUGGESTION: _same_status,
    Action.AWAIT_CUSTOMER: _await_customer,
    Action.CUSTOMER_REPLIED: _customer_replied,
    Action.TYPICAL: _same_status,
    Action.CORRECTIVE_ACTION: _corrective_action,
    Action.CORRECTIVE_PROGRESS: _corrective_progress,
    Action.EFFECTIVENESS_CHECK: _effectiveness_check,
    Action.CUSTOMER_MERGED: _same_status,
    Action.MAIL: _same_status,
    Action.TASK: _same_status,
    Action.EVIDENCE: _same_status,
    Action.LETTER: _same_status,
    Action.PRICE: _same_status,
    Action.DEALER_HANDOVER: _same_status,
    Action.PARTS_SENT: _same_status,
}
