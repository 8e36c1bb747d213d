"""One customer per phone number and per e-mail address: however many terminals register the same
new caller at the same moment, and in databases that already hold duplicates."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from alembic import command
from sqlalchemy import exc, func, select, text

from casesteps import desk_settings, draft, terminals_at_once
from kesu_desk.services import cases, intake
from kesu_desk.services.desk import Desk
from kesu_desk.store import schema
from kesu_desk.store.engine import make_engine
from kesu_desk.store.models import Case, Customer

ROUNDS = 8
TIMEOUT_S = 120


def _terminal(url: str, agent: str, barrier: Any, results: Any) -> None:
    """A terminal registering, in each round, the round's new caller at the same moment as the other."""
    numbers: list[str] = []
    try:
        desk = Desk(desk_settings(url))
        for round_ in range(ROUNDS):
            complaint = draft(phone=f"1391234{round_:04d}", email=f"caller{round_}@example.com",
                              description=f"{agent} 第{round_}次")
            barrier.wait(TIMEOUT_S)
            numbers.append(cases.register_case(desk, agent, complaint).number)
        desk.close()
        results.put((agent, numbers, None))
    except BaseException:
        barrier.abort()  # the other terminal stops waiting for this one
        results.put((agent, numbers, traceback.format_exc()))


def test_two_terminals_registering_one_new_caller_make_one_customer(
    desk: Desk, people: dict[str, Any]
) -> None:
    url = desk.engine.url.render_as_string(hide_password=False)
    outcomes = terminals_at_once(_terminal, url, ["ag", "sup"], TIMEOUT_S)
    assert not [error for _, _, error in outcomes if error], outcomes

    with desk.uow(write=False) as uow:
        per_phone = uow.session.execute(
            select(Customer.phone, func.count()).group_by(Customer.phone)
        ).all()
        owners = uow.session.execute(
            select(Customer.phone, func.count(func.distinct(Case.customer_id)), func.count())
            .join(Case, Case.customer_id == Customer.id).group_by(Customer.phone)
        ).all()
    assert len(per_phone) == ROUNDS
    assert all(n == 1 for _, n in per_phone), per_phone
    # Both terminals' cases of a round belong to that one customer.
    assert sorted(owners) == sorted((phone, 1, 2) for phone, _ in per_phone)
    history = intake.find_customer(desk, phone="13912340000")
    assert history is not None and len(history.cases) == 2


def test_the_schema_refuses_a_second_customer_with_the_same_phone_or_email(
    desk: Desk, register: Any
) -> None:
    register(phone="13800138000", email="li@example.com")
    for column, value in (("phone", "+8613800138000"), ("email", "li@example.com")):
        with pytest.raises(exc.IntegrityError), desk.engine.begin() as conn:
            conn.execute(text(
                f"INSERT INTO customers (name, {column}, customer_class, region, created_at) "
                f"VALUES ('copy', '{value}', 'end_user', 'CN', '2026-01-01')"
            ))


def test_an_email_is_one_address_whatever_its_case(desk: Desk, register: Any) -> None:
    first = register(phone="", email="Li.Lei@Example.COM")
    second = register(phone="", email=" li.lei@example.com ")
    assert first.customer.id == second.customer.id
    assert second.customer.email == "li.lei@example.com"
    found = intake.find_customer(desk, email="LI.LEI@example.com")
    assert found is not None and len(found.cases) == 2


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


def test_the_upgrade_merges_the_duplicates_a_database_already_has(empty_url: str) -> None:
    url = empty_url
    engine = make_engine(url)
    cfg = schema.alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
    engine.dispose()
    _old_database_with_duplicates(url)

    desk = Desk.open(desk_settings(url))
    with desk.uow(write=False) as uow:
        rows = uow.session.execute(
            select(Customer.id, Customer.name, Customer.phone, Customer.email, Customer.dealer_id)
            .order_by(Customer.id)
        ).all()
    # 1, 2, 4 share a phone or an address (2 and 4 by e-mail written differently): 1 stays;
    # 3 stands alone; 5 was served by dealer 2, now by 1.
    assert [tuple(r) for r in rows] == [
        (1, "王芳", "+8613800138000", "wang@example.com", None),
        (3, "李雷", "+8613900139000", None, None),
        (5, "韩梅梅", "+8613700137000", None, 1),
    ]
    views = {n: cases.get_case(desk, n) for n in ("KS-20260101-0001", "KS-20260101-0002",
                                                  "KS-20260101-0003", "KS-20260101-0004")}
    assert {n: v.customer.id for n, v in views.items()} == {
        "KS-20260101-0001": 1, "KS-20260101-0002": 1, "KS-20260101-0003": 3, "KS-20260101-0004": 1,
    }
    merged = {n: [e for e in v.timeline if e.action == "customer_merged"] for n, v in views.items()}
    assert not merged["KS-20260101-0003"]
    for number in ("KS-20260101-0001", "KS-20260101-0002", "KS-20260101-0004"):
        (event,) = merged[number]
        # What the merged records said stays on the timeline: the second phone is kept there.
        assert "+8613600136000" in event.comment
        assert event.details["into"] == 1 and sorted(event.details["merged"]) == [2, 4]
    desk.close()


def _old_database_with_duplicates(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, name, display_name, role, active, created_at) "
                          "VALUES (1, 'li', 'li', 'agent', :yes, '2026-01-01 00:00:00')"), {"yes": True})
        customers = [
            (1, "王芳", "+8613800138000", None, None),
            (2, "", "+8613800138000", "wang@example.com", None),
            (3, "李雷", "+8613900139000", "", None),
            (4, "王芳", "+8613600136000", "Wang@Example.com", None),
            (5, "韩梅梅", "+8613700137000", None, 2),
        ]
        for cid, name, phone, email, dealer in customers:
            conn.execute(text(
                "INSERT INTO customers (id, name, phone, email, customer_class, dealer_id, region,"
                " created_at) VALUES (:id, :name, :phone, :email, 'end_user', :dealer, 'CN',"
                " '2026-01-01 00:00:00')"
            ), {"id": cid, "name": name, "phone": phone, "email": email, "dealer": dealer})
        for i, customer in enumerate([1, 2, 3, 4], start=1):
            conn.execute(text(
                "INSERT INTO cases (id, number, version, status, urgent, channel, customer_id,"
                " customer_class, product, order_no, batch, category, severity, description,"
                " customer_request, registered_at, registered_by, updated_at, validity,"
                " validity_reason, cause_what, cause_why, cause_when, cause_where, cause_who,"
                " cause_how, cause_how_much, implementation, accountability, preventive_action,"
                " typical) VALUES"
                f" ({i}, 'KS-20260101-000{i}', 1, 'registered', :no, 'phone', {customer}, 'end_user',"
                " '', '', '', '', 1, '漏水', '', '2026-01-01 00:00:00', 1, '2026-01-01 00:00:00',"
                " 'undecided', '', '', '', '', '', '', '', '', '', '', '', :no)"
            ), {"no": False})
            conn.execute(text(
                "INSERT INTO case_events (case_id, at, actor_id, action, to_status, comment,"
                f" visibility, details) VALUES ({i}, '2026-01-01 00:00:00', 1, 'register',"
                " 'registered', '', 'internal', '{}')"
            ))
        if conn.dialect.name == "postgresql":  # the rows above gave their ids themselves
            for table in ("users", "customers", "cases"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    engine.dispose()
