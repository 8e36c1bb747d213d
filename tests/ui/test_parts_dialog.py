"""Issue 13, dealers in the case's work on the case screen (Pilot): the serving dealer and the
spare-part advice under the facts; D hands the case to the dealer, P records a part sent against
its allowance — beyond the balance the dialog says the business representative must approve."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from textual.widgets import Input, Select, Static
from uisteps import app_for, open_case, press, static_text

from kesu_desk.screens.parts import HandoverDialog, PartsDialog
from kesu_desk.services import dealer_flow, dealers
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)


async def test_hand_over_and_send_a_part_from_the_case_screen(
    desk: Desk, register: Callable[..., CaseView],
) -> None:
    dealer = dealer_flow.add_dealer(desk, "清泉商贸", contract_no="JLQ-7", representative="王经理",
                                    contact="李娜", phone="13800138000").dealer_id
    dealers.record_purchase(desk, dealer, Decimal("20000"))  # 100.00 allowance
    case = register(phone="13900000031", customer_class="sub_dealer")
    dealers.link(desk, case.customer.id, dealer)

    app = app_for(desk, "ag")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_case(app, pilot, case.number)
        await pilot.pause()
        card = static_text(app, "#case-dealer")
        assert "Served by dealer 清泉商贸 (李娜 +8613800138000); allowance left 100.00" in card
        assert "the sub-dealer's A-class dealer 清泉商贸 supplies it" in card
        await press(app, pilot, "D")
        assert isinstance(app.screen, HandoverDialog)
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        await press(app, pilot, "P")
        dialog = app.screen
        assert isinstance(dialog, PartsDialog)
        assert dialog.query_one("#charge", Select).value == "customer"  # the advice: its dealer, else retail
        dialog.query_one("#charge", Select).value = "allowance"
        dialog.query_one("#part", Input).value = "PP-10"
        dialog.query_one("#price", Input).value = "150"
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog  # beyond the balance: refused, and said why
        assert "--approved-by" in str(dialog.query_one("#dialog-error", Static).render())
        dialog.query_one("#approved_by", Input).value = "王经理"
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        await pilot.pause()
        assert dealers.balance(desk, dealer).left_cents == -5_000
        assert screen.view is not None
        assert [e.action for e in screen.view.timeline][-2:] == ["dealer_handover", "parts_sent"]
