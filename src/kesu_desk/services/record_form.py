"""One case's full record, for the printed record form (客诉处理记录表) and the 8D report of a
quality case (present/record.py lays them out): the case view, its proposals, approvals,
surveys and corrective actions, and the people who took part, read in one transaction.
The 8D report is for quality (QA) cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from kesu_desk.domain.errors import NotFoundError, WorkflowError
from kesu_desk.services import cases, corrective
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView, money
from kesu_desk.store.models import (
    Approval,
    Case,
    CorrectiveAction,
    Department,
    Proposal,
    Survey,
    User,
)

QUALITY_DEPARTMENT = "QA"


@dataclass(frozen=True)
class _ProposalRow:
    id: int
    remedy: str
    amount: Decimal | None
    details: str
    proposed_by: str
    proposed_at: datetime
    status: str
    approvals_needed: int


@dataclass(frozen=True)
class _ApprovalRow:
    proposal_id: int
    approver: str
    decision: str
    comment: str
    at: datetime


@dataclass(frozen=True)
class _SurveyRow:
    score: int | None
    solved: bool | None
    comments: str
    answered: bool
    recorded_by: str
    at: datetime


@dataclass(frozen=True)
class CaseRecord:
    """Everything the form shows, read in one transaction."""

    view: CaseView
    registered_by: str
    assigned_at: datetime | None
    implemented_at: datetime | None
    closed_at: datetime | None
    typical: bool
    department_names: dict[str, dict[str, str]]  # code -> language -> name
    proposals: list[_ProposalRow]
    approvals: list[_ApprovalRow]
    surveys: list[_SurveyRow]
    corrective: list[CorrectiveView]
    roles: dict[str, tuple[str, str | None, str]]  # user name -> (role, department, display name)


def load_record(desk: Desk, number: str, *, eight_disciplines: bool = False) -> CaseRecord:
    """The record of case ``number``: NotFoundError for no such case, WorkflowError for the 8D
    report (``eight_disciplines``) of a case that is not a quality case."""
    with desk.uow(write=False) as uow:
        s = uow.session
        case = s.exec(select(Case).where(Case.number == number)).first()
        if case is None:
            raise NotFoundError("case_not_found", number=number)
        if eight_disciplines and case.department_code != QUALITY_DEPARTMENT:
            raise WorkflowError("not_quality_case", number=case.number, department=case.department_code or "-")
        return _record(s, case)


def _record(s: Session, case: Case) -> CaseRecord:
    view = cases._view(s, case)
    names = {i: name for i, name in s.execute(sa.select(col(User.id), col(User.name))).all()}
    proposals = s.exec(select(Proposal).where(Proposal.case_id == case.id).order_by(col(Proposal.id))).all()
    approvals = s.exec(
        select(Approval).where(col(Approval.proposal_id).in_([p.id for p in proposals]))
        .order_by(col(Approval.id))
    ).all() if proposals else []
    surveys = s.exec(select(Survey).where(Survey.case_id == case.id).order_by(col(Survey.id))).all()
    people = {e.actor for e in view.timeline}
    actions = corrective.views(s, col(CorrectiveAction.case_id) == case.id)
    people |= {a.owner for a in actions}
    roles = {
        u.name: (u.role, u.department_code, u.display_name)
        for u in s.exec(select(User).where(col(User.name).in_(sorted(people)))).all()
    }
    return CaseRecord(
        view=view,
        registered_by=names.get(case.registered_by, ""),
        assigned_at=case.assigned_at,
        implemented_at=case.implemented_at,
        closed_at=case.closed_at,
        typical=case.typical,
        department_names={d.code: {"zh": d.name_zh, "en": d.name_en, "es": d.name_es}
                          for d in s.exec(select(Department)).all()},
        proposals=[
            _ProposalRow(p.id or 0, p.remedy, money(p.amount_cents), p.details, names.get(p.proposed_by, ""),
                         p.proposed_at, p.status, p.approvals_needed)
            for p in proposals
        ],
        approvals=[
            _ApprovalRow(a.proposal_id, names.get(a.approver_id, ""), a.decision, a.comment, a.at)
            for a in approvals
        ],
        surveys=[
            _SurveyRow(v.score, v.solved, v.comments, v.answered, names.get(v.recorded_by, ""), v.at)
            for v in surveys
        ],
        corrective=actions,
        roles=roles,
    )
