"""The supervisor's approval inbox (DOMAIN.md step 6): what waits for this user's approval, and
approving several proposals at once, each in its own transaction.

Who may approve what is decided by ``domain.workflow`` alone (four-eyes: never one's own
proposal; above ``settings.approval_threshold`` two approvals, one of them a manager's). The inbox
asks the store for the proposals whose next approval this user may give, then runs the same
workflow check ``cases.approve`` runs on each, so ``approvable`` and ``reason`` say exactly what
approving would do.

Decisions a supervisor would expect:

* **Own proposals are listed, never approvable.** A supervisor who proposed a remedy (staff may
  propose) sees it waiting, with the reason (``own_proposal``) instead of wondering where it went;
  :func:`waiting_count` does not count them, and :func:`approve_many` refuses them.
* **Left out:** proposals this user has already approved (the first of two approvals: done on
  their side, now in a manager's inbox) and, for a supervisor, proposals above the threshold that
  already have a supervisor's approval (only a manager's can follow), and a compensation
  outside the suggested range (issue 13: a manager's decision), and for a store manager a
  proposal above their store's limit (a supervisor's). They are not waiting for this user.
* **One number.** The inbox lists what waits for this user and their own proposals; what waits
  (:func:`waiting_in`) is what the header's badge counts (:func:`waiting_count`), both from the
  store's one definition (``queries._waiting_conditions``).
* **Suggested remedy:** the remedies the rules suggested at registration, read from the case's
  newest ``suggestion`` timeline event. Without one (imported cases, cases registered without the
  suggestion panel) the suggestion is empty: rerunning today's rules would show a suggestion
  nobody saw at registration as if it had been, and costs a rules run per row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from kesu_desk.domain import workflow
from kesu_desk.domain.errors import DeskError, WorkflowError
from kesu_desk.domain.remedies import CompensationRange
from kesu_desk.domain.vocabulary import Action, Role, Severity, Status
from kesu_desk.domain.workflow import APPROVERS, SENIOR_APPROVERS, Actor, CaseFacts
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import money
from kesu_desk.sla import DeadlineState, deadline_state, utcnow
from kesu_desk.store import queries
from kesu_desk.store import remedies as remedy_store
from kesu_desk.store.uow import UnitOfWork

INBOX_PAGE = 100


@dataclass(frozen=True)
class InboxItem:
    """One proposal in the approval inbox, as plain data."""

    proposal_id: int
    number: str
    version: int  # goes back with the approval (approve_many)
    summary: str
    customer: str
    product: str
    category: str
    severity: Severity
    urgent: bool
    department: str | None
    # The deadline the case threatens while it waits: the answer promised to the customer.
    due_at: datetime | None
    clock_start: datetime
    state: DeadlineState | None  # at the moment the inbox was read
    suggested_remedies: tuple[str, ...]  # the rules' suggestion at registration; () if none
    remedy: str  # proposed
    amount: Decimal | None
    details: str
    proposed_by: str
    proposed_at: datetime
    approvals_needed: int  # 2 above the approval threshold (today's, as approving decides)
    approved_by: tuple[str, ...]  # approvals given so far (the first of two)
    approvable: bool
    reason: DeskError | None  # why not, for i18n.describe
    # Issue 13, remedies: every remedy in order with its amount (``remedy`` is the first,
    # ``amount`` the sum), the price it was proposed with, the compensation range that price
    # suggests, and the proposer's reason when the compensation is outside it.
    remedies: tuple[tuple[str, Decimal | None], ...] = ()
    price: Decimal | None = None
    suggested_range: CompensationRange | None = None
    range_reason: str | None = None
    # Issue 14: the rules' compensation range at registration (multiples, amounts), if they gave one.
    suggested_compensation: dict[str, str] | None = None

    @property
    def level(self) -> int:
        """Which approval this user's would be: 1, or 2 for the second of two."""
        return len(self.approved_by) + 1

    @property
    def as_suggested(self) -> bool | None:
        """Whether the proposed remedy is one the rules suggested (None: no suggestion)."""
        return self.remedy in self.suggested_remedies if self.suggested_remedies else None

    def deadline_state(self, now: datetime) -> DeadlineState | None:
        if self.due_at is None:
            return None
        return deadline_state(self.clock_start, self.due_at, now)


