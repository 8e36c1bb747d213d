"""Issue 16: on PostgreSQL other terminals' changes reach a desk because the database announces
them (LISTEN/NOTIFY), not because the desk asks every second; idle, a desk sends nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, text
from test_app import numbers, settle, status_line
from textual.pilot import Pilot

from casesteps import to_investigating
from kesu_desk import app as app_module
from kesu_desk.app import KesuDesk
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import whoami
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]
pg_only = pytest.mark.parametrize("desk", ["postgresql"], indirect=True)


def count_units_of_work(desk: Desk) -> list[int]:
    """How many transactions the desk's engine began since (one element, counted up)."""
    begun = [0]

    @event.listens_for(desk.engine, "begin")
    def _begun(_conn: Any) -> None:
        begun[0] += 1

    return begun


async def until(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if done():
            return True
        await asyncio.sleep(0.05)
        await pilot.pause()
    return done()


async def listening(pilot: Pilot[None], app: KesuDesk) -> None:
    assert app.listener is not None
    assert await until(pilot, app.listener.connected.is_set)


@pg_only
async def test_another_terminals_case_is_announced_and_an_idle_desk_sends_nothing(
    desk: Desk, register: Register, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Were the desk still looking every second (or every minute), this test would see it.
    monkeypatch.setattr(app_module, "CHANGE_CHECK_SECONDS", 0.2)
    register(description="第一件")
    app = KesuDesk(desk, whoami(desk, "ag"), "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await listening(pilot, app)
        begun = count_units_of_work(desk)
        await asyncio.sleep(2.0)
        await pilot.pause()
        assert begun[0] == 0, "an idle desk on PostgreSQL began transactions"
        later = register(description="另一个终端登记的")
        registering = begun[0]
        assert await until(pilot, lambda: later.number in numbers(app))
        await settle(pilot)
        assert numbers(app)[0] == later.number
        assert "2 cases" in status_line(app)
        # The queue's count and page, nothing else (no look for the newest event, no badge).
        assert begun[0] - registering <= 2


@pg_only
async def test_a_proposal_made_elsewhere_shows_in_the_supervisors_badge(
    desk: Desk, register: Register,
) -> None:
    view = to_investigating(desk, register(description="底座漏水"))
    app = KesuDesk(desk, whoami(desk, "sup"), "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await listening(pilot, app)
        assert "approvals waiting" not in app.sub_title
        cases.propose(desk, "hq", view.number, remedy="refund", amount=Decimal("300"), version=view.version)
        assert await until(pilot, lambda: "1 approvals waiting" in app.sub_title), app.sub_title


@pg_only
async def test_the_desk_listens_again_after_its_connection_is_killed(
    desk: Desk, register: Register,
) -> None:
    app = KesuDesk(desk, whoami(desk, "ag"), "en")
    said: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await listening(pilot, app)
        original = app.notify

        def notify(message: str, **kwargs: Any) -> None:
            said.append(message)
            original(message, **kwargs)

        app.notify = notify  # type: ignore[method-assign]
        assert app.listener is not None
        first = app.listener.backend_pid
        with desk.engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        assert await until(pilot, lambda: any("not shown until the connection is back" in s for s in said))
        assert await until(pilot, lambda: app.listener is not None and app.listener.connected.is_set()
                           and app.listener.backend_pid not in (None, first), seconds=8)
        assert await until(pilot, lambda: any(s.startswith("Connected again") for s in said))
        await settle(pilot)
        later = register(description="重连之后登记的")
        assert await until(pilot, lambda: later.number in numbers(app))
