"""Issue 13, accountability (step 8), on SQLite and PostgreSQL: the person responsible, the penalty
(a share of performance pay or an amount, in proportion to the loss) and who delayed the handling
are recorded with each implementation; a second implementation after a reopening keeps the first;
the period review lists them; the customer's written answer names none of it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from casesteps import to_approved
from kesu_desk.domain.errors import InvalidInput
from kesu_desk.present.letter import render_letter
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.letter import issue_letter
from kesu_desk.services.report import build_report
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow

Register = Callable[..., CaseView]


def to_implementing(desk: Desk, view: CaseView) -> CaseView:
    view = to_approved(desk, view)
    return cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)


def implemented(desk: Desk, view: CaseView, **accountability: Any) -> CaseView:
    return cases.implement(desk, "hq", view.number, implementation="已退款", accountability="来料检验疏漏",
                           version=view.version, **accountability)


def records(desk: Desk, number: str) -> list[Any]:
    with desk.uow(write=False) as uow:
        rows = uow.cases.implementations(uow.cases.get(number))
        uow.session.expunge_all()
        return rows


def test_who_answers_for_it_is_recorded_and_a_second_implementation_keeps_the_first(
    desk: Desk, register: Register
) -> None:
    view = implemented(desk, to_implementing(desk, register()), responsible="王师傅", penalty="10%",
                       loss=Decimal("600"), delayed_by="仓库 李四", delay_reason="配件晚发三天")
    # the customer is not satisfied: the case is reopened and carried out again
    view = cases.record_follow_up(desk, "ag", view.number, score=2, comments="还是漏", version=view.version)
    view = cases.record_cause(desk, "hq", view.number, fishbone="method", what="返修", why="工艺",
                              version=view.version)
    view = cases.propose(desk, "hq", view.number, remedy="exchange", version=view.version)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)
    view = cases.implement(desk, "hq", view.number, implementation="已换新", accountability="工艺问题",
                           responsible="张工", penalty="200", version=view.version)
    first, second = records(desk, view.number)
    assert (first.seq, first.responsible, first.penalty_percent_hundredths, first.loss_cents) == (1, "王师傅", 1000, 60000)
    assert (first.delayed_by, first.delay_reason, first.implementation) == ("仓库 李四", "配件晚发三天", "已退款")
    assert (second.seq, second.responsible, second.penalty_cents, second.implementation) == (2, "张工", 20000, "已换新")
    shown = cases.get_case(desk, view.number)
    assert shown.implementation == "已换新"  # the case shows the latest
    implements = [e for e in shown.timeline if e.action == "implement"]
    assert [e.details.get("responsible") for e in implements] == ["王师傅", "张工"]
    assert implements[1].details["implementation_no"] == 2


@pytest.mark.parametrize(("fields", "errors"), [
    ({"responsible": "王师傅", "penalty": "120%"}, {"penalty": "penalty_percent"}),
    ({"responsible": "王师傅", "penalty": "一百"}, {"penalty": "penalty_format"}),
    ({"penalty": "10%"}, {"responsible": "penalty_needs_person"}),
    ({"delayed_by": "李四"}, {"delay_reason": "delay_needs_reason"}),
    ({"responsible": "x" * 129}, {"responsible": "string_too_long"}),
    ({"loss": "-5"}, {"loss": "amount_negative"}),
])
def test_a_wrong_penalty_or_delay_is_refused_and_nothing_is_written(
    desk: Desk, register: Register, fields: dict[str, Any], errors: dict[str, str]
) -> None:
    view = to_implementing(desk, register())
    with pytest.raises(InvalidInput) as refused:
        implemented(desk, view, **fields)
    assert refused.value.params["errors"] == errors
    assert records(desk, view.number) == [] and cases.get_case(desk, view.number).status == "implementing"


def test_the_review_lists_the_persons_their_penalties_and_who_delayed(desk: Desk, register: Register) -> None:
    implemented(desk, to_implementing(desk, register()), responsible="王师傅", penalty="10%",
                delayed_by="李四", delay_reason="晚发")
    implemented(desk, to_implementing(desk, register(phone="13900139000")), responsible="王师傅", penalty="150")
    today = desk.calendar.local_date(utcnow())
    report = build_report(desk, today, today)
    [person] = report.accountability
    assert (person.person, person.cases, person.penalties, person.shares) == ("王师傅", 2, Decimal("150.00"),
                                                                           [Decimal("10")])
    assert [(d.code, d.n) for d in report.delays] == [("李四", 1)]


def test_the_customers_written_answer_names_no_one_responsible(desk: Desk, register: Register) -> None:
    view = implemented(desk, to_implementing(desk, register()), responsible="王师傅", penalty="10%",
                       delayed_by="仓库李四", delay_reason="配件晚发三天")
    letter = render_letter(issue_letter(desk, "sup", view.number), desk.calendar.tz)
    for internal in ("王师傅", "10%", "仓库李四", "配件晚发三天", "来料检验疏漏"):
        assert internal not in letter