@dataclass(frozen=True)
class BatchResult:
    """What became of one proposal of a batch approval."""

    number: str
    approved: bool  # this user's approval was recorded
    status: Status | None = None  # afterwards: APPROVED, or PROPOSED awaiting a second approval
    version: int | None = None
    error: DeskError | None = None  # why it was refused, for i18n.describe

    @property
    def awaits_second_approval(self) -> bool:
        return self.approved and self.status is Status.PROPOSED


def _limit_cents(threshold: Decimal) -> int:
    """The largest amount in cents that one approval settles (``amount <= threshold``)."""
    return int((threshold * 100).to_integral_value(rounding=ROUND_FLOOR))


def may_approve(actor: Actor) -> bool:
    """Whether anything may ever wait for ``actor``'s approval (their role approves)."""
    return actor.role in APPROVERS | {Role.STORE_MANAGER}  # issue 13: their store's, up to its limit


def _approver(uow: UnitOfWork, actor_name: str) -> Actor:
    actor = uow.users.actor(actor_name)
    if not may_approve(actor):
        raise WorkflowError("wrong_role", action=Action.APPROVE.value, role=actor.role.value)
    return actor


def _store_limits(uow: UnitOfWork, actor: Actor, codes: set[str | None]) -> dict[str, Decimal]:
    """A store manager's approval limit per store of the listed proposals (issue 13)."""
    if actor.role is not Role.STORE_MANAGER:
        return {}
    limits = {code: money(s.approval_limit_cents) for code in codes if code and (s := uow.stores.get(code))}
    return {code: limit for code, limit in limits.items() if limit is not None}


def waiting_args(desk: Desk, actor: Actor) -> dict[str, Any]:
    """The arguments of the store's waiting-for-this-approver queries."""
    return {
        "me": actor.id,
        "senior": actor.role in SENIOR_APPROVERS,
        "senior_roles": sorted(r.value for r in SENIOR_APPROVERS),
        "limit_cents": _limit_cents(desk.settings.approval_threshold),
        "store_limited": actor.role is Role.STORE_MANAGER,
    }


def _needed(amount: Decimal | None, threshold: Decimal) -> int:
    """Approvals the proposal needs under today's threshold, as ``cases.approve`` decides."""
    return 2 if amount is not None and amount > threshold else 1


def _suggested(details: str | None) -> tuple[str, ...]:
    if not details:
        return ()
    suggested = json.loads(details).get("suggested") or {}
    remedies = suggested.get("remedies") or ([suggested["remedy"]] if suggested.get("remedy") else [])
    return tuple(str(r) for r in remedies)


def _suggested_compensation(details: str | None) -> dict[str, str] | None:
    if not details:
        return None
    compensation = (json.loads(details).get("suggested") or {}).get("compensation")
    return {str(k): str(v) for k, v in compensation.items()} if isinstance(compensation, dict) else None


