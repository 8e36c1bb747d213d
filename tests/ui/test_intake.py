"""The intake form driven as a phone agent drives it: keys in, the case and the timeline out."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

import pytest
from rich.cells import cell_len
from sqlmodel import select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Digits, Input, Label, Select, Static, TextArea
from uisteps import app_for, field_value, static_text

from casesteps import draft
from kesu_desk.i18n import catalogue
from kesu_desk.screens import intake as intake_screen
from kesu_desk.screens.base import DeskChanged
from kesu_desk.screens.intake import (
    DRAFT_DELAY,
    FIELDS,
    DiscardDialog,
    IntakeScreen,
    RegisteredDialog,
)
from kesu_desk.screens.queue import QueueScreen
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.intake import DraftStore
from kesu_desk.services.views import CaseView
from kesu_desk.store.models import Case
from kesu_desk.widgets.customer_card import CustomerCard
from kesu_desk.widgets.suggestion_panel import SuggestionPanel

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

MARKUP = "[b]x[/b] [@click=app.quit]q[/] [link=x]l[/link]"
SHORT_MARKUP = "[b]c[/b][/]"  # the category holds 32 characters
ESCAPES = "\x1b[31mred\x1b[0m\x07"


class Desktop:
    """One agent's terminal: the app, what it notified, and keys typed as an agent types them."""

    def __init__(self, desk: Desk, user: str = "ag", lang: str = "en") -> None:
        self.app = app_for(desk, user, lang)
        self.notes: list[str] = []
        notify = self.app.notify

        def recorded(message: str, **kwargs: Any) -> None:
            self.notes.append(message)
            notify(message, **kwargs)

        self.app.notify = recorded  # type: ignore[method-assign]

    @property
    def intake(self) -> IntakeScreen:
        screen = self.app.screen
        assert isinstance(screen, IntakeScreen), screen
        return screen

    @property
    def registered(self) -> RegisteredDialog:
        screen = self.app.screen
        assert isinstance(screen, RegisteredDialog), screen
        return screen

    def value(self, field: str) -> Any:
        return field_value(self.intake, f"#{field}")

    def error(self, field: str) -> str:
        line = self.intake.query_one(f"#error-{field}", Static)
        return str(line.render()) if line.has_class("-shown") else ""

    def text(self, selector: str) -> str:
        return static_text(self.app, selector)


async def settle(desktop: Desktop, pilot: Pilot[None], seconds: float = 0.5) -> None:
    """Wait out the form's pauses (lookup, suggestion, draft) and the work they started."""
    await pilot.pause(seconds)
    await desktop.app.workers.wait_for_complete()
    await pilot.pause()


async def open_intake(desktop: Desktop, pilot: Pilot[None]) -> IntakeScreen:
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    return desktop.intake


@asynccontextmanager
async def intake_form(
    desk: Desk, lang: str = "en", size: tuple[int, int] = (80, 24)
) -> AsyncIterator[tuple[Desktop, Pilot[None]]]:
    """The agent's terminal, the new-case form opened from the queue."""
    desktop = Desktop(desk, lang=lang)
    async with desktop.app.run_test(size=size) as pilot:
        await open_intake(desktop, pilot)
        yield desktop, pilot


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*["enter" if ch == "\n" else ch for ch in text])


async def go_to(desktop: Desktop, pilot: Pilot[None], field: str) -> None:
    """Tab (never the mouse) to ``field``."""
    for _ in range(len(FIELDS) + 1):
        if desktop.app.focused is not None and desktop.app.focused.id == field:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {field}")


@pytest.fixture
def ending_signals() -> Iterator[None]:
    """The test process's own handlers of SIGHUP and SIGTERM, put back afterwards."""
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGHUP, signal.SIGTERM)}
    yield
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def cases_registered(desk: Desk) -> int:
    with desk.uow(write=False) as uow:
        return len(uow.session.exec(select(Case.id)).all())


def draft_of(desk: Desk) -> DraftStore:
    return DraftStore.for_desk(desk, "ag")


def draft_on_disk(desk: Desk) -> dict[str, Any]:
    """The fields of the agent's draft file as the next start reads them ({} when there is none)."""
    path = draft_of(desk).path
    if not path.exists():
        return {}
    fields: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["fields"]
    return fields


