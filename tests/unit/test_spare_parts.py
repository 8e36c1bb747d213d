"""Spare parts by customer class (issue 13; seed 002, 6.3 a–f)."""

from __future__ import annotations

from datetime import date

import pytest

from kesu_desk.domain.spare_parts import (
    Charge,
    part_advice,
    warranty_end,
    within_warranty,
)
from kesu_desk.domain.vocabulary import CustomerClass
from kesu_desk.i18n import t


@pytest.mark.parametrize("in_warranty", [True, False])
def test_end_user_is_guided_to_their_dealer_else_retail(in_warranty: bool) -> None:
    linked = part_advice(CustomerClass.END_USER, in_warranty=in_warranty, has_dealer=True)
    assert (linked.code, linked.charge, linked.refer_to_dealer) == ("end_user_dealer", Charge.CUSTOMER_PAYS, True)
    alone = part_advice(CustomerClass.END_USER, in_warranty=in_warranty, has_dealer=False)
    assert (alone.code, alone.charge, alone.refer_to_dealer) == ("end_user_retail", Charge.CUSTOMER_PAYS, False)


@pytest.mark.parametrize("in_warranty", [True, False])
def test_sub_dealer_is_supplied_by_its_a_class_dealer_else_retail(in_warranty: bool) -> None:
    linked = part_advice(CustomerClass.SUB_DEALER, in_warranty=in_warranty, has_dealer=True)
    assert (linked.code, linked.refer_to_dealer) == ("sub_dealer_dealer", True)
    alone = part_advice(CustomerClass.SUB_DEALER, in_warranty=in_warranty, has_dealer=False)
    assert (alone.code, alone.charge) == ("sub_dealer_retail", Charge.CUSTOMER_PAYS)


def test_direct_buyer_free_within_warranty_retail_outside() -> None:
    inside = part_advice(CustomerClass.DIRECT, in_warranty=True, has_dealer=False)
    outside = part_advice(CustomerClass.DIRECT, in_warranty=False, has_dealer=False)
    assert (inside.code, inside.charge) == ("direct_free", Charge.FREE)
    assert (outside.code, outside.charge) == ("direct_retail", Charge.CUSTOMER_PAYS)


@pytest.mark.parametrize("in_warranty", [True, False])
def test_a_class_dealer_charged_to_allowance_until_used_up(in_warranty: bool) -> None:
    fits = part_advice(CustomerClass.A_DEALER, in_warranty=in_warranty, has_dealer=False,
                       allowance_left_cents=5_000, price_cents=5_000)
    assert (fits.code, fits.charge) == ("dealer_allowance", Charge.ALLOWANCE)
    short = part_advice(CustomerClass.A_DEALER, in_warranty=in_warranty, has_dealer=False,
                        allowance_left_cents=4_999, price_cents=5_000)
    assert (short.code, short.charge) == ("dealer_used_up", Charge.CUSTOMER_PAYS)


def test_warranty_from_purchase_date_and_months() -> None:
    bought = date(2026, 1, 31)
    assert warranty_end(bought, 1) == date(2026, 2, 28)
    assert warranty_end(bought, 12) == date(2027, 1, 31)
    assert within_warranty(bought, date(2027, 1, 31), 12)
    assert not within_warranty(bought, date(2027, 2, 1), 12)
    assert not within_warranty(None, date(2026, 2, 1), 12)


@pytest.mark.parametrize("lang", ["zh", "en", "es"])
@pytest.mark.parametrize("code", ["end_user_dealer", "end_user_retail", "sub_dealer_dealer",
                                  "sub_dealer_retail", "direct_free", "direct_retail",
                                  "dealer_allowance", "dealer_used_up"])
def test_every_advice_has_one_line_in_each_language(code: str, lang: str) -> None:
    line = t(f"dealers.advice.{code}", lang, dealer="Acme", days=1)
    assert "\n" not in line and "{" not in line and line != f"dealers.advice.{code}"
