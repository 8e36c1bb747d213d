"""Typed text never disappears (issue 15, items 1–3): the focus moves only when the user moves it,
Esc asks before a dialog with typed text is thrown away, and a multi-line paste into a one-line
field keeps every line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from textual.widgets import Input, OptionList, TextArea
from uisteps import field_value, open_case, press, run_as, screen_text, settle, type_text

from casesteps import to_assigned, to_follow_up
from kesu_desk.app import KesuDesk
from kesu_desk.domain.vocabulary import Status
from kesu_desk.screens.actions import CauseDialog, MergeDialog, NoteDialog
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.screens.follow_ups import AnswerPad, SurveyScreen
from kesu_desk.screens.intake import IntakeScreen
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

Register = Callable[..., CaseView]


async def paste(app: KesuDesk, text: str) -> None:
    """What a terminal sends for a paste (bracketed paste): one event with all the lines."""
    app.post_message(events.Paste(text))


# -- item 1: the focus never moves by itself ------------------------------------------------------


async def test_the_survey_comment_typed_after_tab_is_saved(desk: Desk, register: Register) -> None:
    case = to_follow_up(desk, register())
    async with run_as(desk, "ag") as (app, pilot):
        await settle(app, pilot)
        await press(app, pilot, "f9", "enter")
        survey = app.screen
        assert isinstance(survey, SurveyScreen)
        await press(app, pilot, "2", "n")
        assert app.screen.focused is survey.query_one(AnswerPad)  # y/n answered, the focus stays
        await press(app, pilot, "tab")  # the habitual Tab: on to the comment
        assert app.screen.focused is survey.query_one("#survey-comments", TextArea)
        await type_text(app, pilot, "still leaks after the repair")
        await press(app, pilot, "ctrl+s")
    view = cases.get_case(desk, case.number)
    assert view.status is Status.REOPENED and view.satisfaction == 2
    survey_event = [e for e in view.timeline if e.action == "follow_up"][-1]
    assert survey_event.comment == "still leaks after the repair"
    assert survey_event.details["solved"] is False


async def test_after_picking_the_case_to_merge_into_tab_goes_to_the_reason(
    desk: Desk, register: Register
) -> None:
    kept = register()
    duplicate = register()
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, duplicate.number)
        await press(app, pilot, "m")
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        await press(app, pilot, "tab", "enter")  # the customer's other open case, picked from the list
        assert field_value(dialog, "#into") == kept.number
        assert app.screen.focused is dialog.query_one(OptionList)  # picked: the focus stays
        await press(app, pilot, "tab")
        assert app.screen.focused is dialog.query_one("#comment", TextArea)
        await type_text(app, pilot, "same kettle, called twice")
        assert field_value(dialog, "#into") == kept.number  # never overwritten by the reason
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen), screen_text(app)
    merged = cases.get_case(desk, duplicate.number)
    assert (merged.status, merged.closure) == (Status.CLOSED, "merged")
    assert merged.timeline[-1].comment == "same kettle, called twice"


# -- item 2: Esc asks before typed text is thrown away -----------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_escape_asks_before_throwing_a_typed_5w2h_analysis_away(
    desk: Desk, register: Register, lang: str
) -> None:
    view = to_assigned(desk, register())
    async with run_as(desk, "hq", lang) as (app, pilot):
        case_screen = await open_case(app, pilot, view.number)
        await press(app, pilot, "c", "tab")
        dialog = app.screen
        assert isinstance(dialog, CauseDialog)
        assert app.screen.focused is dialog.query_one("#cause-what", Input)
        await type_text(app, pilot, "seal ring leaks")
        await press(app, pilot, "escape")
        assert app.screen is dialog  # still there, with what was typed
        assert field_value(dialog, "#cause-what") == "seal ring leaks"
        asked = {"en": "not saved", "zh": "尚未保存"}[lang]
        assert asked in screen_text(app)
        await type_text(app, pilot, " at the lid")  # typing on: the next Esc asks again
        await press(app, pilot, "escape")
        assert app.screen is dialog
        assert field_value(dialog, "#cause-what") == "seal ring leaks at the lid"
        await press(app, pilot, "escape")  # asked, and Esc again: thrown away
        assert app.screen is case_screen
    assert cases.get_case(desk, view.number).cause.get("what") in (None, "")


async def test_escape_closes_a_dialog_with_nothing_typed_at_once(desk: Desk, register: Register) -> None:
    view = register()
    async with run_as(desk, "ag") as (app, pilot):
        case_screen = await open_case(app, pilot, view.number)
        await press(app, pilot, "n")
        assert isinstance(app.screen, NoteDialog)
        await press(app, pilot, "escape")
        assert app.screen is case_screen


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


async def test_a_multi_line_paste_into_the_queue_search_keeps_every_line(desk: Desk, register: Register) -> None:
    async with run_as(desk, "ag") as (app, pilot):
        await settle(app, pilot)
        await press(app, pilot, "slash")
        await paste(app, "漏水\n水壶")
        await settle(app, pilot)
        assert field_value(app.screen, "#search") == "漏水 水壶"


# -- item 4: what the lookup filled in follows the lookup ---------------------------------------------


@pytest.mark.parametrize(("lang", "new_customer"), [("en", "New customer"), ("zh", "新客户")])
@pytest.mark.parametrize("correction", [
    ["backspace"] * 11 + list("13912345678"),  # the whole number typed again
    ["left", "left", "left", "backspace", "7"],  # one digit in the middle corrected
])
async def test_a_corrected_phone_takes_the_filled_in_name_and_class_away(
    desk: Desk, register: Register, lang: str, new_customer: str, correction: list[str]
) -> None:
    register(customer_name="华东家电批发有限公司", customer_class="a_dealer", phone="13139916801")
    async with run_as(desk, "ag", lang) as (app, pilot):
        await settle(app, pilot)
        await press(app, pilot, "n")
        intake = app.screen
        assert isinstance(intake, IntakeScreen)
        await pilot.press(*"13139916801")
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert field_value(intake, "#customer_name") == "华东家电批发有限公司"
        assert field_value(intake, "#customer_class") == "a_dealer"
        for key in correction:  # keys as typed, no pause between them
            await pilot.press(key)
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert new_customer in screen_text(app)
        assert field_value(intake, "#customer_name") == ""  # not the other caller's name
        assert field_value(intake, "#customer_class") == "end_user"
