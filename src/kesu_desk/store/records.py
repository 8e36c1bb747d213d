"""Read model of one case's full record: what the printed record form and the 8D report show
besides the case view (its proposals, approvals, surveys, who registered it, who took part)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from kesu_desk.store.figures import department_names
from kesu_desk.store.models import Approval, Case, CorrectiveAction, Proposal, Survey, User
from kesu_desk.store.remedies import lines_of as remedy_lines


@dataclass(frozen=True)
class ProposalRow:
    id: int
    remedy: str
    amount_cents: int | None
    details: str
    proposed_by: str
    proposed_at: datetime
    status: str
    approvals_needed: int
    # Issue 13: its remedies in order, (remedy, amount in cents); ``remedy``/``amount_cents``
    # are the first and the sum.
    remedies: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class ApprovalRow:
    proposal_id: int
    approver: str
    decision: str
    comment: str
    at: datetime


@dataclass(frozen=True)
class SurveyRow:
    score: int | None
    solved: bool | None
    comments: str
    answered: bool
    recorded_by: str
    at: datetime


@dataclass(frozen=True)
class RecordDetails:
    registered_by: str
    assigned_at: datetime | None
    implemented_at: datetime | None
    closed_at: datetime | None
    typical: bool
    department_names: dict[str, dict[str, str]]  # code -> language -> name
    proposals: list[ProposalRow]
    approvals: list[ApprovalRow]
    surveys: list[SurveyRow]


def case_by_number(session: Session, number: str) -> Case | None:
    return session.exec(select(Case).where(Case.number == number)).first()


def details(session: Session, case: Case) -> RecordDetails:
    """Everything of ``case`` the record form shows that its view does not, oldest first."""
    names = {i: name for i, name in session.execute(sa.select(col(User.id), col(User.name))).all()}
    proposals = session.exec(
        select(Proposal).where(Proposal.case_id == case.id).order_by(col(Proposal.id))).all()
    approvals = session.exec(
        select(Approval).where(col(Approval.proposal_id).in_([p.id for p in proposals]))
        .order_by(col(Approval.id))
    ).all() if proposals else []
    surveys = session.exec(select(Survey).where(Survey.case_id == case.id).order_by(col(Survey.id))).all()
    lines = remedy_lines(session, list(proposals))
    return RecordDetails(
        registered_by=names.get(case.registered_by, ""),
        assigned_at=case.assigned_at,
        implemented_at=case.implemented_at,
        closed_at=case.closed_at,
        typical=case.typical,
        department_names=department_names(session),
        proposals=[
            ProposalRow(p.id or 0, p.remedy, p.amount_cents, p.details, names.get(p.proposed_by, ""),
                        p.proposed_at, p.status, p.approvals_needed, tuple(lines.get(p.id or 0, ())))
            for p in proposals
        ],
        approvals=[
            ApprovalRow(a.proposal_id, names.get(a.approver_id, ""), a.decision, a.comment, a.at)
            for a in approvals
        ],
        surveys=[
            SurveyRow(v.score, v.solved, v.comments, v.answered, names.get(v.recorded_by, ""), v.at)
            for v in surveys
        ],
    )


def roles(session: Session, people: Iterable[str]) -> dict[str, tuple[str, str | None, str]]:
    """user name -> (role, department, display name) of those of ``people`` who are users."""
    return {
        u.name: (u.role, u.department_code, u.display_name)
        for u in session.exec(select(User).where(col(User.name).in_(sorted(set(people))))).all()
    }


def corrective_actions_of(case: Case) -> sa.ColumnElement[bool]:
    """The corrective actions opened on ``case``, as a condition for ``corrective.views``."""
    return col(CorrectiveAction.case_id) == case.id
