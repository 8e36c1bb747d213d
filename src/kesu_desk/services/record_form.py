"""One case's full record, for the printed record form (客诉处理记录表) and the 8D report of a
quality case (present/record.py lays them out): the case view, its proposals, approvals,
surveys and corrective actions, and the people who took part, read in one transaction.

Printing is for everyone who may see the case (domain/access.py: ``Use.PRINT``, and a handler
only their department's cases); the 8D report is for quality (QA) cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from kesu_desk.domain.access import Use, check_case, require
from kesu_desk.domain.errors import NotFoundError, WorkflowError
from kesu_desk.services import cases, corrective
from kesu_desk.services.audit import record_read
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.store import records
from kesu_desk.store.records import ApprovalRow, ProposalRow, RecordDetails, SurveyRow

__all__ = ["QUALITY_DEPARTMENT", "ApprovalRow", "CaseRecord", "ProposalRow", "SurveyRow", "load_record"]

QUALITY_DEPARTMENT = "QA"


@dataclass(frozen=True)
class CaseRecord:
    """Everything the form shows, read in one transaction."""

    view: CaseView
    details: RecordDetails
    corrective: list[CorrectiveView]
    roles: dict[str, tuple[str, str | None, str]]  # user name -> (role, department, display name)


def load_record(desk: Desk, number: str, *, eight_disciplines: bool = False) -> CaseRecord:
    """The record of case ``number`` as the desk's reader may print it: NotFoundError for no
    such case, AccessDenied for a case they may not see, WorkflowError for the 8D report
    (``eight_disciplines``) of a case that is not a quality case."""
    require(desk.reader, Use.PRINT)
    with desk.uow(write=False) as uow:
        s = uow.session
        case = records.case_by_number(s, number)
        if case is None:
            raise NotFoundError("case_not_found", number=number)
        check_case(desk.reader, case.department_code, case.number, case.store_code)
        if eight_disciplines and case.department_code != QUALITY_DEPARTMENT:
            raise WorkflowError("not_quality_case", number=case.number, department=case.department_code or "-")
        view = cases.case_view(uow, case)
        actions = corrective.views(s, records.corrective_actions_of(case))
        people = {e.actor for e in view.timeline} | {a.owner for a in actions}
        record = CaseRecord(view, records.details(s, case), actions, records.roles(s, people))
    # The whole record of one case (the customer's name, phone, e-mail): in the access log
    # before it leaves the desk.
    record_read(desk, Use.PRINT, {"case": record.view.number, "8d": eight_disciplines}, rows=1)
    return record
