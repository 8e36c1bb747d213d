"""Issue 15 item 9: a Chinese or Spanish desk shows no English and no raw ids — Textual's own
words (the command palette, a list's keys, scrolling) and key names included."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from rich.cells import cell_len, get_character_cell_size
from textual.command import CommandPalette
from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay
from textual.widgets._toast import Toast
from uisteps import open_case, press, run_as, screen_text, settle, type_text

from casesteps import draft, to_approved, to_follow_up
from kesu_desk.app import HelpScreen, KesuDesk
from kesu_desk.i18n import t
from kesu_desk.screens.intake import RegisteredDialog
from kesu_desk.services import cases
from kesu_desk.services.canned import canned_replies
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import whoami
from kesu_desk.services.views import CaseView

# Words of Textual's own the walk of issue 15 found on Chinese and Spanish screens.
ENGLISH = ("Search for commands", "No matches found", "Dismiss", "Scroll", "super", "space",
           "Copy selected text", "Page Up", "Page Down")


def cells(row: str) -> list[str]:
    """A drawn row cell by cell (a Chinese character fills two: itself and "")."""
    out: list[str] = []
    for char in row:
        out += [char] + [""] * (cell_len(char) - 1)
    return out


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


@pytest.mark.parametrize(("lang", "placeholder", "nothing"), [
    ("zh", "搜索命令…", "没有匹配的命令"),
    ("es", "Buscar órdenes…", "Ninguna orden coincide"),
])
async def test_the_command_palette_speaks_the_users_language(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str, placeholder: str, nothing: str,
) -> None:
    desk, _ = fixed_desk
    async with run_as(desk, "ag", lang) as (app, pilot):
        await settle(app, pilot)
        await press(app, pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == placeholder
        assert placeholder in screen_text(app)
        await type_text(app, pilot, "zzqqxx")
        await asyncio.sleep(0.8)  # Textual says "no matches" after half a second
        await settle(app, pilot)
        shown = screen_text(app)
        assert nothing in shown
        assert english_in(shown) == []


@pytest.mark.parametrize("lang", ["zh", "es"])
async def test_help_and_footer_name_every_key_in_the_users_language(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str,
) -> None:
    desk, made = fixed_desk
    async with run_as(desk, "sup", lang) as (app, pilot):
        # The queue's help: copying (ctrl+c, super+c) among the app's keys.
        await settle(app, pilot)
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert english_in(screen_text(app)) == []
        await press(app, pilot, "escape")

        # A case: its body scrolls with the arrow keys, which F1 lists.
        screen = await open_case(app, pilot, made["kettle"].number)
        screen.query_one("#case-body").focus()
        await settle(app, pilot)
        await press(app, pilot, "f1")
        help_text = screen_text(app)
        assert english_in(help_text) == [], help_text
        await press(app, pilot, "escape", "escape")

        # The approvals' list marks with the space bar: named as the keyboard names it.
        await press(app, pilot, "f7")
        await press(app, pilot, "f1")
        help_text = screen_text(app)
        assert english_in(help_text) == [], help_text
        assert {"zh": "空格", "es": "Espacio"}[lang] in help_text
        await press(app, pilot, "escape", "escape")

    async with run_as(desk, "ag", lang) as (app, pilot):
        # An open list on the intake form: the footer's Esc closes it, in the user's words.
        await settle(app, pilot)
        app.new_case()
        await settle(app, pilot)
        app.screen.query_one("#severity", Select).focus()
        await settle(app, pilot)
        await press(app, pilot, "enter")
        assert app.screen.query_one("#severity", Select).expanded
        shown = screen_text(app)
        assert english_in(shown) == [], shown


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "部门：建议 QA，未选择"),
    ("en", "Department: suggested QA, not chosen"),
])
async def test_a_suggestion_left_unchosen_says_so_in_words(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str, line: str,
) -> None:
    desk, made = fixed_desk
    number = made["kettle"].number
    cases.record_suggestion(desk, "ag", number, suggested={"department": "QA"}, chosen={"department": None})
    async with run_as(desk, "ag", lang) as (app, pilot):
        await open_case(app, pilot, number)
        shown = screen_text(app)
        assert line in shown, shown
        assert "None" not in shown


# -- item 10: a case just overdue ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_case_overdue_by_seconds_shows_a_minute_late_not_minus_nothing(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str,
) -> None:
    desk, made = fixed_desk
    due = made["fresh"].next_due_at
    assert due is not None
    app = KesuDesk(desk, whoami(desk, "ag"), lang, watch_changes=False, clock=lambda: due + timedelta(seconds=20))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = screen_text(app)
        assert "⚠ -1m" in shown, shown
        assert "-0m" not in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_open_list_has_a_border_and_is_not_taken_for_the_next_field(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str,
) -> None:
    desk, _ = fixed_desk
    async with run_as(desk, "ag", lang) as (app, pilot):
        await settle(app, pilot)
        app.new_case()
        await settle(app, pilot)
        select = app.screen.query_one("#severity", Select)
        select.focus()
        await press(app, pilot, "enter")
        assert select.expanded
        overlay = select.query_one(SelectOverlay)
        rows = [cells(row) for row in screen_text(app).splitlines()]
        box = overlay.region
        top, bottom = rows[box.y], rows[box.bottom - 1]
        # Corners drawn where the list begins and ends: a box, not more rows of the form.
        assert top[box.x] == "╭" and top[box.right - 1] == "╮", top
        assert bottom[box.x] == "╰" and bottom[box.right - 1] == "╯", bottom


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_no_toast_covers_the_dialog_with_the_case_number_after_registering(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str,
) -> None:
    desk, _ = fixed_desk
    app = KesuDesk(desk, whoami(desk, "ag"), lang, watch_changes=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.new_case()
        await settle(app, pilot)
        app.screen.query_one("#phone", Input).focus()
        await type_text(app, pilot, "13500135000")
        app.screen.query_one("#description").focus()
        await type_text(app, pilot, "漏水")
        await press(app, pilot, "ctrl+s")
        await asyncio.sleep(0.3)
        await settle(app, pilot)
        await pilot.pause(0.2)  # toasts are shown a moment after they are raised
        assert isinstance(app.screen, RegisteredDialog)
        dialog = app.screen.query_one("#registered").region
        toasts = [toast.region for toast in app.screen.query(Toast)]
        # "Registering…" is over, and the dialog itself says the case is registered.
        assert not [t for t in toasts if t.overlaps(dialog)], (dialog, toasts)
        assert "KS-" in screen_text(app)


# -- item 10: emoji that terminals draw at different widths -------------------------------------

EMOJI_NAME = "王👍🏽 👨‍👩‍👧 ❤️"


def rows_measure_the_same(text: str) -> list[str]:
    """Rows whose width differs between Textual's count (a grapheme: 👍🏽 is two cells) and a
    terminal that counts code points (tmux: 👍 and 🏽, four): there, the row's border moves."""
    return [row for row in text.splitlines()
            if sum(get_character_cell_size(ch) for ch in row) != cell_len(row)]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_emoji_in_a_name_never_move_a_border(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str,
) -> None:
    desk, _ = fixed_desk
    case = cases.register_case(desk, "ag", draft(customer_name=EMOJI_NAME, phone="13300133000",
                                                 description="坏了 👍🏽 ❤️ 👨‍👩‍👧"))
    async with run_as(desk, "ag", lang) as (app, pilot):
        await settle(app, pilot)
        assert rows_measure_the_same(screen_text(app)) == []  # the queue
        await open_case(app, pilot, case.number)
        shown = screen_text(app)
        assert "王👍 👨👩👧 ❤" in shown  # the name, each emoji drawn alone
        assert rows_measure_the_same(shown) == []
        await press(app, pilot, "n")  # a dialog with a border, naming the customer
        shown = screen_text(app)
        assert "王👍 👨👩👧 ❤" in shown
        assert rows_measure_the_same(shown) == [], shown


