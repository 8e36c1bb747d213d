"""The overview (F10) and the period review driven with Pilot: every figure shown against cases
made through the services, Enter on a figure opens the cases behind it, the review shows what
``kesu-desk report`` prints."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from uisteps import press, settle

from casesteps import FIXED_NOW, draft, to_assigned, to_follow_up, to_proposed
from kesu_desk.app import KesuDesk
from kesu_desk.domain.vocabulary import OPEN_STATUSES, Status
from kesu_desk.present.report import report_tables
from kesu_desk.screens import overview as overview_module
from kesu_desk.screens.base import DeskChanged
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.screens.overview import OverviewScreen, month_of
from kesu_desk.screens.queue import QueueScreen
from kesu_desk.screens.report import PeriodDialog, ReportScreen
from kesu_desk.services import cases, corrective
from kesu_desk.services import queue as q
from kesu_desk.services.desk import Desk
from kesu_desk.services.report import build_report
from kesu_desk.services.users import whoami
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow

on_sqlite = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

Register = Callable[..., CaseView]


def app_for(desk: Desk, who: str, now: datetime, lang: str = "en") -> KesuDesk:
    return KesuDesk(desk, whoami(desk, who), lang, clock=lambda: now, watch_changes=False)


async def open_overview(app: KesuDesk, pilot: Pilot[None]) -> OverviewScreen:
    await settle(app, pilot)
    await press(app, pilot, "f10")
    assert isinstance(app.screen, OverviewScreen)
    return app.screen


def shown(widget: Static) -> str:
    content = widget.render()
    return content.plain if isinstance(content, Text) else str(content)


def figures(screen: OverviewScreen) -> dict[str, str]:
    """Each figure's line as shown, by its id."""
    box = screen.query_one("#ov-figures", OptionList)
    lines = {}
    for index in range(box.option_count):
        option = box.get_option_at_index(index)
        prompt = option.prompt
        assert isinstance(prompt, Text)
        lines[option.id or ""] = prompt.plain
    return lines


def value(line: str) -> str:
    """What a figure's line says after its label (two spaces at least between them)."""
    return re.split(r"\s{2,}", line.strip())[-1]


def rows_of(text: str) -> dict[str, list[str]]:
    """A table shown as text, by its first cell: the cells of each line."""
    return {cells[0]: cells[1:] for line in text.splitlines()[1:]
            if (cells := re.split(r"\s{2,}", line.strip()))}


def register_at(desk: Desk, when: datetime, **fields: Any) -> str:
    with desk.uow() as uow:
        case = cases.register_in(uow, desk, "ag", draft(**fields), registered_at=when)
        uow.commit()
        return case.number


def build_known_desk(desk: Desk, register: Register) -> dict[str, str]:
    """Cases in known states; returns their numbers by role in the test."""
    made = {"plain": register().number}
    made["assigned"] = to_assigned(desk, register()).number
    made["proposed"] = to_proposed(desk, register()).number  # proposed by hq: sup may approve
    made["urgent"] = register(urgent=True, description="孩子被烫伤").number
    not_founded = register()
    cases.decide_validity(desk, "ag", not_founded.number, founded=False, reason="重复投诉")
    made["old"] = register_at(desk, utcnow() - timedelta(days=8), category="billing")  # overdue by now
    closed = to_follow_up(desk, register(product="电饭煲 RC-30"))
    closed = cases.record_follow_up(desk, "ag", closed.number, score=4, version=closed.version)
    assert closed.status is Status.CLOSED
    made["closed"] = closed.number
    for _ in range(5):  # a batch problem: five open cases of one production batch
        register(product="电水壶 K-200", batch="B7")
    today = desk.calendar.local_date(utcnow())
    corrective.open_action(desk, "sup", closed.number, owner="hq", due=today + timedelta(days=10),
                           text="更换密封圈供应商")
    return made


