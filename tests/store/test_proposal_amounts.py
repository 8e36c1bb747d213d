"""Amounts at the proposal door, on SQLite and PostgreSQL: what cannot be stored in whole cents
within the allowed range is refused with the range; what is stored is what the approval rules
see (issue 11.7)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select

from casesteps import to_investigating
from kesu_desk.domain.errors import DeskError
from kesu_desk.domain.vocabulary import Status
from kesu_desk.i18n import describe
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.store.models import Proposal

Register = Callable[..., CaseView]


def stored(desk: Desk, view: CaseView) -> list[tuple[int | None, int]]:
    with desk.uow(write=False) as uow:
        rows = uow.session.execute(
            select(Proposal.amount_cents, Proposal.approvals_needed).where(Proposal.case_id == view.id)
        ).all()
    return [(r.amount_cents, r.approvals_needed) for r in rows]


@pytest.mark.parametrize("amount", [
    "NaN", "Infinity", "-Infinity", "1E+30", "0.001", "1000.004", "-5",
    # above the INTEGER cents column of PostgreSQL (2,147,483,647 cents) and above the desk's range
    "21474836.48", "10000000.01", "99999999999",
])
def test_an_amount_that_cannot_be_stored_exactly_is_refused_with_the_range(
    desk: Desk, register: Register, amount: str
) -> None:
    view = to_investigating(desk, register())
    with pytest.raises(DeskError) as refused:
        cases.propose(desk, "hq", view.number, remedy="refund", amount=Decimal(amount),
                      version=view.version)
    message = describe(refused.value, "en")
    assert "Amount" in message and "10 000 000.00" in message, message
    assert cases.get_case(desk, view.number).status is Status.INVESTIGATING
    assert stored(desk, view) == []


def test_the_largest_amount_is_stored_on_every_engine(desk: Desk, register: Register) -> None:
    view = to_investigating(desk, register())
    cases.propose(desk, "hq", view.number, remedy="compensation", amount=Decimal("10000000.00"),
                  version=view.version)
    assert stored(desk, view) == [(1_000_000_000, 2)]


@pytest.mark.parametrize(("amount", "cents", "needed"), [
    ("1000", 100_000, 1), ("1000.00", 100_000, 1), ("1000.01", 100_001, 2), ("999.99", 99_999, 1),
])
def test_the_approvals_needed_follow_the_stored_amount(
    desk: Desk, register: Register, amount: str, cents: int, needed: int
) -> None:
    view = to_investigating(desk, register())  # the threshold of the tests is 1000
    cases.propose(desk, "hq", view.number, remedy="refund", amount=Decimal(amount), version=view.version)
    assert stored(desk, view) == [(cents, needed)]


def test_zero_where_money_moves_is_refused_with_the_range(desk: Desk, register: Register) -> None:
    view = to_investigating(desk, register())
    with pytest.raises(DeskError) as refused:
        cases.propose(desk, "hq", view.number, remedy="refund", amount=Decimal("0"), version=view.version)
    assert "0.01" in describe(refused.value, "en") and "10 000 000.00" in describe(refused.value, "en")
    assert stored(desk, view) == []
