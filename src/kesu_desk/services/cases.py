"""The use cases of DOMAIN.md's process, one transaction each.

Every change goes through :mod:`kesu_desk.domain.workflow` and writes its timeline event in the
same transaction; a change made against an older version of the case is refused (ConflictError).
Every read and change of a case asks the access policy (:mod:`kesu_desk.domain.access`) first:
a handler reaches only their department's cases, and a signed-in user acts in their own name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kesu_desk.domain import workflow
from kesu_desk.domain.access import check_case
from kesu_desk.domain.accountability import check_accountability, parse_penalty
from kesu_desk.domain.amounts import amount_cents, parse_amount
from kesu_desk.domain.errors import InvalidInput, WorkflowError
from kesu_desk.domain.limits import check_lengths
from kesu_desk.domain.remedies import (
    CompensationRange,
    RemedyLine,
    check_range_reason,
    compensation_range,
    outside_range,
    total,
)
from kesu_desk.domain.vocabulary import (
    DEPARTMENT_STATUSES,
    SEVERITY_BY_LEVEL,
    SEVERITY_LEVELS,
    Action,
    Closure,
    Fishbone,
    ProposalStatus,
    Remedy,
    Role,
    Severity,
    Status,
    Validity,
    Visibility,
)
from kesu_desk.domain.workflow import Actor, CaseFacts
from kesu_desk.services.desk import Desk
from kesu_desk.services.stores import open_store
from kesu_desk.services.views import CaseView, EventView, money
from kesu_desk.sla import CaseDeadlines, at_risk_from, clock_start, next_deadline, utcnow
from kesu_desk.store.models import Approval, Case, CaseImplementation, Proposal, Survey
from kesu_desk.store.remedies import add_lines
from kesu_desk.store.remedies import lines_of as remedy_lines
from kesu_desk.store.uow import Repositories, UnitOfWork

if TYPE_CHECKING:  # drafts build pydantic validators: loaded when a case is first registered
    from kesu_desk.services.drafts import CaseDraft

# -- helpers shared by the use cases -----------------------------------------------------------


def case_facts(case: Case) -> CaseFacts:
    """What the workflow needs to know about ``case`` to decide on an action."""
    return CaseFacts(
        status=Status(case.status),
        validity=Validity(case.validity),
        department=case.department_code,
        has_cause=bool(case.cause_why and case.fishbone_factor),
        waiting=case.waiting_since is not None,
        store=case.store_code,
    )


def check_visible(desk: Desk, case: Case) -> None:
    """AccessDenied unless the desk's reader may see ``case`` (domain/access.py)."""
    check_case(desk.reader, case.department_code, case.number, case.store_code)


def _for_change(
    desk: Desk, uow: UnitOfWork, number: str, version: int | None, *, also_locks: tuple[str, ...] = ()
) -> Case:
    """The case locked for a change, at ``version``, and one the reader may see."""
    case = uow.cases.for_change(number, version, also_locks=also_locks)
    check_visible(desk, case)
    return case


def _deadlines(case: Case) -> CaseDeadlines:
    return CaseDeadlines(
        acknowledge=case.acknowledge_due_at,
        answer=case.answer_due_at,
        department=case.department_due_at,
        follow_up=case.follow_up_due_at,
    )


def _at_risk_at(case: Case, status: Status) -> datetime | None:
    if case.next_due_at is None:
        return None
    start = clock_start(status, case.registered_at, case.assigned_at, case.implemented_at)
    return at_risk_from(start, case.next_due_at)


def _apply_status(case: Case, status: Status, now: datetime) -> None:
    case.status = status.value
    if status not in DEPARTMENT_STATUSES:
        case.waiting_since = None  # the department's part is over: nothing to wait for
    # While the department waits for the customer its clock is paused: no deadline runs.
    paused = case.waiting_since is not None
    case.next_due_at = None if paused else next_deadline(status, _deadlines(case))
    case.at_risk_at = _at_risk_at(case, status)
    case.version += 1
    case.updated_at = now


APPEND_ONLY_ACTIONS = frozenset({Action.NOTE, Action.CALL, Action.SUGGESTION})

# What a use case does to the locked case inside _change: (uow, case, actor, target status, now)
# -> the event's details, or None.
Apply = Callable[[UnitOfWork, Case, Actor, Status, datetime], "dict[str, Any] | None"]



def _mail_after_event(uow: UnitOfWork, desk: Desk, case: Case, actor: Actor, action: Action, target: str,
                      now: datetime) -> None:
    """services.mail.after_event, imported at the first change: it loads smtplib and the e-mail
    modules, which the desk's start (the change check reads services.approvals, hence this
    module) does not need."""
    from kesu_desk.services import mail

    mail.after_event(uow, desk, case, actor, action, target, now)


