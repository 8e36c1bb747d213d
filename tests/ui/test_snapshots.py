"""Each screen at 80×24 in Chinese and English, with fixed data and a fixed clock."""

from __future__ import annotations

from typing import Any

import pytest

from casesteps import FIXED_NOW
from kesu_desk.app import KesuDesk
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import whoami
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.case_table import CaseTable

Fixed = tuple[Desk, dict[str, CaseView]]


def app_for(fixed: Fixed, lang: str, user: str = "sup") -> KesuDesk:
    desk, _ = fixed
    return KesuDesk(desk, whoami(desk, user), lang, clock=lambda: FIXED_NOW, watch_changes=False)


async def settled(pilot: Any) -> None:
    """Until the workers are done and two screens in a row are the same (layout and scrolling settle
    over several refreshes; on a busy machine the snapshot could otherwise catch one in between)."""
    last = None
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.export_screenshot()
        if screen == last:
            return
        last = screen
    raise AssertionError("the screen never settled")


async def rows_drawn(pilot: Any) -> None:
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = pilot.app.screen.query_one(CaseTable)
        if table.total and table.row_at(0) is not None:
            break
    await settled(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_queue(snap_compare: Any, fixed_desk: Fixed, lang: str) -> None:
    assert snap_compare(app_for(fixed_desk, lang), terminal_size=(80, 24), run_before=rows_drawn)


async def _open_intake(pilot: Any) -> None:
    await rows_drawn(pilot)
    pilot.app.new_case()
    await settled(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_intake_empty(snap_compare: Any, fixed_desk: Fixed, lang: str) -> None:
    assert snap_compare(app_for(fixed_desk, lang, "ag"), terminal_size=(80, 24), run_before=_open_intake)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_intake_known_caller_with_a_suggestion(snap_compare: Any, fixed_desk: Fixed, lang: str) -> None:
    async def typed(pilot: Any) -> None:
        await _open_intake(pilot)
        await pilot.press(*"13800138000")
        await pilot.pause(0.5)
        await settled(pilot)

    assert snap_compare(app_for(fixed_desk, lang, "ag"), terminal_size=(80, 24), run_before=typed)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", ["late", "markup"])
def test_case_detail(snap_compare: Any, fixed_desk: Fixed, lang: str, case: str) -> None:
    number = fixed_desk[1][case].number

    async def opened(pilot: Any) -> None:
        await rows_drawn(pilot)
        pilot.app.open_case(number)
        await settled(pilot)

    assert snap_compare(app_for(fixed_desk, lang, "sup"), terminal_size=(80, 24), run_before=opened)


async def _supervisor_screen(pilot: Any, key: str) -> None:
    await rows_drawn(pilot)
    await pilot.press(key)
    await settled(pilot)


@pytest.fixture
def with_proposals(fixed_desk: Fixed) -> Fixed:
    """The LOG case proposed by its handler, and a second case waiting for its follow-up call."""
    from decimal import Decimal

    from casesteps import to_follow_up
    from kesu_desk.services import cases

    desk, made = fixed_desk
    late = made["late"]
    view = cases.record_cause(desk, "hl", late.number, fishbone="method", what="快递延误",
                              why="分拣错误", version=late.version)
    made["late"] = cases.propose(desk, "hl", late.number, remedy="compensation",
                                 amount=Decimal("50"), version=view.version)
    made["kettle"] = to_follow_up(desk, made["kettle"])
    return fixed_desk


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_approval_inbox(snap_compare: Any, with_proposals: Fixed, lang: str) -> None:
    async def run(pilot: Any) -> None:
        await _supervisor_screen(pilot, "f7")

    assert snap_compare(app_for(with_proposals, lang, "sup"), terminal_size=(80, 24), run_before=run)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_follow_up_calls(snap_compare: Any, with_proposals: Fixed, lang: str) -> None:
    async def run(pilot: Any) -> None:
        await _supervisor_screen(pilot, "f9")

    assert snap_compare(app_for(with_proposals, lang, "sup"), terminal_size=(80, 24), run_before=run)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_survey(snap_compare: Any, with_proposals: Fixed, lang: str) -> None:
    async def run(pilot: Any) -> None:
        await _supervisor_screen(pilot, "f9")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("4")
        await settled(pilot)

    assert snap_compare(app_for(with_proposals, lang, "ag"), terminal_size=(80, 24), run_before=run)
