"""Issue 13, remedies: the propose dialog takes an exchange and a compensation in one proposal,
keyboard only at 80×24, and shows the compensation range the case's price suggests."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from test_intake import type_text as type_text_intake
from uisteps import field_value, open_case, press, run_as, static_text, type_text

from casesteps import to_investigating
from kesu_desk.domain.vocabulary import Status
from kesu_desk.screens.actions import ActionDialog
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

Register = Callable[..., CaseView]


async def test_an_exchange_and_a_compensation_are_proposed_from_the_keyboard(
    desk: Desk, register: Register
) -> None:
    view = to_investigating(desk, register(price="100"))
    async with run_as(desk, "hq") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "p", "enter")
        await type_text(app, pilot, "exch")
        await press(app, pilot, "enter")
        assert field_value(app.screen, "#remedy") == "exchange"
        # The price the case carries, and the range it suggests: 2–5× 100.
        assert field_value(app.screen, "#price") == "100.00"
        assert "200.00" in static_text(app, "#range-note") and "500.00" in static_text(app, "#range-note")
        await press(app, pilot, "f4", "enter")  # a second remedy line, its list open
        await type_text(app, pilot, "comp")
        await press(app, pilot, "enter")
        assert field_value(app.screen, "#remedy-2") == "compensation"
        await press(app, pilot, "tab")
        await type_text(app, pilot, "800")
        await press(app, pilot, "ctrl+s")
        # 800 is outside 200–500: refused until the reason is given, everything kept.
        assert isinstance(app.screen, ActionDialog)
        assert "200.00" in static_text(app, "#dialog-error")
        app.screen.query_one("#range-reason").focus()
        await type_text(app, pilot, "hospital stay")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
    proposed = cases.get_case(desk, view.number)
    assert proposed.status is Status.PROPOSED
    approved = cases.approve(desk, "mgr", view.number, version=proposed.version)
    assert approved.remedies == (("exchange", None), ("compensation", Decimal("800")))


async def test_the_intake_takes_the_price_prefilled_from_the_picked_product(
    desk: Desk, people: dict[str, object], tmp_path: Path
) -> None:
    from sqlmodel import select
    from test_intake import go_to, intake_form, settle

    from kesu_desk.services import products
    from kesu_desk.store.models import Case

    (tmp_path / "menu.csv").write_text("code,name,retail_price\nD-01,Kung pao chicken,38.00\n", encoding="utf-8")
    products.import_products(desk, tmp_path / "menu.csv")
    async with intake_form(desk) as (desktop, pilot):
        await type_text_intake(pilot, "13900139000")
        await go_to(desktop, pilot, "product")
        await type_text_intake(pilot, "D-01\n")
        await settle(desktop, pilot)
        assert desktop.value("price") == "38.00"  # the picked dish's retail price
        await go_to(desktop, pilot, "price")
        for _ in range(5):
            await pilot.press("backspace")
        await type_text_intake(pilot, "42.50")
        await go_to(desktop, pilot, "description")
        await type_text_intake(pilot, "A hair in the dish")
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
    with desk.uow(write=False) as uow:
        assert uow.session.exec(select(Case.price_cents)).one() == 4250