# -- registering --------------------------------------------------------------------------------


async def test_tab_walks_the_fields_in_the_order_of_a_call(desk: Desk, people: dict[str, object]) -> None:
    async with intake_form(desk) as (desktop, pilot):
        seen = []
        for _ in FIELDS:
            assert desktop.app.focused is not None
            seen.append(desktop.app.focused.id)
            await pilot.press("tab")
        assert tuple(seen) == FIELDS


async def test_a_known_caller_is_recognised_and_the_case_goes_to_them(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    earlier = register(description="壶盖密封圈漏水")
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "138 0013 8000")
        await settle(desktop, pilot)
        card = desktop.text("#customer-card")
        assert "李雷" in card and "end user" in card
        assert earlier.number in card and "registered" in card and "壶盖密封圈漏水" in card
        banner = desktop.text("#intake-banner")
        assert "Repeat complainant: 1 earlier case" in banner
        assert f"Case {earlier.number} is still open" in banner and "f4" in banner
        assert desktop.value("customer_name") == "李雷"  # filled in, as it was empty

        await go_to(desktop, pilot, "description")
        await type_text(pilot, "又漏水了")
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
        dialog = desktop.registered
        number = dialog.number
        assert dialog.query_one(Digits).value == number.removeprefix("KS-")
        assert number in desktop.text("#registered-number")

        case = cases.get_case(desk, number)
        assert case.customer.id == earlier.customer.id
        assert case.description == "又漏水了" and case.channel == "phone"
        answer = case.deadlines["answer"]
        assert answer is not None
        local = answer.astimezone(desk.calendar.tz)
        assert f"{local:%Y-%m-%d}" in desktop.text("#registered-answer")

        await pilot.press("enter")
        await settle(desktop, pilot)
        assert desktop.app.screen is desktop.intake
        assert {f: desktop.value(f) for f in FIELDS} == {
            **dict.fromkeys(FIELDS, ""), "channel": "phone", "customer_class": "end_user",
            "caller_mood": None, "severity": "normal", "urgent": False, "kind": "complaint"}
        assert desktop.app.focused is not None and desktop.app.focused.id == "phone"
        assert not draft_of(desk).path.exists()