def _change(
    desk: Desk,
    actor_name: str,
    number: str,
    expected_version: int | None,
    action: Action,
    params: dict[str, Any],
    apply: Apply,
    *,
    comment: str = "",
    visibility: Visibility = Visibility.INTERNAL,
    also_locks: tuple[str, ...] = (),
) -> CaseView:
    """Load, check with the workflow, apply, write the event, commit: one transaction.

    A customer-visible ``comment`` is checked here, so that no use case can forget that the
    outcome stays secret until approved (:func:`keep_outcome_secret`). ``also_locks``: the other
    cases ``apply`` changes; all are locked at once, in id order, so two terminals changing the
    same cases from opposite ends (A merged into B, B into A) take turns instead of deadlocking."""
    desk.check_actor(actor_name)
    only_appends = action in APPEND_ONLY_ACTIONS
    with desk.uow() as uow:
        actor = uow.users.actor(actor_name)
        # A note or a call changes no field, so it cannot overwrite anyone's work.
        case = _for_change(desk, uow, number, None if only_appends else expected_version,
                           also_locks=also_locks)
        before = case.status
        target = workflow.transition(action, case_facts(case), actor, **params)
        if visibility is Visibility.CUSTOMER:
            keep_outcome_secret(uow, case, comment)
        now = utcnow()
        details = apply(uow, case, actor, target, now) or {}
        if not only_appends:
            _apply_status(case, target, now)
        uow.flush()
        uow.events.write(case, actor, action, before, target.value, comment,
                         visibility=visibility, now=now, **details)
        _mail_after_event(uow, desk, case, actor, action, target.value, now)
        uow.commit()
        return case_view(uow, case)


def case_view(uow: Repositories, case: Case) -> CaseView:
    """``case`` as the screens show it, with its customer and timeline, read through ``uow``
    (a unit of work inside its ``with`` block)."""
    customer = uow.customers.get(case.customer_id)
    handler = uow.users.name_of(case.handler_id)
    timeline = [EventView.of(event, name, admin) for event, name, admin in uow.events.timeline(case)]
    return CaseView.of(case, customer, handler, timeline, approved_remedies(uow, case))


def approved_remedies(uow: Repositories, case: Case) -> tuple[tuple[str, Decimal | None], ...]:
    """The remedies of the case's approved proposal, in order (issue 13); () when none is."""
    if case.remedy is None:
        return ()
    given = uow.cases.proposals(case, ProposalStatus.APPROVED, ProposalStatus.ACCEPTED)[:1]
    if not given or given[0].remedy != case.remedy:
        return ((case.remedy, money(case.amount_cents)),)
    return tuple((r, money(c)) for r, c in remedy_lines(uow.cases.session, given)[given[0].id or 0])


# -- kept for the services helpers B1/B2 are moving (removed when they merge) -------------------


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSnapshot:
    """What a case screen shows, read at once: the case and what its user may do with it now."""

    view: CaseView
    actions: list[Action]


def _visible_case(desk: Desk, uow: UnitOfWork, number: str) -> Case:
    case = uow.cases.get(number)
    check_visible(desk, case)
    return case


def case_snapshot(desk: Desk, actor_name: str, number: str) -> CaseSnapshot:
    """The case ``number`` and the actions ``actor_name`` may take in it, from one read of the
    case: the actions offered always fit the state shown."""
    with desk.uow(write=False) as uow:
        actor = uow.users.actor(actor_name)
        case = _visible_case(desk, uow, number)
        return CaseSnapshot(case_view(uow, case), _offered(uow, case, actor))


def get_case(desk: Desk, number: str) -> CaseView:
    with desk.uow(write=False) as uow:
        return case_view(uow, _visible_case(desk, uow, number))


def allowed_actions(desk: Desk, actor_name: str, number: str) -> list[Action]:
    with desk.uow(write=False) as uow:
        actor = uow.users.actor(actor_name)
        return _offered(uow, _visible_case(desk, uow, number), actor)


def _offered(uow: UnitOfWork, case: Case, actor: Actor) -> list[Action]:
    """What the workflow lets ``actor`` start on ``case`` now, less approving their own
    proposal (four-eyes, issue 15 item 14): not offered, and ``approve`` still refuses it."""
    allowed = workflow.allowed_actions(case_facts(case), actor)
    if Action.APPROVE in allowed:
        pending = uow.cases.proposals(case, ProposalStatus.PENDING)
        if pending and pending[0].proposed_by == actor.id:
            allowed.remove(Action.APPROVE)
    return allowed


# -- 1. receive and register -------------------------------------------------------------------


def register_case(
    desk: Desk, actor_name: str, draft: CaseDraft, *, source_key: str | None = None,
    suggested: dict[str, Any] | None = None, chosen: dict[str, Any] | None = None,
) -> CaseView:
    """Register a complaint; with ``suggested`` (what the rules service proposed) and ``chosen``
    (what the agent kept or overrode) the timeline records both, in the same transaction."""
    with desk.uow() as uow:
        case = register_in(uow, desk, actor_name, draft, source_key=source_key)
        # the acknowledgement: not for an import (acknowledged long ago), nor a contact resolved
        # on the spot (register_in alone)
        _mail_after_event(uow, desk, case, uow.users.actor(actor_name), Action.REGISTER, case.status,
                         case.registered_at)
        if suggested is not None:
            _suggestion_event(uow, case, uow.users.actor(actor_name), suggested, chosen)
        uow.commit()
        return case_view(uow, case)


def _suggestion_event(uow: UnitOfWork, case: Case, actor: Actor, suggested: dict[str, Any],
                      chosen: dict[str, Any] | None) -> None:
    """On the timeline at registration: what the rules suggested and what the agent kept."""
    picked = chosen or {}
    uow.events.write(case, actor, Action.SUGGESTION, case.status, case.status, now=case.registered_at,
                     suggested=suggested, chosen=picked, taken=_taken(suggested, picked))