def approval_inbox(
    desk: Desk, actor_name: str, *, after_id: int | None = None, limit: int = INBOX_PAGE,
    now: datetime | None = None,
) -> list[InboxItem]:
    """The proposals waiting for ``actor_name``'s approval, oldest first; a page of ``limit``
    after the proposal ``after_id`` (key set), of the cases the reader may see. Refused
    (``wrong_role``) for agents and handlers."""
    now = now or utcnow()
    threshold = desk.settings.approval_threshold
    with desk.uow(write=False) as uow:
        session = uow.session
        actor = _approver(uow, actor_name)
        pending = queries.pending_proposals(session, **waiting_args(desk, actor),
                                            after_id=after_id, limit=limit, scope=desk.scope)
        given: dict[int, list[queries.ApprovalBy]] = {}
        for a in queries.approvals_of(session, [p.proposal_id for p in pending]):
            given.setdefault(a.proposal_id, []).append(a)
        suggestions = queries.latest_event_details(
            session, [p.case_id for p in pending], Action.SUGGESTION.value
        )
        ids = [p.proposal_id for p in pending]
        lines, facts = remedy_store.lines_by_id(session, ids), remedy_store.range_facts(session, ids)
        store_limits = _store_limits(uow, actor, {p.store for p in pending})
    items = []
    for p in pending:
        prior = given.get(p.proposal_id, [])
        price_cents, range_reason = facts.get(p.proposal_id, (None, None))
        suggested = cases.suggested_range(desk, money(price_cents))
        reason: DeskError | None = None
        try:
            workflow.transition(
                Action.APPROVE, CaseFacts(status=p.status, department=p.department, store=p.store), actor,
                proposer_id=p.proposed_by, amount=money(p.amount_cents), threshold=threshold,
                store_limit=store_limits.get(p.store or ""),
                prior_approvals=[Actor(a.user_id, a.name, Role(a.role), a.department)
                                 for a in prior],
                outside_range=suggested if range_reason is not None else None,
            )
        except DeskError as refused:
            reason = refused
        items.append(InboxItem(
            proposal_id=p.proposal_id, number=p.number, version=p.version, summary=p.summary,
            customer=p.customer, product=p.product, category=p.category, severity=p.severity,
            urgent=p.urgent, department=p.department, due_at=p.next_due_at,
            clock_start=p.clock_start,
            state=deadline_state(p.clock_start, p.next_due_at, now) if p.next_due_at else None,
            suggested_remedies=_suggested(suggestions.get(p.case_id)), remedy=p.remedy,
            amount=money(p.amount_cents), details=p.details, proposed_by=p.proposer,
            proposed_at=p.proposed_at, approvals_needed=_needed(money(p.amount_cents), threshold),
            approved_by=tuple(a.name for a in prior), approvable=reason is None, reason=reason,
            remedies=tuple((r, money(c)) for r, c in lines.get(p.proposal_id, [(p.remedy, p.amount_cents)])),
            price=money(price_cents), suggested_range=suggested, range_reason=range_reason,
            suggested_compensation=_suggested_compensation(suggestions.get(p.case_id)),
        ))
    return items


def waiting_in(items: Iterable[InboxItem]) -> int:
    """How many of the listed proposals wait for this user: what :func:`waiting_count` counts
    (the store lists their own too, and counts them out), so the inbox and the header's badge
    say one number (issue 15 item 14)."""
    return sum(1 for i in items if i.approvable)


def inbox_matches(item: InboxItem, text: str) -> bool:
    """Whether ``item`` shows ``text`` (any case): its case number, customer, product, summary,
    proposer or remedy. The queue's search finds the words of the whole case besides."""
    needle = text.strip().casefold()
    shown = (item.number, item.customer, item.product, item.summary, item.proposed_by, item.remedy,
             *(r for r, _ in item.remedies))
    return all(any(word in s.casefold() for s in shown) for word in needle.split())


def waiting_count(desk: Desk, actor_name: str) -> int:
    """How many proposals ``actor_name`` may approve now (their own not counted): one indexed
    statement, cheap enough for a badge refreshed every few seconds. 0 for a user who approves
    nothing (agents, handlers): nothing waits for them."""
    with desk.uow(write=False) as uow:
        try:
            actor = _approver(uow, actor_name)
        except WorkflowError:
            return 0
        return queries.count_waiting_for(uow.session, **waiting_args(desk, actor), scope=desk.scope)


def pending_total(desk: Desk) -> int:
    """Every proposal waiting for an approval, whoever may give it, of the cases the reader may see."""
    with desk.uow(write=False) as uow:
        return queries.count_pending(uow.session, desk.scope)


def approve_many(
    desk: Desk, actor_name: str, numbers_with_versions: Iterable[tuple[str, int | None]], *,
    comment: str = "",
) -> list[BatchResult]:
    """Approve each ``(case number, version)`` through :func:`cases.approve`: its own
    transaction, its own four-eyes check and timeline event. A refusal (own proposal, changed
    meanwhile, …) is reported and the others go on."""
    results = []
    for number, version in numbers_with_versions:
        try:
            view = cases.approve(desk, actor_name, number, comment=comment, version=version)
        except DeskError as refused:
            results.append(BatchResult(number, approved=False, error=refused))
            continue
        results.append(BatchResult(number, approved=True, status=view.status, version=view.version))
    return results
