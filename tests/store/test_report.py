"""The period review on both engines: a known set of cases built through the services, and every
figure of the report checked against it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from casesteps import draft, sign_in, to_follow_up, to_investigating
from kesu_desk.domain.errors import AccessDenied, InvalidInput
from kesu_desk.domain.vocabulary import CorrectiveStatus, Remedy
from kesu_desk.i18n import describe
from kesu_desk.present.report import report_tables
from kesu_desk.services import cases, corrective
from kesu_desk.services.desk import Desk
from kesu_desk.services.report import (
    BatchProblem,
    Cause,
    Count,
    DeadlineCount,
    PeriodReport,
    RepeatComplainant,
    build_report,
    period_bounds,
)
from kesu_desk.services.users import UserView
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow

Register = Callable[..., CaseView]
C1, C2, C3 = "13800138000", "13900139000", "13700137000"
PRODUCT = "电水壶 K-200"
WHY = "供应商批次胶料老化"


@dataclass
class Period:
    start: date
    end: date
    numbers: dict[str, str]  # letter -> case number
    customers: dict[str, int]  # phone -> customer id
    action_id: int


def register_at(desk: Desk, moment: datetime, **fields: Any) -> CaseView:
    with desk.uow() as uow:
        case = cases.register_in(uow, desk, "ag", draft(**fields), registered_at=moment)
        uow.commit()
        number = case.number
    return cases.get_case(desk, number)


@pytest.fixture
def period(desk: Desk, people: dict[str, UserView], register: Register) -> Period:
    """Seven cases in the period (A–F, H), two just outside it (G before, I after).

    A  C1 QA  phone   B1  quality_defect  refund 300, satisfied (5), typical, batch corrective action
    B  C1 QA  email   B1  quality_defect  refund 300, dissatisfied (2): reopened
    C  C2 LOG phone   B1  transit_damage  exchange, satisfied (4); the department answered late
    D  C2 –   phone   B1  quality_defect  not founded
    E  C3 –   shop    B1  –               urgent (critical), only registered
    F  C3 QA  online  B2  quality_defect  cause recorded, apology proposed (not yet approved)
    H  C3 –   social  –   –               merged into E
    G  C1 –   phone   B1  (the day before the period; has a corrective action of its own)
    I  C1 –   phone   B1  (the day after the period)
    """
    today = desk.calendar.local_date(utcnow())
    start, end = today - timedelta(days=1), today + timedelta(days=1)
    first = datetime.combine(start, time(), desk.calendar.tz).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time(), desk.calendar.tz).astimezone(UTC)
    n: dict[str, str] = {}

    a = to_follow_up(desk, register(phone=C1, batch="B1", category="quality_defect"))
    a = cases.record_follow_up(desk, "ag", a.number, score=5, version=a.version)
    cases.mark_typical(desk, "sup", a.number, comment="培训")
    n["A"] = a.number

    b = to_follow_up(desk, register(phone=C1, batch="B1", category="quality_defect", channel="email"))
    b = cases.record_follow_up(desk, "ag", b.number, score=2, version=b.version)
    n["B"] = b.number

    c = register(phone=C2, batch="B1", category="transit_damage", customer_name="韩梅梅")
    c = cases.decide_validity(desk, "ag", c.number, founded=True, version=c.version)
    c = cases.assign(desk, "ag", c.number, department="LOG", handler="hl", version=c.version)
    with desk.uow() as uow:  # the department's deadline passed before it answered
        uow.session.execute(text("UPDATE cases SET department_due_at = registered_at WHERE number = :n"),
                            {"n": c.number})
        uow.commit()
    c = cases.record_cause(desk, "hl", c.number, fishbone="method", what="外箱破损", why="承运商野蛮装卸")
    c = cases.propose(desk, "hl", c.number, remedy=Remedy.EXCHANGE, amount=None)
    c = cases.approve(desk, "sup", c.number)
    c = cases.record_customer_answer(desk, "ag", c.number, agrees=True)
    c = cases.implement(desk, "hl", c.number, implementation="已换新", accountability="承运商")
    c = cases.record_follow_up(desk, "ag", c.number, score=4)
    n["C"] = c.number

    d = register(phone=C2, batch="B1", category="quality_defect")
    cases.decide_validity(desk, "ag", d.number, founded=False, reason="超出保修期且人为损坏")
    n["D"] = d.number

    n["E"] = register(phone=C3, batch="B1", channel="shop", urgent=True).number

    f = to_investigating(desk, register(phone=C3, batch="B2", category="quality_defect", channel="online"))
    f = cases.record_cause(desk, "hq", f.number, fishbone="material", what="漏水", why=f"  {WHY}  ",
                           version=f.version)
    cases.propose(desk, "hq", f.number, remedy=Remedy.APOLOGY, amount=None, version=f.version)
    n["F"] = f.number

    h = register(phone=C3, channel="social")
    cases.merge(desk, "ag", h.number, into=n["E"], comment="同一问题")
    n["H"] = h.number

    g = register_at(desk, first - timedelta(microseconds=1), phone=C1, batch="B1")
    n["G"] = g.number
    n["I"] = register_at(desk, after, phone=C1, batch="B1").number

    soon = today + timedelta(days=14)
    # E's unit made B1 a batch problem: its corrective action opened by itself on A, the batch's
    # first case, owned by QA's first handler and due in 14 days (issue 13)
    [action] = corrective.list_actions(desk, product=PRODUCT, batch="B1")
    assert (action.case_number, action.owner, action.due_date) == (n["A"], "hq", soon)
    corrective.open_action(desk, "sup", n["G"], owner="hq", due=soon, text="not in the period")
    with desk.uow(write=False) as uow:
        # C1, C2, C3 in the order they first called
        ids = [int(i) for i in uow.session.execute(text("SELECT id FROM customers ORDER BY id")).scalars()]
    return Period(start, end, n, dict(zip((C1, C2, C3), ids, strict=True)), action.id)


def test_every_figure_of_the_review(desk: Desk, period: Period) -> None:
    report = build_report(desk, period.start, period.end)
    n = period.numbers

    assert (report.start, report.end, report.timezone) == (period.start, period.end, "Asia/Shanghai")
    assert (report.total, report.closed, report.open, report.not_founded, report.merged) == (7, 4, 3, 1, 1)
    assert report.by_category == [Count("quality_defect", 4), Count("", 2), Count("transit_damage", 1)]
    assert report.by_department == [Count("", 3), Count("QA", 3), Count("LOG", 1)]
    assert report.by_channel == [Count("phone", 3), Count("email", 1), Count("online", 1),
                                 Count("shop", 1), Count("social", 1)]
    assert report.by_severity == [Count("critical", 1), Count("normal", 6)]

    # Merged H is left out; nothing answered is late yet except C's department.
    assert report.deadlines == [
        DeadlineCount("", "acknowledge", kept=1, missed=0, pending=1),  # D decided; E waits
        DeadlineCount("", "answer", kept=1, missed=0, pending=1),
        DeadlineCount("LOG", "acknowledge", 1, 0, 0),
        DeadlineCount("LOG", "department", 0, 1, 0),  # answered after its deadline
        DeadlineCount("LOG", "answer", 1, 0, 0),
        DeadlineCount("LOG", "follow_up", 1, 0, 0),
        DeadlineCount("QA", "acknowledge", 3, 0, 0),
        DeadlineCount("QA", "department", 2, 0, 1),  # B reopened: a new deadline runs
        DeadlineCount("QA", "answer", 2, 0, 1),  # F's remedy is not approved yet
        DeadlineCount("QA", "follow_up", 2, 0, 0),
    ]
    assert report.deadlines[3].kept_share == 0.0 and report.deadlines[7].kept_share == 100.0

    assert [(r.remedy, r.n, r.cost) for r in report.remedies] == [
        ("refund", 2, Decimal("600.00")), ("exchange", 1, Decimal("0")),
    ]
    assert (report.remedies_given, report.total_cost) == (3, Decimal("600.00"))

    sat = report.satisfaction
    assert sat.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert (sat.surveyed, sat.average, sat.not_reached) == (3, Decimal("3.67"), 0)

    assert report.causes_by_factor == [Cause("material", 3, 75.0, 75.0), Cause("method", 1, 25.0, 100.0)]
    # F's cause, spelled with spaces around it, counts with A's and B's.
    assert report.causes_by_text == [Cause(WHY, 3, 75.0, 75.0), Cause("承运商野蛮装卸", 1, 25.0, 100.0)]

    ids = period.customers
    assert report.repeat_complainants == [
        RepeatComplainant(ids[C3], "李雷", (n["E"], n["F"], n["H"])),
        RepeatComplainant(ids[C1], "李雷", (n["A"], n["B"])),
        RepeatComplainant(ids[C2], "韩梅梅", (n["C"], n["D"])),
    ]

    assert report.batch_threshold == 5
    [action] = report.corrective_actions  # G's action is not the period's
    assert (action.id, action.case_number, action.status) == (period.action_id, n["A"], CorrectiveStatus.OPEN)
    # B1: A–E in the period, G and I around it; B2 (F) is one case only.
    assert report.batch_problems == [BatchProblem(PRODUCT, "B1", 5, 7, (action,))]

    assert [(c.number, c.category, c.department, c.status, c.satisfaction) for c in report.typical] == [
        (n["A"], "quality_defect", "QA", "closed", 5)
    ]
    assert report.department_names["QA"]["zh"] == "质量管理部"


def test_deadlines_not_answered_in_time_turn_missed(desk: Desk, period: Period) -> None:
    later = build_report(desk, period.start, period.end, now=utcnow() + timedelta(days=60))
    assert [d for d in later.deadlines if d.pending or d.missed] == [
        DeadlineCount("", "acknowledge", 1, 1, 0),
        DeadlineCount("", "answer", 1, 1, 0),
        DeadlineCount("LOG", "department", 0, 1, 0),
        DeadlineCount("QA", "department", 2, 1, 0),
        DeadlineCount("QA", "answer", 2, 1, 0),
    ]


def test_a_department_waiting_for_the_customer_is_pending(desk: Desk, period: Period) -> None:
    number = period.numbers["B"]
    cases.await_customer(desk, "hq", number, comment="请提供照片")
    later = build_report(desk, period.start, period.end, now=utcnow() + timedelta(days=60))
    assert DeadlineCount("QA", "department", 2, 0, 1) in later.deadlines


def test_the_period_is_local_days_inclusive(desk: Desk, period: Period) -> None:
    first, after = period_bounds(desk, period.start, period.end)
    assert after - first == timedelta(days=3)
    assert first.astimezone(desk.calendar.tz).time() == time()
    day_before = build_report(desk, period.start - timedelta(days=1), period.start - timedelta(days=1))
    assert day_before.total == 1  # G
    assert (day_before.batch_problems[0].in_period, day_before.batch_problems[0].total) == (1, 7)
    # G's batch is a batch problem in that period too: its corrective action (opened from A) shows.
    assert {a.case_number for a in day_before.corrective_actions} == {period.numbers["G"], period.numbers["A"]}
    empty = build_report(desk, date(2001, 1, 1), date(2001, 1, 31))
    assert (empty.total, empty.by_category, empty.deadlines, empty.remedies, empty.satisfaction.average) == (
        0, [], [], [], None)
    assert (empty.causes_by_factor, empty.repeat_complainants, empty.batch_problems, empty.typical) == (
        [], [], [], [])
    with pytest.raises(InvalidInput) as info:
        build_report(desk, period.end, period.start)
    assert info.value.code == "bad_period"


def test_the_batch_threshold_is_the_rules_one(desk: Desk, tmp_path: Any) -> None:
    assert desk.rules.batch_threshold == 5
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rules]]\nid = "batch-problem"\n[rules.when]\nbatch_count_min = 3\n'
        '[rules.then]\ncorrective_action = true\n', encoding="utf-8")
    stricter = Desk(desk.settings.model_copy(update={"rules": rules}), desk.engine)
    assert not stricter.rule_problems
    assert stricter.rules.batch_threshold == 3


def test_the_tables_carry_every_figure_in_the_users_language(desk: Desk, period: Period) -> None:
    report: PeriodReport = build_report(desk, period.start, period.end)
    zh = {table.key: table for table in report_tables(report, "zh")}
    assert list(zh) == [
        "summary", "by_kind", "by_category", "by_department", "by_channel", "by_severity", "deadlines",
        "remedies", "satisfaction", "causes_by_factor", "causes_by_text", "repeat_complainants",
        "batch_problems", "corrective_actions", "typical", "accountability", "delays",
    ]
    summary = {row[0].value: row[1].value for row in zh["summary"].rows}
    assert summary == {
        "total": "7", "closed": "4", "open": "3", "not_founded": "1", "merged": "1", "first_contact": "0",
        "remedies_given": "3", "total_cost": "600.00", "surveyed": "3", "satisfaction_average": "3.67",
        "not_reached": "0", "batch_problems": "1", "corrective_actions": "1", "typical": "1",
    }
    assert zh["summary"].title == "概况"
    assert [c.text for c in zh["by_department"].rows[1]] == ["QA 质量管理部", "3", "42.9%"]
    assert zh["causes_by_factor"].rows[0][0].text == "料"
    totals = [[c.value for c in row] for row in zh["deadlines"].rows if row[0].value == "*"]
    assert totals == [["*", "acknowledge", "5", "0", "1", "100.0"], ["*", "department", "2", "1", "1", "66.7"],
                      ["*", "answer", "4", "0", "2", "100.0"], ["*", "follow_up", "3", "0", "0", "100.0"]]
    assert [[c.text for c in row] for row in zh["by_kind"].rows] == [["投诉", "7", "100.0%"]]
    es = {table.key: table for table in report_tables(report, "es")}
    assert es["by_channel"].rows[0][0].text == "teléfono"


def test_a_period_from_the_first_to_the_last_representable_day_is_every_case(
    desk: Desk, period: Period
) -> None:
    """Issue 11.11: `report --from 0001-01-01 --to 9999-12-31` is the review of every case."""
    everything = build_report(desk, date.min, date.max)
    assert everything.total == len(period.numbers)
    first, after = period_bounds(desk, date.min, date.max)
    assert first <= datetime(1, 1, 2, tzinfo=UTC) and after >= datetime(9999, 12, 30, tzinfo=UTC)



def test_a_handler_reviews_their_departments_cases_only(desk: Desk, period: Period) -> None:
    n, ids = period.numbers, period.customers
    sign_in(desk, "hq")  # QA: A, B and F of the period
    qa = build_report(desk, period.start, period.end)
    assert (qa.total, qa.by_department, qa.by_channel) == (
        3, [Count("QA", 3)], [Count("email", 1), Count("online", 1), Count("phone", 1)])
    assert qa.repeat_complainants == [RepeatComplainant(ids[C1], "李雷", (n["A"], n["B"]))]
    [action] = qa.corrective_actions
    assert action.case_number == n["A"]
    # B1 is a batch problem whoever asks (7 cases in all); two of QA's cases are of it.
    assert qa.batch_problems == [BatchProblem(PRODUCT, "B1", 2, 7, (action,))]
    assert [c.number for c in qa.typical] == [n["A"]]

    sign_in(desk, "hl")  # LOG: C; the batch's corrective action was opened from QA's case A
    log = build_report(desk, period.start, period.end)
    assert (log.total, log.corrective_actions, log.repeat_complainants) == (1, [], [])
    assert log.batch_problems == [BatchProblem(PRODUCT, "B1", 1, 7, ())]

    sign_in(desk, "sup")
    assert build_report(desk, period.start, period.end).total == 7


def test_an_agent_may_not_read_the_review(desk: Desk, people: dict[str, UserView]) -> None:
    sign_in(desk, "ag")
    today = desk.calendar.local_date(utcnow())
    with pytest.raises(AccessDenied) as refused:
        build_report(desk, today, today)
    assert describe(refused.value, "en") == "ag (agent) may not read the period review."