async def test_correcting_the_phone_takes_back_the_name_the_lookup_filled_in(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    register()
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13800138000")
        await settle(desktop, pilot)
        assert desktop.value("customer_name") == "李雷"
        await pilot.press("backspace")
        await type_text(pilot, "1")  # misheard: 13800138001 is nobody the desk knows
        await settle(desktop, pilot)
        assert "New customer" in desktop.text("#customer-card")
        assert desktop.value("customer_name") == ""  # not the other caller's name


async def test_an_unknown_caller_becomes_a_new_customer(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    someone = register()
    async with intake_form(desk, lang="zh") as (desktop, pilot):
        await type_text(pilot, "13900139000")
        await settle(desktop, pilot)
        assert "新客户" in desktop.text("#customer-card")
        assert not desktop.intake.query_one("#intake-banner").has_class("-shown")
        await go_to(desktop, pilot, "customer_name")
        await type_text(pilot, "韩梅梅")
        await go_to(desktop, pilot, "description")
        await type_text(pilot, "屏幕碎了")
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
        dialog = desktop.registered
        case = cases.get_case(desk, dialog.number)
        assert case.customer.id != someone.customer.id
        assert (case.customer.name, case.customer.phone) == ("韩梅梅", "+8613900139000")
        assert "我们将在" in desktop.text("#registered-answer")
        await pilot.press("escape")
        await pilot.pause()
        assert desktop.app.screen is desktop.intake


async def test_a_case_registered_elsewhere_appears_on_the_card(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    register()
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13800138000")
        await settle(desktop, pilot)
        assert "1 earlier case" in desktop.text("#intake-banner")
        other = register(description="另一个终端登记的")  # a colleague takes the same caller
        desktop.intake.post_message(DeskChanged(0))
        await settle(desktop, pilot, 0.1)
        assert "2 earlier case" in desktop.text("#intake-banner")
        assert other.number in desktop.text("#customer-card")


async def test_f4_opens_the_callers_open_case(desk: Desk, register: Callable[..., CaseView]) -> None:
    earlier = register()
    opened: list[str] = []
    async with intake_form(desk) as (desktop, pilot):
        desktop.app.open_case = opened.append  # type: ignore[method-assign]
        await type_text(pilot, "13800138000")
        await settle(desktop, pilot)
        await pilot.press("f4")
        assert opened == [earlier.number]


# -- the suggestion -----------------------------------------------------------------------------


async def test_accepting_the_suggestion_then_overriding_the_severity(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13800138000")
        await go_to(desktop, pilot, "description")
        await type_text(pilot, "快递太慢了，十天还没到")
        await settle(desktop, pilot)
        assert desktop.app.focused is not None and desktop.app.focused.id == "description"  # not stolen
        suggestion = desktop.intake.form.suggestion
        assert suggestion is not None and suggestion.department == "LOG"
        panel = desktop.text("#suggestion-summary")
        assert "LOG" in panel and "f3: accept" in panel
        body = desktop.text("#suggestion-body")
        assert "Why:" in body and "Answer promised by" in body

        await pilot.press("f3")
        await pilot.pause()
        assert suggestion.category == "delivery_late"
        assert desktop.value("category") == "late delivery"  # by name (issue 14); registered by its code
        assert desktop.value("severity") == suggestion.severity.value
        assert "✓ accepted" in desktop.text("#suggestion-summary")

        # The agent hears more and raises the severity: open the list, pick the last one.
        await go_to(desktop, pilot, "severity")
        await pilot.press("enter", "end", "enter")
        await pilot.pause()
        assert desktop.value("severity") == "critical"
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
        dialog = desktop.registered
        case = cases.get_case(desk, dialog.number)
    event = next(e for e in case.timeline if e.action == "suggestion")
    kept = event.details["suggested"]
    assert {k: kept[k] for k in ("department", "category", "severity", "remedies")} == {
        "department": "LOG", "category": suggestion.category, "severity": suggestion.severity.value,
        "remedies": [r.value for r in suggestion.remedies],
    }
    assert kept["rules"] == [r.rule_id for r in suggestion.reasons]  # issue 14: the whole advice is kept
    assert event.details["chosen"] == {"department": "LOG", "category": suggestion.category,
                                       "severity": "critical"}
    assert event.details["taken"] is False
    assert case.category == suggestion.category and case.severity.value == "critical"


async def test_registering_before_the_suggestion_arrives_still_records_it(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13800138000")
        await go_to(desktop, pilot, "description")
        await type_text(pilot, "快递太慢了")
        await pilot.press("ctrl+s")  # no pause: the agent is quicker than the rules
        await settle(desktop, pilot, 0.1)
        dialog = desktop.registered
        case = cases.get_case(desk, dialog.number)
    event = next(e for e in case.timeline if e.action == "suggestion")
    assert event.details["suggested"]["department"] == "LOG"
    assert event.details["chosen"]["department"] is None  # never accepted
    assert event.details["taken"] is False


# -- errors -------------------------------------------------------------------------------------


async def test_bad_phone_and_missing_description_are_shown_by_their_fields(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "12345")
        await go_to(desktop, pilot, "customer_name")
        assert desktop.error("phone") == "✗ not a valid phone number"  # told on leaving the field
        await type_text(pilot, "王芳")
        await go_to(desktop, pilot, "purchase_date")
        await type_text(pilot, "2024-13-01")
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
        assert isinstance(desktop.app.screen, IntakeScreen)
        assert desktop.error("phone") == "✗ not a valid phone number"
        assert desktop.error("description") == "✗ say what happened"
        assert desktop.error("purchase_date") == "✗ not a date (YYYY-MM-DD)"
        assert desktop.error("customer_name") == ""
        assert any("correct the 3 marked" in n for n in desktop.notes)
        # Nothing typed is lost, and the first wrong field has the cursor.
        assert (desktop.value("phone"), desktop.value("customer_name")) == ("12345", "王芳")
        assert desktop.value("purchase_date") == "2024-13-01"
        assert desktop.app.focused is not None and desktop.app.focused.id == "phone"
        # Fixing a field clears its mark as soon as it is right.
        await pilot.press("end", *"67890")
        await pilot.pause()
        assert desktop.error("phone") == "✗ not a valid phone number"
        desktop.intake.query_one("#phone", Input).value = ""
        await type_text(pilot, "13800138000")
        await pilot.pause()
        assert desktop.error("phone") == ""
        assert desktop.error("description") == "✗ say what happened"


async def test_errors_speak_the_agents_language(desk: Desk, people: dict[str, object]) -> None:
    async with intake_form(desk, lang="es") as (desktop, pilot):
        await go_to(desktop, pilot, "email")
        await type_text(pilot, "no-es-correo")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert desktop.error("email").startswith("✗ ") and "correo" in desktop.error("email")
        assert desktop.error("description") == "✗ " + catalogue("es")["error.description_missing"]


async def test_a_text_over_its_limit_is_told_by_its_field_with_the_limit(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13800138000")
        await go_to(desktop, pilot, "description")
        desktop.intake.query_one("#description", TextArea).insert("漏" * 15_001)  # a paste
        await go_to(desktop, pilot, "customer_request")
        desktop.intake.query_one("#customer_request", Input).insert_text_at_cursor("换" * 1_001)
        await go_to(desktop, pilot, "caller_mood")  # told on leaving the field
        assert desktop.error("customer_request") == "✗ too long: at most 1 000 characters"
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
        assert isinstance(desktop.app.screen, IntakeScreen)
        assert desktop.error("description") == "✗ too long: at most 15 000 characters"
        assert desktop.value("description") == "漏" * 15_001  # nothing typed is lost
        assert cases_registered(desk) == 0
        await go_to(desktop, pilot, "description")
        await pilot.press("backspace")
        await pilot.pause()
        assert desktop.error("description") == ""


async def test_markup_and_escape_sequences_are_kept_and_shown_as_typed(
    desk: Desk, people: dict[str, object]
) -> None:
    text_fields = ("customer_name", "product", "order_no", "batch", "customer_request", "category")
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13800138000")
        for i, field in enumerate((*text_fields, "description")):
            await go_to(desktop, pilot, field)
            markup = SHORT_MARKUP if field == "category" else MARKUP
            if i % 3 == 0:
                await type_text(pilot, markup)
            else:  # pasted, as most of it would be (typing it all makes a slow test)
                desktop.app.post_message(events.Paste(markup))
            # Escape sequences arrive pasted (nobody types ESC): the terminal hands them over whole.
            desktop.app.post_message(events.Paste(ESCAPES))
            await pilot.pause()
        await settle(desktop, pilot)
        assert "\x1b" not in "".join(s.text for s in desktop.app.screen._compositor.render_strips())
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
        dialog = desktop.registered
        case = cases.get_case(desk, dialog.number)
        assert case.customer.name == MARKUP + ESCAPES
        assert (case.product, case.order_no, case.batch, case.customer_request) == (MARKUP + ESCAPES,) * 4
        assert case.category == SHORT_MARKUP + ESCAPES
        assert case.description == MARKUP + ESCAPES
        await pilot.press("enter")
        # The same caller again: the card shows the earlier case's text as text.
        await type_text(pilot, "13800138000")
        await settle(desktop, pilot)
        card = desktop.text("#customer-card")
        assert "[b]x[/b] [@click=app.quit]q[/]" in card and "␛[31mred" in card
        assert desktop.app.is_running


# -- the draft ----------------------------------------------------------------------------------


async def test_the_draft_survives_the_app_ending_without_registering(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk) as (first, pilot):
        await type_text(pilot, "13800138000")
        await go_to(first, pilot, "customer_name")
        await type_text(pilot, "李雷")
        await go_to(first, pilot, "caller_mood")
        await pilot.press("enter", "down", "down", "enter")  # (blank), calm, angry
        await go_to(first, pilot, "description")
        await type_text(pilot, "壶盖漏水\n第二次了")
        await go_to(first, pilot, "urgent")
        await pilot.press("space")
        await settle(first, pilot)
        # Written while the app still runs: a kill -9 now would lose nothing.
        saved = draft_of(desk).load()
        assert saved is not None and saved.fields["description"] == "壶盖漏水\n第二次了"
        first.app.exit()

    async with intake_form(desk) as (again, pilot):
        await settle(again, pilot)
        assert again.value("phone") == "13800138000"
        assert again.value("customer_name") == "李雷"
        assert again.value("description") == "壶盖漏水\n第二次了"
        assert again.value("caller_mood") == "angry"
        assert again.value("urgent") is True
        restored = [note for note in again.notes if note.startswith("Draft restored, as last saved on ")]
        assert len(restored) == 1
        assert "李雷" in again.text("#customer-card") or "New customer" in again.text("#customer-card")


async def test_escape_goes_back_to_the_queue_and_keeps_the_draft(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk) as (desktop, pilot):
        await go_to(desktop, pilot, "description")
        await type_text(pilot, "没等就走了")
        await pilot.press("escape")  # before the pause: leaving writes the draft too
        await pilot.pause()
        assert isinstance(desktop.app.screen, QueueScreen)
        assert draft_of(desk).load() is not None
        await open_intake(desktop, pilot)
        assert desktop.value("description") == "没等就走了"


async def test_discarding_asks_first_and_then_forgets_the_draft(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13800138000")
        await settle(desktop, pilot)
        await pilot.press("f8")
        assert isinstance(desktop.app.screen, DiscardDialog)
        await pilot.press("escape")  # keep it after all
        await settle(desktop, pilot)
        assert desktop.value("phone") == "13800138000" and draft_of(desk).path.exists()
        await pilot.press("f8")
        await pilot.press("enter")
        await settle(desktop, pilot)
        assert desktop.value("phone") == ""
        assert not draft_of(desk).path.exists()
        assert "Draft discarded." in desktop.notes
        desktop.app.exit()
    async with intake_form(desk) as (again, pilot):
        assert again.value("phone") == ""
        assert not [note for note in again.notes if note.startswith("Draft restored")]


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
async def test_a_hangup_or_kill_writes_the_draft_at_once_even_under_a_dialog(
    desk: Desk, people: dict[str, object], ending_signals: None, signum: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The form's own pause never comes in this test: only the signal writes the draft.
    monkeypatch.setattr(intake_screen, "DRAFT_DELAY", 3600)
    called: list[int] = []

    def previous(signum: int, frame: FrameType | None) -> None:
        called.append(signum)

    # A handler of the program the desk runs in decides what follows: here, pytest goes on.
    signal.signal(signum, previous)
    async with intake_form(desk) as (desktop, pilot):
        await go_to(desktop, pilot, "description")
        await type_text(pilot, "断线前")
        await pilot.press("f1")  # the help screen over the form: the draft is still the form's
        await pilot.pause()
        assert not isinstance(desktop.app.screen, IntakeScreen)
        os.kill(os.getpid(), signum)
        assert called == [signum]
        assert draft_on_disk(desk).get("description") == "断线前"
        await pilot.press("escape", "end")
        await type_text(pilot, "又打来了")  # the desk went on: so does its draft
        await pilot.press("escape")  # leaving the form writes it
        await pilot.pause()
        assert draft_on_disk(desk).get("description") == "断线前又打来了"
    assert signal.getsignal(signum) is previous  # put back when the desk ends


async def test_while_the_agent_types_without_a_pause_the_draft_is_still_written(
    desk: Desk, people: dict[str, object]
) -> None:
    """A kill -9 loses at most the keys of the draft's last pause, however long the typing."""
    text = "壶盖漏水第二次了已经换过一个还是不行客户很生气要求退货"
    async with intake_form(desk) as (desktop, pilot):
        await go_to(desktop, pilot, "description")
        on_disk = []
        for ch in text:
            await pilot.press(ch)
            await pilot.pause(DRAFT_DELAY / 3)  # a key every 0.1 s: never the draft's 0.3 s pause
            on_disk.append(draft_on_disk(desk).get("description", ""))
        # Written while the typing went on (the last keys may still be on their way).
        assert on_disk[len(text) // 2] and text.startswith(on_disk[len(text) // 2])


async def test_the_restored_draft_says_when_it_was_saved_in_local_time(
    desk: Desk, people: dict[str, object]
) -> None:
    path = draft_of(desk).path
    path.parent.mkdir(parents=True)
    for lang, message in [
        ("en", "Draft restored, as last saved on 2025-03-21 (Fri) 14:30."),  # Asia/Shanghai
        ("zh", "已恢复草稿：最后保存于 2025-03-21 (周五) 14:30。"),
        ("es", "Borrador recuperado, tal como se guardó por última vez el 2025-03-21 (vie) 14:30."),
    ]:
        document = {"version": 1, "saved_at": "2025-03-21T06:30:00+00:00", "fields": {"description": "壶盖漏水"}}
        path.write_text(json.dumps(document), encoding="utf-8")
        async with intake_form(desk, lang=lang) as (desktop, _):
            assert desktop.value("description") == "壶盖漏水"
            assert message in desktop.notes


# -- layout and keys ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en", "es"])
async def test_every_field_can_be_reached_and_seen_at_80_by_24(
    desk: Desk, people: dict[str, object], lang: str
) -> None:
    async with intake_form(desk, lang=lang) as (desktop, pilot):
        intake = desktop.intake
        assert intake.has_class("-narrow")
        form = intake.query_one("#intake-form").region
        panel = intake.query_one(SuggestionPanel).region
        assert panel.y >= form.bottom  # under the form, not over it
        for field in FIELDS:
            await go_to(desktop, pilot, field)
            await pilot.pause()
            region = intake.query_one(f"#{field}").region
            assert form.contains_region(region.intersection(form)) and region.height > 0
            assert form.y <= region.y < form.bottom, field
        await pilot.press("f2")
        await pilot.pause()
        assert intake.query_one(SuggestionPanel).region.height > panel.height


async def test_a_wide_terminal_puts_the_suggestion_beside_the_form(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk, size=(140, 30)) as (desktop, _):
        intake = desktop.intake
        assert not intake.has_class("-narrow")
        form = intake.query_one("#intake-form").region
        panel = intake.query_one(SuggestionPanel).region
        assert panel.x >= form.right and panel.height == form.height


@pytest.mark.parametrize("lang", ["zh", "en", "es"])
async def test_every_key_has_an_id_and_a_name_in_each_language(
    desk: Desk, people: dict[str, object], lang: str
) -> None:
    names = catalogue(lang)
    async with intake_form(desk, lang=lang) as (desktop, _):
        intake = desktop.intake
        for screen in (intake, RegisteredDialog("KS-20250101-0001", "-"), DiscardDialog()):
            for bindings in type(screen)._merge_bindings().key_to_bindings.values():
                for b in bindings:
                    if b.id is None or not b.id.startswith("intake."):
                        continue
                    assert f"keys.{b.id}" in names, b.id
        own = [b for bs in intake._bindings.key_to_bindings.values() for b in bs if b.id and b.id.startswith("intake.")]
        assert {b.description for b in own} == {names[f"keys.{b.id}"] for b in own}
        for field in FIELDS:
            assert cell_len(names[f"intake.label.{field}"]) <= 16, field


async def test_the_customer_card_shows_nothing_until_a_contact_is_typed(
    desk: Desk, people: dict[str, object]
) -> None:
    async with intake_form(desk) as (desktop, pilot):
        intake = desktop.intake
        assert not intake.query_one(CustomerCard).has_class("-shown")
        await type_text(pilot, "1380013")  # still typing: no verdict yet
        await settle(desktop, pilot)
        assert not intake.query_one(CustomerCard).has_class("-shown")
        assert desktop.value("channel") == "phone"


async def test_a_walk_in_resolved_at_the_table_is_registered_and_closed_with_f6(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    """Issue 13: a guest without phone or e-mail; the dish replaced at the table. Esc in the F6
    dialog goes back to the form and keeps what was written; Ctrl+S there closes the case."""
    register()  # the desk's users
    async with intake_form(desk, lang="zh") as (desktop, pilot):
        await go_to(desktop, pilot, "customer_name")
        await type_text(pilot, "12号桌客人")
        await go_to(desktop, pilot, "channel")
        desktop.intake.query_one("#channel", Select).value = "shop"  # the list itself is Textual's
        await go_to(desktop, pilot, "description")
        await type_text(pilot, "面里有头发")
        await pilot.press("f6")
        await settle(desktop, pilot)
        dialog = desktop.app.screen
        assert isinstance(dialog, intake_screen.ResolveDialog)
        await pilot.press("ctrl+s")  # nothing said yet: refused, with why
        await settle(desktop, pilot)
        assert desktop.app.screen is dialog and "请先写明做了什么" in desktop.text("#resolve-error")
        await type_text(pilot, "当场道歉并重新上了一碗")
        await settle(desktop, pilot, DRAFT_DELAY * 2)
        # In the draft file while the dialog is still open: a kill -9 now loses none of it.
        assert draft_on_disk(desk).get("resolution") == "当场道歉并重新上了一碗"
        await pilot.press("escape")
        await settle(desktop, pilot)
        assert desktop.app.screen is desktop.intake
        await pilot.press("f6")
        await settle(desktop, pilot)
        assert desktop.app.screen.query_one("#resolution", Input).value == "当场道歉并重新上了一碗"
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
        number = desktop.registered.number
        case = cases.get_case(desk, number)
        assert (case.status, case.closure, case.channel) == ("closed", "first_contact", "shop")
        assert case.implementation == "当场道歉并重新上了一碗" and case.customer.phone is None
        assert "首次接触即解决" in str(desktop.registered.query_one(Label).render())
    assert draft_on_disk(desk) == {}  # registered: nothing left to restore


async def test_the_f6_text_comes_back_with_a_restored_draft(desk: Desk, people: dict[str, object]) -> None:
    """The desk was killed while the agent wrote what was done on the spot: the next start's F6
    dialog shows it again."""
    path = draft_of(desk).path
    path.parent.mkdir(parents=True)
    fields = {"customer_name": "12号桌客人", "channel": "shop", "description": "面里有头发",
              "resolution": "当场道歉并重新上了一碗"}
    document = {"version": 1, "saved_at": "2025-03-21T06:30:00+00:00", "fields": fields}
    path.write_text(json.dumps(document), encoding="utf-8")
    async with intake_form(desk, lang="zh") as (desktop, pilot):
        await pilot.press("f6")
        await settle(desktop, pilot)
        assert desktop.app.screen.query_one("#resolution", Input).value == "当场道歉并重新上了一碗"


async def test_ring_to_case_number_in_four_keys_beyond_the_typed_words(
    desk: Desk, people: dict[str, object]
) -> None:
    """Issue 15: ring → case number took 12 keys (n, nine Tabs, F3, Ctrl+S); now n, the number,
    Enter (straight to "what happened"), the words, F3, Ctrl+S — and a known caller's name is
    filled in by the lookup, and still reachable with Shift+Tab."""
    known = cases.register_case(desk, "ag", draft(phone="13800138000", customer_name="李雷"))
    desktop = Desktop(desk)
    keys = 0
    async with desktop.app.run_test(size=(80, 24)) as pilot:
        await open_intake(desktop, pilot)
        keys += 1  # n
        assert desktop.app.focused is not None and desktop.app.focused.id == "phone"
        await type_text(pilot, "13800138000")
        await pilot.press("enter")
        keys += 1
        assert desktop.app.focused is not None and desktop.app.focused.id == "description"
        await type_text(pilot, "快递太慢了十天还没到")
        await settle(desktop, pilot)
        assert desktop.value("customer_name") == "李雷"  # the caller's card filled it
        await pilot.press("f3")
        keys += 1
        await pilot.pause()
        await pilot.press("ctrl+s")
        keys += 1
        await settle(desktop, pilot, 0.1)
        number = desktop.registered.number
    assert keys <= 6
    case = cases.get_case(desk, number)
    assert case.customer.id == known.customer.id and case.description == "快递太慢了十天还没到"
    assert case.category == "delivery_late"


async def test_tab_from_the_contact_still_walks_every_field_in_order(desk: Desk, people: dict[str, object]) -> None:
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13800138000")
        await pilot.press("tab")
        assert desktop.app.focused is not None and desktop.app.focused.id == FIELDS[1]
