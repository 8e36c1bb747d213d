"""The case screen driven with Pilot: agents, handlers and supervisors press keys, the database
and the screen show the result."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select
from textual.widgets import Static, TextArea
from uisteps import (
    field_value,
    open_case,
    press,
    run_as,
    screen_text,
    settle,
    static_text,
    type_text,
)

from casesteps import to_assigned, to_investigating, to_proposed
from kesu_desk.domain.vocabulary import Status, Validity
from kesu_desk.screens.actions import ActionDialog, CannedPicker, NoteDialog, ValidityDialog
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.store.models import Proposal
from kesu_desk.widgets.timeline import EventRow

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

Register = Callable[..., CaseView]


def keys_offered(screen: CaseScreen) -> set[str]:
    return {b.binding.id or "" for b in screen.active_bindings.values() if b.binding.id}


def case_keys(screen: CaseScreen) -> set[str]:
    """The workflow actions offered (not going back or moving in the timeline)."""
    return {k for k in keys_offered(screen)
            if k.startswith("case.") and k != "case.back" and not k.startswith("case.event_")}


# -- the process through the screen ------------------------------------------------------------------


async def test_agent_and_handler_take_a_case_from_registration_to_proposal(
    desk: Desk, register: Register
) -> None:
    number = register().number
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, number)
        await press(app, pilot, "v")
        assert isinstance(app.screen, ValidityDialog)
        assert field_value(app.screen, "#founded") is True
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
        view = cases.get_case(desk, number)
        assert (view.status, view.validity) == (Status.REGISTERED, Validity.FOUNDED)

        await press(app, pilot, "a")
        # Department: open the list, type to find Quality Management, pick it.
        await press(app, pilot, "enter", "q", "enter")
        assert field_value(app.screen, "#department") == "QA"
        await press(app, pilot, "tab", "enter", "down", "enter")
        assert field_value(app.screen, "#handler") == "hq"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
        view = cases.get_case(desk, number)
        assert (view.status, view.department, view.handler) == (Status.ASSIGNED, "QA", "hq")
        assert "case.propose" not in keys_offered(app.screen)

    async with run_as(desk, "hq") as (app, pilot):
        await open_case(app, pilot, number)
        await press(app, pilot, "c")
        await press(app, pilot, "enter")  # fishbone: type to find material
        await type_text(app, pilot, "mat")
        await press(app, pilot, "enter")
        assert field_value(app.screen, "#fishbone") == "material"
        await press(app, pilot, "tab")
        await type_text(app, pilot, "seal leaks")
        await press(app, pilot, "tab")
        await type_text(app, pilot, "supplier batch aged")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
        view = cases.get_case(desk, number)
        assert view.status is Status.INVESTIGATING
        assert (view.cause["what"], view.cause["why"], view.fishbone_factor) == (
            "seal leaks", "supplier batch aged", "material")

        await press(app, pilot, "p")
        await press(app, pilot, "enter")
        await type_text(app, pilot, "ref")
        await press(app, pilot, "enter")
        assert field_value(app.screen, "#remedy") == "refund"
        await press(app, pilot, "tab")
        await type_text(app, pilot, "300")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
        assert cases.get_case(desk, number).status is Status.PROPOSED
        with desk.uow(write=False) as uow:
            rows = uow.session.execute(select(Proposal.remedy, Proposal.amount_cents, Proposal.status)
                                       .where(Proposal.case_id == view.id)).all()
        assert [tuple(r) for r in rows] == [("refund", 30000, "pending")]
        # The handler proposed: the handler does not approve.
        assert "case.approve" not in keys_offered(app.screen)
        assert "awaiting approval" in screen_text(app) or "Proposal" in screen_text(app)


async def test_the_keys_offered_follow_the_role_and_the_state(desk: Desk, register: Register) -> None:
    registered = register()
    assigned = to_assigned(desk, register())
    proposed = to_proposed(desk, register())

    async def offered(who: str, number: str) -> set[str]:
        async with run_as(desk, who) as (app, pilot):
            screen = await open_case(app, pilot, number)
            keys = case_keys(screen)
            if "case.propose" not in keys:
                await press(app, pilot, "p")  # a key not offered does nothing
                assert app.screen is screen
            return keys

    agent = await offered("ag", registered.number)
    assert {"case.validity", "case.assign", "case.note", "case.call", "case.escalate", "case.merge"} <= agent
    assert not {"case.propose", "case.cause", "case.approve", "case.close"} & agent
    assert {"case.cause", "case.note", "case.wait"} <= await offered("hq", assigned.number)
    assert "case.propose" not in await offered("hq", assigned.number)  # no cause recorded yet
    assert await offered("hl", assigned.number) == set()  # another department's case
    supervisor = await offered("sup", proposed.number)
    assert {"case.approve", "case.return"} <= supervisor
    assert "case.merge" not in supervisor  # not while a remedy waits for approval


# -- notes -----------------------------------------------------------------------------------------


async def test_internal_and_customer_visible_notes_are_marked_in_words(
    desk: Desk, register: Register
) -> None:
    number = register().number
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, number)
        await press(app, pilot, "n")
        assert isinstance(app.screen, NoteDialog)
        await press(app, pilot, "tab")  # from who-may-read-it (internal) to the text
        await type_text(app, pilot, "angry caller")
        await press(app, pilot, "ctrl+s")

        await press(app, pilot, "n", "enter", "down", "enter")  # customer-visible
        assert field_value(app.screen, "#visibility") == "customer"
        await press(app, pilot, "tab")
        await type_text(app, pilot, "we called back")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)

        notes = [(e.comment, e.visibility) for e in cases.get_case(desk, number).timeline if e.action == "note"]
        assert notes == [("angry caller", "internal"), ("we called back", "customer")]
        rows = list(app.screen.query(EventRow))
        text = screen_text(app)
        assert rows[-2].has_class("-internal") and rows[-1].has_class("-customer")
        assert "○ internal" in text and "● customer-visible" in text


# -- conflicts ---------------------------------------------------------------------------------------


async def test_a_conflict_keeps_the_dialog_and_the_text_and_shows_what_changed(
    desk: Desk, register: Register
) -> None:
    view = register()
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "v", "tab")
        await type_text(app, pilot, "checked the order")
        # Meanwhile a supervisor at another terminal escalates the case.
        cases.escalate(desk, "sup", view.number, comment="on social media", version=view.version)
        await press(app, pilot, "ctrl+s")

        dialog = app.screen
        assert isinstance(dialog, ValidityDialog)
        assert field_value(dialog, "#reason") == "checked the order"
        changes = screen_text(app)
        assert "Someone else changed this case" in changes
        assert "normal → critical" in changes
        assert "Escalated" in changes
        assert cases.get_case(desk, view.number).validity == Validity.UNDECIDED

        await press(app, pilot, "ctrl+s")  # again, now against the new version
        assert isinstance(app.screen, CaseScreen)
        saved = cases.get_case(desk, view.number)
        assert (saved.validity, saved.validity_reason, saved.urgent) == (Validity.FOUNDED, "checked the order", True)


async def test_another_terminals_change_reloads_the_case_and_keeps_what_is_typed(
    desk: Desk, register: Register
) -> None:
    view = register()
    async with run_as(desk, "ag") as (app, pilot):
        screen = await open_case(app, pilot, view.number)
        await press(app, pilot, "n", "tab")
        await type_text(app, pilot, "half a note")
        cases.log_call(desk, "sup", view.number, summary="customer called the supervisor")
        app.action_refresh()
        await settle(app, pilot)
        assert field_value(app.screen, "#text") == "half a note"
        await press(app, pilot, "escape", "escape")  # the first Esc says the note is not saved
        assert app.screen is screen
        assert "customer called the supervisor" in screen_text(app)


# -- the outcome stays secret until approved ------------------------------------------------------------


async def test_a_customer_visible_note_naming_the_pending_remedy_is_refused_and_kept(
    desk: Desk, register: Register
) -> None:
    view = to_proposed(desk, register(), remedy="refund", amount="300")
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "n", "enter", "down", "enter", "tab")
        await type_text(app, pilot, "You get a refund soon")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, NoteDialog)
        assert "customer-visible text must not tell" in screen_text(app)
        assert field_value(app.screen, "#text") == "You get a refund soon"
        # As an internal note it is fine.
        await press(app, pilot, "shift+tab", "enter", "up", "enter", "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
    notes = [e for e in cases.get_case(desk, view.number).timeline if e.action == "note"]
    assert [(n.comment, n.visibility) for n in notes] == [("You get a refund soon", "internal")]


# -- typed text stays text -------------------------------------------------------------------------------


async def test_markup_and_escape_sequences_show_as_typed(desk: Desk, register: Register) -> None:
    view = register(description="[b]not bold[/b] [@click=app.quit]x[/] \x1b[31mred", customer_name="[red]王[/red]")
    cases.add_note(desk, "ag", view.number, text="[link=http://x]y[/link] [/]")
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, view.number)
        text = screen_text(app)
        assert "[link=http://x]y[/link] [/]" in text
        assert "[red]王[/red]" in text
        app.screen.query_one("#case-body").scroll_home(animate=False)
        await settle(app, pilot)
        text = screen_text(app)
        assert "[b]not bold[/b] [@click=app.quit]x[/] ␛[31mred" in text
        assert app.is_running


async def test_the_screen_speaks_chinese_and_spanish(desk: Desk, register: Register) -> None:
    view = to_investigating(desk, register())
    for lang, words in (("zh", ("调查中", "部门 QA", "记录原因")), ("es", ("en investigación", "Dpto. QA", "Causa"))):
        async with run_as(desk, "hq", lang) as (app, pilot):
            await open_case(app, pilot, view.number)
            text = screen_text(app)
            for word in words[:2]:
                assert word in text, (lang, word, text)
            app.screen.query_one("#case-body").scroll_end(animate=False)
            await settle(app, pilot)
            assert any(words[2] in line for line in screen_text(app).splitlines()), lang


# -- canned replies ----------------------------------------------------------------------------------------


async def test_a_canned_reply_goes_into_the_text_filled_from_the_case(desk: Desk, register: Register) -> None:
    view = register(customer_name="张三")
    due = desk.calendar.local_date(view.deadlines["answer"])  # type: ignore[arg-type]
    async with run_as(desk, "ag", "zh") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "n", "tab", "f3")
        assert isinstance(app.screen, CannedPicker)
        await press(app, pilot, "enter")  # the first: complaint received, answer by date
        assert isinstance(app.screen, ActionDialog)
        text = field_value(app.screen, "#text")
        assert "张三您好" in text
        assert view.number in text
        assert f"{due.year}年{due.month}月{due.day}日" in text
        assert "{" not in text


async def test_validity_offers_the_polite_not_founded_explanation_first(desk: Desk, register: Register) -> None:
    view = register(customer_name="Ana", product="K-200 kettle")
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "v", "enter", "down", "enter", "tab", "f3", "enter")
        reason = field_value(app.screen, "#reason")
        assert reason.startswith("Dear Ana, thank you for telling us about K-200 kettle")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
    closed = cases.get_case(desk, view.number)
    assert (closed.status, closed.closure) == (Status.CLOSED, "not_founded")


# -- the timeline ---------------------------------------------------------------------------------------------


async def test_the_timeline_is_walked_with_the_arrows_and_long_events_fold(
    desk: Desk, register: Register
) -> None:
    view = register()
    long_text = "\n".join(f"line {n}" for n in range(1, 9))
    cases.add_note(desk, "ag", view.number, text=long_text)
    cases.add_note(desk, "ag", view.number, text="short")
    async with run_as(desk, "ag") as (app, pilot):
        screen = await open_case(app, pilot, view.number)
        rows = list(screen.query(EventRow))
        assert screen.focused is rows[-1]  # the newest, at the bottom
        await press(app, pilot, "up")
        long_row = rows[-2]
        assert screen.focused is long_row
        assert long_row.foldable and long_row.has_class("-folded")
        assert long_row.query_one(".event-body", Static).size.height == 2
        assert "line 8" not in screen_text(app)
        await press(app, pilot, "enter")
        assert not long_row.has_class("-folded")
        assert "line 8" in screen_text(app)
        await press(app, pilot, "home")
        assert screen.focused is rows[0]
        await press(app, pilot, "end")
        assert screen.focused is rows[-1]


async def test_a_supervisor_approves_from_the_screen(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy="refund", amount="300")
    async with run_as(desk, "sup") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "o")
        assert "refund ¥300.00" in screen_text(app)
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
    approved = cases.get_case(desk, view.number)
    assert (approved.status, approved.remedy, approved.amount) == (Status.APPROVED, "refund", Decimal("300"))


async def test_a_return_needs_a_comment_and_the_refusal_keeps_the_dialog(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register())
    async with run_as(desk, "sup") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "b", "ctrl+s")
        assert isinstance(app.screen, ActionDialog)
        assert "Comment is required" in screen_text(app)
        await type_text(app, pilot, "amount too high")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
    assert cases.get_case(desk, view.number).status is Status.RETURNED


async def test_a_refusal_of_the_service_is_said_once_in_the_dialog(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register())
    async with run_as(desk, "sup") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "b", "ctrl+s")  # the service refuses a return without a comment
        assert isinstance(app.screen, ActionDialog)
        assert "Comment is required" in static_text(app, "#dialog-error")
        # Said where the comment is typed, not once more in a notification over the dialog.
        assert screen_text(app).count("Comment is required") == 1, screen_text(app)
        assert not [n for n in app._notifications if "Comment is required" in n.message]


async def test_a_bug_while_saving_keeps_the_dialog_and_what_was_typed(
    desk: Desk, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = register().number
    add_note = cases.add_note
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, number)
        monkeypatch.setattr(cases, "add_note", lambda *args, **kwargs: 1 // 0)
        await press(app, pilot, "n", "tab")
        await type_text(app, pilot, "angry caller")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, NoteDialog)
        assert "bottom right" in static_text(app, "#dialog-error")
        assert [n for n in app._notifications if n.message.startswith("Internal error")]
        monkeypatch.setattr(cases, "add_note", add_note)  # fixed: the same key saves now
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
    assert [e.comment for e in cases.get_case(desk, number).timeline if e.action == "note"] == ["angry caller"]


async def test_a_duplicate_is_merged_into_the_case_kept(desk: Desk, register: Register) -> None:
    kept = register()
    duplicate = register()
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, duplicate.number)
        await press(app, pilot, "m")
        assert kept.number in screen_text(app)  # offered: the same customer's open case
        await press(app, pilot, "tab", "enter", "tab")  # pick it from the list, on to the reason
        await type_text(app, pilot, "same kettle, called twice")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen), screen_text(app)
    merged = cases.get_case(desk, duplicate.number)
    assert (merged.status, merged.closure) == (Status.CLOSED, "merged")
    survivor = cases.get_case(desk, kept.number)
    assert any(e.details.get("merged_from") == duplicate.number for e in survivor.timeline)


# -- amounts (issue 11.7) ----------------------------------------------------------------------------


def proposed_amounts(desk: Desk, view: CaseView) -> list[int | None]:
    with desk.uow(write=False) as uow:
        return list(uow.session.execute(
            select(Proposal.amount_cents).where(Proposal.case_id == view.id)).scalars())


async def test_an_ambiguous_amount_typed_in_the_proposal_is_refused_not_misread(
    desk: Desk, register: Register
) -> None:
    view = to_investigating(desk, register())
    async with run_as(desk, "hq") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "p", "enter")
        await type_text(app, pilot, "ref")
        await press(app, pilot, "enter", "tab")
        await type_text(app, pilot, "1,500")
        await press(app, pilot, "ctrl+s")
        # "1,500" is 1500 in Chinese and English use and 1.5 in Spanish: the desk asks, it does not guess.
        assert isinstance(app.screen, ActionDialog)
        error = str(app.screen.query_one("#dialog-error", Static).render())
        assert "Amount" in error and "1500" in error and "1.50" in error, error
        assert proposed_amounts(desk, view) == []
        await press(app, pilot, "backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(app, pilot, "1 500,50")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, CaseScreen)
    assert proposed_amounts(desk, view) == [150_050]


async def test_a_note_over_its_limit_keeps_the_dialog_and_names_the_limit(
    desk: Desk, register: Register
) -> None:
    view = register()
    async with run_as(desk, "ag") as (app, pilot):
        await open_case(app, pilot, view.number)
        await press(app, pilot, "n", "tab")
        app.screen.query_one("#text", TextArea).insert("长" * 15_001)  # a paste
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, NoteDialog)
        error = str(app.screen.query_one("#dialog-error", Static).render())
        assert error == "Please correct: Text: too long: at most 15 000 characters", error
    assert len(cases.get_case(desk, view.number).timeline) == len(view.timeline)
