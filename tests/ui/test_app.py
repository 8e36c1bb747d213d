"""The desk starts on the case queue: driven with Pilot as an agent would, checked against what the
screen shows and what the database holds."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

import pytest
from textual.widgets import Input, Static
from uisteps import settle_idle as settle

from kesu_desk.app import HelpScreen, KesuDesk
from kesu_desk.config import Settings, config_path
from kesu_desk.domain.access import Identity
from kesu_desk.screens.queue import FilterDialog, QueueScreen
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import whoami
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.case_table import CaseTable

Register = Callable[..., CaseView]
sqlite_only = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)



def table(app: KesuDesk) -> CaseTable:
    return app.screen.query_one(CaseTable)


def shown(app: KesuDesk) -> list[str]:
    """The text of the table's lines as drawn, header first."""
    t = table(app)
    return [t.render_line(y).text for y in range(t.size.height)]


def numbers(app: KesuDesk) -> list[str]:
    t = table(app)
    return [row.number for i in range(t.total) if (row := t.row_at(i)) is not None]


def status_line(app: KesuDesk) -> str:
    return str(app.screen.query_one("#queue-status", Static).render())


@sqlite_only
async def test_starts_on_the_queue_with_the_newest_case_first_and_typed_text_stays_text(
    desk: Desk, register: Register
) -> None:
    register(description="[b]not bold[/b] [@click=app.quit]x[/] \x1b[31mred", customer_name="[red]王")
    newest = register(description="屏幕碎了")
    app = KesuDesk(desk, whoami(desk, "ag"), "en", watch_changes=False)
    async with app.run_test(size=(200, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        lines = shown(app)
        assert lines[0].startswith("Number")
        assert lines[1].startswith(newest.number)
        assert "[b]not bold[/b] [@click=app.quit]x[/]" in lines[2]
        assert "[red]王" in lines[2]
        assert "\x1b" not in lines[2] and "␛[31mred" in lines[2]
        assert "2 cases" in status_line(app)


@sqlite_only
async def test_f1_lists_every_key_of_the_queue_in_the_language_and_escape_closes_it(
    desk: Desk, people: dict[str, object]
) -> None:
    app = KesuDesk(desk, whoami(desk, "sup"), "zh", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help Static", Static).render())
        for key, description in (("f1", "帮助"), ("^q", "退出"), ("f5", "刷新"), ("^p", "命令"),
                                 ("esc", "关闭"), ("n", "新建"), ("/", "搜索"), ("m", "我的"),
                                 ("r", "将超期"), ("o", "超期"), ("end", "最后一件"), ("⏎", "打开")):
            assert any(key in line and description in line for line in text.splitlines()), (key, text)
        descriptions = [re.split(r"\s{2,}", line)[-1] for line in text.splitlines()[2:]]
        assert not [d for d in descriptions if any(c.isascii() and c.isalpha() for c in d)], text
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


@sqlite_only
async def test_end_jumps_to_the_oldest_case_and_home_back(desk: Desk, register: Register) -> None:
    made = [register(description=f"第{i}号投诉") for i in range(150)]
    app = KesuDesk(desk, whoami(desk, "ag"), "en", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = table(app)
        assert t.total == 150
        await pilot.press("end")
        await settle(pilot)
        assert t.current is not None and t.current.number == made[0].number
        assert made[0].number in shown(app)[-1]
        await pilot.press("pageup")
        await settle(pilot)
        assert t.current is not None and t.current.number == made[t.size.height - 2].number
        await pilot.press("home")
        await settle(pilot)
        assert t.current is not None and t.current.number == made[-1].number


@sqlite_only
async def test_filters_narrow_the_queue_and_are_each_users_own(desk: Desk, register: Register) -> None:
    """Issue 15 item 12: the filters and sort were saved in the terminal's shared config file, so
    one user's choice became every user's default; now each user's view is theirs, on any terminal."""
    assigned = register(description="分给质量部")
    cases.decide_validity(desk, "ag", assigned.number, founded=True)
    cases.assign(desk, "ag", assigned.number, department="QA", handler="hq")
    waiting = register(description="还没分派")
    app = KesuDesk(desk, whoami(desk, "sup"), "en", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(numbers(app)) == 2
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterDialog)
        await pilot.press("space")  # the first status: registered
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert numbers(app) == [waiting.number]
        assert "registered" in status_line(app)
        await pilot.press("o")
        await settle(pilot)
        assert numbers(app) == []  # nothing is overdue yet
        await settle(pilot)
    assert not config_path().exists() or "queue_filters" not in config_path().read_text(encoding="utf-8")

    # Another supervisor starting on the same terminal (which reads its config again) sees the
    # terminal's default, not sup's choice.
    desk.settings = Settings(db=desk.settings.db)
    app = KesuDesk(desk, whoami(desk, "sup2"), "en", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(numbers(app)) == 2 and "overdue" not in status_line(app)

    # sup's next start, on any terminal (a fresh config), shows sup's own filters.
    desk.settings = Settings(db=desk.settings.db)
    app = KesuDesk(desk, whoami(desk, "sup"), "en", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "overdue" in status_line(app) and "registered" in status_line(app)
        await pilot.press("x")
        await settle(pilot)
        assert len(numbers(app)) == 2


@sqlite_only
async def test_a_handler_sees_the_cases_of_their_department_and_can_narrow_to_their_own(
    desk: Desk, register: Register
) -> None:
    mine = register(description="水壶漏水")
    cases.decide_validity(desk, "ag", mine.number, founded=True)
    cases.assign(desk, "ag", mine.number, department="QA", handler="hq")
    elsewhere = register(description="水壶快递太慢")
    cases.decide_validity(desk, "ag", elsewhere.number, founded=True)
    cases.assign(desk, "ag", elsewhere.number, department="LOG", handler="hl")
    register(description="水壶还没分派")
    # The services keep a signed-in handler to their department (the screen no longer filters).
    desk.sign_in(Identity(user=whoami(desk, "hq"), login="hq"))
    app = KesuDesk(desk, whoami(desk, "hq"), "en", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert numbers(app) == [mine.number]
        assert "my department" in status_line(app)
        await pilot.press("m")
        await settle(pilot)
        assert numbers(app) == [mine.number] and "my cases" in status_line(app)
        await pilot.press("m", "slash")
        await pilot.press("水")
        await asyncio.sleep(0.3)
        await settle(pilot)
        assert numbers(app) == [mine.number]  # the search keeps to the department too


@sqlite_only
async def test_an_agents_cases_are_those_they_registered_and_my_department_is_not_offered(
    desk: Desk, register: Register
) -> None:
    """Issue 15 item 13: "my cases" was empty for an agent who registered four cases today, and
    `d` (my department) was offered to users without one."""
    from kesu_desk.services import users

    users.add_user(desk, "ag2", "agent", None)
    mine = [register(description=f"水壶漏水 {i}") for i in range(2)]
    register("ag2", description="快递太慢")
    desk.sign_in(Identity(user=whoami(desk, "ag"), login="ag"))
    app = KesuDesk(desk, whoami(desk, "ag"), "en", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(numbers(app)) == 3
        await pilot.press("m")
        await settle(pilot)
        assert sorted(numbers(app)) == sorted(c.number for c in mine) and "my cases" in status_line(app)
        await pilot.press("m", "d")
        await settle(pilot)
        assert len(numbers(app)) == 3 and "my department" not in status_line(app)
        offered = {key for key, active in app.active_bindings.items() if active.enabled}  # footer, F1
        assert "m" in offered and "d" not in offered


@sqlite_only
async def test_search_as_you_type_finds_one_chinese_character_and_escape_returns(
    desk: Desk, register: Register
) -> None:
    leak = register(description="水壶漏水了")
    register(description="快递太慢")
    app = KesuDesk(desk, whoami(desk, "ag"), "zh", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("漏")
        await asyncio.sleep(0.3)
        await settle(pilot)
        assert numbers(app) == [leak.number]
        assert "搜索：漏" in status_line(app)
        await pilot.press("escape")
        await settle(pilot)
        assert len(numbers(app)) == 2
        assert not app.screen.query_one("#search", Input).display


@sqlite_only
async def test_another_terminals_case_appears_without_a_key_press(desk: Desk, register: Register) -> None:
    register(description="第一件")
    app = KesuDesk(desk, whoami(desk, "ag"), "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(numbers(app)) == 1
        later = register(description="另一个终端登记的")
        for _ in range(40):  # within 2 seconds
            await asyncio.sleep(0.05)
            await pilot.pause()
            if later.number in numbers(app):
                break
        assert numbers(app)[0] == later.number
        assert "2 cases" in status_line(app)


@sqlite_only
async def test_keys_are_remapped_from_the_config_and_every_action_is_in_the_palette(
    desk: Desk, people: dict[str, object]
) -> None:
    from kesu_desk.screens.intake import IntakeScreen

    desk.settings = desk.settings.model_copy(update={"keymap": {"queue.new": "f2"}})
    app = KesuDesk(desk, whoami(desk, "ag"), "en", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)  # n is no longer the key for a new case
        await pilot.press("f1")
        text = str(app.screen.query_one("#help Static", Static).render())
        assert any(line.startswith("f2") and "New case" in line for line in text.splitlines()), text
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        # The command palette offers the same action by its name.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"New case")
        await asyncio.sleep(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)


@sqlite_only
async def test_a_bug_is_logged_with_its_traceback_and_said_as_an_internal_error_naming_the_log(
    desk: Desk, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    from platformdirs import user_log_path

    from kesu_desk.services import queue

    register(description="第一件")
    log = user_log_path("kesu-desk") / "kesu-desk.log"
    app = KesuDesk(desk, whoami(desk, "ag"), "zh", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def broken_count(*args: object, **kwargs: object) -> int:
            return 1 // 0

        monkeypatch.setattr(queue, "queue_count", broken_count)
        await pilot.press("f5")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert [m for m in messages if "内部错误" in m and str(log) in m], messages
        assert not any("数据库" in m for m in messages), messages  # a bug is not a database error
        assert isinstance(app.screen, QueueScreen) and len(numbers(app)) == 1
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "in broken_count" in logged and "ZeroDivisionError" in logged


@sqlite_only
async def test_a_database_failure_is_a_notification_and_the_queue_stays(
    desk: Desk, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from kesu_desk.services import queue

    register(description="第一件")
    app = KesuDesk(desk, whoami(desk, "ag"), "zh", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def down(*args: object, **kwargs: object) -> int:
            raise OperationalError("SELECT", {}, Exception("database is locked"))

        monkeypatch.setattr(queue, "queue_count", down)
        await pilot.press("f5")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("数据库" in m and "database is locked" in m for m in messages), messages
        assert isinstance(app.screen, QueueScreen) and len(numbers(app)) == 1
