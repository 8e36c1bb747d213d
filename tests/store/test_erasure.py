"""Erasing a customer's personal data (issue 12), on SQLite and PostgreSQL: the one path that may
change a timeline event, and only for that customer's cases."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from casesteps import draft, sign_in
from kesu_desk.domain.errors import AccessDenied
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.privacy import erase_customer
from kesu_desk.services.queue import queue_count
from kesu_desk.services.users import UserView
from kesu_desk.services.views import CaseView


def test_erase_masks_the_timeline_and_keeps_the_counts(
    desk: Desk, people: dict[str, UserView], register: Callable[..., CaseView],
) -> None:
    mine = cases.register_case(desk, "ag", draft(phone="13700137000", customer_name="王小明",
                                                 description="王小明说水壶漏水，电话13700137000"))
    cases.add_note(desk, "ag", mine.number, text="已回拨王小明")
    other = register(description="别人的水壶漏水，王小明是邻居")
    counted = queue_count(desk)
    sign_in(desk, "sup")
    with pytest.raises(AccessDenied):
        erase_customer(desk, "13700137000")
    sign_in(desk, "adm")
    done = erase_customer(desk, "13700137000")
    desk.identity = None
    assert (done.cases, done.events) == (1, 1)  # the note (the registration's event holds no text)
    view = cases.get_case(desk, mine.number)
    assert view.description == "***说水壶漏水，电话***"
    assert all("王小明" not in e.comment and "13700137000" not in e.comment for e in view.timeline)
    assert view.customer.name == "" and view.customer.phone in (None, "")
    # another customer's case is not theirs to mask, and the counts stay
    assert "王小明" in cases.get_case(desk, other.number).description
    assert queue_count(desk) == counted


def test_no_other_change_to_an_event_gets_through(
    desk: Desk, people: dict[str, UserView], register: Callable[..., CaseView],
) -> None:
    mine = register(phone="13700137000", description="水壶漏水")
    theirs = register(phone="13900139000", description="快递太慢")
    sign_in(desk, "adm")
    erase_customer(desk, "13700137000")
    desk.identity = None
    with desk.engine.connect() as conn:
        erasure = conn.execute(text("SELECT max(id) FROM access_log")).scalar_one()
        theirs_id = conn.execute(text("SELECT id FROM cases WHERE number = :n"), {"n": theirs.number}).scalar_one()
        mine_id = conn.execute(text("SELECT id FROM cases WHERE number = :n"), {"n": mine.number}).scalar_one()
    attempts = [
        # another customer's event, naming this erasure
        ("UPDATE case_events SET comment = 'x', erasure_id = :e WHERE case_id = :c", {"e": erasure, "c": theirs_id}),
        # the erasure's own customer, but the same erasure again
        ("UPDATE case_events SET comment = 'x', erasure_id = :e WHERE case_id = :c", {"e": erasure, "c": mine_id}),
        # a change of who did it
        ("UPDATE case_events SET actor_id = 1, erasure_id = :e + 1 WHERE case_id = :c", {"e": erasure, "c": mine_id}),
        ("UPDATE customers SET erased_at = NULL", {}),
        ("DELETE FROM access_log", {}),
        ("UPDATE access_log SET login = 'nobody'", {}),
    ]
    for statement, params in attempts:
        with desk.engine.connect() as conn, pytest.raises(DBAPIError, match=r"append-only|stays erased"):
            conn.execute(text(statement), params)
            conn.commit()
