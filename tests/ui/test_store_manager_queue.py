"""Issue 13: a store manager at the counter sees their store's cases in the queue and opens one
with Enter (Pilot, 80×24)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from uisteps import settle_idle as settle

from kesu_desk.app import KesuDesk
from kesu_desk.domain.access import Identity
from kesu_desk.domain.vocabulary import Role
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.services import stores, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.case_table import CaseTable

Register = Callable[..., CaseView]



@pytest.mark.parametrize("desk", ["sqlite"], indirect=True)
async def test_a_store_managers_queue_lists_their_stores_cases_and_enter_opens_one(
    desk: Desk, people: Any, register: Register
) -> None:
    stores.add_store(desk, "M01", "Madrid Centro", limit="150")
    stores.add_store(desk, "S02", "Sevilla Triana", limit="50")
    users.add_user(desk, "ana", Role.STORE_MANAGER, store="M01")
    own = register(store="M01", description="tapa de la hervidora")
    register(store="S02", phone="13900139000")
    register(phone="13700137000")
    ana = users.whoami(desk, "ana")
    desk.sign_in(Identity(user=ana, login="ana"))
    app = KesuDesk(desk, ana, "es", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CaseTable)
        listed = [row.number for i in range(table.total) if (row := table.row_at(i)) is not None]
        assert listed == [own.number]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert own.number in "".join(str(w.render()) for w in app.screen.query("Static"))
