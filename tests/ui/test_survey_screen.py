"""Follow-up calls driven with Pilot as an agent would: the list of cases to call, the survey that
closes or reopens a case, calls nobody answered, and the refusals a handler meets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea
from uisteps import field_value, press, run_as, screen_text, settle, static_text

from casesteps import to_follow_up
from kesu_desk.app import KesuDesk
from kesu_desk.domain.vocabulary import Status
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.screens.follow_ups import AnswerPad, FollowUpList, FollowUpsScreen, SurveyScreen
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.follow_ups import follow_ups_due
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

Register = Callable[..., CaseView]


def message(app: KesuDesk) -> str:
    return static_text(app, "#survey-message")


async def open_follow_ups(app: KesuDesk, pilot: Pilot[None]) -> FollowUpsScreen:
    """F9, once the first screen is drawn."""
    await settle(app, pilot)
    await press(app, pilot, "f9")
    assert isinstance(app.screen, FollowUpsScreen)
    return app.screen


async def open_survey(app: KesuDesk, pilot: Pilot[None]) -> SurveyScreen:
    """F9, then Enter on the first case of the list."""
    await open_follow_ups(app, pilot)
    await press(app, pilot, "enter")
    assert isinstance(app.screen, SurveyScreen)
    return app.screen


def surveys(view: CaseView) -> list[dict[str, object]]:
    return [e.details for e in view.timeline if e.action == "follow_up"]


async def test_the_list_shows_whom_to_call_most_urgent_first(desk: Desk, register: Register) -> None:
    first = to_follow_up(desk, register(customer_name="Ann", phone="13900139001", caller_mood="angry"))
    second = to_follow_up(desk, register(customer_name="Bob", phone="13900139002"))
    async with run_as(desk, "ag") as (app, pilot):
        await open_follow_ups(app, pilot)
        shown = screen_text(app)
        assert shown.index(first.number) < shown.index(second.number)
        assert "✓" in shown and "refund ¥300.00" in shown
        assert "Due for a follow-up call: 2" in static_text(app, "#follow-ups-status")
        # What was promised and done, and how the caller was, before calling.
        detail = static_text(app, "#follow-ups-detail")
        assert "Promised: refund ¥300.00" in detail and "退款已到账" in detail
        assert "angry and loud" in detail
        await press(app, pilot, "down", "o")
        assert isinstance(app.screen, CaseScreen) and app.screen.number == second.number


async def test_a_satisfied_customer_closes_the_case(desk: Desk, register: Register) -> None:
    case = to_follow_up(desk, register(customer_name="Ann"))
    async with run_as(desk, "ag") as (app, pilot):
        survey = await open_survey(app, pilot)
        shown = screen_text(app)
        # The script to read, in the interface language, with the customer's name and case number.
        assert "Hello, am I speaking with Ann?" in shown
        assert f"case {case.number}" in shown
        assert "Has the problem been solved?" in shown
        assert "Call attempt 1 of 3" in shown
        assert app.screen.focused is survey.query_one(AnswerPad)

        await press(app, pilot, "5")  # the score is one key
        assert "[5]" in static_text(app, "AnswerPad") and "5 = very satisfied" in static_text(app, "AnswerPad")
        await press(app, pilot, "y")  # solved; the focus stays, Tab goes on to the comments
        assert app.screen.focused is survey.query_one(AnswerPad)
        await press(app, pilot, "tab")
        assert app.screen.focused is survey.query_one("#survey-comments", TextArea)
        await pilot.press(*"thanks, all good")
        await press(app, pilot, "ctrl+s")

        view = cases.get_case(desk, case.number)
        assert view.status is Status.CLOSED and view.satisfaction == 5 and view.closure == "satisfied"
        event = view.timeline[-1]
        assert event.action == "follow_up" and event.actor == "ag" and event.comment == "thanks, all good"
        assert event.details["score"] == 5 and event.details["solved"] is True
        assert f"The customer is satisfied, so case {case.number} is closed." in message(app)
        await press(app, pilot, "3", "ctrl+s")  # saved: nothing more to record here
        assert len(surveys(cases.get_case(desk, case.number))) == 1
        await press(app, pilot, "escape")
        assert isinstance(app.screen, FollowUpsScreen)
        assert app.screen.items == []


async def test_a_dissatisfied_customer_sends_the_case_back_to_its_department(
    desk: Desk, register: Register
) -> None:
    case = to_follow_up(desk, register())
    async with run_as(desk, "ag") as (app, pilot):
        await open_survey(app, pilot)
        await press(app, pilot, "2", "n", "tab")
        await pilot.press(*"still leaks")
        await press(app, pilot, "ctrl+s")

        view = cases.get_case(desk, case.number)
        assert view.status is Status.REOPENED and view.department == "QA" and view.satisfaction == 2
        assert surveys(view)[-1]["score"] == 2
        assert view.timeline[-1].comment == "still leaks"
        text = message(app)
        assert f"Case {case.number} is reopened and goes back to Quality Management" in text


async def test_calls_nobody_answers_count_up_and_the_last_one_closes_the_case(
    desk: Desk, register: Register
) -> None:
    case = to_follow_up(desk, register())
    async with run_as(desk, "ag") as (app, pilot):
        await open_survey(app, pilot)
        await press(app, pilot, "f4")
        assert "No answer recorded (call 1 of 3). 2 more" in message(app)
        assert "Call attempt 2 of 3" in static_text(app, "#survey-attempt")
        assert cases.get_case(desk, case.number).status is Status.FOLLOW_UP

        await press(app, pilot, "f4")
        assert "Call attempt 3 of 3" in static_text(app, "#survey-attempt")
        await press(app, pilot, "f4")
        assert f"case {case.number} is closed as \"no answer\"" in message(app)
        view = cases.get_case(desk, case.number)
        assert view.status is Status.CLOSED and view.closure == "no_answer"
        assert [s["attempt"] for s in surveys(view)] == [1, 2, 3]

        await press(app, pilot, "escape", "f9")
        assert isinstance(app.screen, FollowUpsScreen) and app.screen.items == []


async def test_the_attempt_count_survives_leaving_and_coming_back(desk: Desk, register: Register) -> None:
    to_follow_up(desk, register())
    async with run_as(desk, "ag", "zh") as (app, pilot):
        await open_survey(app, pilot)
        await press(app, pilot, "f4", "escape")
        assert isinstance(app.screen, FollowUpsScreen)
        assert "第 2 次（共 3 次）" in screen_text(app)
        await press(app, pilot, "enter")
        assert "第 2 次回访（共 3 次）" in static_text(app, "#survey-attempt")


async def test_saving_without_a_score_says_so_and_keeps_the_comments(desk: Desk, register: Register) -> None:
    case = to_follow_up(desk, register())
    async with run_as(desk, "ag") as (app, pilot):
        survey = await open_survey(app, pilot)
        survey.query_one("#survey-comments", TextArea).focus()
        await pilot.press(*"call me later")
        await press(app, pilot, "ctrl+s")
        assert "Choose the customer's score first: press 1–5." in message(app)
        assert field_value(survey, "#survey-comments") == "call me later"
        assert cases.get_case(desk, case.number).status is Status.FOLLOW_UP
        # Esc with unsaved answers warns once, then leaves.
        await press(app, pilot, "escape")
        assert app.screen is survey and "Press esc again" in message(app)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, FollowUpsScreen)


async def test_a_change_meanwhile_is_shown_and_the_answers_are_kept_to_save_again(
    desk: Desk, register: Register
) -> None:
    case = to_follow_up(desk, register())
    async with run_as(desk, "ag") as (app, pilot):
        survey = await open_survey(app, pilot)
        await press(app, pilot, "4", "y", "tab")
        await pilot.press(*"fine")
        cases.record_no_answer(desk, "sup", case.number)  # a colleague's call, a moment earlier
        await press(app, pilot, "ctrl+s")

        text = message(app)
        assert "Someone else changed this case during your call; nothing was saved." in text
        assert "press ^s to save again" in text
        assert survey.score == 4 and field_value(survey, "#survey-comments") == "fine"
        assert cases.get_case(desk, case.number).satisfaction is None

        await press(app, pilot, "ctrl+s")
        view = cases.get_case(desk, case.number)
        assert view.status is Status.CLOSED and view.satisfaction == 4


async def test_a_handler_is_refused_the_list_and_the_survey(desk: Desk, register: Register) -> None:
    case = to_follow_up(desk, register())
    item = follow_ups_due(desk, "ag", utcnow())[0]
    async with run_as(desk, "hq") as (app, pilot):
        screen = await open_follow_ups(app, pilot)
        assert "Follow-up calls are made by agents, supervisors and managers" in static_text(
            app, "#follow-ups-status")
        assert screen.query_one(FollowUpList).option_count == 0

        # Even with the survey in front of them, the service refuses; what was typed stays.
        survey = SurveyScreen(item)
        await app.push_screen(survey)
        await settle(app, pilot)
        await press(app, pilot, "5", "y", "tab")
        await pilot.press(*"ok")
        await press(app, pilot, "ctrl+s")
        assert "A handler may not record the follow-up survey." in message(app)
        assert survey.score == 5 and field_value(survey, "#survey-comments") == "ok"
        await press(app, pilot, "f4")
        assert "A handler may not record the follow-up survey." in message(app)
    assert cases.get_case(desk, case.number).status is Status.FOLLOW_UP
