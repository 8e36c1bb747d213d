"""Repositories: the SQL of what the use cases change — cases (with their proposals, approvals and
surveys), customers, the timeline, the day counter of case numbers, users and departments.

A use case reaches them through its unit of work (``uow.cases``, ``uow.events``…, store/uow.py);
they add, load and lock rows, and never commit: the unit of work does, once, for the use case.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from kesu_desk.domain import numbering
from kesu_desk.domain.errors import ConflictError, DeskError, NotFoundError, WorkflowError
from kesu_desk.domain.vocabulary import Action, ProposalStatus, Role, Visibility
from kesu_desk.domain.workflow import Actor
from kesu_desk.sla import utcnow
from kesu_desk.store import search
from kesu_desk.store.models import (
    Approval,
    Case,
    CaseEvent,
    CaseImplementation,
    Customer,
    Department,
    Proposal,
    Survey,
    User,
)


def actor_of(user: User) -> Actor:
    assert user.id is not None
    return Actor(user.id, user.name, Role(user.role), user.department_code, user.store_code)


class UserRepository:
    """Users and departments."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def load(self, name: str) -> tuple[User, Actor]:
        """The active user ``name``; NotFoundError('unknown_user') when there is none."""
        user = self.find(name)
        if user is None or not user.active:
            raise NotFoundError("unknown_user", user=name)
        return user, actor_of(user)

    def actor(self, name: str) -> Actor:
        return self.load(name)[1]

    def find(self, name: str) -> User | None:
        """The user ``name``, active or not."""
        return self.session.exec(select(User).where(User.name == name)).first()

    def name_of(self, user_id: int | None) -> str | None:
        user = self.session.get(User, user_id) if user_id is not None else None
        return user.name if user is not None else None

    def add(self, user: User) -> None:
        self.session.add(user)

    def all(self) -> list[User]:
        return list(self.session.exec(select(User).order_by(col(User.name))).all())

    def department(self, code: str) -> Department | None:
        return self.session.get(Department, code)

    def departments(self, *, active_only: bool = False) -> list[Department]:
        query = select(Department).order_by(col(Department.code))
        if active_only:
            query = query.where(col(Department.retired_at).is_(None))
        return list(self.session.exec(query).all())

    def active_department(self, code: str) -> Department:
        """The department ``code`` if it exists and is not retired; NotFoundError otherwise."""
        department = self.department(code)
        if department is None or department.retired_at is not None:
            raise NotFoundError("unknown_department", department=code)
        return department

    def add_department(self, department: Department) -> None:
        """Adds it now (inside the transaction): a code another terminal has just added is told
        as such, on both engines, instead of surfacing at commit."""
        self.session.add(department)
        try:
            self.session.flush()
        except IntegrityError:
            raise DeskError("department_exists", department=department.code) from None


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, customer_id: int) -> Customer:
        customer = self.session.get(Customer, customer_id)
        assert customer is not None  # cases.customer_id is a foreign key
        return customer

    def by_contact(self, phone: str, email: str) -> Customer | None:
        """The customer with this phone, else with this e-mail address (each is unique)."""
        customer = None
        if phone:
            customer = self.session.exec(select(Customer).where(Customer.phone == phone)).first()
        if customer is None and email:
            customer = self.session.exec(select(Customer).where(Customer.email == email)).first()
        return customer

    def find_or_add(
        self, *, name: str, phone: str, email: str, customer_class: str, region: str, now: datetime
    ) -> Customer:
        """The caller's customer record, added if new: an insert that yields to a record another
        terminal added at the same moment (the schema keeps phone and e-mail unique), so two
        terminals registering one new caller together make one customer."""
        customer = self.by_contact(phone, email)
        if customer is None:
            added = self.session.execute(
                dialect_insert(self.session, Customer)
                .values(name=name, phone=phone or None, email=email or None,
                        customer_class=customer_class, region=region, created_at=now)
                .on_conflict_do_nothing()
                .returning(col(Customer.id))
            ).scalar()
            # Nothing added: another terminal's record came first; it is committed by now.
            customer = (self.session.get(Customer, added) if added is not None
                        else self.by_contact(phone, email))
            if customer is None:  # the other record took one of our values and is gone again
                raise ConflictError("customer_changed")
            return customer
        # Fill in what the customer record lacked; never overwrite what is there, nor take a
        # phone or address that is another customer's.
        customer.name = customer.name or name
        if customer.phone is None and phone and self.by_contact(phone, "") is None:
            customer.phone = phone
        if customer.email is None and email and self.by_contact("", email) is None:
            customer.email = email
        self.session.add(customer)
        self.session.flush()
        return customer