def resolve_at_first_contact(
    desk: Desk, actor_name: str, draft: CaseDraft, *, resolution: str, remedy: Remedy | None = None,
    suggested: dict[str, Any] | None = None, chosen: dict[str, Any] | None = None,
) -> CaseView:
    """Registered and resolved in one step (a dish replaced at the table, a question answered on
    the phone with the Q&A guide): the case records what was done and closes — or, when the
    business asks for it (``first_contact_follow_up``), waits for the follow-up call. No money
    moves this way: a refund or a compensation goes through a proposal and its approval."""
    resolution = resolution.strip()
    if not resolution:
        raise InvalidInput("invalid_input", errors={"resolution": "missing"})
    check_lengths(implementation=resolution)
    with desk.uow() as uow:
        case = register_in(uow, desk, actor_name, draft)
        actor = uow.users.actor(actor_name)
        if suggested is not None:
            _suggestion_event(uow, case, actor, suggested, chosen)
        now = case.registered_at
        case.first_contact = True
        case.remedy = remedy.value if remedy else None
        case.implementation = resolution
        case.implemented_at = now
        if desk.settings.first_contact_follow_up:
            target, action = Status.FOLLOW_UP, Action.IMPLEMENT
            case.follow_up_due_at = desk.deadlines.follow_up_due(now)
        else:
            target, action = Status.CLOSED, Action.CLOSE
            case.closure = Closure.FIRST_CONTACT.value
            case.closed_at = now
        before = case.status
        _apply_status(case, target, now)
        uow.flush()
        uow.events.write(case, actor, action, before, target.value, resolution, now=now,
                         first_contact=True, remedy=case.remedy)
        uow.commit()
        return case_view(uow, case)


def register_in(
    uow: UnitOfWork,
    desk: Desk,
    actor_name: str,
    draft: CaseDraft,
    *,
    source_key: str | None = None,
    registered_at: datetime | None = None,
) -> Case:
    """Register inside a caller's unit of work (imports register many rows in one).

    ``registered_at`` keeps the original time of an imported case; deadlines count from it.
    """
    desk.check_actor(actor_name)
    actor = uow.users.actor(actor_name)
    if actor.role is Role.HANDLER:
        raise WorkflowError("wrong_role", action=Action.REGISTER.value, role=actor.role.value)
    now = registered_at or utcnow()
    customer = uow.customers.find_or_add(
        name=draft.customer_name, phone=draft.phone, email=draft.email,
        customer_class=draft.customer_class.value, region=draft.region, now=now,
    )
    store = _counter_store(uow, actor, draft.store)
    severity = Severity.CRITICAL if draft.urgent else draft.severity
    due = desk.deadlines.on_register(now, severity, draft.kind.value)
    if draft.number:
        number = draft.number
        uow.counters.keep_past(number)
    else:
        number = uow.counters.next_number(desk.calendar.local_date(now))
    assert customer.id is not None
    case = Case(
        number=number,
        status=Status.REGISTERED.value,
        urgent=draft.urgent,
        channel=draft.channel.value,
        customer_id=customer.id,
        customer_class=draft.customer_class.value,
        product=draft.product,
        product_code=draft.product_code,
        order_no=draft.order_no,
        batch=draft.batch,
        purchase_date=draft.purchase_date,
        category=draft.category,
        severity=SEVERITY_LEVELS[severity],
        description=draft.description,
        customer_request=draft.customer_request,
        caller_mood=draft.caller_mood.value if draft.caller_mood else None,
        kind=draft.kind.value,
        registered_at=now,
        registered_by=actor.id,
        updated_at=now,
        acknowledge_due_at=due.acknowledge,
        answer_due_at=due.answer,
        next_due_at=next_deadline(Status.REGISTERED, due),
        at_risk_at=at_risk_from(now, due.acknowledge) if due.acknowledge else None,
        source_key=source_key,
        units=draft.units,
        store_code=store,
        customer_lang=draft.customer_lang,
        price_cents=_price_cents(uow, draft),
    )
    uow.cases.add(case, customer)
    uow.events.write(case, actor, Action.REGISTER, None, Status.REGISTERED.value, now=now,
                     channel=draft.channel.value, answer_due=due.answer)
    if draft.urgent:
        uow.events.write(case, actor, Action.ESCALATE, case.status, case.status,
                         "urgent at registration", now=now)
    # notifications open corrective actions, which use this module: imported here
    from kesu_desk.services import notifications

    notifications.after_registration(uow, desk, case, actor, now)
    return case


def _price_cents(uow: UnitOfWork, draft: CaseDraft) -> int | None:
    """The price of a new case (issue 13): the one given, else the picked product's retail price."""
    if draft.price is not None:
        return amount_cents(draft.price)
    product = uow.products.by_code(draft.product_code) if draft.product_code else None
    return product.retail_price_cents if product is not None else None


def _counter_store(uow: UnitOfWork, actor: Actor, code: str | None) -> str | None:
    """The store of a new case (issue 13): the one given, else a store manager's own; a store
    manager registers for their store only, and a retired store takes no new cases."""
    code = (code or "").strip().upper() or actor.store
    if actor.role is Role.STORE_MANAGER and code != actor.store:
        raise WorkflowError("not_your_store", store=code or "-")
    return open_store(uow, code).code if code else None


