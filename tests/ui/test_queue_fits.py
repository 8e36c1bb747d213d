"""Everything of the queue can be seen at 80×24 (issue 15, items 5–8 and 11): its last row, the
whole of F1's help, the footer's right edge, columns that fit, and a filter that says what it
will show. Read from the screen as drawn, not from the widgets."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from textual.widgets import Static
from uisteps import press, settle

from kesu_desk.app import HelpScreen, KesuDesk
from kesu_desk.domain.vocabulary import Status
from kesu_desk.i18n import t
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.screens.queue import FilterDialog
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import whoami
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.case_table import CaseTable

Register = Callable[..., CaseView]
sqlite_only = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)


def screen_lines(app: KesuDesk) -> list[str]:
    """The terminal's lines as the user sees them (a wide character once, its second cell dropped)."""
    return [
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()
    ]


def desk_app(desk: Desk, who: str, lang: str) -> KesuDesk:
    return KesuDesk(desk, whoami(desk, who), lang, watch_changes=False)


@sqlite_only
async def test_end_shows_and_highlights_the_last_case_which_enter_opens(desk: Desk, register: Register) -> None:
    made = [register(description=f"第{i}号投诉") for i in range(40)]
    app = desk_app(desk, "ag", "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "end")
        oldest = made[0].number
        lines = screen_lines(app)
        assert any(line.startswith(oldest) for line in lines), "\n".join(lines)
        # The line above the footer is the last case's: nothing hides under a scrollbar.
        assert lines[-2].startswith(oldest), "\n".join(lines)
        await press(app, pilot, "up")
        assert screen_lines(app)[-3].startswith(made[1].number)
        await press(app, pilot, "down", "enter")
        assert isinstance(app.screen, CaseScreen) and app.screen.number == oldest


@sqlite_only
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("where", ["queue", "case"])
async def test_f1_help_fits_the_terminal_and_scrolls_to_its_last_key(
    desk: Desk, register: Register, lang: str, where: str
) -> None:
    case = register()
    app = desk_app(desk, "sup", lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if where == "case":
            app.open_case(case.number)
            await settle(app, pilot)
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        help_lines = str(app.screen.query_one("#help Static", Static).render()).splitlines()
        last = help_lines[-1]
        assert len(help_lines) > 24 - 2 and not any(last in line for line in screen_lines(app))
        await press(app, pilot, "end")
        lines = screen_lines(app)
        assert any(last in line for line in lines), "\n".join(lines)
        # The box's bottom border is on the screen.
        assert any("╰" in line for line in lines), "\n".join(lines)
        await press(app, pilot, "home")
        assert any(t("app.help_title", lang) in line for line in screen_lines(app))


@sqlite_only
@pytest.mark.parametrize("lang", ["en", "zh", "es"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_footer_ends_with_the_command_palette_key_and_nothing_after(
    desk: Desk, register: Register, lang: str, size: tuple[int, int]
) -> None:
    register()
    app = desk_app(desk, "sup", lang)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        footer = screen_lines(app)[-1]
        assert footer.endswith("^p " + t("keys.app.commands", lang)), footer
        # Only whole keys before it: the last one shown ends with its whole description.
        keys = footer.split("▏")[0].rstrip()
        descriptions = [t(f"keys.{name}", lang) for name in ("queue.at_risk", "queue.overdue", "queue.filters",
                        "queue.clear", "queue.sort", "queue.my_department", "queue.mine", "app.quit")]
        assert any(keys.endswith(" " + d) for d in descriptions), footer


def row_line(lines: list[str], number: str) -> str:
    return next(line for line in lines if line.startswith(number))


@sqlite_only
@pytest.mark.parametrize("lang", ["en", "zh", "es"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_status_severity_and_deadline_are_never_cut_and_the_deadline_stays_on_screen(
    desk: Desk, register: Register, lang: str, size: tuple[int, int]
) -> None:
    waiting = register(severity="serious", description="A long complaint about a kettle that leaks a lot")
    assigned = register(severity="minor")
    cases.decide_validity(desk, "ag", assigned.number, founded=True)
    cases.assign(desk, "ag", assigned.number, department="QA", handler="hq")
    proposed_free = register(severity="critical")
    app = desk_app(desk, "sup", lang)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        lines = screen_lines(app)
        header = lines[2]
        assert t("queue.col_due", lang) in header and t("queue.col_status", lang) in header, header
        for case, status, severity in ((waiting, "registered", "serious"), (assigned, "assigned", "minor"),
                                       (proposed_free, "registered", "critical")):
            line = row_line(lines, case.number)
            assert t(f"queue.status_short.{status}", lang) in line, line
            assert t(f"queue.severity_short.{severity}", lang) in line, line
            assert "✓" in line, line  # the deadline's state, on time
            assert re.search(r"✓ \d+[mhd]", line), line
        # Nothing runs off the right edge: the table needs no sideways scrolling.
        table = app.screen.query_one(CaseTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width


@sqlite_only
async def test_the_status_filter_ticks_with_x_in_brackets_and_says_what_will_be_shown(
    desk: Desk, register: Register
) -> None:
    register()
    app = desk_app(desk, "sup", "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "f")
        assert isinstance(app.screen, FilterDialog)
        text = "\n".join(screen_lines(app))
        assert "[ ] registered" in text and "[x]" not in text, text
        assert "All cases will be shown" in text, text
        await press(app, pilot, *["down"] * (list(Status).index(Status.CLOSED)), "space")
        text = "\n".join(screen_lines(app))
        assert "[x] closed" in text and "[ ] registered" in text, text
        assert "Only closed cases will be shown" in text, text


@sqlite_only
@pytest.mark.parametrize("lang", ["en", "zh", "es"])
async def test_the_header_keeps_the_key_to_the_waiting_approvals(desk: Desk, register: Register, lang: str) -> None:
    from decimal import Decimal

    from casesteps import to_assigned

    case = to_assigned(desk, register(), department="LOG", handler="hl")
    case = cases.record_cause(desk, "hl", case.number, fishbone="method", what="快递延误", why="分拣错误",
                              version=case.version)
    cases.propose(desk, "hl", case.number, remedy="compensation", amount=Decimal("50"), version=case.version)
    other = to_assigned(desk, register(), department="LOG", handler="hl")
    other = cases.record_cause(desk, "hl", other.number, fishbone="method", what="丢件", why="分拣错误",
                               version=other.version)
    cases.propose(desk, "hl", other.number, remedy="refund", amount=Decimal("20"), version=other.version)
    app = desk_app(desk, "adm", lang)  # the longest role name: administrador
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        title = screen_lines(app)[0]
        assert "F7" in title and t("app.waiting_approvals", lang, count=2) in title, title
