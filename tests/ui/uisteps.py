"""What the Pilot tests of the screens share: starting a terminal, waiting for workers, pressing
keys, reading the screen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Select, Static, TextArea

from kesu_desk.app import KesuDesk
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import whoami


def app_for(desk: Desk, who: str, lang: str = "en") -> KesuDesk:
    # Tests change the database behind the app's back and say when to look: no watcher.
    return KesuDesk(desk, whoami(desk, who), lang, watch_changes=False)


@asynccontextmanager
async def run_as(
    desk: Desk, who: str, lang: str = "en"
) -> AsyncIterator[tuple[KesuDesk, Pilot[None]]]:
    """``who``'s terminal of 80×24, running."""
    app = app_for(desk, who, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        yield app, pilot


async def settle(app: KesuDesk, pilot: Pilot[None]) -> None:
    """Wait until the workers a key started have come back and their results are drawn."""
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def settle_idle(pilot: Pilot[None], rounds: int = 20) -> None:
    """Wait until no worker runs any more (counts, pages, searches) and the results are drawn."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            await pilot.pause()
            return


async def press(app: KesuDesk, pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


def screen_text(app: KesuDesk) -> str:
    """The screen as drawn, one line a row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def static_text(app: KesuDesk, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def field_value(screen: Screen[Any], selector: str) -> Any:
    """What a field holds: a text area its text, a list its choice (None while blank), an input
    its value."""
    widget = screen.query_one(selector)
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return None if widget.is_blank() else widget.value
    return widget.value  # type: ignore[attr-defined]


async def open_case(app: KesuDesk, pilot: Pilot[None], number: str) -> CaseScreen:
    """Case ``number`` opened on its own screen, as Enter in the queue opens it."""
    await settle(app, pilot)
    app.open_case(number)
    await settle(app, pilot)
    assert isinstance(app.screen, CaseScreen)
    return app.screen


async def type_text(app: KesuDesk, pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)
    await settle(app, pilot)
