"""The deadlines can depend on the kind of contact as well as on the severity (issue 13):
[deadlines.kinds.<kind>] in the config; a critical case keeps the shorter deadline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kesu_desk.config import InvalidSettings, Settings, load_settings
from kesu_desk.domain.vocabulary import Severity
from kesu_desk.sla import Calendar, DeadlinePolicy

KINDS = {"inquiry": {"answer_working_days": 2}, "suggestion": {"department_working_days": 10}}


def policy(**deadlines: object) -> DeadlinePolicy:
    return DeadlinePolicy(Calendar("CN"), Settings(deadlines=deadlines).deadlines)


def test_each_kind_keeps_its_own_deadline_and_the_others_the_general_one() -> None:
    p = policy(kinds=KINDS)
    assert p.answer_working_days(Severity.NORMAL, "inquiry") == 2
    assert p.answer_working_days(Severity.NORMAL, "complaint") == 5
    assert p.department_working_days(Severity.NORMAL, "inquiry") == 3
    assert p.department_working_days(Severity.NORMAL, "suggestion") == 10
    assert p.department_working_days(Severity.CRITICAL, "suggestion") == 1  # the shorter holds
    # Friday 4 December 2026, 10:00 in Shanghai: two working days is Tuesday the 8th.
    friday = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert p.on_register(friday, Severity.NORMAL, "inquiry").answer == datetime(2026, 12, 8, 2, 0, tzinfo=UTC)


def test_a_kind_the_desk_does_not_know_is_refused_naming_the_kinds(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    config = Path(str(tmp_path)) / "config.toml"
    config.write_text("[deadlines.kinds.question]\nanswer_working_days = 2\n", encoding="utf-8")
    monkeypatch.setenv("KESU_DESK_CONFIG", str(config))
    with pytest.raises(InvalidSettings) as refused:
        load_settings()
    [problem] = refused.value.problems
    assert problem.name.startswith("deadlines.kinds")
    assert problem.params.get("choices") == "complaint, inquiry, suggestion"
