"""Several terminals registering at once on one SQLite file: every complaint gets its own number."""

from __future__ import annotations

import re
import traceback
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from casesteps import terminals_at_once
from kesu_desk.config import Settings
from kesu_desk.services import cases, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.store.models import Case, CaseEvent

TERMINALS = 8
CASES_EACH = 200
START_TIMEOUT_S = 60
RESULT_TIMEOUT_S = 120


def terminal(url: str, agent: str, start: Any, results: Any) -> None:
    """One agent's terminal: its own Desk (engine), registering as fast as it can."""
    numbers: list[str] = []
    try:
        desk = Desk(Settings(db=url))
        draft = CaseDraft.parse({"phone": "13800138000", "description": f"{agent} 登记的投诉"})
        start.wait(START_TIMEOUT_S)
        for _ in range(CASES_EACH):
            numbers.append(cases.register_case(desk, agent, draft).number)
        desk.close()
        results.put((agent, numbers, None))
    except BaseException:
        results.put((agent, numbers, traceback.format_exc()))


def test_terminals_registering_together_never_share_a_number(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    desk = Desk.open(Settings(db=url))
    agents = [f"agent{i}" for i in range(TERMINALS)]
    for name in agents:
        users.add_user(desk, name, "agent")

    outcomes = terminals_at_once(terminal, url, agents, RESULT_TIMEOUT_S)

    errors = {agent: error for agent, _, error in outcomes if error}
    assert not errors, errors
    numbers = [n for _, got, _ in outcomes for n in got]
    assert len(numbers) == TERMINALS * CASES_EACH
    assert len(set(numbers)) == len(numbers)

    # Per local day the counter hands out 0001, 0002, … without gaps.
    by_day: dict[str, list[int]] = defaultdict(list)
    for number in numbers:
        match = re.fullmatch(r"KS-(\d{8})-(\d{4})", number)
        assert match, number
        by_day[match.group(1)].append(int(match.group(2)))
    for seq in by_day.values():
        assert sorted(seq) == list(range(1, len(seq) + 1))

    with desk.uow(write=False) as uow:
        stored = uow.session.execute(select(Case.number)).scalars().all()
        events = uow.session.execute(select(func.count()).select_from(CaseEvent)).scalar_one()
    assert sorted(stored) == sorted(numbers)
    assert events == TERMINALS * CASES_EACH  # one registration event each, none lost
    desk.close()
