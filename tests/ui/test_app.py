"""The desk's first screen, driven with Pilot as a user would."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Static

from kesu_desk.app import HelpScreen, KesuDesk
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import whoami
from kesu_desk.services.views import CaseView


async def test_shows_the_newest_cases_and_typed_text_stays_text(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    register(description="[b]not bold[/b] [@click=app.quit]x[/]", customer_name="[red]王[/red]")
    newest = register(description="屏幕碎了")
    app = KesuDesk(desk, whoami(desk, "ag"), "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one("#cases", DataTable)
        assert table.row_count == 2
        assert table.get_row_at(0)[0] == newest.number
        summary = str(table.get_row_at(1)[5])
        assert summary == "[b]not bold[/b] [@click=app.quit]x[/]"
        assert str(table.get_row_at(1)[4]) == "[red]王[/red]"
        assert "2 cases" in str(app.query_one("#summary", Static).render())


async def test_f1_opens_help_listing_every_key_and_escape_closes_it(desk: Desk, people: dict[str, object]) -> None:
    app = KesuDesk(desk, whoami(desk, "sup"), "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        for key, description in (("f1", "帮助"), ("^q", "退出"), ("f5", "刷新"), ("^p", "命令"), ("esc", "关闭"), ("tab", "下一个字段")):
            assert any(key in line and description in line for line in text.splitlines()), (key, text)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