# -- 2. validity -------------------------------------------------------------------------------


def decide_validity(
    desk: Desk, actor: str, number: str, *, founded: bool, reason: str = "", version: int | None = None
) -> CaseView:
    check_lengths(reason=reason)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        case.validity = (Validity.FOUNDED if founded else Validity.NOT_FOUNDED).value
        case.validity_reason = reason
        if target is Status.CLOSED:
            case.closure = Closure.NOT_FOUNDED.value
            case.closed_at = now
        return {"validity": case.validity}

    return _change(desk, actor, number, version, Action.DECIDE_VALIDITY,
                   {"founded": founded, "reason": reason}, apply, comment=reason)


# -- 3. responsible department ------------------------------------------------------------------


def assign(
    desk: Desk, actor: str, number: str, *, department: str, handler: str | None = None,
    comment: str = "", version: int | None = None,
) -> CaseView:
    check_lengths(comment=comment)
    with desk.uow(write=False) as uow:
        handler_actor = uow.users.actor(handler) if handler else None

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        uow.users.active_department(department)  # a retired department takes no new cases
        case.department_code = department
        case.handler_id = handler_actor.id if handler_actor else None
        case.assigned_at = now
        case.department_due_at = desk.deadlines.department_due(now, _severity(case), case.kind)
        return {"department": department, "handler": handler, "department_due": case.department_due_at}

    return _change(desk, actor, number, version, Action.ASSIGN,
                   {"department": department, "handler": handler_actor}, apply, comment=comment)


def _severity(case: Case) -> Severity:
    return SEVERITY_BY_LEVEL[case.severity]


# -- 4. cause ----------------------------------------------------------------------------------


CAUSE_FIELDS = ("what", "why", "when", "where", "who", "how", "how_much")


def record_cause(
    desk: Desk, actor: str, number: str, *, fishbone: Fishbone | str | None,
    version: int | None = None, comment: str = "", **w5h2: str,
) -> CaseView:
    unknown = set(w5h2) - set(CAUSE_FIELDS)
    if unknown:
        raise WorkflowError("missing_field", field=", ".join(sorted(unknown)))
    check_lengths(comment=comment, **w5h2)
    factor = Fishbone(fishbone) if fishbone else None

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        for name in CAUSE_FIELDS:
            setattr(case, f"cause_{name}", w5h2.get(name, "") or "")
        case.fishbone_factor = factor.value if factor else None
        return {**w5h2, "fishbone": case.fishbone_factor}

    params = {"what": w5h2.get("what"), "why": w5h2.get("why"), "fishbone": factor}
    return _change(desk, actor, number, version, Action.RECORD_CAUSE, params, apply, comment=comment)


# -- 5. proposal -------------------------------------------------------------------------------


def propose(
    desk: Desk, actor: str, number: str, *, remedy: Remedy | str | None = None,
    amount: Decimal | None = None, details: str = "", version: int | None = None,
    remedies: Sequence[tuple[Remedy | str, Decimal | None]] | None = None,
    price: Decimal | None = None, reason: str = "",
) -> CaseView:
    """Propose a remedy — or several (issue 13: ``remedies``, each with its own amount; the
    first is the proposal's remedy, the amounts add up to its amount). ``price`` sets the case's
    price first; a compensation outside the range it suggests needs ``reason``."""
    check_lengths(details=details, reason=reason)
    given = list(remedies) if remedies is not None else [(remedy, amount)] if remedy else []
    # Whole cents in range, or refused: the amount stored is the one the approvals compare.
    lines = [RemedyLine(Remedy(r), money(amount_cents(a))) for r, a in given]
    summed = money(amount_cents(total(lines)))
    price_cents = amount_cents(price)
    threshold = desk.settings.approval_threshold

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        assert case.id is not None
        if price_cents is not None:
            case.price_cents = price_cents
        suggested = suggested_range(desk, money(case.price_cents))
        check_range_reason(lines, suggested, reason)
        outside = outside_range(lines, suggested)
        needed = 2 if summed is not None and summed > threshold else 1
        proposal = Proposal(case_id=case.id, remedy=lines[0].remedy.value, amount_cents=amount_cents(summed),
                            details=details, proposed_by=who.id, proposed_at=now, approvals_needed=needed,
                            price_cents=case.price_cents, range_reason=reason.strip() if outside else None)
        uow.cases.attach(proposal)
        add_lines(uow.cases.session, proposal, [(line.remedy.value, amount_cents(line.amount)) for line in lines])
        return {"remedy": lines[0].remedy.value, "amount": summed, "approvals_needed": needed,
                "remedies": _lines_json(lines) if len(lines) > 1 else None,
                "price": money(price_cents), "range_reason": proposal.range_reason}

    return _change(desk, actor, number, version, Action.PROPOSE,
                   {"remedies": lines}, apply, comment=details)


def suggested_range(desk: Desk, price: Decimal | None) -> CompensationRange | None:
    """The compensation the settings suggest for ``price`` (None without a price)."""
    return compensation_range(price, desk.settings.compensation_min_times,
                              desk.settings.compensation_max_times)


