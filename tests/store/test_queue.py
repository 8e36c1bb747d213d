"""Queue pages by key set, counts, filters and search, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from kesu_desk.domain.vocabulary import Severity, Status
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.queue import queue_count, queue_page, search_cases
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.store.queries import QueueFilter, Sort, row_key

TEXTS = ["屏幕碎了", "快递太慢了", "退款没有到账", "服务态度差", "The kettle leaks", "El envío llegó roto"]


@pytest.fixture
def many(register: Callable[..., CaseView]) -> list[CaseView]:
    severities = list(Severity)
    return [
        register(
            description=TEXTS[i % len(TEXTS)] + f" #{i}",
            phone=f"1390000{i:04d}",
            severity=severities[i % 4].value,
            customer_name=f"客户{i}",
        )
        for i in range(57)
    ]


def _walk(desk: Desk, sort: Sort, flt: QueueFilter | None = None, size: int = 10) -> list[int]:
    seen: list[int] = []
    after = None
    while True:
        rows = queue_page(desk, flt or QueueFilter(), sort, after=after, limit=size)
        if not rows:
            return seen
        seen += [r.id for r in rows]
        after = row_key(rows[-1], sort)


def test_key_set_pages_cover_every_case_once_in_order(desk: Desk, many: list[CaseView]) -> None:
    ids = [c.id for c in many]
    assert _walk(desk, Sort.NEWEST) == sorted(ids, reverse=True)
    assert _walk(desk, Sort.OLDEST) == sorted(ids)
    by_severity = _walk(desk, Sort.SEVERITY)
    expected = sorted(many, key=lambda c: (list(Severity).index(c.severity), c.id), reverse=True)
    assert by_severity == [c.id for c in expected]
    by_due = _walk(desk, Sort.DUE)
    expected_due = sorted(many, key=lambda c: (c.next_due_at, c.id))
    assert by_due == [c.id for c in expected_due]


def test_last_page_is_the_end_of_the_list_in_sort_order(desk: Desk, many: list[CaseView]) -> None:
    last = queue_page(desk, sort=Sort.NEWEST, limit=10, from_end=True)
    assert [r.id for r in last] == sorted((c.id for c in many), reverse=True)[-10:]
    before = queue_page(desk, sort=Sort.NEWEST, limit=10, from_end=True, after=row_key(last[0], Sort.NEWEST))
    assert [r.id for r in before] == sorted((c.id for c in many), reverse=True)[-20:-10]


def test_filters_and_counts(desk: Desk, many: list[CaseView]) -> None:
    first = many[0]
    cases.decide_validity(desk, "ag", first.number, founded=True)
    cases.assign(desk, "ag", first.number, department="QA", handler="hq")
    assigned = QueueFilter(statuses=(Status.ASSIGNED,))
    assert [r.number for r in queue_page(desk, assigned)] == [first.number]
    assert queue_count(desk, assigned) == 1
    assert queue_count(desk, QueueFilter(department="QA")) == 1
    assert queue_count(desk) == len(many)
    critical = QueueFilter(severities=(Severity.CRITICAL,))
    assert queue_count(desk, critical) == sum(c.severity is Severity.CRITICAL for c in many)
    row = queue_page(desk, assigned)[0]
    assert row.handler == "hq" and row.department == "QA"
    assert queue_count(desk, QueueFilter(overdue_at=utcnow())) == 0
    assert queue_count(desk, QueueFilter(overdue_at=utcnow() + timedelta(days=30))) == len(many)


@pytest.mark.parametrize(
    ("query", "expected_texts"),
    [
        ("屏", {"屏幕碎了"}),
        ("退款", {"退款没有到账"}),
        ("没有到账", {"退款没有到账"}),
        ("了", {"屏幕碎了", "快递太慢了"}),
        ("kett", {"The kettle leaks"}),
        ("envio", {"El envío llegó roto"}),
    ],
)
def test_search_by_text_with_one_or_two_chinese_characters(
    desk: Desk, many: list[CaseView], query: str, expected_texts: set[str]
) -> None:
    rows = search_cases(desk, query, limit=100)
    assert {r.summary.split(" #")[0] for r in rows} == expected_texts


def test_search_by_name_phone_and_number(desk: Desk, many: list[CaseView]) -> None:
    assert [r.number for r in search_cases(desk, "客户7")][-1:] == [many[7].number]
    assert many[12].number in {r.number for r in search_cases(desk, "13900000012")}
    prefix_hits = {r.number for r in search_cases(desk, "1390000001", limit=100)}
    assert prefix_hits == {many[i].number for i in range(10, 20)}
    assert [r.number for r in search_cases(desk, many[3].number)] == [many[3].number]


@pytest.mark.parametrize("query", ['"', 'a" OR "b', "NEAR(屏 幕)", "*", "屏 AND", "'; DROP TABLE cases; --"])
def test_search_syntax_in_user_input_is_harmless(desk: Desk, many: list[CaseView], query: str) -> None:
    search_cases(desk, query)  # must not raise
    assert queue_count(desk) == len(many)


def test_counts_kept_by_triggers_match_a_full_count(desk: Desk, many: list[CaseView]) -> None:
    from sqlalchemy import func, select

    from kesu_desk.store import queries
    from kesu_desk.store.models import Case

    moved = many[:3]
    for case in moved:
        cases.decide_validity(desk, "ag", case.number, founded=True)
        cases.assign(desk, "ag", case.number, department="LOG", handler="hl")
    cases.escalate(desk, "ag", moved[0].number, comment="媒体曝光")
    cases.decide_validity(desk, "ag", many[4].number, founded=False, reason="超出保修")
    with desk.uow(write=False) as uow:
        by_status = queries.count_by_status(uow.session)
        truth = dict(
            uow.session.execute(select(Case.status, func.count()).group_by(Case.status)).all()
        )
        for flt in (
            QueueFilter(department="LOG"),
            QueueFilter(statuses=(Status.ASSIGNED,), severities=(Severity.CRITICAL,)),
            QueueFilter(statuses=(Status.CLOSED,)),
        ):
            slow = QueueFilter(flt.statuses, flt.department, flt.severities, case_ids=tuple(c.id for c in many))
            assert queries.count(uow.session, flt) == queries.count(uow.session, slow)
    assert {s.value: n for s, n in by_status.items() if n} == truth
    assert by_status[Status.ASSIGNED] == 3 and by_status[Status.CLOSED] == 1


def test_a_short_phone_prefix_shared_by_many_customers_finds_the_newest(
    desk: Desk, many: list[CaseView], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kesu_desk.store import queries

    monkeypatch.setattr(queries, "DENSE_PHONE_PREFIX", 5)
    newest_first = sorted((c for c in many), key=lambda c: c.id, reverse=True)
    rows = search_cases(desk, "1390", limit=10)
    assert [r.number for r in rows] == [c.number for c in newest_first[:10]]
    after = search_cases(desk, "1390", limit=10, before_id=rows[-1].id)
    assert [r.number for r in after] == [c.number for c in newest_first[10:20]]


def test_rows_say_whether_their_deadline_is_on_time_at_risk_or_overdue(
    desk: Desk, many: list[CaseView]
) -> None:
    from kesu_desk.sla import DeadlineState

    row = queue_page(desk, limit=1)[0]
    assert row.next_due_at is not None
    assert row.deadline_state(row.registered_at) is DeadlineState.ON_TIME
    assert row.deadline_state(row.next_due_at - (row.next_due_at - row.clock_start) / 8) is DeadlineState.AT_RISK
    assert row.deadline_state(row.next_due_at + timedelta(minutes=1)) is DeadlineState.OVERDUE


def test_the_at_risk_filter_lists_exactly_the_rows_at_risk(desk: Desk, many: list[CaseView]) -> None:
    from kesu_desk.sla import DeadlineState

    # Move one case on, so its clock starts at assignment and not at registration.
    moved = many[0]
    cases.decide_validity(desk, "ag", moved.number, founded=True)
    cases.assign(desk, "ag", moved.number, department="QA", handler="hq")
    rows = queue_page(desk, limit=len(many))
    assert len(rows) == len(many)
    due = min(r.next_due_at for r in rows if r.next_due_at is not None)
    start = min(r.clock_start for r in rows)
    probes = [start, due - (due - start) / 5, due - timedelta(seconds=1), due + timedelta(hours=1),
              due + timedelta(days=3)]
    seen_at_risk = 0
    for now in probes:
        expected = {r.number for r in rows if r.deadline_state(now) is DeadlineState.AT_RISK}
        for sort in (Sort.NEWEST, Sort.DUE):
            got = {r.number for r in queue_page(desk, QueueFilter(at_risk_at=now), sort, limit=len(many))}
            assert got == expected, (now, sort)
        assert queue_count(desk, QueueFilter(at_risk_at=now)) == len(expected)
        seen_at_risk += len(expected)
    assert seen_at_risk > 0


def test_a_departments_search_reads_on_until_it_has_a_page_of_its_own(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    qa = []
    for i in range(7):
        view = register(description=f"水壶漏水 {i}")
        if i % 3 == 0:
            cases.decide_validity(desk, "ag", view.number, founded=True)
            cases.assign(desk, "ag", view.number, department="QA", handler="hq")
            qa.append(view.number)
    found = search_cases(desk, "漏水", limit=2, department="QA")
    assert [r.number for r in found] == qa[::-1][:2]
    rest = search_cases(desk, "漏水", limit=2, department="QA", before_id=found[-1].id)
    assert [r.number for r in rest] == qa[::-1][2:]
    assert len(search_cases(desk, "漏水", limit=10)) == 7
