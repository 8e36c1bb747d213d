"""Issue 13: one end-to-end test per organisation the desk is built for (seeds 002, 003, 004),
keyboard-driven where a screen exists — the water-purifier maker (a sub-dealer's spare part, an
A-class dealer's part against its allowance, six units of one batch reaching the general manager),
the Spanish store chain (a store's case, disagreement restarting the department's clock, the written
answer in Spanish) and the restaurant (a walk-in, a dish replaced at the table, a refused
replacement refunded by the store manager, food-safety compensation within 2–5× the price)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select
from uisteps import app_for, press, settle, type_text

from casesteps import draft, to_investigating
from kesu_desk.app import KesuDesk
from kesu_desk.domain.errors import DeskError
from kesu_desk.present.letter import render_letter
from kesu_desk.screens.intake import IntakeScreen, RegisteredDialog, ResolveDialog
from kesu_desk.services import (
    cases,
    dealer_flow,
    dealers,
    departments,
    notifications,
    stores,
    users,
)
from kesu_desk.services.desk import Desk
from kesu_desk.services.letter import issue_letter
from kesu_desk.services.spare_parts import advice_line

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)


async def to_field(app: KesuDesk, pilot: Pilot[None], field: str) -> None:
    """Tab (never the mouse) to ``field`` of the intake form."""
    for _ in range(40):
        if app.focused is not None and app.focused.id == field:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {field}")


async def fill(app: KesuDesk, pilot: Pilot[None], **fields: str) -> None:
    for field, text in fields.items():
        await to_field(app, pilot, field)
        await type_text(app, pilot, text)


def choose(app: KesuDesk, field: str, value: str) -> None:
    app.screen.query_one(f"#{field}", Select).value = value  # the list itself is Textual's


async def register_by_keyboard(app: KesuDesk, pilot: Pilot[None], choices: dict[str, str], **fields: str) -> str:
    await settle(app, pilot)
    await press(app, pilot, "n")
    assert isinstance(app.screen, IntakeScreen)
    for field, value in choices.items():
        choose(app, field, value)
    await fill(app, pilot, **fields)
    await pilot.pause(0.6)
    await settle(app, pilot)
    await press(app, pilot, "ctrl+s")
    await pilot.pause(0.2)
    await settle(app, pilot)
    dialog = app.screen
    assert isinstance(dialog, RegisteredDialog), dialog
    number = dialog.number
    await press(app, pilot, "enter", "escape")
    return number


def customer_id(desk: Desk, number: str) -> int:
    with desk.uow(write=False) as uow:
        return uow.cases.get(number).customer_id


async def test_the_water_purifier_maker(desk: Desk, people: Any) -> None:
    for code in ("RND", "PROD"):
        departments.add_department(desk, code, zh=code, en=code, es=code)
    contract = dealer_flow.add_dealer(desk, "华东净水经销", contract_no="HD-2026-01", representative="sup",
                                      contact="陈经理", phone="13700137000")
    dealers.record_purchase(desk, contract.dealer_id, Decimal("100000"))  # 0.5%: 500.00 of allowance
    app = app_for(desk, "ag", "en")
    async with app.run_test(size=(80, 24)) as pilot:
        # a sub-dealer asks for a spare part within the warranty
        part = await register_by_keyboard(app, pilot, {"customer_class": "sub_dealer"}, phone="13600136000",
                                          customer_name="Sub-dealer Li", product="净水器 X5",
                                          purchase_date="2026-10-01", description="需要换一个配件")
        # six bad units of one batch in one call
        batch = await register_by_keyboard(app, pilot, {}, phone="13500135000", customer_name="Wang",
                                           product="净水器 X5", batch="B-2611", units="6",
                                           description="同一批净水器六台漏水")
    dealers.link(desk, customer_id(desk, part), contract.dealer_id)
    # "who sells, serves": the dealer supplies the sub-dealer's part, else the retail price
    assert "华东净水经销" in advice_line(desk, part, "zh")
    case = cases.get_case(desk, part)
    assert any(e.action == "suggestion" for e in case.timeline)
    # the A-class dealer's own part goes against its allowance, and never beyond it unseen
    own = cases.register_case(desk, "ag", draft(phone="13700137000", description="配件缺货，客户等着修",
                                                customer_class="a_dealer"))
    dealer_flow.send_parts(desk, "ag", own.number, "FILTER-1", qty=2, price=Decimal("120"))
    assert dealers.balance(desk, contract.dealer_id).left_cents == 26000
    with pytest.raises(DeskError):
        dealer_flow.send_parts(desk, "ag", own.number, "FILTER-1", qty=3, price=Decimal("120"))
    # the batch reached QA, R&D, production and the general manager, who confirms its handling
    assert cases.get_case(desk, batch).units == 6
    [told] = [n for n in notifications.inbox(desk, "mgr") if n.case_number == batch]
    assert told.kind == "batch_problem"
    assert {n.department for n in notifications.inbox(desk, "hq") if n.case_number == batch} == {"QA"}


async def test_the_spanish_store_chain(desk: Desk, people: Any) -> None:
    stores.add_store(desk, "MAD1", "Madrid Centro", region="Madrid", limit="150")
    users.add_user(desk, "lucia", "store_manager", store="MAD1")
    app = app_for(desk, "lucia", "es")
    async with app.run_test(size=(80, 24)) as pilot:  # registered at the counter: the store's case
        number = await register_by_keyboard(app, pilot, {"channel": "shop"}, phone="+34 612 345 678",
                                            customer_name="Carmen Ruiz",
                                            description="La lavadora llegó con la puerta rota")
    case = cases.get_case(desk, number)
    assert case.store == "MAD1"
    view = to_investigating(desk, case)
    first_due = cases.get_case(desk, number).deadlines["department"]
    view = cases.propose(desk, "hq", number, remedy="repair", version=view.version)
    view = cases.approve(desk, "lucia", number, version=view.version)  # within the store's limit
    view = cases.record_customer_answer(desk, "ag", number, agrees=False, comment="Quiere el cambio",
                                        version=view.version)
    assert view.deadlines["department"] > first_due  # the department's clock started again
    view = cases.propose(desk, "hq", number, remedy="exchange", version=view.version)
    view = cases.approve(desk, "lucia", number, version=view.version)
    cases.record_customer_answer(desk, "ag", number, agrees=True, version=view.version)
    cases.implement(desk, "hq", number, implementation="Lavadora cambiada", accountability="Transporte",
                    responsible="Almacén", penalty="5%", version=cases.get_case(desk, number).version)
    letter = render_letter(issue_letter(desk, "lucia", number), desk.calendar.tz)
    assert "Madrid Centro" in letter and "Almacén" not in letter and "5%" not in letter
    assert any(e.action == "letter" for e in cases.get_case(desk, number).timeline)


async def test_the_restaurant(desk: Desk, people: Any) -> None:
    stores.add_store(desk, "SH01", "上海南京路店", limit="200")
    users.add_user(desk, "dian", "store_manager", store="SH01")
    app = app_for(desk, "dian", "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        # a walk-in guest, no phone: the dish replaced at the table, closed at once
        await settle(app, pilot)
        await press(app, pilot, "n")
        choose(app, "channel", "shop")
        await fill(app, pilot, customer_name="12号桌客人", description="面里有头发")
        await press(app, pilot, "f6")
        assert isinstance(app.screen, ResolveDialog)
        await type_text(app, pilot, "当场道歉并重新上了一碗")
        await press(app, pilot, "ctrl+s")
        await pilot.pause(0.2)
        await settle(app, pilot)
        walk_in = app.screen
        assert isinstance(walk_in, RegisteredDialog)
        closed = cases.get_case(desk, walk_in.number)
        assert (closed.status, closed.closure, closed.store) == ("closed", "first_contact", "SH01")
    # a guest refused the replacement: the store manager refunds
    refused = to_investigating(desk, cases.register_case(desk, "dian", draft(
        phone="13800138011", description="汤里有虫子，不要换，要退款", price="38")))
    view = cases.propose(desk, "hq", refused.number, remedy="refund", amount=Decimal("38"), version=refused.version)
    assert cases.approve(desk, "dian", refused.number, version=view.version).status == "approved"
    # food safety: compensation within 2–5× the price is approved; outside it needs a reason and a manager
    ill = to_investigating(desk, cases.register_case(desk, "dian", draft(
        phone="13800138012", description="吃完饭全家上吐下泻进了医院", price="100")))
    with pytest.raises(DeskError):
        cases.propose(desk, "hq", ill.number, remedy="compensation", amount=Decimal("800"), version=ill.version)
    view = cases.propose(desk, "hq", ill.number, remedy="compensation", amount=Decimal("800"),
                         reason="住院三天，医药费另计", version=ill.version)
    with pytest.raises(DeskError):
        cases.approve(desk, "sup", ill.number, version=view.version)
    assert cases.approve(desk, "mgr", ill.number, version=view.version).status == "approved"
