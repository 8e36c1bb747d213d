"""Spare parts by customer class: who supplies a part a complaint needs, and who pays for it.

The rules are the water-purifier maker's (seed 002, section 6.3 a–f), read with "who sells,
serves" (5.2): the company serves A-class dealers and direct buyers itself; sub-dealers and end
users are served by their A-class dealer.

* end user (a): guided to their dealer; if they really need the part from the company, they buy
  it at the retail price;
* sub-dealer (b): its A-class dealer supplies the part; otherwise the retail price;
* direct buyer (c): free within the warranty, the retail price outside it;
* A-class dealer (d, e, f): sent within one working day, charged to its after-sales allowance
  (0.5 % of its purchases); when the allowance is used up the dealer pays first, or its business
  representative approves service against the future allowance.

Pure rules: no store, no clock (the caller passes today's date).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from kesu_desk.domain.vocabulary import CustomerClass

# Months a product is under warranty when the caller knows no better (the products part gives
# each product its own ``warranty_months`` at merge).
DEFAULT_WARRANTY_MONTHS = 12
# Seed 002, 6.3 d: an A-class dealer's part leaves within one working day.
DEALER_SHIPPING_WORKING_DAYS = 1
# Seed 002, 6.3 d–e: an A-class dealer's after-sales allowance is 0.5 % of its purchases.
DEFAULT_ALLOWANCE_RATE = Decimal("0.005")


class Charge(StrEnum):
    """Who pays for a spare part that is sent."""

    ALLOWANCE = "allowance"
    CUSTOMER_PAYS = "customer_pays"
    FREE = "free"


@dataclass(frozen=True)
class PartAdvice:
    """What the desk advises for a part: ``code`` names the message ``dealers.advice.<code>``;
    ``charge`` is who pays if the company does send the part; ``refer_to_dealer`` says the first
    step is the customer's A-class dealer."""

    code: str
    charge: Charge
    refer_to_dealer: bool


def warranty_end(purchase_date: date, months: int) -> date:
    """The last day under warranty: ``months`` calendar months after the purchase (the day of the
    month kept, or the month's last day when it has none — bought 31 January, 1 month: 28/29
    February)."""
    if months < 0:
        raise ValueError("warranty months cannot be negative")
    index = purchase_date.month - 1 + months
    year, month = purchase_date.year + index // 12, index % 12 + 1
    day = min(purchase_date.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def within_warranty(purchase_date: date | None, today: date,
                    months: int = DEFAULT_WARRANTY_MONTHS) -> bool:
    """Whether a product bought on ``purchase_date`` is still under warranty on ``today``; with no
    purchase date the desk cannot tell and does not assume it (the retail price applies until
    someone records the date)."""
    if purchase_date is None:
        return False
    return purchase_date <= today <= warranty_end(purchase_date, months)


def part_advice(customer_class: CustomerClass | str | None, *, in_warranty: bool,
                has_dealer: bool, allowance_left_cents: int | None = None,
                price_cents: int = 0) -> PartAdvice:
    """The advice for a spare part by the customer's class (seed 002, 6.3 a–f).

    ``has_dealer``: an end user or sub-dealer is linked to an A-class dealer (without one the desk
    cannot refer them and offers the retail price). ``allowance_left_cents``: an A-class dealer's
    balance, when known; a part dearer than it is not covered (6.3 e–f). An unknown class is
    treated like a direct buyer, whom the company serves itself."""
    klass = CustomerClass(customer_class) if customer_class else CustomerClass.DIRECT
    if klass is CustomerClass.END_USER:
        if has_dealer:
            return PartAdvice("end_user_dealer", Charge.CUSTOMER_PAYS, True)
        return PartAdvice("end_user_retail", Charge.CUSTOMER_PAYS, False)
    if klass is CustomerClass.SUB_DEALER:
        if has_dealer:
            return PartAdvice("sub_dealer_dealer", Charge.CUSTOMER_PAYS, True)
        return PartAdvice("sub_dealer_retail", Charge.CUSTOMER_PAYS, False)
    if klass is CustomerClass.A_DEALER:
        if allowance_left_cents is not None and price_cents > allowance_left_cents:
            return PartAdvice("dealer_used_up", Charge.CUSTOMER_PAYS, False)
        return PartAdvice("dealer_allowance", Charge.ALLOWANCE, False)
    if in_warranty:
        return PartAdvice("direct_free", Charge.FREE, False)
    return PartAdvice("direct_retail", Charge.CUSTOMER_PAYS, False)


def allowance_cents(purchases_cents: int, rate: Decimal = DEFAULT_ALLOWANCE_RATE) -> int:
    """The allowance ``purchases_cents`` of purchases earn, in whole cents, rounded down (the
    dealer is never promised a fraction of a cent it has not earned)."""
    return int((Decimal(purchases_cents) * rate).to_integral_value(rounding=ROUND_FLOOR))
