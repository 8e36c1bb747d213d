"""Issue 13, dealers in the case's work (seed 002, 5.1–5.2, 6.3 a–f): the dealer's contract, the
hand-over to the dealer and spare parts sent on a case, on both engines."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import text

from casesteps import threads_at_once
from kesu_desk.domain.errors import ConflictError, DealerError, InvalidInput, WorkflowError
from kesu_desk.i18n import describe
from kesu_desk.services import cases, dealer_flow, dealers
from kesu_desk.services.desk import Desk


def _dealer(desk: Desk, phone: str = "13800138000", name: str = "清泉商贸") -> int:
    return dealer_flow.add_dealer(desk, name, contract_no="JLQ-2026-007", representative="王经理",
                                  contact="李娜", phone=phone).dealer_id


def _served(desk: Desk, register: Callable[..., Any], dealer: int, phone: str, klass: str = "end_user") -> str:
    case = register(phone=phone, customer_class=klass)
    dealers.link(desk, case.customer.id, dealer)
    return str(case.number)


def test_a_dealer_with_its_contract_serves_its_end_users_and_takes_the_case_over(
    desk: Desk, register: Callable[..., Any],
) -> None:
    dealer = _dealer(desk)
    found = dealer_flow.contract(desk, dealer)
    assert found is not None and (found.contract_no, found.representative, found.contact, found.phone) \
        == ("JLQ-2026-007", "王经理", "李娜", "+8613800138000")
    with pytest.raises(DealerError) as taken:
        _dealer(desk, phone="138 0013 8000", name="另一家")
    assert "+8613800138000" in describe(taken.value, "en")
    number = _served(desk, register, dealer, "13900000011")
    serving = dealer_flow.serving_dealer(desk, number)
    assert serving is not None and (serving.name, serving.contact, serving.is_customer) == ("清泉商贸", "李娜", False)
    dealer_flow.hand_over(desk, "ag", number, comment="上门换滤芯")
    last = cases.get_case(desk, number).timeline[-1]
    assert (last.action, last.comment, last.from_status, last.to_status) == (
        "dealer_handover", "上门换滤芯", "registered", "registered")
    assert (last.details["dealer"], last.details["contact"], last.details["phone"]) == (
        "清泉商贸", "李娜", "+8613800138000")


def test_no_hand_over_without_a_dealer_nor_on_a_closed_case(desk: Desk, register: Callable[..., Any]) -> None:
    alone = register(phone="13900000012", customer_class="direct")
    with pytest.raises(DealerError) as refused:
        dealer_flow.hand_over(desk, "ag", alone.number)
    assert "cannot be handed to a dealer" in describe(refused.value, "en")
    own = register(phone="13800138000", customer_class="a_dealer")  # served by the maker (5.2.1)
    with pytest.raises(DealerError):
        dealer_flow.hand_over(desk, "ag", own.number)
    assert [e.action for e in cases.get_case(desk, alone.number).timeline] == ["register"]
    with desk.uow() as uow:
        uow.session.exec(text(f"UPDATE cases SET status = 'closed' WHERE number = '{alone.number}'"))
        uow.commit()
    with pytest.raises(WorkflowError):
        dealer_flow.hand_over(desk, "ag", alone.number)


def test_a_part_charged_to_the_allowance_writes_the_shipment_the_ledger_and_the_timeline(
    desk: Desk, register: Callable[..., Any],
) -> None:
    dealer = _dealer(desk)
    dealers.record_purchase(desk, dealer, Decimal("20000.00"))  # 100.00 allowance
    number = _served(desk, register, dealer, "13900000013")
    sent = dealer_flow.send_parts(desk, "ag", number, "PP-10", qty=2, price=Decimal("30.00"))
    assert (sent.total_cents, sent.left_cents, sent.dealer) == (6_000, 4_000, "清泉商贸")
    with desk.uow(write=False) as uow:
        ledger = uow.session.exec(text("SELECT kind, amount_cents, case_id FROM dealer_ledger "
                                       "WHERE kind = 'charge'")).all()
        shipped = uow.session.exec(text("SELECT part_code, qty, unit_price_cents, charged_to, dealer_id "
                                        "FROM spare_part_shipments")).all()
    case_id = cases.get_case(desk, number).id
    assert [tuple(r) for r in ledger] == [("charge", 6_000, case_id)]
    assert [tuple(r) for r in shipped] == [("PP-10", 2, 3_000, "allowance", dealer)]
    last = cases.get_case(desk, number).timeline[-1]
    assert (last.action, last.details["part"], last.details["qty"], last.details["charged_to"]) == (
        "parts_sent", "PP-10", 2, "allowance")
    # Free and customer-paid parts touch no ledger.
    dealer_flow.send_parts(desk, "ag", number, "PP-10", charged_to="free")
    assert dealers.balance(desk, dealer).left_cents == 4_000


def test_beyond_the_allowance_only_the_contracts_representative_approves(
    desk: Desk, register: Callable[..., Any],
) -> None:
    dealer = _dealer(desk)
    dealers.record_purchase(desk, dealer, Decimal("10000.00"))  # 50.00 allowance
    number = _served(desk, register, dealer, "13900000014", klass="sub_dealer")
    for approver, words in ((None, "--approved-by"), ("张三", "only 王经理")):
        with pytest.raises(DealerError) as refused:
            dealer_flow.send_parts(desk, "ag", number, "RO-75", price=Decimal("80.00"), approved_by=approver)
        assert words in describe(refused.value, "en")
    with desk.uow(write=False) as uow:  # nothing half-written
        assert uow.session.exec(text("SELECT count(*) FROM spare_part_shipments")).one()[0] == 0
    assert [e.action for e in cases.get_case(desk, number).timeline] == ["register"]
    sent = dealer_flow.send_parts(desk, "ag", number, "RO-75", price=Decimal("80.00"), approved_by="王经理")
    assert sent.left_cents == -3_000


def test_two_terminals_sending_parts_against_one_dealer_cannot_overdraw_it(
    desk: Desk, register: Callable[..., Any],
) -> None:
    for round_ in range(4):  # 100.00 left each round; 60.00 fits once
        dealer = _dealer(desk, phone=f"1380013810{round_}", name=f"经销商{round_}")
        dealers.record_purchase(desk, dealer, Decimal("20000.00"))
        first = _served(desk, register, dealer, f"1390000020{round_}")
        second = _served(desk, register, dealer, f"1390000030{round_}")
        outcomes = threads_at_once(
            lambda n=first: dealer_flow.send_parts(desk, "ag", n, "PP-10", price=Decimal("60.00")),
            lambda n=second: dealer_flow.send_parts(desk, "ag", n, "PP-10", price=Decimal("60.00")))
        done = [o for o in outcomes if isinstance(o, dealer_flow.Shipment)]
        refused = [o for o in outcomes if not isinstance(o, dealer_flow.Shipment)]
        assert len(done) == 1 and len(refused) == 1, outcomes
        assert isinstance(refused[0], (DealerError, ConflictError)), repr(refused[0])
        assert dealers.balance(desk, dealer).left_cents == 4_000


def test_a_total_beyond_the_largest_amount_and_overlong_texts_are_refused_in_words(
    desk: Desk, register: Callable[..., Any],
) -> None:
    dealer = _dealer(desk)
    number = _served(desk, register, dealer, "13900000015")
    with pytest.raises(DealerError) as too_much:  # 300 × 10 000 000.00 does not fit the ledger
        dealer_flow.send_parts(desk, "ag", number, "RO-75", qty=300, price=Decimal("10000000"),
                               approved_by="王经理")
    assert "10000000.00" in describe(too_much.value, "en")
    with pytest.raises(DealerError) as approver:
        dealer_flow.send_parts(desk, "ag", number, "RO-75", price=Decimal("1"), approved_by="王" * 200)
    assert "128" in describe(approver.value, "zh")
    with pytest.raises(InvalidInput):
        dealer_flow.hand_over(desk, "ag", number, comment="x" * 100_000)
    assert [e.action for e in cases.get_case(desk, number).timeline] == ["register"]
