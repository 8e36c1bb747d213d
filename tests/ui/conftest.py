"""A desk with fixed data and a fixed clock, so screens look the same on every run (snapshots)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from casesteps import FIXED_NOW, PEOPLE, desk_settings, draft
from kesu_desk.services import cases, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView


class Clock:
    """The services' clock in these tests: each reading is a minute later than the last."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        self.at += timedelta(minutes=1)
        return self.at


@pytest.fixture
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)
    monkeypatch.setattr(TextArea, "cursor_blink", False, raising=False)


@pytest.fixture
def fixed_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_cursor_blink: None) -> Iterator[tuple[Desk, dict[str, CaseView]]]:
    """A SQLite desk holding a handful of cases in known states, written at known moments."""
    clock = Clock(FIXED_NOW - timedelta(days=3))
    for module in ("kesu_desk.services.cases", "kesu_desk.services.suggestions", "kesu_desk.services.canned"):
        monkeypatch.setattr(f"{module}.utcnow", clock, raising=False)
    desk = Desk.open(desk_settings(f"sqlite:///{tmp_path / 'fixed.db'}"))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    made: dict[str, CaseView] = {}

    def register(key: str, **fields: object) -> CaseView:
        made[key] = cases.register_case(desk, "ag", draft(**fields))
        return made[key]

    register("kettle", description="电水壶底座漏水，插电时冒烟", product="电水壶 K-200",
             customer_name="王小明", phone="13800138000")
    late = register("late", description="快递一个星期还没到，客服电话打不通", customer_name="李雷",
                    phone="13900139000", product="空调 A-1")
    cases.decide_validity(desk, "ag", late.number, founded=True)
    made["late"] = cases.assign(desk, "ag", late.number, department="LOG", handler="hl")
    markup = register("markup", description="[b]not bold[/b] [@click=app.quit]x[/] \x1b[31mred",
                      customer_name="Ana [red]Pérez", phone="13700137000", urgent=True)
    made["markup"] = markup
    clock.at = FIXED_NOW - timedelta(hours=2)
    register("fresh", description="The kettle leaks from the bottom", customer_name="John Smith",
             phone="13600136000", product="Kettle K-200")
    clock.at = FIXED_NOW
    yield desk, made
    desk.close()
