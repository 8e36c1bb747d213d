"""Corrective actions and typical cases on the case screen, driven with Pilot: a supervisor opens
an action, its owner records it done, the supervisor finds it not effective and the closed case
reopens; agents and handlers are not offered what is not theirs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from textual.widgets import Input, Select, Static, TextArea
from uisteps import app_for, open_case, press, type_text

from casesteps import to_assigned, to_follow_up
from kesu_desk.domain.vocabulary import Action, CorrectiveStatus, Status
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.screens.corrective import (
    CheckDialog,
    OpenCorrectiveDialog,
    ProgressDialog,
    TypicalDialog,
)
from kesu_desk.services import cases, corrective
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.store.models import Case

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

Register = Callable[..., CaseView]
REVIEW_KEYS = {"case.corrective", "case.corrective_progress", "case.effectiveness", "case.typical",
               "case.not_typical"}


def review_keys(screen: CaseScreen) -> set[str]:
    return {b.binding.id or "" for b in screen.active_bindings.values()} & REVIEW_KEYS


def closed_case(desk: Desk, register: Register) -> CaseView:
    view = to_follow_up(desk, register(product="电水壶 K-200", batch="B7"))
    view = cases.record_follow_up(desk, "ag", view.number, score=5, version=view.version)
    assert view.status is Status.CLOSED
    return view


async def test_open_progress_and_not_effective_reopen_the_action_and_the_case(
    desk: Desk, register: Register
) -> None:
    number = closed_case(desk, register).number
    today = desk.calendar.local_date(utcnow())

    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(app, pilot, number)
        assert review_keys(screen) == {"case.corrective", "case.typical"}
        await press(app, pilot, "k")
        dialog = app.screen
        assert isinstance(dialog, OpenCorrectiveDialog)
        # The owner: the case's handler is offered first.
        assert dialog.query_one("#owner", Select).value == "hq"
        assert dialog.query_one("#due", Input).value == (today + timedelta(days=30)).isoformat()
        assert dialog.query_one("#scope", Select).value is False  # the case alone unless chosen
        await press(app, pilot, "ctrl+s")  # no text yet: refused, the dialog stays
        assert app.screen is dialog
        assert "Corrective action is required" in str(dialog.query_one("#dialog-error", Static).render())
        dialog.query_one("#due", Input).value = "2026-02-30"
        dialog.query_one("#text", TextArea).focus()
        await type_text(app, pilot, "new seal supplier")
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog
        assert "Due date: not a date (YYYY-MM-DD)" in str(dialog.query_one("#dialog-error", Static).render())
        dialog.query_one("#due", Input).value = (today + timedelta(days=14)).isoformat()
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        [action] = corrective.list_actions(desk, case_number=number)
        assert (action.owner, action.action, action.status, action.due_date, action.for_batch) == (
            "hq", "new seal supplier", CorrectiveStatus.OPEN, today + timedelta(days=14), False)
        assert screen.view is not None
        assert screen.view.timeline[-1].action == Action.CORRECTIVE_ACTION.value
        # One action under way: no second one; a supervisor may record progress too.
        assert review_keys(screen) == {"case.corrective_progress", "case.typical"}

    app = app_for(desk, "hq")  # the owner
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(app, pilot, number)
        assert review_keys(screen) == {"case.corrective_progress"}
        await press(app, pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ProgressDialog)
        await type_text(app, pilot, "supplier changed, seals checked")
        await press(app, pilot, "tab", "enter", "down", "enter")  # Done? -> done
        assert dialog.query_one("#done", Select).value is True
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        [action] = corrective.list_actions(desk, case_number=number)
        assert action.status is CorrectiveStatus.DONE
        assert action.progress == "supplier changed, seals checked"
        assert action.check_due == today + timedelta(days=desk.settings.corrective_check_days)
        assert review_keys(screen) == set()  # nothing left for the owner to do

    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(app, pilot, number)
        assert review_keys(screen) == {"case.effectiveness", "case.typical"}
        await press(app, pilot, "f")
        dialog = app.screen
        assert isinstance(dialog, CheckDialog)
        assert "supplier changed, seals checked" in str(dialog.query_one(".dialog-note", Static).render())
        await press(app, pilot, "enter", "down", "enter")  # Effective? -> yes
        assert dialog.query_one("#effective", Select).value is True
        await press(app, pilot, "ctrl+s")  # the check is not due for weeks
        assert app.screen is dialog
        assert "Too early to call it effective" in str(dialog.query_one("#dialog-error", Static).render())
        await press(app, pilot, "enter", "down", "enter")  # -> no
        assert dialog.query_one("#effective", Select).value is False
        await press(app, pilot, "tab")
        await type_text(app, pilot, "leaks again in batch B8")
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        [action] = corrective.list_actions(desk, case_number=number)
        assert (action.status, action.rounds, action.effective) == (CorrectiveStatus.OPEN, 2, False)
        assert action.due_date == today + timedelta(days=30)
        view = cases.get_case(desk, number)
        assert view.status is Status.REOPENED
        assert [e.action for e in view.timeline[-2:]] == [Action.EFFECTIVENESS_CHECK.value,
                                                          Action.REOPEN.value]
        assert screen.view is not None and screen.view.status is Status.REOPENED


async def test_a_batch_action_carries_the_product_and_batch(desk: Desk, register: Register) -> None:
    number = closed_case(desk, register).number
    app = app_for(desk, "mgr")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(app, pilot, number)
        await press(app, pilot, "k")
        dialog = app.screen
        assert isinstance(dialog, OpenCorrectiveDialog)
        dialog.query_one("#scope", Select).value = True
        dialog.query_one("#text", TextArea).focus()
        await type_text(app, pilot, "audit the seal line")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
    [action] = corrective.list_actions(desk, product="电水壶 K-200", batch="B7")
    assert action.for_batch and action.case_number == number


async def test_a_supervisor_keeps_a_case_as_typical_and_can_stop(desk: Desk, register: Register) -> None:
    number = register().number
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(app, pilot, number)
        await press(app, pilot, "t")
        dialog = app.screen
        assert isinstance(dialog, TypicalDialog)
        assert dialog.query_one("#typical", Select).value is True
        await press(app, pilot, "tab")
        await type_text(app, pilot, "how to calm an angry caller")
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        with desk.uow(write=False) as uow:
            assert uow.session.execute(select(Case.typical).where(Case.number == number)).scalar_one()
        assert screen.view is not None and screen.view.typical
        assert review_keys(screen) == {"case.corrective", "case.not_typical"}

        await press(app, pilot, "t")
        dialog = app.screen
        assert isinstance(dialog, TypicalDialog)
        assert dialog.query_one("#typical", Select).value is False
        await press(app, pilot, "ctrl+s")
        with desk.uow(write=False) as uow:
            assert not uow.session.execute(select(Case.typical).where(Case.number == number)).scalar_one()
        assert review_keys(screen) == {"case.corrective", "case.typical"}


async def test_agents_and_handlers_are_not_offered_the_review_keys(desk: Desk, register: Register) -> None:
    closed = closed_case(desk, register)
    today = desk.calendar.local_date(utcnow())
    corrective.open_action(desk, "sup", closed.number, owner="hq", due=today + timedelta(days=5), text="x")
    assigned = to_assigned(desk, register())
    for who, number in (("ag", closed.number), ("ag", assigned.number), ("hl", closed.number),
                        ("hq", assigned.number)):
        app = app_for(desk, who)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_case(app, pilot, number)
            assert review_keys(screen) == set(), who
            await press(app, pilot, "k", "t", "u", "f")  # keys not offered do nothing
            assert app.screen is screen, who
            commands = {c.title for c in app.get_system_commands(screen)}
            assert not {"Corrective action", "Typical", "Progress", "Effective?"} & commands
    [action] = corrective.list_actions(desk, case_number=closed.number)
    assert (action.status, action.progress) == (CorrectiveStatus.OPEN, "")
    assert not cases.get_case(desk, closed.number).typical


async def test_progress_saved_meanwhile_by_a_colleague_is_shown_and_the_typed_text_kept(
    desk: Desk, register: Register
) -> None:
    number = closed_case(desk, register).number
    today = desk.calendar.local_date(utcnow())
    opened = corrective.open_action(desk, "sup", number, owner="hq", due=today + timedelta(days=9),
                                    text="new seal supplier")
    app = app_for(desk, "hq")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(app, pilot, number)
        await press(app, pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, ProgressDialog)
        # Another terminal: the supervisor records progress on the same action first.
        corrective.record_progress(desk, "sup", opened.id, note="supplier called", version=opened.version)
        await type_text(app, pilot, "seals checked")
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog  # nothing saved over the supervisor's note
        changes = str(dialog.query_one("#dialog-changes", Static).render())
        assert "supplier called" in changes and "Progress" in changes
        assert dialog.query_one("#note", TextArea).text == "seals checked"
        [action] = corrective.list_actions(desk, case_number=number)
        assert (action.progress, action.version) == ("supplier called", 2)
        await press(app, pilot, "ctrl+s")  # again, now knowing: saved against the new version
        assert app.screen is screen
        [action] = corrective.list_actions(desk, case_number=number)
        assert (action.progress, action.version) == ("seals checked", 3)
