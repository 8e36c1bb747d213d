"""The migrations build exactly the schema the models describe, and bring older databases up."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from kesu_desk.config import Settings
from kesu_desk.services.desk import Desk
from kesu_desk.store import schema
from kesu_desk.store.engine import make_engine
from kesu_desk.store.schema import include_object


def test_models_and_migrations_agree(desk: Desk) -> None:
    with desk.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(ctx, SQLModel.metadata) == []


def test_app_brings_an_older_database_up_to_date(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    cfg = schema.alembic_config(sqlite_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        command.downgrade(cfg, "base")
    assert "cases" not in inspect(engine).get_table_names()
    engine.dispose()

    desk = Desk.open(Settings(db=sqlite_url))
    assert schema.current_revision(desk.engine) == schema.head_revision()
    assert {"cases", "case_events", "departments"} <= set(inspect(desk.engine).get_table_names())
    desk.close()


def test_upgrade_from_the_first_revision_keeps_cases_and_counts_them(sqlite_url: str) -> None:
    from sqlalchemy import text

    from kesu_desk.domain.vocabulary import Status
    from kesu_desk.store import queries

    engine = make_engine(sqlite_url)
    cfg = schema.alembic_config(sqlite_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO users (id, name, display_name, role, active, created_at) "
                          "VALUES (1, 'li', 'li', 'agent', 1, '2026-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO customers (id, name, customer_class, region, created_at) "
                          "VALUES (1, 'w', 'end_user', 'CN', '2026-01-01 00:00:00')"))
        for i, status in enumerate(["registered", "registered", "closed"], start=1):
            conn.execute(text(
                "INSERT INTO cases (number, version, status, urgent, channel, customer_id, customer_class,"
                " product, order_no, batch, category, severity, description, customer_request,"
                " registered_at, registered_by, updated_at, validity, validity_reason, cause_what,"
                " cause_why, cause_when, cause_where, cause_who, cause_how, cause_how_much,"
                " implementation, accountability, preventive_action, typical, next_due_at) VALUES"
                f" ('KS-20260101-000{i}', 1, '{status}', 0, 'phone', 1, 'end_user', '', '', '', '', 1,"
                " 'x', '', '2026-01-01 00:00:00', 1, '2026-01-01 00:00:00', 'undecided', '', '', '',"
                " '', '', '', '', '', '', '', '', 0, "
                + ("'2026-01-02 00:00:00')" if status == "registered" else "NULL)")
            ))
    engine.dispose()

    desk = Desk.open(Settings(db=sqlite_url))
    with desk.uow(write=False) as uow:
        counts = queries.count_by_status(uow.session)
    assert (counts[Status.REGISTERED], counts[Status.CLOSED]) == (2, 1)
    # 0004 works out when each open case became at risk: 18 of its 24 hours gone
    with desk.engine.connect() as conn:
        at_risk = conn.execute(text("SELECT status, at_risk_at FROM cases ORDER BY id")).all()
    assert at_risk == [("registered", "2026-01-01 18:00:00.000000"),
                       ("registered", "2026-01-01 18:00:00.000000"), ("closed", None)]
    desk.close()


def test_the_head_a_database_is_checked_against_is_alembics_head() -> None:
    assert schema.head_revision() == schema.HEAD


def test_upgrading_to_0035_counts_the_approvals_each_proposal_was_given(desk: Desk, register: Any) -> None:
    """Issue 16: the badge looks up approvals only for proposals whose ``approvals_given`` says
    they have some, so an upgraded database must count those given before the column existed."""
    from sqlalchemy import text

    from casesteps import to_proposed
    from kesu_desk.services import cases
    from kesu_desk.services.approvals import waiting_count

    first_of_two = to_proposed(desk, register(), amount="5000")
    cases.approve(desk, "sup", first_of_two.number, version=first_of_two.version)
    approved = to_proposed(desk, register())
    cases.approve(desk, "sup", approved.number, version=approved.version)
    returned = to_proposed(desk, register())
    cases.return_proposal(desk, "sup", returned.number, comment="先换货", version=returned.version)
    cfg = schema.alembic_config(desk.settings.db)
    with desk.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0034")
        command.upgrade(cfg, "head")
    with desk.engine.connect() as conn:
        assert conn.execute(text("SELECT approvals_given FROM proposals ORDER BY id")).scalars().all() == [1, 1, 0]
    assert (waiting_count(desk, "sup"), waiting_count(desk, "sup2"), waiting_count(desk, "mgr")) == (0, 0, 1)
