"""Dealers in the case's work (issue 13; seed 002, 5.1–5.2 and 6.3 a–f).

- An A-class dealer is a customer with a contract (``add_dealer``): its number, the business
  representative who approves service beyond the allowance, the contact person and phone.
- "Who sells, serves" (5.2): the serving dealer of a case is the customer's A-class dealer, or the
  customer itself when it is one (``serving_dealer``, shown on the case detail).
- The case of a sub-dealer or end user is handed to its A-class dealer (``hand_over``): recorded
  on the timeline with the dealer's name, contact and phone; the case stays where it is and the
  handler records the dealer's report as a note (A-class dealers and direct buyers are served by
  the maker itself, 5.2.1: nothing to hand over).
- Spare parts sent on a case (``send_parts``): a shipment row and a timeline event; charged to
  the allowance, the dealer's ledger charge is written in the same transaction (dealers.charge_in
  locks the dealer's row: two terminals cannot overdraw it together).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kesu_desk.domain import workflow
from kesu_desk.domain.access import Use, require
from kesu_desk.domain.amounts import MAX_AMOUNT, amount_cents
from kesu_desk.domain.errors import DealerFlowProblem, InvalidInput
from kesu_desk.domain.limits import check_lengths
from kesu_desk.domain.products import Kind
from kesu_desk.domain.spare_parts import DEFAULT_ALLOWANCE_RATE, allowance_cents
from kesu_desk.domain.vocabulary import Action, CustomerClass
from kesu_desk.services import cases
from kesu_desk.services.dealers import charge_in, money
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import normalise_phone
from kesu_desk.sla import utcnow
from kesu_desk.store import dealers as ledger
from kesu_desk.store.models import Customer, DealerContract, SparePartShipment, column_length
from kesu_desk.store.uow import UnitOfWork

# Who pays for a part sent (seed 6.3): the A-class dealer's allowance, the customer (the retail
# price), or nobody (within the warranty).
CHARGES = ("allowance", "customer", "free")
MAX_QTY = 999


@dataclass(frozen=True)
class Contract:
    dealer_id: int
    dealer: str
    contract_no: str
    representative: str
    contact: str
    phone: str
    region: str


@dataclass(frozen=True)
class ServingDealer:
    """The dealer who serves a case's customer, as the case detail shows it."""

    dealer_id: int
    name: str
    contact: str  # "" when no contract is on record
    phone: str
    left_cents: int
    is_customer: bool  # the case's customer is the A-class dealer itself


@dataclass(frozen=True)
class Shipment:
    case: str
    part_code: str
    name: str
    qty: int
    unit_price_cents: int
    charged_to: str
    dealer: str
    left_cents: int | None  # the allowance left after an allowance charge

    @property
    def total_cents(self) -> int:
        return self.qty * self.unit_price_cents


def _text(field: str, value: str, model: type, column: str) -> str:
    value = value.strip()
    if not value or len(value) > column_length(model, column):
        raise DealerFlowProblem(f"bad_{field}", max=column_length(model, column))
    return value


def add_dealer(desk: Desk, name: str, *, contract_no: str, representative: str, contact: str, phone: str,
               region: str = "CN") -> Contract:
    """A new A-class dealer customer with its contract; its phone is the contact's (one customer
    per phone: a phone already on record is refused)."""
    require(desk.reader, Use.DEALERS)
    region = (region or "CN").strip().upper()
    if len(region) != 2 or not region.isalpha():
        raise DealerFlowProblem("bad_region", region=region)
    name = _text("name", name, Customer, "name")
    fields = {"contract_no": _text("contract", contract_no, DealerContract, "contract_no"),
              "representative": _text("representative", representative, DealerContract, "representative"),
              "contact": _text("contact", contact, DealerContract, "contact")}
    try:
        e164 = normalise_phone(phone, region)
    except ValueError:
        raise InvalidInput("invalid_input", errors={"phone": "bad_phone"}) from None
    with desk.uow() as uow:
        if uow.customers.by_contact(e164, "") is not None:
            raise DealerFlowProblem("phone_taken", phone=e164)
        dealer = Customer(name=name, phone=e164, customer_class=CustomerClass.A_DEALER.value, region=region)
        uow.session.add(dealer)
        uow.flush()
        assert dealer.id is not None
        uow.session.add(DealerContract(dealer_id=dealer.id, phone=e164, **fields))
        result = Contract(dealer.id, name, phone=e164, region=region, **fields)
        uow.commit()
    return result


