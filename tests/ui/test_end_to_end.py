"""One complaint from the first ring to closure through every screen, keyboard only: the agent
takes the call and follows up, the QA handler investigates and carries the remedy out, the
supervisor approves; the timeline is checked event by event."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Select
from uisteps import app_for, press, settle, type_text

from kesu_desk.app import KesuDesk
from kesu_desk.domain.vocabulary import Closure, Status
from kesu_desk.screens.approvals import ApprovalsScreen
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.screens.follow_ups import FollowUpsScreen, SurveyScreen
from kesu_desk.screens.intake import IntakeScreen, RegisteredDialog
from kesu_desk.screens.queue import QueueScreen
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.widgets.case_table import CaseTable

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)


async def open_from_queue(app: KesuDesk, pilot: Pilot[None], number: str) -> CaseScreen:
    """Find the case in the queue with / and open it with Enter, as a user would."""
    await settle(app, pilot)
    assert isinstance(app.screen, QueueScreen)
    await press(app, pilot, "slash")
    await type_text(app, pilot, number)
    await pilot.pause(0.3)
    await settle(app, pilot)
    await press(app, pilot, "enter")  # from the search box to the results
    table = app.screen.query_one(CaseTable)
    assert table.current is not None and table.current.number == number
    await press(app, pilot, "enter")
    assert isinstance(app.screen, CaseScreen)
    return app.screen


async def pick(app: KesuDesk, pilot: Pilot[None], select_id: str, typed: str, expected: object) -> None:
    """Open the focused list, type to find an entry, take it."""
    await press(app, pilot, "enter")
    await type_text(app, pilot, typed)
    await press(app, pilot, "enter")
    assert app.screen.query_one(f"#{select_id}", Select).value == expected


async def test_one_case_from_the_first_ring_to_closure(desk: Desk, people: dict[str, object]) -> None:
    # -- the agent takes the call --------------------------------------------------------------
    app = app_for(desk, "ag")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")
        assert isinstance(app.screen, IntakeScreen)
        await type_text(app, pilot, "13812345678")
        await press(app, pilot, "tab", "tab")  # e-mail, then the name
        assert app.focused is not None and app.focused.id == "customer_name"
        await type_text(app, pilot, "Li Lei")
        while app.focused is not None and app.focused.id != "description":
            await press(app, pilot, "tab")
        await type_text(app, pilot, "The kettle leaks at the bottom, I want a refund")
        await pilot.pause(0.6)  # a pause in the call: the suggestion comes
        await settle(app, pilot)
        await press(app, pilot, "f3")  # take it
        await press(app, pilot, "ctrl+s")
        await pilot.pause(0.2)
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, RegisteredDialog)
        number = dialog.number
        await press(app, pilot, "enter", "escape")  # next call; back to the queue

        screen = await open_from_queue(app, pilot, number)
        await press(app, pilot, "v", "ctrl+s")  # founded (the default)
        await press(app, pilot, "a")
        await pick(app, pilot, "department", "q", "QA")
        await press(app, pilot, "tab")
        await pick(app, pilot, "handler", "h", "hq")
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
    assert cases.get_case(desk, number).status is Status.ASSIGNED

    # -- the QA handler finds the cause and proposes a remedy ----------------------------------
    app = app_for(desk, "hq")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_queue(app, pilot, number)
        await press(app, pilot, "c")
        await pick(app, pilot, "fishbone", "mat", "material")
        await press(app, pilot, "tab")
        await type_text(app, pilot, "seal leaks")
        await press(app, pilot, "tab")
        await type_text(app, pilot, "supplier batch aged")
        await press(app, pilot, "ctrl+s")
        await press(app, pilot, "p")
        await pick(app, pilot, "remedy", "ref", "refund")
        await press(app, pilot, "tab")
        await type_text(app, pilot, "300")
        await press(app, pilot, "ctrl+s")
    assert cases.get_case(desk, number).status is Status.PROPOSED

    # -- the supervisor approves from the inbox ------------------------------------------------
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "1 approvals waiting" in app.sub_title
        await press(app, pilot, "f7")
        assert isinstance(app.screen, ApprovalsScreen)
        await press(app, pilot, "a", "enter")
        await settle(app, pilot)
        assert "approvals waiting" not in app.sub_title
    assert cases.get_case(desk, number).status is Status.APPROVED

    # -- the agent tells the customer, who agrees ----------------------------------------------
    app = app_for(desk, "ag")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_queue(app, pilot, number)
        await press(app, pilot, "g")
        await pick(app, pilot, "agrees", "a", True)
        await press(app, pilot, "ctrl+s")
    assert cases.get_case(desk, number).status is Status.IMPLEMENTING

    # -- the handler carries it out --------------------------------------------------------------
    app = app_for(desk, "hq")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_queue(app, pilot, number)
        await press(app, pilot, "i")
        await type_text(app, pilot, "refund paid")
        await press(app, pilot, "tab")
        await type_text(app, pilot, "supplier inspection")
        await press(app, pilot, "ctrl+s")
    assert cases.get_case(desk, number).status is Status.FOLLOW_UP

    # -- the agent makes the follow-up call: very satisfied ------------------------------------
    app = app_for(desk, "ag")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "f9")
        assert isinstance(app.screen, FollowUpsScreen)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, SurveyScreen)
        await press(app, pilot, "5", "y")
        await type_text(app, pilot, "thanks")
        await press(app, pilot, "ctrl+s")

    view = cases.get_case(desk, number)
    assert (view.status, view.closure, view.satisfaction) == (Status.CLOSED, Closure.SATISFIED.value, 5)
    timeline = [(e.action, e.actor, e.from_status, e.to_status) for e in view.timeline]
    assert timeline == [
        ("register", "ag", None, "registered"),
        ("suggestion", "ag", "registered", "registered"),
        ("decide_validity", "ag", "registered", "registered"),
        ("assign", "ag", "registered", "assigned"),
        ("record_cause", "hq", "assigned", "investigating"),
        ("propose", "hq", "investigating", "proposed"),
        ("approve", "sup", "proposed", "approved"),
        ("customer_answer", "ag", "approved", "implementing"),
        ("implement", "hq", "implementing", "follow_up"),
        ("follow_up", "ag", "follow_up", "closed"),
    ]
    suggestion = view.timeline[1].details
    assert suggestion["suggested"]["department"] == "QA" and suggestion["taken"] is True
    assert view.department == "QA" and view.remedy == "refund" and view.cause["what"] == "seal leaks"
