"""Issue 14: the approver sees the rules' compensation range next to the proposal (one pilot test)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from test_approvals_screen import open_inbox
from uisteps import app_for, screen_text

from casesteps import draft, to_proposed
from kesu_desk.rules.model import CompensationRange, Suggestion
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.intake_form import suggested_values
from kesu_desk.services.views import CaseView

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)


async def test_the_inbox_shows_the_compensation_range_the_rules_advised(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    advice = Suggestion(department="QA", compensation=CompensationRange(
        min_multiple=Decimal(2), max_multiple=Decimal(5), min_amount=Decimal("76.00"), max_amount=Decimal("190.00")))
    register()  # the people exist
    registered = cases.register_case(desk, "ag", draft(customer_name="Advised"), suggested=suggested_values(advice))
    to_proposed(desk, registered, remedy="compensation", amount="100")
    app = app_for(desk, "sup")
    async with app.run_test(size=(100, 24)) as pilot:
        await open_inbox(app, pilot)
        assert "rules advised compensation 2–5× (76.00–190.00)" in screen_text(app)
