"""The access policy (domain/access.py): who sees which cases and may ask for what."""

from __future__ import annotations

import pytest

from kesu_desk.domain.access import EVERYTHING, Use, case_scope, check_case, may, require
from kesu_desk.domain.errors import AccessDenied
from kesu_desk.domain.vocabulary import Role
from kesu_desk.domain.workflow import Actor
from kesu_desk.i18n import describe

AGENT = Actor(1, "zhang", Role.AGENT)
QA = Actor(2, "qa.li", Role.HANDLER, "QA")
SUPERVISOR = Actor(3, "wang", Role.SUPERVISOR)
ADMIN = Actor(4, "root", Role.ADMIN)
HOMELESS = Actor(5, "lost", Role.HANDLER, None)


@pytest.mark.parametrize("actor", [AGENT, SUPERVISOR, ADMIN, None])
def test_everyone_but_handlers_sees_every_case(actor: Actor | None) -> None:
    assert case_scope(actor) == EVERYTHING
    check_case(actor, "FIN", "KS-20261201-0001")
    check_case(actor, None, "KS-20261201-0001")


def test_a_handler_sees_their_department_only() -> None:
    scope = case_scope(QA)
    assert scope.sees("QA") and not scope.sees("FIN") and not scope.sees(None)
    with pytest.raises(AccessDenied) as refused:
        check_case(QA, "FIN", "KS-20261201-0001")
    assert describe(refused.value, "en") == (
        "Case KS-20261201-0001 belongs to another department: qa.li cannot see it.")
    assert "KS-20261201-0001" in describe(refused.value, "zh")


def test_a_handler_without_a_department_sees_nothing() -> None:
    assert not case_scope(HOMELESS).sees("QA") and not case_scope(HOMELESS).sees(None)


def test_bulk_reads_and_management_by_role() -> None:
    assert may(SUPERVISOR, Use.EXPORT) and not may(AGENT, Use.EXPORT) and not may(QA, Use.EXPORT)
    assert may(QA, Use.REPORT) and not may(AGENT, Use.REPORT)
    assert may(ADMIN, Use.AUDIT) and not may(SUPERVISOR, Use.AUDIT)
    assert may(ADMIN, Use.ACT_AS) and not may(SUPERVISOR, Use.ACT_AS)
    with pytest.raises(AccessDenied) as refused:
        require(AGENT, Use.EXPORT)
    assert describe(refused.value, "en") == "zhang (agent) may not export cases."
    assert describe(refused.value, "es").startswith("zhang (")
