"""Issue 13, stores: a store manager's lists hold their store's cases, and only those — the queue,
its counts (kept and counted), a page in the middle and the approvals badge; a supervisor still
reads everything. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from casesteps import signed_in, to_follow_up, to_proposed
from kesu_desk.domain.vocabulary import Role, Status
from kesu_desk.services import cases, stores, users
from kesu_desk.services.approvals import approval_inbox, pending_total
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
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.store import queries
from kesu_desk.store.models import Case

Register = Callable[..., CaseView]




@pytest.fixture
def chain(desk: Desk, people: Any, register: Register) -> dict[str, set[str]]:
    """Two stores with a manager each, their cases, and one case of no store."""
    stores.add_store(desk, "M01", "Madrid Centro", limit="150")
    stores.add_store(desk, "S02", "Sevilla Triana", limit="50")
    users.add_user(desk, "ana", Role.STORE_MANAGER, store="M01")
    madrid = [register(store="M01", phone=f"1380013800{i}") for i in range(3)]
    sevilla = [register(store="S02", phone=f"1390013900{i}") for i in range(2)]
    nowhere = register(phone="13700137000")
    to_proposed(desk, madrid[0], remedy="refund", amount="20")
    to_proposed(desk, sevilla[0], remedy="refund", amount="20")
    return {"M01": {c.number for c in madrid}, "S02": {c.number for c in sevilla},
            "none": {nowhere.number}}


def _customer(desk: Desk, view: CaseView) -> int:
    with desk.uow(write=False) as uow:
        return uow.session.exec(select(Case.customer_id).where(Case.number == view.number)).one()


def numbers(rows: list[queries.QueueRow]) -> set[str]:
    return {r.number for r in rows}


def test_a_store_managers_queue_and_counts_hold_their_stores_cases_only(
    desk: Desk, chain: dict[str, set[str]]
) -> None:
    own = chain["M01"]
    with signed_in(desk, "ana"):
        assert numbers(queue_page(desk, limit=50)) == own
        assert queue_count(desk) == len(own)
        for sort in (Sort.NEWEST, Sort.OLDEST):
            assert numbers(queue_page(desk, sort=sort, limit=50, from_end=True)) == own
            assert numbers(queue_page_at(desk, QueueFilter(), sort, 0, 50)) == own
        last = queue_page(desk, limit=1)[0]
        assert numbers(queue_page(desk, after=(last.id,))) == own - {last.number}
        proposed = QueueFilter(statuses=(Status.PROPOSED,))
        assert len(queue_page(desk, proposed)) == 1 and queue_count(desk, proposed) == 1
        with desk.uow(write=False) as uow:
            by_status = dict(queries.count_by_status(uow.session, scope=desk.scope))
        assert sum(by_status.values()) == len(own)
        assert pending_total(desk) == 1  # Sevilla's proposal is not theirs
    with signed_in(desk, "sup"):
        everyone = chain["M01"] | chain["S02"] | chain["none"]
        assert numbers(queue_page(desk, limit=50)) == everyone
        assert queue_count(desk) == len(everyone)
        assert pending_total(desk) == 2


def test_a_store_managers_inbox_follow_ups_and_customer_history_hold_their_stores_cases_only(
    desk: Desk, register: Register, chain: dict[str, set[str]]
) -> None:
    madrid = to_follow_up(desk, register(store="M01", phone="13600136000"))
    sevilla = to_follow_up(desk, register(store="S02", phone="13600136000"))  # the same customer
    with signed_in(desk, "ana"):
        items = approval_inbox(desk, "ana")  # Madrid's refund of 20, within its limit of 150
        inbox = {i.number for i in items}
        assert len(inbox) == 1 and inbox <= chain["M01"]
        assert all(i.approvable for i in items)
        assert {i.number for i in follow_ups_due(desk, "ana", utcnow())} == {madrid.number}
        with desk.uow(write=False) as uow:
            customer = queries.customer_cases(uow.session, _customer(desk, madrid), scope=desk.scope)
        assert numbers(customer) == {madrid.number}
    with signed_in(desk, "sup"):
        assert {i.number for i in approval_inbox(desk, "sup")} >= inbox
        with desk.uow(write=False) as uow:
            customer = queries.customer_cases(uow.session, _customer(desk, madrid), scope=desk.scope)
        assert numbers(customer) == {madrid.number, sevilla.number}


def test_a_store_managers_search_finds_their_stores_cases_only(desk: Desk, chain: dict[str, set[str]]) -> None:
    own, other = chain["M01"], next(iter(chain["S02"]))
    with signed_in(desk, "ana"):
        assert numbers(search_cases(desk, "漏水")) == own  # by text
        assert numbers(search_cases(desk, "13800138000")) <= own  # by phone
        assert numbers(search_cases(desk, "1390013900")) == set()  # Sevilla's customers
        assert search_cases(desk, other) == []  # by number
        assert numbers(search_cases(desk, other[:12])) == own  # KS-<today>-
    with signed_in(desk, "sup"):
        assert numbers(search_cases(desk, "漏水")) == own | chain["S02"] | chain["none"]


def test_a_store_managers_similar_closed_cases_come_from_their_store_only(
    desk: Desk, register: Register, chain: dict[str, set[str]]
) -> None:
    closed = {}
    for store in ("M01", "S02"):
        done = to_follow_up(desk, register(store=store, description="电水壶漏水", phone="13500135000"))
        closed[store] = cases.record_follow_up(desk, "ag", done.number, score=5, version=done.version).number
    with signed_in(desk, "ana"):
        assert [s.number for s in suggest_case(desk, "电水壶漏水").similar] == [closed["M01"]]
    with signed_in(desk, "sup"):
        assert {s.number for s in suggest_case(desk, "电水壶漏水").similar} == set(closed.values())
