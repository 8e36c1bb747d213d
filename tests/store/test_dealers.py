"""Issue 13, dealers: the after-sales allowance ledger (seed 002, 6.3 d–f), on both engines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import text

from casesteps import threads_at_once
from kesu_desk.domain.errors import ConflictError, DealerError, InvalidInput
from kesu_desk.i18n import describe
from kesu_desk.services import dealers, spare_parts
from kesu_desk.services.desk import Desk
from kesu_desk.store.models import Customer


def _customer(desk: Desk, name: str, klass: str, phone: str) -> int:
    with desk.uow() as uow:
        customer = Customer(name=name, customer_class=klass, phone=phone)
        uow.session.add(customer)
        uow.flush()
        assert customer.id is not None
        customer_id = customer.id
        uow.commit()
    return customer_id


def test_purchases_earn_half_a_percent_and_charges_use_it_up(desk: Desk) -> None:
    dealer = _customer(desk, "清泉商贸", "a_dealer", "13800000001")
    dealers.record_purchase(desk, dealer, Decimal("100000.00"))
    after = dealers.record_purchase(desk, dealer, Decimal("20000.00"))
    assert (after.purchases_cents, after.allowance_cents, after.left_cents) == (12_000_000, 60_000, 60_000)
    left = dealers.charge(desk, dealer, Decimal("450.50"), note="滤芯 PP-10 ×2")
    assert left.left_cents == 60_000 - 45_050
    with pytest.raises(DealerError) as refused:
        dealers.charge(desk, dealer, Decimal("200.00"))
    assert refused.value.code == "allowance_used_up"
    assert "149.50" in describe(refused.value, "en") and "--approved-by" in describe(refused.value, "zh")
    # The business representative approves it against the future allowance: recorded, below zero.
    owed = dealers.charge(desk, dealer, Decimal("200.00"), approved_by="王经理")
    assert owed.left_cents == 14_950 - 20_000
    with desk.uow(write=False) as uow:
        rows = uow.session.exec(text("SELECT kind, amount_cents, approved_by FROM dealer_ledger "
                                     "ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("purchase", 10_000_000, None), ("purchase", 2_000_000, None),
                                        ("charge", 45_050, None), ("charge", 20_000, "王经理")]


def test_only_an_a_class_dealer_has_an_allowance_and_zero_is_no_purchase(desk: Desk) -> None:
    user = _customer(desk, "张三", "end_user", "13800000002")
    with pytest.raises(DealerError) as refused:
        dealers.record_purchase(desk, user, Decimal("100.00"))
    assert refused.value.code == "not_a_dealer"
    dealer = _customer(desk, "清泉商贸", "a_dealer", "13800000003")
    with pytest.raises(InvalidInput):
        dealers.record_purchase(desk, dealer, Decimal("0"))
    assert dealers.balance(desk, dealer).purchases_cents == 0


def test_the_ledger_is_append_only(desk: Desk) -> None:
    dealer = _customer(desk, "清泉商贸", "a_dealer", "13800000004")
    dealers.record_purchase(desk, dealer, Decimal("1000.00"))
    for sql in ("UPDATE dealer_ledger SET amount_cents = 1", "DELETE FROM dealer_ledger"):
        with pytest.raises(DBAPIError), desk.uow() as uow:
            uow.session.exec(text(sql))
    with desk.uow(write=False) as uow:
        assert [r[0] for r in uow.session.exec(text("SELECT amount_cents FROM dealer_ledger")).all()] == [100_000]


def test_two_terminals_charging_at_once_cannot_both_pass_a_check_only_one_fits(desk: Desk) -> None:
    for round_ in range(6):  # a fresh dealer with 100.00 left each round; 60.00 fits once
        dealer = _customer(desk, f"经销商{round_}", "a_dealer", f"1380000010{round_}")
        dealers.record_purchase(desk, dealer, Decimal("20000.00"))
        outcomes = threads_at_once(lambda d=dealer: dealers.charge(desk, d, Decimal("60.00")),
                            lambda d=dealer: dealers.charge(desk, d, Decimal("60.00")))
        done = [o for o in outcomes if isinstance(o, dealers.Balance)]
        refused = [o for o in outcomes if not isinstance(o, dealers.Balance)]
        assert len(done) == 1 and len(refused) == 1, outcomes
        assert isinstance(refused[0], (DealerError, ConflictError)), repr(refused[0])
        assert dealers.balance(desk, dealer).left_cents == 4_000


def test_the_spare_part_advice_for_a_case_follows_the_customer_class(
    desk: Desk, register: Callable[..., Any],
) -> None:
    today = date(2026, 12, 4)
    direct = register(phone="13900000001", customer_class="direct", purchase_date="2026-06-01")
    assert spare_parts.advice_for_case(desk, direct.number, today=today)[0].code == "direct_free"
    assert spare_parts.advice_for_case(desk, direct.number, today=today, warranty_months=3)[0].code \
        == "direct_retail"
    dealer = _customer(desk, "清泉商贸", "a_dealer", "13900000002")
    user = register(phone="13900000003", customer_class="end_user")
    assert spare_parts.advice_for_case(desk, user.number, today=today)[0].code == "end_user_retail"
    with desk.uow() as uow:
        uow.session.exec(text(f"UPDATE customers SET dealer_id = {dealer} WHERE id = {user.customer.id}"))
        uow.commit()
    line = spare_parts.advice_line(desk, user.number, "en", today=today)
    assert "guide the end user to their dealer 清泉商贸" in line
    own = register(phone="13900000004", customer_class="a_dealer")
    dealers.record_purchase(desk, own.customer.id, Decimal("10000.00"))  # 50.00 left
    assert spare_parts.advice_for_case(desk, own.number, today=today, price_cents=5_000)[0].code \
        == "dealer_allowance"
    assert "used up" in spare_parts.advice_line(desk, own.number, "en", today=today, price_cents=5_001)