def dialect_insert(session: Session, model: Any) -> Any:
    """INSERT with the engine's ON CONFLICT clauses (SQLite and PostgreSQL spell them alike)."""
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(model)
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    return pg_insert(model)


class CaseRepository:
    """Cases and the rows that belong to one: proposals, approvals, surveys."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, number: str) -> Case:
        """The case ``number``, unlocked (for reading); NotFoundError when there is none."""
        case = self.session.exec(select(Case).where(Case.number == number)).first()
        if case is None:
            raise NotFoundError("case_not_found", number=number)
        return case

    def by_id(self, case_id: int) -> Case:
        case = self.session.get(Case, case_id)
        assert case is not None
        return case

    def for_change(
        self, number: str, version: int | None = None, *, also_locks: Sequence[str] = ()
    ) -> Case:
        """The case ``number`` locked for a change (NotFoundError when there is none), checked to
        be at ``version`` (ConflictError when someone changed it since; None: any version).

        ``also_locks``: the other cases the change touches; all are locked at once, in id order,
        so two terminals changing the same cases from opposite ends (A merged into B, B into A)
        take turns instead of deadlocking."""
        if also_locks:
            self.session.exec(select(Case.id).where(col(Case.number).in_((number, *also_locks)))
                              .order_by(col(Case.id)).with_for_update()).all()
        case = self.session.exec(select(Case).where(Case.number == number).with_for_update()).first()
        if case is None:
            raise NotFoundError("case_not_found", number=number)
        if version is not None and case.version != version:
            raise ConflictError("conflict", number=number, yours=version, theirs=case.version)
        return case

    def add(self, case: Case, customer: Customer) -> None:
        """A new case, written at once (it gets its id) and put in the search index."""
        self.session.add(case)
        self.session.flush()
        self.index(case, customer)

    def index(self, case: Case, customer: Customer) -> None:
        body = search.index_text(customer.name, case.description, case.customer_request, case.product)
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(
                text("INSERT OR REPLACE INTO case_search (rowid, body) VALUES (:id, :body)"),
                {"id": case.id, "body": body},
            )
        else:
            self.session.execute(
                text(
                    "INSERT INTO case_search (case_id, body) VALUES (:id, :body) "
                    "ON CONFLICT (case_id) DO UPDATE SET body = excluded.body"
                ),
                {"id": case.id, "body": body},
            )

    def attach(self, row: Proposal | Approval | Survey) -> None:
        """A new proposal, approval or survey of a case."""
        self.session.add(row)

    def add_implementation(self, row: CaseImplementation) -> CaseImplementation:
        """The case's next implementation (issue 13, accountability), numbered after the ones
        before it; the case row is locked by the change, and (case, number) is unique besides."""
        done = self.session.exec(select(func.count()).select_from(CaseImplementation)
                                 .where(col(CaseImplementation.case_id) == row.case_id)).one()
        row.seq = int(done) + 1
        self.session.add(row)
        self.session.flush()
        return row

    def implementations(self, case: Case) -> list[CaseImplementation]:
        return list(self.session.exec(select(CaseImplementation).where(col(CaseImplementation.case_id) == case.id)
                                      .order_by(col(CaseImplementation.seq))).all())

    def proposals(self, case: Case, *statuses: ProposalStatus) -> list[Proposal]:
        """The case's proposals in these statuses, newest first."""
        return list(self.session.exec(
            select(Proposal)
            .where(Proposal.case_id == case.id, col(Proposal.status).in_([s.value for s in statuses]))
            .order_by(col(Proposal.id).desc())
        ).all())

    def approvers(self, proposal: Proposal) -> list[Actor]:
        """Who has approved ``proposal`` so far."""
        users = self.session.exec(
            select(User).join(Approval, col(Approval.approver_id) == User.id)
            .where(Approval.proposal_id == proposal.id, Approval.decision == "approved")
        ).all()
        return [actor_of(u) for u in users]

    def unanswered_calls(self, case: Case, since: datetime) -> int:
        """Follow-up calls of the case the customer did not answer, from ``since`` on."""
        return len(self.session.exec(
            select(Survey.id).where(Survey.case_id == case.id, col(Survey.answered).is_(False),
                                    col(Survey.at) >= since)
        ).all())


