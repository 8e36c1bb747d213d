"""What a case may be merged into, on both engines: the same customer's other open cases, newest
first; closed and merged cases, the case itself and other customers' cases are never offered."""

from __future__ import annotations

from collections.abc import Callable

from kesu_desk.domain.vocabulary import Status
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.intake import other_open_cases
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]


def test_the_customers_other_open_cases_are_offered_newest_first(desk: Desk, register: Register) -> None:
    older = register(description="第一次")
    not_founded = register(description="不成立")
    cases.decide_validity(desk, "ag", not_founded.number, founded=False, reason="不成立",
                          version=not_founded.version)
    merged = register(description="重复来电")
    cases.merge(desk, "ag", merged.number, into=older.number, comment="同一问题", version=merged.version)
    newer = register(description="第二次")
    someone_else = register(phone="13900139000", customer_name="韩梅梅")
    this = register(description="又打来了")

    found = other_open_cases(desk, this.customer.id, excluding=this.number)

    assert [r.number for r in found] == [newer.number, older.number]
    assert [r.status for r in found] == [Status.REGISTERED, Status.REGISTERED]
    assert someone_else.number not in {r.number for r in found}
    # Each one offered is one the merge accepts.
    kept = cases.merge(desk, "ag", this.number, into=found[0].number, comment="同一问题", version=this.version)
    assert (kept.status, kept.closure) == (Status.CLOSED, "merged")
    assert [r.number for r in other_open_cases(desk, this.customer.id, excluding=newer.number)] == [older.number]


def test_at_most_limit_cases_are_offered(desk: Desk, register: Register) -> None:
    made = [register(description=f"第{i}次") for i in range(5)]
    found = other_open_cases(desk, made[0].customer.id, excluding=made[-1].number, limit=3)
    assert [r.number for r in found] == [v.number for v in reversed(made[1:4])]
    assert other_open_cases(desk, made[0].customer.id, excluding=made[-1].number, limit=0) == []


def test_a_customer_with_no_other_case_gets_none(desk: Desk, register: Register) -> None:
    alone = register()
    assert other_open_cases(desk, alone.customer.id, excluding=alone.number) == []


def test_an_old_open_case_is_found_behind_many_closed_ones(desk: Desk, register: Register) -> None:
    old = register(description="最早的一次")
    for i in range(4):
        closed = register(description=f"不成立{i}")
        cases.decide_validity(desk, "ag", closed.number, founded=False, reason="不成立", version=closed.version)
    this = register(description="又打来了")
    # Only the open ones are read, however many closed ones came after: a limit of 1 still finds it.
    found = other_open_cases(desk, this.customer.id, excluding=this.number, limit=1)
    assert [r.number for r in found] == [old.number]