def contract(desk: Desk, dealer_id: int) -> Contract | None:
    require(desk.reader, Use.DEALERS)
    with desk.uow(write=False) as uow:
        found = ledger.contract(uow.session, dealer_id)
        dealer = ledger.dealer(uow.session, dealer_id)
        if found is None or dealer is None:
            return None
        return Contract(dealer_id, dealer.name, found.contract_no, found.representative, found.contact,
                        found.phone, dealer.region)


def _serving(uow: UnitOfWork, customer_id: int) -> ServingDealer | None:
    customer = ledger.dealer(uow.session, customer_id)
    if customer is None:
        return None
    is_dealer = customer.customer_class == CustomerClass.A_DEALER
    dealer = customer if is_dealer else (
        ledger.dealer(uow.session, customer.dealer_id) if customer.dealer_id is not None else None)
    if dealer is None or dealer.id is None:
        return None
    found = ledger.contract(uow.session, dealer.id)
    purchases, charged = ledger.totals(uow.session, dealer.id)
    return ServingDealer(dealer.id, dealer.name, found.contact if found else "",
                         found.phone if found else (dealer.phone or ""),
                         allowance_cents(purchases, DEFAULT_ALLOWANCE_RATE) - charged, is_dealer)


def serving_dealer(desk: Desk, number: str) -> ServingDealer | None:
    """"Who sells, serves": the dealer of case ``number``'s customer, or None. Read like the case."""
    view = cases.get_case(desk, number)
    with desk.uow(write=False) as uow:
        return _serving(uow, view.customer.id)


def hand_over(desk: Desk, actor_name: str, number: str, *, comment: str = "") -> ServingDealer:
    """Hand case ``number`` to the customer's A-class dealer: one timeline event naming the
    dealer, its contact and phone. Refused for a customer no dealer serves."""
    check_lengths(comment=comment)
    desk.check_actor(actor_name)
    with desk.uow() as uow:
        who = uow.users.actor(actor_name)
        case = uow.cases.get(number)
        cases.check_visible(desk, case)
        workflow.check(Action.DEALER_HANDOVER, cases.case_facts(case), who)
        serving = _serving(uow, case.customer_id)
        if serving is None or serving.is_customer:
            raise DealerFlowProblem("no_dealer_to_hand_over", number=case.number)
        uow.events.write(case, who, Action.DEALER_HANDOVER, case.status, case.status, comment.strip(),
                         dealer=serving.name, dealer_id=serving.dealer_id, contact=serving.contact or None,
                         phone=serving.phone or None)
        uow.commit()
    return serving


def _part(uow: UnitOfWork, code: str) -> tuple[str, str, int | None]:
    """(code, name, retail price) of a spare part: from the catalogue when it lists spare parts
    (then only those), else the code as typed."""
    code = code.strip()
    if not code or len(code) > column_length(SparePartShipment, "part_code"):
        raise DealerFlowProblem("unknown_part", part=code)
    info = uow.products.by_code(code)
    if info is not None and info.kind is Kind.SPARE_PART:
        return info.code, info.name, info.retail_price_cents
    if info is not None or any(kind is Kind.SPARE_PART for kind in uow.products.kinds().values()):
        raise DealerFlowProblem("unknown_part", part=code)
    return code, code, None


