"""Moving a case along the workflow in tests, as the demo people of conftest (ag, hq, sup)."""

from __future__ import annotations

from decimal import Decimal

from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView


def to_assigned(desk: Desk, view: CaseView) -> CaseView:
    view = cases.decide_validity(desk, "ag", view.number, founded=True, version=view.version)
    return cases.assign(
        desk, "ag", view.number, department="QA", handler="hq", version=view.version
    )


def to_investigating(desk: Desk, view: CaseView) -> CaseView:
    view = to_assigned(desk, view)
    return cases.record_cause(
        desk,
        "hq",
        view.number,
        fishbone="material",
        what="密封圈漏水",
        why="供应商批次胶料老化",
        version=view.version,
    )


def to_proposed(
    desk: Desk, view: CaseView, remedy: str = "refund", amount: str | None = "300"
) -> CaseView:
    view = to_investigating(desk, view)
    return cases.propose(
        desk,
        "hq",
        view.number,
        remedy=remedy,
        amount=Decimal(amount) if amount else None,
        version=view.version,
    )


def to_approved(desk: Desk, view: CaseView) -> CaseView:
    view = to_proposed(desk, view)
    return cases.approve(desk, "sup", view.number, version=view.version)


def to_follow_up(desk: Desk, view: CaseView) -> CaseView:
    view = to_approved(desk, view)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)
    return cases.implement(
        desk,
        "hq",
        view.number,
        implementation="退款已到账",
        accountability="供应商来料检验",
        version=view.version,
    )
