"""An A-class dealer's after-sales allowance ledger (issue 13, dealers): purchases earn the
allowance, spare parts sent are charged against it. Append-only (migration 0016).

A charge checks the balance and writes in one transaction with the dealer's row locked (FOR
UPDATE on PostgreSQL; SQLite's write transactions begin IMMEDIATE and so run one at a time):
two terminals charging the same dealer at the same instant cannot both pass a check only one fits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from kesu_desk.store.models import Customer, DealerContract, DealerLedgerEntry, SparePartShipment

PURCHASE = "purchase"
CHARGE = "charge"


def dealer(session: Session, dealer_id: int, *, lock: bool = False) -> Customer | None:
    """The customer ``dealer_id``; with ``lock``, its row locked for the rest of the transaction
    (what serialises charges to one dealer)."""
    query = select(Customer).where(Customer.id == dealer_id)
    return session.exec(query.with_for_update() if lock else query).first()


def totals(session: Session, dealer_id: int) -> tuple[int, int]:
    """(purchases, charges) of the dealer, in cents."""
    rows = session.exec(
        select(DealerLedgerEntry.kind, func.coalesce(func.sum(DealerLedgerEntry.amount_cents), 0))
        .where(DealerLedgerEntry.dealer_id == dealer_id).group_by(DealerLedgerEntry.kind)
    ).all()
    by_kind = {kind: int(total) for kind, total in rows}
    return by_kind.get(PURCHASE, 0), by_kind.get(CHARGE, 0)


def add_entry(session: Session, dealer_id: int, kind: str, amount_cents: int, *,
              on_date: date | None = None, case_id: int | None = None, user_id: int | None = None,
              approved_by: str | None = None, note: str = "") -> DealerLedgerEntry:
    entry = DealerLedgerEntry(dealer_id=dealer_id, kind=kind, amount_cents=amount_cents, on_date=on_date,
                              case_id=case_id, user_id=user_id, approved_by=approved_by, note=note)
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, dealer_id: int) -> list[DealerLedgerEntry]:
    return list(session.exec(select(DealerLedgerEntry).where(DealerLedgerEntry.dealer_id == dealer_id)
                             .order_by(col(DealerLedgerEntry.id))).all())


def a_dealers(session: Session) -> list[Customer]:
    return list(session.exec(select(Customer).where(Customer.customer_class == "a_dealer")
                             .order_by(col(Customer.id))).all())


def contract(session: Session, dealer_id: int) -> DealerContract | None:
    """The A-class dealer's contract (migration 0022), or None."""
    return session.get(DealerContract, dealer_id)


def add_shipment(session: Session, shipment: SparePartShipment) -> SparePartShipment:
    session.add(shipment)
    session.flush()
    return shipment


def shipments(session: Session, case_id: int) -> list[SparePartShipment]:
    return list(session.exec(select(SparePartShipment).where(SparePartShipment.case_id == case_id)
                             .order_by(col(SparePartShipment.id))).all())