@on_sqlite
async def test_every_figure_of_the_overview_matches_the_database(desk: Desk, register: Register) -> None:
    build_known_desk(desk, register)
    now = utcnow()
    overdue = q.queue_count(desk, q.QueueFilter(overdue_at=now))
    at_risk = q.queue_count(desk, q.QueueFilter(at_risk_at=now))
    assert overdue >= 1  # the case registered eight days ago
    app = app_for(desk, "sup", now)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_overview(app, pilot)
        seen = {k: value(v) for k, v in figures(screen).items()}

        # 12 cases registered: 11 of them today, the old one eight days ago (before this Monday).
        assert seen["registered_today"] == "11"
        assert seen["registered_this_week"] == "11"
        # Open: plain, urgent, old and the five of the batch registered; assigned; proposed.
        assert seen["open"] == "10"
        assert seen["overdue"] == str(overdue)
        assert seen["at_risk"] == str(at_risk)
        assert seen["waiting_for_me"] == "1"
        assert seen["waiting_total"] == "1"
        assert seen["satisfaction"] == "4.00 / 5 over 1 surveys"
        assert seen["urgent_open"] == "1"
        assert seen["batch_problems"] == "1 batches, 5 open cases"
        # the supervisor's action, and the one the batch's fifth unit opened by itself (issue 13)
        assert seen["corrective"] == "2"
        # Which figures open a list (▸) and which do not.
        marked = {k for k, v in figures(screen).items() if v.startswith("▸")}
        assert marked == {"open", "overdue", "at_risk", "waiting_for_me", "waiting_total", "corrective"}

        by_status = rows_of(shown(screen.query_one("#ov-open-status", Static)))
        assert by_status == {"registered": ["8"], "assigned": ["1"], "proposed": ["1"]}
        by_department = rows_of(shown(screen.query_one("#ov-open-department", Static)))
        assert by_department == {"(not assigned)": ["8"], "QA Quality Management": ["2"]}

        actions = screen.query_one("#ov-corrective", OptionList)
        assert actions.option_count == 2
        lines = [actions.get_option_at_index(i).prompt for i in range(2)]
        assert all(isinstance(line, Text) for line in lines)
        [line] = [line for line in lines if isinstance(line, Text) and "更换密封圈供应商" in line.plain]
        due = (desk.calendar.local_date(now) + timedelta(days=10)).isoformat()
        assert f"due {due}" in line.plain and "hq" in line.plain

        # Cases per day: 12 in the 14 days, one of them "billing" eight days ago.
        daily = shown(screen.query_one("#ov-daily-table", Static))
        total_line = next(line for line in daily.splitlines() if line.startswith("Total"))
        assert total_line.split()[-1] == "12"
        assert total_line.split()[-2] == "11"  # today's column
        billing = next(line for line in daily.splitlines() if "billing" in line)
        assert billing.split()[-1] == "1"
        legend = shown(screen.query_one("#ov-daily-legend", Static))
        assert "billing" in legend and "(no category)" in legend

        # Causes: the one case closed with a cause (fishbone "material").
        causes = shown(screen.query_one("#ov-causes-table", Static))
        assert causes.splitlines()[1].split() == ["1", "material", "1", "100.0%", "100.0%"]