def _lines_json(lines: Sequence[RemedyLine]) -> list[dict[str, str | None]]:
    """Remedy lines as a timeline event keeps them."""
    return [{"remedy": line.remedy.value, "amount": None if line.amount is None else str(line.amount)}
            for line in lines]


def set_price(
    desk: Desk, actor: str, number: str, *, price: Decimal | None, version: int | None = None
) -> CaseView:
    """The price of what the complaint is about (issue 13), set or corrected after the intake
    (None: not known); on the timeline."""
    cents = amount_cents(price)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        before = money(case.price_cents)
        case.price_cents = cents
        return {"price": money(cents), "price_before": before}

    return _change(desk, actor, number, version, Action.PRICE, {}, apply)


def _pending_proposal(uow: UnitOfWork, case: Case) -> Proposal:
    """The case's newest proposal waiting for approval."""
    pending = uow.cases.proposals(case, ProposalStatus.PENDING)
    if not pending:
        raise WorkflowError("no_pending_proposal")
    return pending[0]


# -- 6. approval -------------------------------------------------------------------------------


def approve(desk: Desk, actor: str, number: str, *, comment: str = "", version: int | None = None) -> CaseView:
    check_lengths(comment=comment)
    desk.check_actor(actor)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        case = _for_change(desk, uow, number, version)
        before = case.status
        workflow.check(Action.APPROVE, case_facts(case), who)
        proposal = _pending_proposal(uow, case)
        prior = uow.cases.approvers(proposal)
        _four_eyes_behind(desk, uow, case, proposal, prior)
        target = workflow.transition(
            Action.APPROVE, case_facts(case), who,
            proposer_id=proposal.proposed_by,
            amount=money(proposal.amount_cents),
            threshold=desk.settings.approval_threshold,
            prior_approvals=prior,
            store_limit=_store_limit(uow, case, who),
            outside_range=_outside(desk, proposal),
        )
        now = utcnow()
        assert proposal.id is not None
        uow.cases.attach(Approval(proposal_id=proposal.id, approver_id=who.id, decision="approved",
                                  comment=comment, at=now))
        level = len(prior) + 1
        proposal.approvals_given = level
        if target is Status.APPROVED:
            proposal.status = ProposalStatus.APPROVED.value
            case.remedy = proposal.remedy
            case.amount_cents = proposal.amount_cents
        _apply_status(case, target, now)
        uow.flush()
        uow.events.write(case, who, Action.APPROVE, before, target.value, comment, now=now,
                         level=level, of=proposal.approvals_needed, remedy=proposal.remedy,
                         amount=money(proposal.amount_cents), remedies=_several(uow, proposal))
        _mail_after_event(uow, desk, case, who, Action.APPROVE, target.value, now)  # once approved: the outcome
        uow.commit()
        return case_view(uow, case)


def _outside(desk: Desk, proposal: Proposal) -> CompensationRange | None:
    """The range a proposal's compensation was proposed outside of (its reason was required
    then), measured by the price it was proposed with; None when it kept to the range."""
    if proposal.range_reason is None:
        return None
    return suggested_range(desk, money(proposal.price_cents)) or CompensationRange(Decimal(0), Decimal(0))


def _several(uow: UnitOfWork, proposal: Proposal) -> list[dict[str, str | None]] | None:
    """A proposal's remedies for its timeline events, when it has more than one."""
    lines = remedy_lines(uow.cases.session, [proposal])[proposal.id or 0]
    if len(lines) < 2:
        return None
    return _lines_json([RemedyLine(Remedy(r), money(c)) for r, c in lines])


def _store_limit(uow: UnitOfWork, case: Case, who: Actor) -> Decimal | None:
    """The approval limit of the case's store, for its store manager (issue 13)."""
    store = uow.stores.get(case.store_code) if who.role is Role.STORE_MANAGER and case.store_code else None
    return money(store.approval_limit_cents) if store is not None else None


def _four_eyes_behind(desk: Desk, uow: UnitOfWork, case: Case, proposal: Proposal, prior: list[Actor]) -> None:
    """Four-eyes counts people, not names: an admin who proposed or approved acting as a
    colleague (kesu-desk --user) may not approve the same proposal under another name."""
    person = desk.identity.person if desk.identity else None
    if person is None:
        return
    if person.id == proposal.proposed_by or person.id in uow.events.admins_behind(
        case, Action.PROPOSE, proposal.proposed_at
    ):
        raise WorkflowError("own_proposal")
    if any(a.id == person.id for a in prior) or person.id in uow.events.admins_behind(
        case, Action.APPROVE, proposal.proposed_at
    ):
        raise WorkflowError("already_approved")


def return_proposal(desk: Desk, actor: str, number: str, *, comment: str, version: int | None = None) -> CaseView:
    check_lengths(comment=comment)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        proposal = _pending_proposal(uow, case)
        assert proposal.id is not None
        proposal.status = ProposalStatus.RETURNED.value
        uow.cases.attach(Approval(proposal_id=proposal.id, approver_id=who.id, decision="returned",
                                  comment=comment, at=now))
        return {"remedy": proposal.remedy, "remedies": _several(uow, proposal)}

    return _change(desk, actor, number, version, Action.RETURN, {"comment": comment}, apply, comment=comment)


# -- 7. the customer's answer --------------------------------------------------------------------


