"""Issue 16: the kept case counts (case_counts) stay exact whatever a statement does, and on
PostgreSQL two terminals changing cases at the same instant do not wait on one counter row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from casesteps import draft
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]


def kept_and_counted(desk: Desk) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with desk.engine.connect() as conn:
        kept = conn.execute(text(
            "SELECT status, department, severity, SUM(n) FROM case_counts GROUP BY 1, 2, 3 "
            "HAVING SUM(n) != 0 ORDER BY 1, 2, 3")).all()
        counted = conn.execute(text(
            "SELECT status, COALESCE(department_code, ''), severity, COUNT(*) FROM cases "
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")).all()
    return [tuple(r) for r in kept], [tuple(r) for r in counted]


def test_counts_stay_exact_through_statements_of_many_rows(desk: Desk, register: Register) -> None:
    made = [register(description=f"水壶漏水 {i}") for i in range(6)]
    cases.decide_validity(desk, "ag", made[0].number, founded=True)
    cases.assign(desk, "ag", made[0].number, department="QA", handler="hq")
    with desk.engine.begin() as conn:  # what a plain database connection can send
        conn.execute(text("UPDATE cases SET severity = 3 WHERE id IN (:a, :b, :c)"),
                     {"a": made[1].id, "b": made[2].id, "c": made[3].id})
        conn.execute(text("UPDATE cases SET department_code = 'LOG' WHERE department_code IS NULL AND severity = 3"))
        conn.execute(text("UPDATE cases SET description = description || ' ' WHERE id > 0"))  # no count moves
    kept, counted = kept_and_counted(desk)
    assert kept == counted and sum(int(str(r[3])) for r in kept) == 6


@pytest.mark.parametrize("desk", ["postgresql"], indirect=True)
def test_two_terminals_changing_cases_at_once_do_not_wait_on_a_counter_row(desk: Desk, register: Register) -> None:
    first, second = register(description="快递太慢"), register(description="快递丢了")
    # Two connections of different shards (the shard is the connection's pid modulo 16).
    conns = [desk.engine.connect() for _ in range(8)]
    try:
        pids = {c.execute(text("SELECT pg_backend_pid()")).scalar_one() % 16: c for c in conns}
        assert len(pids) >= 2
        one, other = list(pids.values())[:2]
        one.execute(text("UPDATE cases SET status = 'assigned' WHERE id = :id"), {"id": first.id})  # open
        other.execute(text("SET lock_timeout = '2s'"))
        # Before issue 16 this waited on the (registered, '', normal) counter row: lock timeout.
        other.execute(text("UPDATE cases SET status = 'assigned' WHERE id = :id"), {"id": second.id})
        other.commit()
        one.commit()
    finally:
        for c in conns:
            c.close()
    kept, counted = kept_and_counted(desk)
    assert kept == counted


def test_a_case_registered_through_the_services_is_counted_once(desk: Desk, register: Register) -> None:
    cases.register_case(desk, "ag", draft(description="屏幕坏了"))
    kept, counted = kept_and_counted(desk)
    assert kept == counted
