"""Erasing a customer's personal data: the one path that may change timeline events (migration
0011 lets an event change only its comment and details, naming the access-log entry of an
erasure of its case's customer)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from kesu_desk.domain.privacy import MASK, masked_json
from kesu_desk.store.models import (
    Approval,
    Case,
    CaseEvent,
    CorrectiveAction,
    Customer,
    OutboxMessage,
    Proposal,
    Survey,
)
from kesu_desk.store.repositories import CaseRepository

# The cases' free-text columns, where an agent may have written the caller's name or number.
CASE_TEXTS = (
    "description", "customer_request", "validity_reason", "cause_what", "cause_why", "cause_when",
    "cause_where", "cause_who", "cause_how", "cause_how_much", "implementation", "accountability",
    "preventive_action",
)
# A merge of duplicate customer records (migration 0008) names only personal data.
MERGED = "customer_merged"


@dataclass(frozen=True)
class Erasable:
    id: int
    name: str
    phone: str | None
    email: str | None
    region: str
    erased: bool


def customer_with_phone(session: Session, phone: str) -> Erasable | None:
    c = session.exec(select(Customer).where(Customer.phone == phone).with_for_update()).first()
    if c is None:
        return None
    assert c.id is not None
    return Erasable(c.id, c.name, c.phone, c.email, c.region, c.erased_at is not None)


def erase(session: Session, customer_id: int, erasure_id: int, mask: Callable[[str], str],
          now: datetime) -> tuple[int, int]:
    """Mask the customer everywhere and blank their record; (cases, events) changed. Every case
    gets a new version, so a screen that had one open cannot write the old text back."""
    cases = session.exec(select(Case).where(Case.customer_id == customer_id).order_by(col(Case.id))
                         .with_for_update()).all()
    case_ids = [c.id for c in cases]
    events = 0
    for case in cases:
        for column in CASE_TEXTS:
            setattr(case, column, mask(getattr(case, column)))
        case.version += 1
        session.add(case)
    if case_ids:
        for p in session.exec(select(Proposal).where(col(Proposal.case_id).in_(case_ids))).all():
            p.details = mask(p.details)
            session.add(p)
            for a in session.exec(select(Approval).where(Approval.proposal_id == p.id)).all():
                a.comment = mask(a.comment)
                session.add(a)
        for s in session.exec(select(Survey).where(col(Survey.case_id).in_(case_ids))).all():
            s.comments = mask(s.comments)
            session.add(s)
        for m in session.exec(select(OutboxMessage).where(col(OutboxMessage.case_id).in_(case_ids))).all():
            # issue 17: no message goes to an erased customer, and none keeps their address
            m.to_address, m.subject, m.body = "", mask(m.subject), mask(m.body)
            if m.status in ("pending", "sending"):
                m.status, m.last_error = "failed", "customer erased"
            session.add(m)
        for ca in session.exec(select(CorrectiveAction).where(col(CorrectiveAction.case_id).in_(case_ids))).all():
            ca.action, ca.progress, ca.check_comment = mask(ca.action), mask(ca.progress), mask(ca.check_comment)
            session.add(ca)
        session.flush()
        rows = session.exec(select(CaseEvent.id, CaseEvent.action, CaseEvent.comment, CaseEvent.details)
                            .where(col(CaseEvent.case_id).in_(case_ids))).all()
        for event_id, action, comment, details in rows:
            if action == MERGED:
                new_comment = MASK
                data = json.loads(details)
                for key in ("phones", "emails"):
                    if key in data:
                        data[key] = [MASK for _ in data[key]]
            else:
                new_comment, data = mask(comment), masked_json(json.loads(details), mask)
            new_details = json.dumps(data, ensure_ascii=False)
            if (new_comment, new_details) == (comment, json.dumps(json.loads(details), ensure_ascii=False)):
                continue
            session.execute(update(CaseEvent).where(col(CaseEvent.id) == event_id)
                            .values(comment=new_comment, details=new_details, erasure_id=erasure_id))
            events += 1
    customer = session.get(Customer, customer_id)
    assert customer is not None
    customer.name, customer.phone, customer.email, customer.erased_at = "", None, None, now
    session.add(customer)
    session.flush()
    index = CaseRepository(session).index
    for case in cases:  # the search index held the name too
        index(case, customer)
    return len(cases), events

