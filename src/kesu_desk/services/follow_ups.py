"""Follow-up calls (回访, DOMAIN.md step 9): the cases waiting for their satisfaction survey, and
recording a call nobody answered.

A satisfied customer (4–5) closes the case and a dissatisfied one reopens it for its department
(:func:`kesu_desk.services.cases.record_follow_up`); each unanswered call is a survey row without
a score, and after ``settings.follow_up_attempts`` of them since the remedy was implemented the
case closes as "no answer". The calls are made by those who may record the survey (agents,
supervisors, managers): a handler is refused the list and the calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kesu_desk.domain import workflow
from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.vocabulary import Action, Severity
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView, money
from kesu_desk.sla import DeadlineState, deadline_state
from kesu_desk.store import queries
from kesu_desk.store.queries import Key
from kesu_desk.store.uow import UnitOfWork

FOLLOW_UP_PAGE = 50


@dataclass(frozen=True)
class FollowUpItem:
    """One case to call back: whom, about what, what was promised and done, and how many calls
    went unanswered so far."""

    number: str
    version: int  # goes back with the call's outcome
    customer: str
    phone: str | None
    email: str | None
    caller_mood: str | None  # how they were on the phone last time: worth knowing before calling
    severity: Severity
    urgent: bool
    department: str | None
    category: str
    product: str
    summary: str
    customer_request: str
    remedy: str | None
    amount: Decimal | None
    promised: str  # the approved proposal's details, as agreed with the customer
    implementation: str
    implemented_at: datetime | None
    due_at: datetime | None
    clock_start: datetime
    state: DeadlineState | None  # at ``now`` of the list
    attempts: int  # unanswered calls since implementation
    attempts_allowed: int  # after this many unanswered calls the case closes as "no answer"
    last_attempt_at: datetime | None
    key: Key  # ``after`` for the next page

    @property
    def attempts_left(self) -> int:
        return max(0, self.attempts_allowed - self.attempts)


def _may_call(uow: UnitOfWork, actor_name: str) -> None:
    """Only who may record the survey sees whom to call (the same roles as the workflow's)."""
    actor = uow.users.actor(actor_name)
    if actor.role not in workflow.RULES[Action.FOLLOW_UP].roles:
        raise WorkflowError("wrong_role", action=Action.FOLLOW_UP.value, role=actor.role.value)


def follow_ups_due(
    desk: Desk, actor_name: str, now: datetime, limit: int = FOLLOW_UP_PAGE,
    after: Key | None = None,
) -> list[FollowUpItem]:
    """Cases in follow-up, the nearest follow-up deadline first (overdue ones at the top); a page
    of ``limit`` after ``after`` (the ``key`` of the last item shown); only the cases the reader
    may see."""
    attempts = max(1, desk.settings.follow_up_attempts)
    with desk.uow(write=False) as uow:
        _may_call(uow, actor_name)
        rows = queries.follow_up_page(uow.session, after=after, limit=limit, scope=desk.scope)
    return [
        FollowUpItem(
            number=r.number, version=r.version, customer=r.customer, phone=r.phone, email=r.email,
            caller_mood=r.caller_mood, severity=r.severity, urgent=r.urgent,
            department=r.department, category=r.category, product=r.product, summary=r.summary,
            customer_request=r.customer_request, remedy=r.remedy, amount=money(r.amount_cents),
            promised=r.promised, implementation=r.implementation, implemented_at=r.implemented_at,
            due_at=r.follow_up_due_at, clock_start=r.clock_start,
            state=deadline_state(r.clock_start, r.follow_up_due_at, now) if r.follow_up_due_at else None,
            attempts=r.attempts, attempts_allowed=attempts, last_attempt_at=r.last_attempt_at,
            key=(r.follow_up_due_at, r.id),
        )
        for r in rows
    ]


def record_no_answer(
    desk: Desk, actor: str, number: str, version: int | None, *, comment: str = ""
) -> CaseView:
    """One call the customer did not answer (see :func:`cases.record_no_answer`)."""
    return cases.record_no_answer(desk, actor, number, comment=comment, version=version)


def record_survey(
    desk: Desk, actor: str, number: str, version: int | None, *, score: int,
    solved: bool | None = None, comments: str = "",
) -> CaseView:
    """The customer answered: 4–5 closes the case, below reopens it for its department."""
    return cases.record_follow_up(desk, actor, number, score=score, solved=solved,
                                  comments=comments, version=version)
