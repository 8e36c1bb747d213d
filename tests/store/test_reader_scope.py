"""What a reader may read of the lists (domain/access.py), decided in the services: a handler of
the quality department never reads a finance case — in the queue, its counts, a search by text,
name, number or phone, the follow-ups, the similar cases of a suggestion, the approval inbox or an
export — whatever filter is asked for; agents may not export; a supervisor reads everything.
On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from casesteps import signed_in, to_assigned, to_follow_up, to_proposed
from kesu_desk.domain.access import Scope
from kesu_desk.domain.errors import AccessDenied, WorkflowError
from kesu_desk.domain.vocabulary import Status
from kesu_desk.services import cases, users
from kesu_desk.services.approvals import approval_inbox, pending_total, waiting_args, waiting_count
from kesu_desk.services.desk import Desk
from kesu_desk.services.follow_ups import follow_ups_due
from kesu_desk.services.queue import (
    QueueFilter,
    Sort,
    queue_count,
    queue_page,
    queue_page_at,
    search_cases,
)
from kesu_desk.services.suggestions import suggest_case
from kesu_desk.services.transfer import export_cases, import_cases
from kesu_desk.services.users import UserView
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.store import queries

Register = Callable[..., CaseView]
QA_ONLY = Scope(frozenset({"QA"}))




@dataclass
class Cases:
    qa: list[CaseView]  # the quality department's
    fin: list[CaseView]  # the finance department's
    unassigned: CaseView

    @property
    def qa_numbers(self) -> set[str]:
        return {c.number for c in self.qa}

    @property
    def fin_numbers(self) -> set[str]:
        return {c.number for c in self.fin}

    @property
    def everyone(self) -> set[str]:
        return self.qa_numbers | self.fin_numbers | {self.unassigned.number}


@pytest.fixture
def both(desk: Desk, people: dict[str, UserView], register: Register) -> Cases:
    """The same complaint ("水壶漏水") in QA and in FIN at each stage, and one not yet assigned;
    customers 客户 1…7 with phones 1390000000N."""
    users.add_user(desk, "hf", "handler", "FIN")
    made: dict[str, list[CaseView]] = {"QA": [], "FIN": []}
    phone = iter(range(1, 100))
    for dept, handler in (("QA", "hq"), ("FIN", "hf")):
        def new(dept: str = dept) -> CaseView:
            n = next(phone)
            return register(description=f"电水壶漏水 {dept}", phone=f"1390000000{n}", customer_name=f"客户{n}")

        team = {"department": dept, "handler": handler}
        made[dept].append(to_assigned(desk, new(), **team))
        made[dept].append(to_proposed(desk, new(), **team))
        made[dept].append(to_follow_up(desk, new(), **team))
        done = to_follow_up(desk, new(), **team)
        made[dept].append(cases.record_follow_up(desk, "ag", done.number, score=5, version=done.version))
    unassigned = register(description="电水壶漏水 还没分派", phone="13900000099", customer_name="客户99")
    return Cases(made["QA"], made["FIN"], unassigned)


def numbers(rows: list[queries.QueueRow]) -> set[str]:
    return {r.number for r in rows}


def test_a_handlers_queue_pages_and_counts_hold_only_their_departments_cases(
    desk: Desk, both: Cases
) -> None:
    with signed_in(desk, "hq"):
        assert numbers(queue_page(desk, limit=50)) == both.qa_numbers
        assert queue_count(desk) == len(both.qa)
        for sort in Sort:
            # By deadline: the cases that have one (the closed case has none).
            expected = both.qa_numbers - ({both.qa[3].number} if sort is Sort.DUE else set())
            assert numbers(queue_page(desk, sort=sort, limit=50, from_end=True)) == expected
            assert numbers(queue_page_at(desk, QueueFilter(), sort, 0, 50)) == expected
        # Asking for another department, or for their cases by another filter, reads nothing more.
        fin = QueueFilter(department="FIN")
        assert queue_page(desk, fin) == [] and queue_count(desk, fin) == 0
        assert queue_page_at(desk, fin, Sort.NEWEST, 0) == []
        assert numbers(queue_page(desk, QueueFilter(department="QA"))) == both.qa_numbers
        follow_up = QueueFilter(statuses=(Status.FOLLOW_UP,))
        assert numbers(queue_page(desk, follow_up)) == {both.qa[2].number}
        assert queue_count(desk, follow_up) == 1
        later = QueueFilter(overdue_at=utcnow().replace(year=utcnow().year + 1))  # counted, not kept
        assert numbers(queue_page(desk, later, Sort.DUE)) <= both.qa_numbers
        assert queue_count(desk, later) == len(queue_page(desk, later, Sort.DUE))
        last = queue_page(desk, limit=1)[0]
        assert numbers(queue_page(desk, after=(last.id,))) == both.qa_numbers - {last.number}
    with signed_in(desk, "sup"):
        assert numbers(queue_page(desk, limit=50)) == both.everyone
        assert queue_count(desk) == len(both.everyone)
        assert numbers(queue_page(desk, QueueFilter(department="FIN"))) == both.fin_numbers


def test_a_handlers_search_finds_only_their_departments_cases(
    desk: Desk, both: Cases, monkeypatch: pytest.MonkeyPatch
) -> None:
    fin_case = both.fin[0]
    with signed_in(desk, "hq"):
        assert numbers(search_cases(desk, "漏水")) == both.qa_numbers
        assert numbers(search_cases(desk, "FIN")) == set()
        assert numbers(search_cases(desk, "客户")) == both.qa_numbers
        assert search_cases(desk, fin_case.number) == []
        assert numbers(search_cases(desk, fin_case.number[:12])) == both.qa_numbers  # KS-<today>-
        assert numbers(search_cases(desk, both.qa[0].number)) == {both.qa[0].number}
        # A phone prefix: most of a number (the phone index), then a few digits shared by many
        # customers (walking the cases newest first).
        assert numbers(search_cases(desk, "139000000")) == both.qa_numbers
        assert search_cases(desk, "13900000005") == []  # the first FIN case's customer
        monkeypatch.setattr(queries, "DENSE_PHONE_PREFIX", 1)
        assert numbers(search_cases(desk, "139")) == both.qa_numbers
        # Newest first, page after page, never a finance case.
        first = search_cases(desk, "漏水", limit=2)
        rest = search_cases(desk, "漏水", limit=10, before_id=first[-1].id)
        assert numbers(first) | numbers(rest) == both.qa_numbers
        # Another department asked for by name reads nothing.
        assert search_cases(desk, "漏水", department="FIN") == []
    with signed_in(desk, "sup"):
        assert numbers(search_cases(desk, "漏水")) == both.everyone
        assert numbers(search_cases(desk, "139")) == both.everyone
        assert numbers(search_cases(desk, fin_case.number)) == {fin_case.number}
        assert numbers(search_cases(desk, "漏水", department="FIN")) == both.fin_numbers


def test_follow_ups_are_read_only_within_the_readers_departments(desk: Desk, both: Cases) -> None:
    with signed_in(desk, "hq"), pytest.raises(WorkflowError):
        follow_ups_due(desk, "hq", utcnow())  # handlers make no follow-up calls at all
    with signed_in(desk, "ag"):
        assert {i.number for i in follow_ups_due(desk, "ag", utcnow())} == {both.qa[2].number, both.fin[2].number}
    # The read model keeps to a scope of departments, for whichever reader has one.
    with desk.uow(write=False) as uow:
        assert {r.number for r in queries.follow_up_page(uow.session, scope=QA_ONLY)} == {both.qa[2].number}


def test_similar_closed_cases_come_only_from_the_readers_departments(desk: Desk, both: Cases) -> None:
    qa_closed, fin_closed = both.qa[3].number, both.fin[3].number
    with signed_in(desk, "hq"):
        assert [s.number for s in suggest_case(desk, "电水壶漏水").similar] == [qa_closed]
    with signed_in(desk, "hf"):
        assert [s.number for s in suggest_case(desk, "电水壶漏水").similar] == [fin_closed]
    with signed_in(desk, "sup"):
        assert {s.number for s in suggest_case(desk, "电水壶漏水").similar} == {qa_closed, fin_closed}


def test_the_approval_inbox_and_its_counts_keep_to_the_readers_scope(desk: Desk, both: Cases) -> None:
    proposed = {both.qa[1].number, both.fin[1].number}
    with signed_in(desk, "sup2"):
        assert {i.number for i in approval_inbox(desk, "sup2")} == proposed
        assert waiting_count(desk, "sup2") == 2 and pending_total(desk) == 2
    with signed_in(desk, "hq"):
        assert waiting_count(desk, "hq") == 0
        assert pending_total(desk) == 1  # the QA proposal only
    args = waiting_args(desk, users.whoami(desk, "sup2"))
    with desk.uow(write=False) as uow:
        pending = queries.pending_proposals(uow.session, **args, scope=QA_ONLY)
        assert [p.number for p in pending] == [both.qa[1].number]
        assert queries.count_waiting_for(uow.session, **args, scope=QA_ONLY) == 1
        assert queries.count_pending(uow.session, Scope(frozenset())) == 0


def exported(desk: Desk) -> set[str]:
    out = io.StringIO()
    export_cases(desk, out, "jsonl")
    return {json.loads(line)["number"] for line in out.getvalue().splitlines()}


def test_agents_and_handlers_may_not_export_and_nothing_is_written(desk: Desk, both: Cases) -> None:
    for name in ("ag", "hq"):
        out = io.StringIO()
        with signed_in(desk, name), pytest.raises(AccessDenied) as refused:
            export_cases(desk, out, "csv")
        assert refused.value.code == "not_allowed" and out.getvalue() == ""
    with signed_in(desk, "sup"):
        assert exported(desk) == both.everyone
    from kesu_desk.store import transfer as store_transfer

    with desk.uow(write=False) as uow:
        rows = store_transfer.export_batch(uow.session, 0, (), 100, QA_ONLY)
        assert {r.number for r in rows} == both.qa_numbers


def test_agents_may_not_import_and_nothing_is_stored(
    desk: Desk, people: dict[str, UserView], tmp_path: Path
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"phone": "13800138000", "description": "壶盖漏水"}) + "\n", encoding="utf-8")
    with signed_in(desk, "ag"), pytest.raises(AccessDenied):
        import_cases(desk, path, "ag")
    assert queue_count(desk) == 0
    with signed_in(desk, "sup"):
        assert import_cases(desk, path, "sup").imported == 1
    assert queue_count(desk) == 1
