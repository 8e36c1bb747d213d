"""Plain data the screens receive: no live ORM objects cross into the interface."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kesu_desk.domain.vocabulary import SEVERITY_BY_LEVEL, Severity, Status
from kesu_desk.sla import DeadlineState, clock_start, deadline_state
from kesu_desk.store.models import Case, CaseEvent, Customer


def money(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


@dataclass(frozen=True)
class CustomerView:
    id: int
    name: str
    phone: str | None
    email: str | None
    customer_class: str

    @classmethod
    def of(cls, c: Customer) -> CustomerView:
        assert c.id is not None
        return cls(c.id, c.name, c.phone, c.email, c.customer_class)


@dataclass(frozen=True)
class EventView:
    id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    comment: str
    visibility: str
    details: dict[str, Any]
    admin: str | None = None  # the admin who acted as ``actor`` (kesu-desk --user)

    @classmethod
    def of(cls, e: CaseEvent, actor: str, admin: str | None = None) -> EventView:
        assert e.id is not None
        return cls(
            e.id, e.at, actor, e.action, e.from_status, e.to_status, e.comment, e.visibility,
            json.loads(e.details or "{}"), admin,
        )


@dataclass(frozen=True)
class CaseView:
    """Everything a case screen shows; ``version`` goes back with the next change."""

    id: int
    number: str
    version: int
    status: Status
    severity: Severity
    urgent: bool
    channel: str
    customer: CustomerView
    product: str
    order_no: str
    batch: str
    purchase_date: date | None
    category: str
    description: str
    customer_request: str
    caller_mood: str | None
    registered_at: datetime
    validity: str
    validity_reason: str
    department: str | None
    handler: str | None
    cause: dict[str, str]
    fishbone_factor: str | None
    remedy: str | None
    amount: Decimal | None
    implementation: str
    accountability: str
    preventive_action: str
    satisfaction: int | None
    closure: str | None
    typical: bool  # kept for training (DOMAIN.md step 10)
    deadlines: dict[str, datetime | None]
    next_due_at: datetime | None
    clock_start: datetime
    waiting_since: datetime | None = None
    timeline: list[EventView] = field(default_factory=list)
    kind: str = "complaint"  # complaint, inquiry or suggestion
    units: int = 1  # issue 13: how many units of the batch the case is about
    first_contact: bool = False  # resolved at the first contact
    # Issue 13: the store where it was made, and the language the customer is answered in.
    store: str | None = None
    customer_lang: str | None = None
    # Issue 13, remedies: the price of what the complaint is about, and the approved remedies in
    # order with their amounts (``remedy`` is the first, ``amount`` the sum); () when none.
    price: Decimal | None = None
    remedies: tuple[tuple[str, Decimal | None], ...] = ()

    def deadline_state(self, now: datetime) -> DeadlineState | None:
        """On time, at risk or overdue; None when no deadline runs (closed, or waiting)."""
        if self.next_due_at is None:
            return None
        return deadline_state(self.clock_start, self.next_due_at, now)

    @classmethod
    def of(
        cls, c: Case, customer: Customer, handler: str | None, timeline: list[EventView],
        remedies: tuple[tuple[str, Decimal | None], ...] = (),
    ) -> CaseView:
        assert c.id is not None
        return cls(
            id=c.id,
            number=c.number,
            version=c.version,
            status=Status(c.status),
            severity=SEVERITY_BY_LEVEL[c.severity],
            urgent=c.urgent,
            channel=c.channel,
            customer=CustomerView.of(customer),
            product=c.product,
            order_no=c.order_no,
            batch=c.batch,
            purchase_date=c.purchase_date,
            category=c.category,
            description=c.description,
            customer_request=c.customer_request,
            caller_mood=c.caller_mood,
            registered_at=c.registered_at,
            validity=c.validity,
            validity_reason=c.validity_reason,
            department=c.department_code,
            store=c.store_code,
            customer_lang=c.customer_lang,
            handler=handler,
            cause={
                "what": c.cause_what,
                "why": c.cause_why,
                "when": c.cause_when,
                "where": c.cause_where,
                "who": c.cause_who,
                "how": c.cause_how,
                "how_much": c.cause_how_much,
            },
            fishbone_factor=c.fishbone_factor,
            remedy=c.remedy,
            amount=money(c.amount_cents),
            implementation=c.implementation,
            accountability=c.accountability,
            preventive_action=c.preventive_action,
            satisfaction=c.satisfaction,
            closure=c.closure,
            typical=c.typical,
            deadlines={
                "acknowledge": c.acknowledge_due_at,
                "answer": c.answer_due_at,
                "department": c.department_due_at,
                "follow_up": c.follow_up_due_at,
            },
            next_due_at=c.next_due_at,
            clock_start=clock_start(Status(c.status), c.registered_at, c.assigned_at, c.implemented_at),
            waiting_since=c.waiting_since,
            timeline=timeline,
            kind=c.kind,
            units=c.units,
            first_contact=c.first_contact,
            price=money(c.price_cents),
            remedies=remedies,
        )