def send_parts(desk: Desk, actor_name: str, number: str, part_code: str, *, qty: int = 1,
               price: Decimal | None = None, charged_to: str = "allowance",
               approved_by: str | None = None) -> Shipment:
    """Record ``qty`` × ``part_code`` sent on case ``number``; ``price`` per unit (default the
    catalogue's retail price). Charged to the allowance, the serving A-class dealer's ledger gets
    the charge in the same transaction — refused beyond the balance unless ``approved_by`` is its
    business representative (services/dealers.charge_in)."""
    if charged_to not in CHARGES:
        raise DealerFlowProblem("bad_charge", charge=charged_to, allowed=", ".join(CHARGES))
    if not 1 <= qty <= MAX_QTY:
        raise DealerFlowProblem("bad_qty", qty=qty, max=MAX_QTY)
    limit = column_length(SparePartShipment, "approved_by")
    if approved_by is not None and len(approved_by.strip()) > limit:
        raise DealerFlowProblem("bad_representative", max=limit)
    desk.check_actor(actor_name)
    user = desk.identity.user.id if desk.identity else None
    with desk.uow() as uow:
        who = uow.users.actor(actor_name)
        case = uow.cases.get(number)
        cases.check_visible(desk, case)
        workflow.check(Action.PARTS_SENT, cases.case_facts(case), who)
        code, name, retail = _part(uow, part_code)
        unit = amount_cents(price) if price is not None else retail
        if charged_to == "free":
            unit = unit or 0
        elif not unit:
            raise DealerFlowProblem("part_needs_price", part=code)
        assert unit is not None
        if qty * unit > MAX_AMOUNT * 100:  # what one ledger line (and one remedy) can hold
            raise DealerFlowProblem("total_too_large", total=money(qty * unit), max=money(int(MAX_AMOUNT * 100)))
        serving = _serving(uow, case.customer_id)
        dealer_id, left = None, None
        if charged_to == "allowance":
            if serving is None:
                raise DealerFlowProblem("no_allowance_for_case", number=case.number)
            dealer_id = serving.dealer_id
            left = charge_in(uow, dealer_id, qty * unit, case_id=case.id, approved_by=approved_by,
                             user_id=user, note=f"{case.number} {code} ×{qty}").left_cents
        now: datetime = utcnow()
        approver = (approved_by or "").strip() or None if charged_to == "allowance" else None
        assert case.id is not None
        ledger.add_shipment(uow.session, SparePartShipment(
            case_id=case.id, part_code=code, name=name, qty=qty, unit_price_cents=unit, charged_to=charged_to,
            dealer_id=dealer_id, approved_by=approver, user_id=user, at=now))
        uow.events.write(case, who, Action.PARTS_SENT, case.status, case.status, now=now, part=code, name=name,
                         qty=qty, unit_price=money(unit), charged_to=charged_to,
                         dealer=serving.name if serving and dealer_id else None, approved_by=approver)
        uow.commit()
    return Shipment(number, code, name, qty, unit, charged_to, serving.name if serving and dealer_id else "", left)


@dataclass(frozen=True)
class CaseDealer:
    """What the case detail and its dialogs show about a case's dealer and spare parts."""

    serving: ServingDealer | None
    advice: str  # the spare-part advice line (services/spare_parts.py)
    charge: str  # who pays, as the advice suggests: one of CHARGES
    parts: list[tuple[str, str, int | None]]  # the catalogue's spare parts: (code, name, retail price)


def case_dealer(desk: Desk, number: str, lang: str) -> CaseDealer:
    """The serving dealer, the spare-part advice and the catalogue's spare parts for case
    ``number`` (cheap reads; refused like reading the case)."""
    from kesu_desk.services.products import list_products
    from kesu_desk.services.spare_parts import advice_for_case, advice_line

    serving = serving_dealer(desk, number)
    advice, _ = advice_for_case(desk, number)
    charge = ("allowance" if advice.code.startswith("dealer_") else "free" if advice.code == "direct_free"
              else "customer")
    parts = [(p.code, p.name_in(lang), p.retail_price_cents) for p in list_products(desk)
             if p.kind is Kind.SPARE_PART and p.retired is None]
    return CaseDealer(serving, advice_line(desk, number, lang), charge, parts)