@on_sqlite
async def test_enter_on_a_figure_opens_the_cases_behind_it(desk: Desk, register: Register,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    made = build_known_desk(desk, register)
    app = app_for(desk, "sup", utcnow())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(app, pilot)
        # registered today, this week, open, overdue: three down from the first figure.
        await press(app, pilot, "down", "down", "down", "enter")
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.view.overdue and not app.screen.view.at_risk

        await open_overview(app, pilot)
        await press(app, pilot, "down", "down", "down", "down", "enter")
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.view.at_risk and not app.screen.view.overdue

        await open_overview(app, pilot)
        await press(app, pilot, "down", "down", "enter")
        assert isinstance(app.screen, QueueScreen)
        assert set(app.screen.view.statuses) == {s.value for s in OPEN_STATUSES}

        approvals: list[bool] = []
        monkeypatch.setattr(app, "action_approvals", lambda: approvals.append(True))
        await open_overview(app, pilot)
        await press(app, pilot, "down", "down", "down", "down", "down", "enter")
        assert approvals == [True]

        # The open corrective actions: Enter on the figure goes to the list, Enter opens the case.
        await press(app, pilot, "end", "enter")
        assert app.focused is app.screen.query_one("#ov-corrective", OptionList)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.number == made["closed"]
        await press(app, pilot, "escape")
        assert isinstance(app.screen, OverviewScreen)


@on_sqlite
async def test_a_figures_cases_come_most_overdue_first_and_esc_goes_back_to_the_overview(
        desk: Desk, register: Register) -> None:
    """Issue 15: Enter on "overdue" showed the newest first and Esc did not come back."""
    build_known_desk(desk, register)
    app = app_for(desk, "sup", utcnow())
    async with app.run_test(size=(80, 24)) as pilot:
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        before = queue.view
        await open_overview(app, pilot)
        await press(app, pilot, "down", "down", "down", "enter")
        assert app.screen is queue and queue.view.overdue and queue.view.sort == "due"
        assert "Esc: back to the overview" in str(queue.query_one("#queue-status", Static).render())
        await press(app, pilot, "escape")
        assert isinstance(app.screen, OverviewScreen)
        assert queue.view == before  # the user's own view, untouched
    assert app.desk.settings.queue_filters.model_dump(mode="json").get("overdue") in (None, False)


@on_sqlite
async def test_page_down_scrolls_the_overview_whatever_has_the_focus(desk: Desk, register: Register) -> None:
    build_known_desk(desk, register)
    app = app_for(desk, "sup", utcnow())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(app, pilot)
        body = app.screen.query_one("#ov-body")
        assert app.focused is app.screen.query_one("#ov-figures", OptionList) and body.scroll_y == 0
        await press(app, pilot, "pagedown")
        assert body.scroll_y > 0
        await press(app, pilot, "pageup")
        assert body.scroll_y == 0


@on_sqlite
async def test_changes_reload_the_overview_at_most_every_few_seconds(
    desk: Desk, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    register()
    app = app_for(desk, "sup", utcnow())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_overview(app, pilot)
        assert value(figures(screen)["open"]) == "1"
        register()  # another terminal
        monkeypatch.setattr(overview_module, "RELOAD_SECONDS", 60.0)
        screen.post_message(DeskChanged(1))
        await settle(app, pilot)
        assert value(figures(screen)["open"]) == "1"  # loaded a moment ago: waits
        assert screen._reload_timer is not None
        screen.post_message(DeskChanged(2))  # more changes while waiting: still one reload
        await settle(app, pilot)
        monkeypatch.setattr(overview_module, "RELOAD_SECONDS", 0.0)
        screen._reload_timer.stop()
        screen._reload_timer = None
        screen.post_message(DeskChanged(3))
        await settle(app, pilot)
        assert value(figures(screen)["open"]) == "2"


def with_suggestion(desk: Desk, suggested: str, final: str, phone: str, handler: str) -> CaseView:
    """Registered with the rules' suggestion of ``suggested``, then sent by the agent to ``final``."""
    view = cases.register_case(desk, "ag", draft(phone=phone), suggested={"department": suggested, "remedies": []},
                               chosen={"department": suggested})
    return to_assigned(desk, view, department=final, handler=handler)


@on_sqlite
async def test_the_overview_shows_how_often_the_suggested_department_is_taken(
    desk: Desk, register: Register
) -> None:
    with_suggestion(desk, "LOG", "QA", "13800138001", "hq")
    with_suggestion(desk, "LOG", "LOG", "13800138002", "hl")
    with_suggestion(desk, "QA", "QA", "13800138003", "hq")
    register()  # without a suggestion: not counted
    cases.register_case(desk, "ag", draft(phone="13800138004"), suggested={"department": "QA"})  # no department yet
    app = app_for(desk, "sup", utcnow())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_overview(app, pilot)
        title = shown(screen.query_one("#ov-suggestions-title", Static))
        assert title == "Rules' suggested department taken (last 30 days)"
        table = rows_of(shown(screen.query_one("#ov-suggestions", Static)))
        assert table == {"LOG Logistics": ["2", "1", "50%"], "QA Quality Management": ["1", "1", "100%"]}


@on_sqlite
async def test_agents_and_handlers_are_told_the_overview_is_not_theirs(desk: Desk, register: Register) -> None:
    register()
    for who, role in (("ag", "agent"), ("hq", "handler")):
        app = app_for(desk, who, utcnow())
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_overview(app, pilot)
            status = shown(screen.query_one("#ov-status", Static))
            assert status == f"{who} ({role}) may not read the overview."
            assert figures(screen) == {}
            await press(app, pilot, "p")  # the review key is not offered
            assert app.screen is screen


@on_sqlite
async def test_the_review_shows_what_the_report_prints_and_takes_other_dates(
    desk: Desk, register: Register
) -> None:
    build_known_desk(desk, register)
    now = utcnow()
    start, end = month_of(desk.calendar.local_date(now))
    app = app_for(desk, "sup", now)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(app, pilot)
        await press(app, pilot, "p")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert (screen.start, screen.end) == (start, end)
        title = shown(screen.query_one("#review-title", Static))
        assert title.startswith(f"Complaint review {start.isoformat()} – {end.isoformat()}")

        expected = report_tables(build_report(desk, start, end, now=now), "en")
        assert [t.key for t in screen.tables] == [t.key for t in expected]
        for table in expected:
            text = shown(screen.query_one(f"#review-{table.key}", Static))
            if not table.rows:
                assert text == "Nothing in this period."
                continue
            lines = text.splitlines()
            assert re.split(r"\s{2,}", lines[0].strip()) == table.headers
            for line, row in zip(lines[1:], table.rows, strict=True):
                position = 0
                for cell in row:  # every cell, in order, on its line
                    if cell.text:
                        found = line.find(cell.text, position)
                        assert found >= 0, (table.key, cell.text, line)
                        position = found + len(cell.text)
        summary = rows_of(shown(screen.query_one("#review-summary", Static)))
        old = desk.calendar.local_date(now - timedelta(days=8))
        assert summary["Cases registered"] == [str(11 + (old >= start))]

        # Other dates: a date that is not one, a period that ends before it starts, then a good one.
        await press(app, pilot, "d")
        dialog = app.screen
        assert isinstance(dialog, PeriodDialog)
        dialog.query_one("#period-start", Input).value = "2026-13-01"
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog
        error = shown(dialog.query_one("#period-error", Static))
        assert error == "Please correct: From: not a date (YYYY-MM-DD)"
        dialog.query_one("#period-start", Input).value = "2026-02-01"
        dialog.query_one("#period-end", Input).value = "2026-01-01"
        await press(app, pilot, "ctrl+s")
        assert shown(dialog.query_one("#period-error", Static)) == (
            "The period ends (2026-01-01) before it starts (2026-02-01).")
        dialog.query_one("#period-end", Input).value = "2026-02-28"
        await press(app, pilot, "enter")  # Enter in a field shows the period too
        assert app.screen is screen
        assert (screen.start, screen.end) == (date(2026, 2, 1), date(2026, 2, 28))
        assert shown(screen.query_one("#review-title", Static)).startswith(
            "Complaint review 2026-02-01 – 2026-02-28")
        assert rows_of(shown(screen.query_one("#review-summary", Static)))["Cases registered"] == ["0"]


def test_month_of() -> None:
    assert month_of(date(2026, 11, 25)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert month_of(date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_of(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))


# -- snapshots: fixed data, fixed clock ---------------------------------------------------------------


def fixed_app(fixed: tuple[Desk, dict[str, CaseView]], lang: str) -> KesuDesk:
    desk, made = fixed
    # Due far ahead: the service refuses a due date already past on the real calendar.
    corrective.open_action(desk, "sup", made["late"].number, owner="hl", due=date(2099, 1, 1),
                           text="快递时限写进合同 / put delivery times in the contract")
    return KesuDesk(desk, whoami(desk, "sup"), lang, clock=lambda: FIXED_NOW, watch_changes=False)


async def overview_drawn(pilot: Pilot[None]) -> None:
    await settle(pilot.app, pilot)  # type: ignore[arg-type]
    await pilot.press("f10")
    await settle(pilot.app, pilot)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_snapshot(snap_compare: Any, fixed_desk: Any, lang: str) -> None:
    assert snap_compare(fixed_app(fixed_desk, lang), terminal_size=(80, 24), run_before=overview_drawn)


def test_overview_suggestions_taken_snapshot(snap_compare: Any, fixed_desk: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    desk, _ = fixed_desk
    # an hour before the overview's "now" (the fixture's clock has moved past it)
    monkeypatch.setattr("kesu_desk.services.cases.utcnow", lambda: FIXED_NOW - timedelta(hours=1))
    with_suggestion(desk, "LOG", "QA", "13500135001", "hq")
    with_suggestion(desk, "QA", "QA", "13500135002", "hq")

    async def suggestions(pilot: Pilot[None]) -> None:
        await overview_drawn(pilot)
        pilot.app.screen.query_one("#ov-suggestions-title").scroll_visible(animate=False, top=True)
        await settle(pilot.app, pilot)  # type: ignore[arg-type]

    assert snap_compare(fixed_app(fixed_desk, "en"), terminal_size=(80, 24), run_before=suggestions)


def test_overview_charts_snapshot(snap_compare: Any, fixed_desk: Any) -> None:
    async def charts(pilot: Pilot[None]) -> None:
        await overview_drawn(pilot)
        await pilot.press("tab", "tab")  # past the corrective actions, onto the chart
        await settle(pilot.app, pilot)  # type: ignore[arg-type]

    assert snap_compare(fixed_app(fixed_desk, "en"), terminal_size=(80, 24), run_before=charts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_snapshot(snap_compare: Any, fixed_desk: Any, lang: str) -> None:
    async def review(pilot: Pilot[None]) -> None:
        await overview_drawn(pilot)
        await pilot.press("p")
        await settle(pilot.app, pilot)  # type: ignore[arg-type]

    assert snap_compare(fixed_app(fixed_desk, lang), terminal_size=(80, 24), run_before=review)
