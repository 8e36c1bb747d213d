"""The spare-part advice for a case (issue 13; seed 002, 6.3 a–f): by the class of the case's
customer, their A-class dealer, the warranty (the case's purchase date + ``warranty_months``)
and, for an A-class dealer, what is left of its after-sales allowance. One translated line, for
the case detail, the intake's suggestions and ``kesu-desk parts advise``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kesu_desk.domain.spare_parts import (
    DEALER_SHIPPING_WORKING_DAYS,
    DEFAULT_ALLOWANCE_RATE,
    DEFAULT_WARRANTY_MONTHS,
    PartAdvice,
    allowance_cents,
    part_advice,
    within_warranty,
)
from kesu_desk.domain.vocabulary import CustomerClass
from kesu_desk.i18n import t
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.store import dealers as ledger


def advice_for_case(desk: Desk, number: str, *, today: date | None = None, warranty_months: int = DEFAULT_WARRANTY_MONTHS,
                    price_cents: int = 0, rate: Decimal = DEFAULT_ALLOWANCE_RATE) -> tuple[PartAdvice, str]:
    """The advice for a part ``price_cents`` dear on case ``number``, and the name of the dealer
    it refers to ("" when none); ``today`` is the desk's local date unless given. Refused like
    reading the case when the reader may not see it."""
    if today is None:
        today = desk.calendar.local_date(utcnow())
    view = cases.get_case(desk, number)
    klass = view.customer.customer_class
    dealer_name, left = "", None
    with desk.uow(write=False) as uow:
        customer = ledger.dealer(uow.session, view.customer.id)
        dealer_id = customer.dealer_id if customer is not None else None
        if dealer_id is not None:
            dealer = ledger.dealer(uow.session, dealer_id)
            dealer_name = dealer.name if dealer is not None else ""
        if klass == CustomerClass.A_DEALER:
            purchases, charged = ledger.totals(uow.session, view.customer.id)
            left = allowance_cents(purchases, rate) - charged
    advice = part_advice(klass, in_warranty=within_warranty(view.purchase_date, today, warranty_months),
                         has_dealer=dealer_id is not None, allowance_left_cents=left, price_cents=price_cents)
    return advice, dealer_name


def advice_line(desk: Desk, number: str, lang: str, *, today: date | None = None,
                warranty_months: int = DEFAULT_WARRANTY_MONTHS, price_cents: int = 0) -> str:
    advice, dealer = advice_for_case(desk, number, today=today, warranty_months=warranty_months,
                                     price_cents=price_cents)
    return t(f"dealers.advice.{advice.code}", lang, dealer=dealer, days=DEALER_SHIPPING_WORKING_DAYS)
