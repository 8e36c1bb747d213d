"""The demo's A-class dealers at work (issue 13; seed 002, 5.1 and 6.3 d–f): every A-class dealer
the generator made gets a contract (its number, a business representative, a contact person; the
phone is the dealer's), a purchase that earned its 0.5 % allowance, and some a charge — the first
and one in seven have used their allowance up, approved by their representative. Three set-based
INSERT … SELECTs after the bulk load: no work per case (about one customer in 250 is a dealer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from kesu_desk.services.desk import Desk

# (representative, contact) by the dealer's region; the dealer's id picks one of two.
_PEOPLE = {
    "CN": (("王建国", "刘芳"), ("赵经理", "陈静")),
    "US": (("Mark Jensen", "Amy Clark"), ("Laura Reed", "Tom Hill")),
    "ES": (("Laura Gómez", "Pablo Ruiz"), ("Javier Sanz", "Marta Gil")),
}


def _pick(column: str, which: int) -> str:
    cases = " ".join(f"WHEN c.region = '{region}' AND c.id % 2 = {n} THEN '{pair[which]}'"
                     for region, pairs in _PEOPLE.items() for n, pair in enumerate(pairs))
    return f"(CASE {cases} ELSE '{_PEOPLE['US'][0][which]}' END) AS {column}"


def load(desk: Desk, now: datetime) -> int:
    """Contracts and ledger lines for the A-class dealers that have none yet; how many dealers
    have a contract."""
    dealers = "FROM customers c WHERE c.customer_class = 'a_dealer'"
    purchase = "(20000 + (c.id * 7919) % 180000) * 100"  # 20 000–200 000 a dealer, in cents
    allowance = f"({purchase} * 5 / 1000)"
    used_up = "(c.id % 7 = 0 OR c.id = (SELECT min(m.id) FROM customers m WHERE m.customer_class = 'a_dealer'))"
    with desk.uow() as uow:
        run = uow.session.execute
        run(text(
            "INSERT INTO dealer_contracts (dealer_id, contract_no, representative, contact, phone) "
            f"SELECT c.id, 'HF-DL-' || CAST(c.id AS VARCHAR(12)), {_pick('rep', 0)}, {_pick('contact', 1)}, "
            f"COALESCE(c.phone, '-') {dealers} "
            "AND NOT EXISTS (SELECT 1 FROM dealer_contracts d WHERE d.dealer_id = c.id)"))
        run(text("INSERT INTO dealer_ledger (dealer_id, at, kind, amount_cents, note) "
                 f"SELECT c.id, :now, 'purchase', {purchase}, 'demo' {dealers} "
                 "AND NOT EXISTS (SELECT 1 FROM dealer_ledger l WHERE l.dealer_id = c.id)"), {"now": now})
        # Spare parts sent: a third used part of the allowance; the first and one in seven used it
        # up and more, with their business representative's approval (6.3 f).
        run(text("INSERT INTO dealer_ledger (dealer_id, at, kind, amount_cents, approved_by, note) "
                 f"SELECT c.id, :now, 'charge', "
                 f"CASE WHEN {used_up} THEN {allowance} + 4500 ELSE {allowance} / 3 END, "
                 f"CASE WHEN {used_up} THEN d.representative END, 'demo' "
                 f"FROM customers c JOIN dealer_contracts d ON d.dealer_id = c.id "
                 f"WHERE c.customer_class = 'a_dealer' AND ({used_up} OR c.id % 3 = 0) "
                 "AND NOT EXISTS (SELECT 1 FROM dealer_ledger l WHERE l.dealer_id = c.id AND l.kind = 'charge')"),
            {"now": now})
        contracts = int(run(text("SELECT count(*) FROM dealer_contracts")).scalar_one())
        uow.commit()
    return contracts
