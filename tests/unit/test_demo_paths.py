"""The demo's paths go where the workflow leads them; one it would refuse is never written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from kesu_desk.config import Settings
from kesu_desk.demo import generate, paths
from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.vocabulary import Action, Status
from kesu_desk.services.desk import Desk


def test_every_step_goes_where_the_workflow_leads() -> None:
    profiles = paths.profiles()
    assert {p.status for p in profiles} == set(Status)
    for profile in profiles:
        steps = [step for step, _ in profile.steps]
        assert steps[0].action is Action.REGISTER and steps[0].to is Status.REGISTERED
        assert steps[-1].to.value == profile.name or profile.name not in set(Status)


def test_a_path_the_workflow_refuses_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Approved without a proposal: no such case can exist, so the demo must not make one.
    monkeypatch.setitem(paths.PATHS, "approved", ("assign", "cause", "approve"))
    desk = Desk.open(Settings(db=f"sqlite:///{tmp_path / 'demo.db'}"))
    try:
        with pytest.raises(WorkflowError) as refused:
            generate(desk, 50, login="tester")
        assert refused.value.code == "wrong_state"
        with desk.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 0
    finally:
        desk.close()


def test_outcomes_drawn_for_one_path_lead_to_one_status(monkeypatch: pytest.MonkeyPatch) -> None:
    # A follow-up score of 3 reopens the case, 4 closes it: one path cannot draw from both.
    call = paths.PIECES["satisfied"][0]
    monkeypatch.setitem(paths.PIECES, "satisfied", [paths._move(call.action, call.actor, call.gap, score=(3, 4))])
    with pytest.raises(ValueError, match="follow_up leads to"):
        paths.profiles()