def record_customer_answer(
    desk: Desk, actor: str, number: str, *, agrees: bool, comment: str = "", version: int | None = None
) -> CaseView:
    check_lengths(comment=comment)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        for proposal in uow.cases.proposals(case, ProposalStatus.APPROVED)[-1:]:
            proposal.status = (ProposalStatus.ACCEPTED if agrees else ProposalStatus.REFUSED).value
        if not agrees:
            case.remedy = None
            case.amount_cents = None
            # Back with the department for a new proposal: its clock starts again from now
            # (as after a reopening), not from the first assignment.
            case.assigned_at = now
            case.department_due_at = desk.deadlines.department_due(now, _severity(case), case.kind)
        return {"agrees": agrees}

    return _change(desk, actor, number, version, Action.CUSTOMER_ANSWER,
                   {"agrees": agrees, "comment": comment}, apply, comment=comment,
                   visibility=Visibility.CUSTOMER)


# -- 8. implementation ---------------------------------------------------------------------------


def implement(
    desk: Desk, actor: str, number: str, *, implementation: str, accountability: str,
    preventive_action: str = "", version: int | None = None, responsible: str = "", penalty: str = "",
    loss: Decimal | str | None = None, delayed_by: str = "", delay_reason: str = "",
) -> CaseView:
    """Step 8: the remedy carried out, and who answers for the complaint: the person directly
    responsible (``responsible``) with their ``penalty`` ("10%" of performance pay, or an amount),
    the ``loss`` it is in proportion to, and who delayed the handling and why. Each implementation
    is kept (a second one, after a reopening, never overwrites the first); the case shows the
    latest. Internal: nothing of it reaches the customer."""
    check_lengths(implementation=implementation, accountability=accountability,
                  preventive_action=preventive_action)
    responsible, delayed_by, delay_reason = (" ".join(v.split()) for v in (responsible, delayed_by, delay_reason))
    fine = parse_penalty(penalty)
    check_accountability(responsible, fine, delayed_by, delay_reason)
    try:
        loss_cents = amount_cents(parse_amount(loss) if isinstance(loss, str) else loss)
    except InvalidInput as wrong:  # named as the loss, not as an amount in general
        raise InvalidInput("invalid_input", errors={"loss": wrong.params["errors"]["amount"]}) from None

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        case.implementation = implementation
        case.accountability = accountability
        case.preventive_action = preventive_action
        case.implemented_at = now
        case.follow_up_due_at = desk.deadlines.follow_up_due(now)
        assert case.id is not None and who.id is not None
        record = uow.cases.add_implementation(CaseImplementation(
            case_id=case.id, seq=0, implemented_at=now, implemented_by=who.id, implementation=implementation,
            preventive_action=preventive_action, responsible=responsible,
            penalty_percent_hundredths=int(fine.percent * 100) if fine.percent is not None else None,
            penalty_cents=fine.cents, loss_cents=loss_cents, delayed_by=delayed_by, delay_reason=delay_reason))
        return {"accountability": accountability, "preventive_action": preventive_action or None,
                "implementation_no": record.seq, "responsible": responsible or None,
                "penalty_percent": str(fine.percent) if fine.percent is not None else None,
                "penalty": money(fine.cents), "loss": money(loss_cents),
                "delayed_by": delayed_by or None, "delay_reason": delay_reason or None}

    return _change(desk, actor, number, version, Action.IMPLEMENT,
                   {"implementation": implementation, "accountability": accountability,
                    "preventive_action": preventive_action}, apply, comment=implementation)


# -- 9. follow-up --------------------------------------------------------------------------------


def record_follow_up(
    desk: Desk, actor: str, number: str, *, score: int, solved: bool | None = None,
    comments: str = "", version: int | None = None,
) -> CaseView:
    check_lengths(comment=comments)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        assert case.id is not None
        uow.cases.attach(Survey(case_id=case.id, score=score, solved=solved, comments=comments,
                                recorded_by=who.id, at=now))
        case.satisfaction = score
        if target is Status.CLOSED:
            case.closure = Closure.SATISFIED.value
            case.closed_at = now
        else:
            case.closure = None
            case.closed_at = None
            case.assigned_at = now
            case.department_due_at = desk.deadlines.department_due(now, _severity(case), case.kind)
        return {"score": score, "solved": solved}

    return _change(desk, actor, number, version, Action.FOLLOW_UP, {"score": score}, apply,
                   comment=comments, visibility=Visibility.CUSTOMER)


def close(desk: Desk, actor: str, number: str, *, comment: str, version: int | None = None) -> CaseView:
    check_lengths(comment=comment)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> None:
        case.closure = Closure.BY_SUPERVISOR.value
        case.closed_at = now

    return _change(desk, actor, number, version, Action.CLOSE, {"comment": comment}, apply, comment=comment)


def reopen(desk: Desk, actor: str, number: str, *, comment: str, version: int | None = None) -> CaseView:
    check_lengths(comment=comment)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> None:
        if case.closure == Closure.NOT_FOUNDED.value:
            # Reopening overrides the earlier decision; the comment says why.
            case.validity = Validity.FOUNDED.value
        case.closure = None
        case.closed_at = None
        case.merged_into_id = None
        case.assigned_at = now
        case.department_due_at = desk.deadlines.department_due(now, _severity(case), case.kind)

    return _change(desk, actor, number, version, Action.REOPEN, {"comment": comment}, apply, comment=comment)


