"""When the customer disagrees with the approved remedy the case goes back to the department,
whose clock starts again from that moment (issue 13; seed 003's 3 working days for the
department), on both engines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from casesteps import to_approved
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow


def test_a_disagreement_gives_the_department_its_time_again(
    desk: Desk, people: object, register: Callable[..., CaseView], monkeypatch: pytest.MonkeyPatch
) -> None:
    view = to_approved(desk, register())
    first_due = view.deadlines["department"]
    assert first_due is not None
    later = utcnow() + timedelta(days=20)  # the customer is reached three weeks later
    monkeypatch.setattr("kesu_desk.services.cases.utcnow", lambda: later)
    back = cases.record_customer_answer(desk, "ag", view.number, agrees=False,
                                        comment="客户不同意", version=view.version)
    assert back.status == "investigating"  # a new proposal is due
    assert back.deadlines["department"] == desk.deadlines.department_due(later, back.severity)
    assert back.deadlines["department"] > later > first_due
    assert back.next_due_at == back.deadlines["department"]
