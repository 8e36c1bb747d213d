"""Typed text never disappears (issue 15, items 1–3): the focus moves only when the user moves it,
Esc asks before a dialog with typed text is thrown away, and a multi-line paste into a one-line
field keeps every line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from uisteps import field_value, open_case, press, run_as, settle

from casesteps import to_assigned
from kesu_desk.app import KesuDesk
from kesu_desk.screens.actions import CauseDialog
from kesu_desk.screens.intake import IntakeScreen
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

Register = Callable[..., CaseView]


async def paste(app: KesuDesk, text: str) -> None:
    """What a terminal sends for a paste (bracketed paste): one event with all the lines."""
    app.post_message(events.Paste(text))


# -- item 3: a multi-line paste into a one-line field ----------------------------------------------------


async def test_a_multi_line_paste_into_a_dialogs_one_line_field_keeps_every_line(
    desk: Desk, register: Register
) -> None:
    view = to_assigned(desk, register())
    async with run_as(desk, "hq") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "c", "tab")
        dialog = app.screen
        assert isinstance(dialog, CauseDialog)
        await paste(app, "seal ring\r\nworn out\n\nafter 3 months\n")
        await settle(app, pilot)
        assert field_value(dialog, "#cause-what") == "seal ring worn out after 3 months"


async def test_a_multi_line_paste_into_the_intake_form_keeps_every_line(desk: Desk, register: Register) -> None:
    async with run_as(desk, "ag") as (app, pilot):
        await settle(app, pilot)
        await press(app, pilot, "n")
        intake = app.screen
        assert isinstance(intake, IntakeScreen)
        for _ in range(3):  # phone, e-mail, name
            if app.focused is not None and app.focused.id == "customer_name":
                break
            await press(app, pilot, "tab")
        assert app.focused is not None and app.focused.id == "customer_name"
        await paste(app, "Wang\nXiaoming")
        await settle(app, pilot)
        assert field_value(intake, "#customer_name") == "Wang Xiaoming"