# -- at any time ---------------------------------------------------------------------------------


def escalate(desk: Desk, actor: str, number: str, *, comment: str, version: int | None = None) -> CaseView:
    check_lengths(comment=comment)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        case.urgent = True
        case.severity = SEVERITY_LEVELS[Severity.CRITICAL]
        # notifications open corrective actions, which use this module: imported here
        from kesu_desk.services import notifications

        notifications.notify_escalation(uow, desk, case, comment, now)
        return {"severity": Severity.CRITICAL.value}

    return _change(desk, actor, number, version, Action.ESCALATE, {"comment": comment}, apply, comment=comment)


def add_note(
    desk: Desk, actor: str, number: str, *, text: str,
    visibility: Visibility | str = Visibility.INTERNAL, version: int | None = None,
) -> CaseView:
    check_lengths(text=text)
    seen_by = Visibility(visibility)  # a customer-visible note is checked by _change

    return _change(desk, actor, number, version, Action.NOTE, {"comment": text},
                   lambda *_: None, comment=text, visibility=seen_by)


def log_call(
    desk: Desk, actor: str, number: str, *, summary: str, direction: str = "in",
    version: int | None = None,
) -> CaseView:
    check_lengths(summary=summary)
    # What was said on a call, the customer heard: customer-visible, so _change checks it.
    return _change(desk, actor, number, version, Action.CALL, {"comment": summary},
                   lambda *_: {"direction": direction}, comment=summary,
                   visibility=Visibility.CUSTOMER)


# Until a remedy is approved nobody tells the customer the outcome (DOMAIN.md step 7): in these
# states a proposal waits for approval or for a new proposal after being returned.
OUTCOME_UNDECIDED = frozenset({Status.PROPOSED, Status.RETURNED})
_UNDECIDED_PROPOSALS = (ProposalStatus.PENDING, ProposalStatus.RETURNED)
_CASE_NUMBER_IN_TEXT = re.compile(r"KS-\d{8}-\d+", re.IGNORECASE)
# An amount as people write it: 300, 300.00, 1,000.50, 1.000,50, 1 000 (thousands grouped).
_AMOUNT_IN_TEXT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[,.\u00a0 ]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?![\d])"
)


def keep_outcome_secret(uow: UnitOfWork, case: Case, text: str) -> None:
    """Refuse customer-visible ``text`` that names a not yet approved remedy or its amount."""
    if Status(case.status) not in OUTCOME_UNDECIDED:
        return
    undecided = uow.cases.proposals(case, *_UNDECIDED_PROPOSALS)
    # Every remedy of a proposal and every amount, each line's and their sum (issue 13).
    lines = [line for several in remedy_lines(uow.cases.session, undecided).values() for line in several]
    found = outcome_mentions(
        text, {p.remedy for p in undecided} | {r for r, _ in lines},
        {a for a in (money(c) for c in [p.amount_cents for p in undecided] + [c for _, c in lines]) if a},
    )
    if found:
        raise WorkflowError("reveals_outcome", found=", ".join(found))


def outcome_words(remedy: str) -> list[str]:
    """How a remedy is named in every language of the desk: its name and the other words for it
    (assets/words/outcome.toml), so a note in any language is checked."""
    from kesu_desk.config import LANGUAGES
    from kesu_desk.i18n import catalogue
    from kesu_desk.wordlists import reveal_words

    words: list[str] = []
    for lang in LANGUAGES:
        names = catalogue(lang)
        listed = [names.get(f"remedy.{remedy}", ""), *reveal_words(remedy, lang)]
        words += [w.strip() for w in listed if w.strip() and w.strip() not in words]
    return words


def outcome_mentions(text: str, remedies: set[str], amounts: set[Decimal]) -> list[str]:
    """The words of ``text`` that name one of ``remedies`` or ``amounts``, as written there."""
    folded = text.casefold()
    found: list[str] = []
    for remedy in sorted(remedies):
        for word in outcome_words(remedy):
            key = word.casefold()
            if any(ord(ch) > 0x2E7F for ch in key):
                # Chinese has no spaces between words: any occurrence names the remedy.
                at = folded.find(key)
            else:
                # Words start at a word boundary and may go on ("refund" finds "refunded").
                match = re.search(rf"(?<!\w){re.escape(key)}", folded)
                at = match.start() if match else -1
            if at >= 0:
                found.append(text[at:at + len(key)])
    if not amounts:
        return list(dict.fromkeys(found))
    without_numbers = _CASE_NUMBER_IN_TEXT.sub(" ", text)
    for match in _AMOUNT_IN_TEXT.finditer(without_numbers):
        whole = re.sub(r"[,.\u00a0 ]", "", match.group(1))
        value = Decimal(f"{whole}.{match.group(2) or 0}")
        if value in amounts:
            found.append(match.group(0))
    # 三百元, 两千, 1千2, 叁佰伍拾: read only once a proposal with an amount waits.
    from kesu_desk.domain.numerals import chinese_amounts

    found += [written for written, value in chinese_amounts(without_numbers) if value in amounts]
    return list(dict.fromkeys(found))