# -- item 10: amounts with their currency -------------------------------------------------------


@pytest.mark.parametrize(("lang", "amount"), [("zh", "¥300.00"), ("en", "¥300.00")])
async def test_amounts_carry_the_currency_on_the_screen_and_in_what_is_read_out(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str, amount: str,
) -> None:
    desk, made = fixed_desk
    assert desk.settings.currency == "¥"  # the default
    view = to_approved(desk, made["kettle"])
    async with run_as(desk, "ag", lang) as (app, pilot):
        await open_case(app, pilot, view.number)
        shown = screen_text(app)
        assert f"{t('remedy.refund', lang)}" in shown and amount in shown, shown  # the timeline's last event
        screen = app.screen
        screen.query_one("#case-body").scroll_home(animate=False)
        await settle(app, pilot)
        assert amount in screen_text(app)  # the case's facts: the amount
    script = [r.text for r in canned_replies(desk, cases.get_case(desk, view.number), lang)]
    assert any(amount in text for text in script), script
    assert not any("300.00" in text.replace(amount, "") for text in script)


@pytest.mark.parametrize(("lang", "done"), [("zh", "退款，金额 ¥300.00"), ("en", "refund ¥300.00")])
async def test_the_follow_up_script_reads_the_amount_with_its_currency(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str, done: str,
) -> None:
    desk, made = fixed_desk
    to_follow_up(desk, made["kettle"])
    async with run_as(desk, "ag", lang) as (app, pilot):
        await settle(app, pilot)
        await press(app, pilot, "f9")
        assert "¥300.00" in screen_text(app)  # the list and what was promised
        await press(app, pilot, "enter")
        shown = screen_text(app)
        assert "¥300.00" in shown, shown  # the script the agent reads out
        assert not [line for line in shown.splitlines() if "300.00" in line and "¥300.00" not in line]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_review_gives_costs_with_the_currency(
    fixed_desk: tuple[Desk, dict[str, CaseView]], lang: str,
) -> None:
    desk, _ = fixed_desk
    async with run_as(desk, "sup", lang) as (app, pilot):
        await settle(app, pilot)
        await press(app, pilot, "f10")
        await press(app, pilot, "p")
        await asyncio.sleep(0.3)
        await settle(app, pilot)
        shown = screen_text(app)
        assert "¥0.00" in shown, shown  # the cost of the remedies given
