"""An admin acting as someone else (kesu-desk --user, issue 12): the timeline names the admin,
and the four-eyes rule counts the person, not the name, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from casesteps import to_investigating
from kesu_desk.domain.access import Identity
from kesu_desk.domain.errors import WorkflowError
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import UserView, whoami
from kesu_desk.services.views import CaseView


def acting(desk: Desk, admin: str, user: str) -> None:
    desk.sign_in(Identity(user=whoami(desk, user), login=admin, admin=whoami(desk, admin)))


def test_the_timeline_names_the_admin_behind_an_event(
    desk: Desk, people: dict[str, UserView], register: Callable[..., CaseView],
) -> None:
    view = register()
    acting(desk, "adm", "ag")
    cases.add_note(desk, "ag", view.number, text="代坐席补记")
    desk.identity = None
    cases.add_note(desk, "ag", view.number, text="坐席本人")
    events = cases.get_case(desk, view.number).timeline
    assert [(e.actor, e.admin) for e in events[-2:]] == [("ag", "adm"), ("ag", None)]
    assert events[0].admin is None  # registered by ag in person


@pytest.mark.parametrize("approver", ["sup", "adm"])
def test_an_admin_never_approves_what_they_proposed_under_another_name(
    desk: Desk, people: dict[str, UserView], register: Callable[..., CaseView], approver: str,
) -> None:
    view = to_investigating(desk, register())
    acting(desk, "adm", "hq")
    view = cases.propose(desk, "hq", view.number, remedy="refund", amount=Decimal("300"), version=view.version)
    if approver == "adm":
        desk.sign_in(Identity(user=whoami(desk, "adm"), login="adm"))
    else:
        acting(desk, "adm", approver)
    with pytest.raises(WorkflowError) as refused:
        cases.approve(desk, approver, view.number, version=view.version)
    assert refused.value.code == "own_proposal"
    desk.sign_in(Identity(user=whoami(desk, "sup"), login="sup"))  # somebody else in person
    assert cases.approve(desk, "sup", view.number, version=view.version).status == "approved"


def test_an_admin_never_gives_both_approvals_of_a_large_amount(
    desk: Desk, people: dict[str, UserView], register: Callable[..., CaseView],
) -> None:
    view = to_investigating(desk, register())
    view = cases.propose(desk, "hq", view.number, remedy="compensation", amount=Decimal("5000"),
                         version=view.version)
    acting(desk, "adm", "sup")
    view = cases.approve(desk, "sup", view.number, version=view.version)
    acting(desk, "adm", "mgr")
    with pytest.raises(WorkflowError) as refused:
        cases.approve(desk, "mgr", view.number, version=view.version)
    assert refused.value.code == "already_approved"
    desk.sign_in(Identity(user=whoami(desk, "mgr"), login="mgr"))
    assert cases.approve(desk, "mgr", view.number, version=view.version).status == "approved"