def merge(
    desk: Desk, actor: str, number: str, *, into: str, comment: str, version: int | None = None
) -> CaseView:
    """The same customer calling twice about one problem: this case closes as merged into
    ``into``, which lives on; both timelines are kept and each names the other."""
    check_lengths(comment=comment)
    if into == number:
        raise WorkflowError("merge_into_itself")

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        survivor = _for_change(desk, uow, into, None)  # locked already (also_locks)
        if survivor.status == Status.CLOSED.value:
            raise WorkflowError("merge_into_closed", number=into)
        case.merged_into_id = survivor.id
        case.closure = Closure.MERGED.value
        case.closed_at = now
        uow.events.write(survivor, who, Action.NOTE, survivor.status, survivor.status,
                         comment, now=now, merged_from=case.number)
        return {"into": into}

    return _change(desk, actor, number, version, Action.MERGE, {"comment": comment}, apply,
                   comment=comment, also_locks=(into,))


def await_customer(desk: Desk, actor: str, number: str, *, comment: str, version: int | None = None) -> CaseView:
    """The department needs something from the customer (photos, a receipt…): its clock stops."""
    check_lengths(comment=comment)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> None:
        # The event is internal, but its text is what the customer is asked for (the dialog
        # offers canned replies addressed to them), and a returned proposal may be pending.
        keep_outcome_secret(uow, case, comment)
        case.waiting_since = now

    return _change(desk, actor, number, version, Action.AWAIT_CUSTOMER, {"comment": comment}, apply,
                   comment=comment)


def customer_replied(
    desk: Desk, actor: str, number: str, *, comment: str = "", version: int | None = None
) -> CaseView:
    """The customer answered: the department's clock runs again, its deadline moved on by the
    working time it waited."""
    check_lengths(comment=comment)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        assert case.waiting_since is not None
        waited = desk.calendar.working_time_between(case.waiting_since, now)
        if case.department_due_at is not None:
            case.department_due_at = desk.calendar.add_working_time(case.department_due_at, waited)
        case.waiting_since = None
        return {"waited_hours": round(waited.total_seconds() / 3600, 1),
                "department_due": case.department_due_at}

    return _change(desk, actor, number, version, Action.CUSTOMER_REPLIED, {"comment": comment},
                   apply, comment=comment, visibility=Visibility.CUSTOMER)


def _taken(suggested: dict[str, Any], chosen: dict[str, Any]) -> bool:
    """Whether the agent kept every suggested value they were asked about."""
    return all(chosen.get(k) == v for k, v in suggested.items() if k in chosen)


def record_suggestion(
    desk: Desk, actor: str, number: str, *, suggested: dict[str, Any], chosen: dict[str, Any],
    version: int | None = None,
) -> CaseView:
    """What the rules service suggested and what the agent chose, for the timeline."""
    taken = _taken(suggested, chosen)
    return _change(desk, actor, number, version, Action.SUGGESTION, {},
                   lambda *_: {"suggested": suggested, "chosen": chosen, "taken": taken})


# -- 10. review ----------------------------------------------------------------------------------


def mark_typical(
    desk: Desk, actor: str, number: str, *, typical: bool = True, comment: str = "",
    version: int | None = None,
) -> CaseView:
    """Keep a case for training (or stop keeping it): a supervisor's choice, in any state."""
    check_lengths(comment=comment)

    def apply(uow: UnitOfWork, case: Case, who: Actor, target: Status, now: datetime) -> dict[str, Any]:
        case.typical = typical
        return {"typical": typical}

    return _change(desk, actor, number, version, Action.TYPICAL, {}, apply, comment=comment)


# -- 9. follow-up: a call nobody answered ---------------------------------------------------------


def unanswered_attempts(uow: UnitOfWork, case: Case) -> int:
    """Unanswered follow-up calls since the remedy was last implemented: a case reopened and
    implemented again starts its attempts afresh."""
    return uow.cases.unanswered_calls(case, since=case.implemented_at or case.registered_at)


def record_no_answer(
    desk: Desk, actor: str, number: str, *, comment: str = "", version: int | None = None
) -> CaseView:
    """One follow-up call the customer did not answer: a survey row without a score and an
    internal timeline event; the last of ``settings.follow_up_attempts`` closes the case as
    "no answer"."""
    check_lengths(comment=comment)
    desk.check_actor(actor)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        case = _for_change(desk, uow, number, version)
        before = case.status
        workflow.check(Action.FOLLOW_UP, case_facts(case), who)  # role and state before counting
        attempt = unanswered_attempts(uow, case) + 1
        attempts = max(1, desk.settings.follow_up_attempts)
        target = workflow.transition(Action.FOLLOW_UP, case_facts(case), who, answered=False,
                                     attempt=attempt, attempts=attempts)
        now = utcnow()
        assert case.id is not None
        uow.cases.attach(Survey(case_id=case.id, score=None, solved=None, comments=comment,
                                answered=False, recorded_by=who.id, at=now))
        if target is Status.CLOSED:
            case.closure = Closure.NO_ANSWER.value
            case.closed_at = now
        _apply_status(case, target, now)
        uow.flush()
        # Internal: the customer was not reached, so nothing here was said to them.
        uow.events.write(case, who, Action.FOLLOW_UP, before, target.value, comment, now=now,
                         answered=False, attempt=attempt, of=attempts,
                         closure=case.closure if target is Status.CLOSED else None)
        uow.commit()
        return case_view(uow, case)
