"""A-class dealers' after-sales allowance (issue 13; seed 002, 6.3 d–f): purchases earn 0.5 %
(``DEFAULT_ALLOWANCE_RATE``), spare parts sent are charged against it; when it is used up the
dealer pays first, or its business representative approves the charge against the future
allowance (the charge is then recorded with that representative's name, and the balance goes
below zero until later purchases make it up)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.amounts import amount_cents
from kesu_desk.domain.errors import DealerError, DealerFlowProblem, InvalidInput
from kesu_desk.domain.spare_parts import DEFAULT_ALLOWANCE_RATE, allowance_cents
from kesu_desk.domain.vocabulary import CustomerClass
from kesu_desk.services.desk import Desk
from kesu_desk.store import dealers as ledger
from kesu_desk.store.models import Customer
from kesu_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class Balance:
    dealer_id: int
    dealer: str
    purchases_cents: int
    allowance_cents: int
    charged_cents: int

    @property
    def left_cents(self) -> int:
        return self.allowance_cents - self.charged_cents


def _dealer(uow: UnitOfWork, dealer_id: int, *, lock: bool) -> Customer:
    customer = ledger.dealer(uow.session, dealer_id, lock=lock)
    if customer is None or customer.customer_class != CustomerClass.A_DEALER:
        raise DealerError("not_a_dealer", dealer=dealer_id)
    return customer


def _balance(uow: UnitOfWork, dealer: Customer, rate: Decimal) -> Balance:
    assert dealer.id is not None
    purchases, charged = ledger.totals(uow.session, dealer.id)
    return Balance(dealer.id, dealer.name, purchases, allowance_cents(purchases, rate), charged)


def _cents(amount: Decimal | None) -> int:
    cents = amount_cents(amount)
    if not cents:  # zero or nothing: no purchase, no charge
        raise InvalidInput("invalid_input", errors={"amount": "amount_format"})
    return cents


def balance(desk: Desk, dealer_id: int, rate: Decimal = DEFAULT_ALLOWANCE_RATE) -> Balance:
    require(desk.reader, Use.DEALERS)
    with desk.uow(write=False) as uow:
        return _balance(uow, _dealer(uow, dealer_id, lock=False), rate)


def record_purchase(desk: Desk, dealer_id: int, amount: Decimal | None, on: date | None = None,
                    rate: Decimal = DEFAULT_ALLOWANCE_RATE) -> Balance:
    """A purchase by the dealer: it earns ``rate`` of ``amount`` as allowance."""
    require(desk.reader, Use.DEALERS)
    cents = _cents(amount)
    user = desk.identity.user.id if desk.identity else None
    with desk.uow() as uow:
        dealer = _dealer(uow, dealer_id, lock=True)
        ledger.add_entry(uow.session, dealer_id, ledger.PURCHASE, cents, on_date=on, user_id=user)
        result = _balance(uow, dealer, rate)
        uow.commit()
    return result


def charge(desk: Desk, dealer_id: int, amount: Decimal | None, *, case_id: int | None = None,
           approved_by: str | None = None, note: str = "",
           rate: Decimal = DEFAULT_ALLOWANCE_RATE) -> Balance:
    """Charge ``amount`` to the dealer's allowance. Beyond the balance it is refused
    (``allowance_used_up``, naming the balance and what to do) unless ``approved_by`` names the
    business representative who approved it against the future allowance. The dealer's row is
    locked while the balance is checked and the charge written: of two charges at the same
    instant that only one fits, the second is refused."""
    require(desk.reader, Use.DEALERS)
    cents = _cents(amount)
    user = desk.identity.user.id if desk.identity else None
    with desk.uow() as uow:
        result = charge_in(uow, dealer_id, cents, case_id=case_id, approved_by=approved_by, user_id=user,
                           note=note, rate=rate)
        uow.commit()
    return result


def charge_in(uow: UnitOfWork, dealer_id: int, cents: int, *, case_id: int | None = None,
              approved_by: str | None = None, user_id: int | None = None, note: str = "",
              rate: Decimal = DEFAULT_ALLOWANCE_RATE) -> Balance:
    """:func:`charge` inside the caller's transaction (a spare part sent on a case writes its
    shipment and this charge together). With a contract on record, only its business
    representative can approve a charge beyond the balance."""
    approver = (approved_by or "").strip() or None
    dealer = _dealer(uow, dealer_id, lock=True)
    before = _balance(uow, dealer, rate)
    if cents > before.left_cents:
        if approver is None:
            raise DealerError("allowance_used_up", dealer=dealer.name,
                              left=money(before.left_cents), amount=money(cents))
        contract = ledger.contract(uow.session, dealer_id)
        if contract is not None and approver != contract.representative:
            raise DealerFlowProblem("not_the_representative", dealer=dealer.name, name=approver,
                              representative=contract.representative)
    ledger.add_entry(uow.session, dealer_id, ledger.CHARGE, cents, case_id=case_id, user_id=user_id,
                     approved_by=approver, note=note)
    return _balance(uow, dealer, rate)


def link(desk: Desk, customer_id: int, dealer_id: int) -> None:
    """"Who sells, serves": the sub-dealer or end user ``customer_id`` is served by the A-class
    dealer ``dealer_id`` from now on (their cases name it, the spare-part advice refers to it)."""
    require(desk.reader, Use.DEALERS)
    with desk.uow() as uow:
        _dealer(uow, dealer_id, lock=False)
        customer = ledger.dealer(uow.session, customer_id, lock=True)
        if customer is None or customer.customer_class not in (CustomerClass.SUB_DEALER, CustomerClass.END_USER):
            raise DealerError("not_served_by_dealer", customer=customer_id)
        customer.dealer_id = dealer_id
        uow.session.add(customer)
        uow.commit()


def list_balances(desk: Desk, rate: Decimal = DEFAULT_ALLOWANCE_RATE) -> list[Balance]:
    """Every A-class dealer with its balance."""
    require(desk.reader, Use.DEALERS)
    with desk.uow(write=False) as uow:
        return [_balance(uow, d, rate) for d in ledger.a_dealers(uow.session)]


def money(cents: int) -> str:
    """Cents as the CLI and messages show them: 1234.50."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