class EventWriter:
    """The timeline: events are only ever added (the database refuses UPDATE and DELETE)."""

    def __init__(self, session: Session, *, admin_id: int | None = None) -> None:
        self.session = session
        self.admin_id = admin_id

    def write(
        self,
        case: Case,
        actor: Actor,
        action: Action,
        before: str | None,
        after: str | None,
        comment: str = "",
        *,
        visibility: Visibility = Visibility.INTERNAL,
        now: datetime | None = None,
        **details: Any,
    ) -> None:
        """One event on ``case``'s timeline; ``details`` (None values left out) as JSON."""
        assert case.id is not None
        self.session.add(
            CaseEvent(
                case_id=case.id,
                at=now or utcnow(),
                actor_id=actor.id,
                admin_id=self.admin_id,
                action=action.value,
                from_status=before,
                to_status=after,
                comment=comment or "",
                visibility=visibility.value,
                details=json.dumps(
                    {k: _jsonable(v) for k, v in details.items() if v is not None}, ensure_ascii=False
                ),
            )
        )

    def admins_behind(self, case: Case, action: Action, since: datetime) -> set[int]:
        """The admins who acted as someone else in the case's ``action`` events from ``since`` on."""
        return {a for a in self.session.exec(
            select(CaseEvent.admin_id).where(CaseEvent.case_id == case.id, CaseEvent.action == action.value,
                                             col(CaseEvent.at) >= since, col(CaseEvent.admin_id).is_not(None))
        ).all() if a is not None}

    def timeline(self, case: Case) -> list[tuple[CaseEvent, str, str | None]]:
        """The case's events, oldest first, each with its actor's name and the name of the admin
        who acted as them (or None)."""
        admin = aliased(User)
        rows = self.session.exec(
            select(CaseEvent, User.name, admin.name)
            .join(User, col(User.id) == CaseEvent.actor_id)
            .outerjoin(admin, col(admin.id) == CaseEvent.admin_id)
            .where(CaseEvent.case_id == case.id)
            .order_by(col(CaseEvent.id))
        ).all()
        return [(event, name, by) for event, name, by in rows]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class DayCounter:
    """Case numbers ``KS-YYYYMMDD-NNNN``: one counter per local day, shared by every terminal."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def next_number(self, day: date) -> str:
        """The day's next number, its counter bumped atomically so two terminals never clash.
        A day whose counter is at its end (:data:`numbering.COUNTER_MAX`) registers no more."""
        last = self.session.execute(
            text(
                "INSERT INTO case_counters (day, last) VALUES (:day, 1) "
                "ON CONFLICT (day) DO UPDATE SET last = case_counters.last + 1 "
                "WHERE case_counters.last < :max RETURNING last"
            ),
            {"day": numbering.day_key(day), "max": numbering.COUNTER_MAX},
        ).scalar()
        if last is None:
            raise WorkflowError("numbers_used_up", day=day.isoformat(), max=numbering.COUNTER_MAX)
        return numbering.format_number(day, last)

    def keep_past(self, number: str) -> None:
        """After a case arrives with its own number (an import), the day's counter moves past it
        so the next case registered that day gets a new number."""
        parsed = numbering.parse_number(number)
        if parsed is None:
            return
        day, counter = parsed
        larger = "MAX" if self.session.get_bind().dialect.name == "sqlite" else "GREATEST"
        self.session.execute(
            text(
                "INSERT INTO case_counters (day, last) VALUES (:day, :last) ON CONFLICT (day) "
                f"DO UPDATE SET last = {larger}(case_counters.last, excluded.last)"
            ),
            {"day": numbering.day_key(day), "last": counter},
        )
