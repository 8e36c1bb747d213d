"""On a Textual other than the one widgets/textual_private.py was written for, the desk uses
Textual's own behaviour and says so once in the log."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from platformdirs import user_log_path
from textual.widgets._footer import FooterKey
from uisteps import app_for, press, screen_text, settle, type_text

from kesu_desk.app import HelpScreen
from kesu_desk.screens.intake import IntakeScreen
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.widgets import textual_private
from kesu_desk.widgets.keys import DeskFooter
from kesu_desk.widgets.textual_private import CroppedCompositor


@pytest.fixture
def other_textual(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(textual_private, "running_version", lambda: "99.0.0")
    textual_private.private_api.cache_clear()
    yield
    textual_private.private_api.cache_clear()  # asked again, of the real version, after the test


def test_the_version_written_for_is_the_one_pinned() -> None:
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"textual=={textual_private.WRITTEN_FOR}" in project["project"]["dependencies"]
    assert textual_private.running_version() == textual_private.WRITTEN_FOR
    assert textual_private.private_api()


async def test_another_textual_gets_textuals_own_behaviour_and_one_line_in_the_log(
    fixed_desk: tuple[Desk, dict[str, CaseView]], other_textual: None
) -> None:
    desk, _ = fixed_desk
    app = app_for(desk, "ag", "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen._compositor, CroppedCompositor)
        shown = {key.description for key in app.screen.query_one(DeskFooter).query(FooterKey)}
        assert "New case" in shown  # as declared: the descriptions are not localised
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        await press(app, pilot, "escape")
        app.new_case()
        await settle(app, pilot)
        assert isinstance(app.screen, IntakeScreen)
        app.screen.query_one("#description").focus()
        await type_text(app, pilot, "漏水")
        await settle(app, pilot)
        assert app.screen.query_one("#description").text == "漏水"  # type: ignore[attr-defined]
    # A second terminal in the same process: nothing more to say.
    async with app_for(desk, "ag", "zh").run_test(size=(80, 24)) as pilot:
        await settle(pilot.app, pilot)  # type: ignore[arg-type]
    logged = (user_log_path("kesu-desk") / "kesu-desk.log").read_text(encoding="utf-8")
    assert logged.count("Textual 99.0.0 is running") == 1, logged
    assert f"written for Textual {textual_private.WRITTEN_FOR}" in logged


async def test_the_palette_says_no_matches_in_the_users_words_and_textuals_elsewhere(
    fixed_desk: tuple[Desk, dict[str, CaseView]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DeskCommandPalette replaces Textual 8.2.8's private _start_no_matches_countdown: on the
    Textual it was written for the words are the user's; on another, Textual's own."""
    desk, _ = fixed_desk
    for version, words in ((textual_private.WRITTEN_FOR, "没有匹配的命令"), ("99.0.0", "No matches found")):
        monkeypatch.setattr(textual_private, "running_version", lambda version=version: version)
        textual_private.private_api.cache_clear()
        app = app_for(desk, "ag", "zh")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await press(app, pilot, "ctrl+p")
            await type_text(app, pilot, "zzqqxx")
            await asyncio.sleep(0.8)
            await settle(app, pilot)
            assert words in screen_text(app)
    textual_private.private_api.cache_clear()
