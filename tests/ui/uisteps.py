"""What the Pilot tests of the screens share: waiting for workers, pressing keys, reading the screen."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from kesu_desk.app import KesuDesk


async def settle(app: KesuDesk, pilot: Pilot[None]) -> None:
    """Wait until the workers a key started have come back and their results are drawn."""
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


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
