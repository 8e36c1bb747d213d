"""What any database client may send, not only the desk: the schema itself keeps the timeline
append-only, cases undeleted and their numbers fixed, on SQLite and PostgreSQL alike.

Each statement runs on a plain connection with the driver's default settings (the stdlib
``sqlite3`` module: no ``recursive_triggers``, no ``foreign_keys``; psycopg), as someone with the
database file or a login would run it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import make_url

from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.store import queries

Register = Callable[..., CaseView]


def plain_execute(desk: Desk, sql: str) -> None:
    """Run ``sql`` and commit, on a connection of the driver's own, default settings."""
    url = desk.engine.url
    if url.get_backend_name() == "sqlite":
        assert url.database
        conn = sqlite3.connect(url.database)
        try:
            conn.execute(sql)
            conn.commit()
        finally:
            conn.close()
        return
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as pg:
        pg.execute(sql)  # type: ignore[arg-type]


def refused(desk: Desk, sql: str, message: str) -> None:
    with pytest.raises(Exception, match=message):
        plain_execute(desk, sql)


def columns(desk: Desk, table: str) -> list[str]:
    from sqlalchemy import inspect

    return [c["name"] for c in inspect(desk.engine).get_columns(table)]


def copy_of_row(desk: Desk, table: str, where: str, **changed: str) -> str:
    """``(cols) SELECT …`` copying the row of ``table`` at ``where`` with some values changed."""
    names = columns(desk, table)
    values = [changed.get(n, n) for n in names]
    return f"{table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {table} WHERE {where}"


def state(desk: Desk, numbers: list[str]) -> tuple[list[CaseView], dict[Any, int]]:
    with desk.uow(write=False) as uow:
        counts = queries.count_by_status(uow.session)
    return [cases.get_case(desk, n) for n in numbers], counts


@pytest.fixture
def two_cases(desk: Desk, register: Register) -> list[str]:
    first = cases.add_note(desk, "ag", register().number, text="first note")
    second = register(phone="13900139000")
    return [first.number, second.number]


def test_a_timeline_event_cannot_be_rewritten_by_replacing_it(desk: Desk, two_cases: list[str]) -> None:
    before = state(desk, two_cases)
    first_event = "id = (SELECT min(id) FROM case_events)"
    forged = copy_of_row(desk, "case_events", first_event, action="'approve'", comment="'forged'")
    if desk.engine.dialect.name == "sqlite":
        refused(desk, f"INSERT OR REPLACE INTO {forged}", "append-only")
        refused(desk, f"REPLACE INTO {forged}", "append-only")
    else:
        refused(desk, f"INSERT INTO {forged} ON CONFLICT (id) DO UPDATE SET action = 'approve', "
                      "comment = 'forged'", "append-only")
    assert state(desk, two_cases) == before


def test_a_case_cannot_be_replaced_nor_its_number_taken(desk: Desk, two_cases: list[str]) -> None:
    before = state(desk, two_cases)
    first, second = (f"number = '{n}'" for n in two_cases)
    if desk.engine.dialect.name == "sqlite":
        # The same row again: SQLite deletes the old one (no delete trigger fires) and inserts.
        refused(desk, f"REPLACE INTO {copy_of_row(desk, 'cases', first)}", "never deleted")
        # A new row with the first case's number: the first case would be deleted.
        refused(desk, f"INSERT OR REPLACE INTO {copy_of_row(desk, 'cases', first, id='id + 1000')}",
                "never deleted")
        refused(desk, f"UPDATE OR REPLACE cases SET number = '{two_cases[0]}' WHERE {second}",
                "keeps its number")
    else:
        refused(desk, f"INSERT INTO {copy_of_row(desk, 'cases', first)} ON CONFLICT (id) DO UPDATE "
                      f"SET number = 'KS-20000101-0001'", "keeps its number")
    refused(desk, f"UPDATE cases SET number = 'KS-20000101-0001' WHERE {first}", "keeps its number")
    refused(desk, f"UPDATE cases SET id = id + 1000 WHERE {first}", "keeps its number")
    assert state(desk, two_cases) == before


def test_the_guards_leave_the_desks_own_writes_alone(desk: Desk, two_cases: list[str]) -> None:
    """Registering, changing and annotating cases still work with the guards in place."""
    view = cases.get_case(desk, two_cases[1])
    view = cases.decide_validity(desk, "ag", view.number, founded=True, version=view.version)
    noted = cases.add_note(desk, "ag", view.number, text="second note")
    assert [e.action for e in noted.timeline][-2:] == ["decide_validity", "note"]
