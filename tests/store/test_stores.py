"""Issue 13, stores: a chain's stores and their store managers, on SQLite and PostgreSQL — the
stores an admin keeps, what a store manager sees (their store's cases only), what they may
approve (their store's proposals up to its limit, never their own), and the period review of
one store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from casesteps import signed_in, to_proposed
from kesu_desk.domain import workflow
from kesu_desk.domain.errors import AccessDenied, DeskError, StoreProblem, WorkflowError
from kesu_desk.domain.vocabulary import Action, Role, Status
from kesu_desk.i18n import catalogue, describe
from kesu_desk.services import cases, stores, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.report import build_report
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow

Register = Callable[..., CaseView]




@pytest.fixture
def chain(desk: Desk, people: Any) -> None:
    """Two stores, a store manager each: Madrid approves up to 150, Sevilla up to 50."""
    stores.add_store(desk, "m01", "Madrid Centro", region="Madrid", limit="150")
    stores.add_store(desk, "S02", "Sevilla Triana", limit="50")
    users.add_user(desk, "ana", Role.STORE_MANAGER, store="M01")
    users.add_user(desk, "luis", Role.STORE_MANAGER, store="S02")


def test_an_admin_keeps_the_stores(desk: Desk, chain: None) -> None:
    listed = {s.code: s for s in stores.list_stores(desk)}
    assert set(listed) == {"M01", "S02"}  # codes are kept in capitals
    assert listed["M01"].approval_limit == Decimal("150") and listed["M01"].region == "Madrid"
    renamed = stores.rename_store(desk, "M01", "Madrid Sol", limit="200")
    assert (renamed.name, renamed.approval_limit) == ("Madrid Sol", Decimal("200"))
    assert stores.retire_store(desk, "S02").retired
    assert {s.code: s.retired for s in stores.list_stores(desk)} == {"M01": False, "S02": True}


WRONG: list[tuple[Callable[[Desk], Any], str]] = [
    (lambda d: stores.add_store(d, "M01", "Otra"), "store_exists"),
    (lambda d: stores.add_store(d, "M 01", "Otra"), "bad_code"),
    (lambda d: stores.add_store(d, "X9", "  "), "bad_name"),
    (lambda d: stores.rename_store(d, "NOPE", "Otra"), "unknown_store"),
    (lambda d: users.add_user(d, "eva", Role.STORE_MANAGER), "store_manager_needs_store"),
    (lambda d: users.add_user(d, "eva", Role.AGENT, store="M01"), "store_only_for_manager"),
    (lambda d: users.add_user(d, "eva", Role.STORE_MANAGER, store="ZZ"), "unknown_store"),
]


def test_a_wrong_store_is_refused_in_one_line_and_nothing_is_written(desk: Desk, chain: None) -> None:
    before = (stores.list_stores(desk), users.list_users(desk))
    for call, code in WRONG:
        with pytest.raises(StoreProblem) as info:
            call(desk)
        assert info.value.code == code
        for lang in ("zh", "en", "es"):
            assert "\n" not in describe(info.value, lang) and "{" not in describe(info.value, lang)
    assert (stores.list_stores(desk), users.list_users(desk)) == before


def test_a_retired_store_takes_no_new_cases_nor_managers(desk: Desk, chain: None, register: Register) -> None:
    stores.retire_store(desk, "S02")
    with pytest.raises(StoreProblem, match="store_retired"):
        register(store="S02")
    with pytest.raises(StoreProblem, match="store_retired"):
        users.add_user(desk, "eva", Role.STORE_MANAGER, store="S02")


def test_a_store_manager_registers_for_their_store_and_sees_only_its_cases(
    desk: Desk, chain: None, register: Register
) -> None:
    own = cases.register_case(desk, "ana", _draft())  # at the counter: their store by default
    other = register(store="S02")
    assert own.store == "M01" and other.store == "S02"
    with pytest.raises(WorkflowError) as info:
        cases.register_case(desk, "ana", _draft(store="S02"))
    assert info.value.code == "not_your_store"
    with signed_in(desk, "ana"):
        assert cases.get_case(desk, own.number).number == own.number
        with pytest.raises(AccessDenied) as denied:
            cases.get_case(desk, other.number)
        assert denied.value.code == "case_not_in_store"
    # … and does what an agent does for it: decides validity.
    decided = cases.decide_validity(desk, "ana", own.number, founded=True, version=own.version)
    assert decided.validity == "founded"


def _draft(**fields: Any) -> Any:
    from casesteps import draft

    return draft(**fields)


def test_the_store_manager_approves_within_the_stores_limit_only(
    desk: Desk, chain: None, register: Register
) -> None:
    within = to_proposed(desk, register(store="M01"), remedy="refund", amount="150")
    above = to_proposed(desk, register(store="M01", phone="13800138001"), remedy="compensation", amount="150.01")
    elsewhere = to_proposed(desk, register(store="S02", phone="13800138002"), remedy="refund", amount="20")

    with pytest.raises(WorkflowError) as info:
        cases.approve(desk, "ana", above.number, version=above.version)
    assert info.value.code == "above_store_limit"
    assert "150.00" in describe(info.value, "es")
    with pytest.raises(WorkflowError) as info:
        cases.approve(desk, "ana", elsewhere.number, version=elsewhere.version)
    assert info.value.code == "not_your_store"
    assert cases.get_case(desk, above.number).status is Status.PROPOSED  # nothing written

    approved = cases.approve(desk, "ana", within.number, version=within.version)
    assert approved.status is Status.APPROVED
    # Above the limit it goes the normal way: a supervisor approves it.
    assert cases.approve(desk, "sup", above.number, version=above.version).status is Status.APPROVED


def test_four_eyes_holds_for_a_store_manager() -> None:
    ana = workflow.Actor(7, "ana", Role.STORE_MANAGER, store="M01")
    facts = workflow.CaseFacts(Status.PROPOSED, store="M01")
    with pytest.raises(WorkflowError, match="own_proposal"):
        workflow.transition(Action.APPROVE, facts, ana, proposer_id=7, amount=Decimal("10"),
                            threshold=Decimal("1000"), store_limit=Decimal("150"))
    with pytest.raises(WorkflowError, match="already_approved"):
        workflow.transition(Action.APPROVE, facts, ana, proposer_id=3, amount=Decimal("10"),
                            threshold=Decimal("1000"), store_limit=Decimal("150"), prior_approvals=[ana])


def test_the_period_review_of_one_store(desk: Desk, chain: None, register: Register) -> None:
    register(store="M01")
    register(store="M01", phone="13800138001")
    register(store="S02", phone="13800138002")
    register(phone="13800138003")  # no store: by phone
    today = utcnow().date()
    days = (today - timedelta(days=1), today + timedelta(days=1))
    assert build_report(desk, *days).total == 4
    assert build_report(desk, *days, store="m01").total == 2
    with signed_in(desk, "luis"):
        assert build_report(desk, *days).total == 1  # a store manager's is their store's
        with pytest.raises(StoreProblem, match="store_not_yours"):
            build_report(desk, *days, store="M01")
    with pytest.raises(StoreProblem, match="unknown_store"):
        build_report(desk, *days, store="NOPE")


@pytest.mark.parametrize("lang", ["zh", "en", "es"])
def test_every_store_problem_has_a_message(lang: str) -> None:
    import re
    from pathlib import Path

    src = Path(stores.__file__).parents[1]
    codes = {c for p in src.rglob("*.py") for c in re.findall(r'StoreProblem\(\s*"([a-z_]+)"', p.read_text("utf-8"))}
    codes |= {"store_manager_needs_store", "store_only_for_manager"}
    assert codes and all(f"stores.{c}" in catalogue(lang) for c in codes)
    assert isinstance(StoreProblem("x"), DeskError)


def test_the_inbox_lists_and_counts_the_same_proposals_for_a_store_manager(
    desk: Desk, chain: None, register: Register
) -> None:
    """Issue 15 item 14: the header's badge and the inbox's own count are one number; a
    proposal above the store's limit waits for a supervisor, not for the store manager."""
    from kesu_desk.services.approvals import approval_inbox, waiting_count, waiting_in

    within = to_proposed(desk, register(store="M01"), remedy="refund", amount="150")
    to_proposed(desk, register(store="M01", phone="13800138001"), remedy="compensation", amount="150.01")
    to_proposed(desk, register(store="S02", phone="13800138002"), remedy="refund", amount="20")
    to_proposed(desk, register(phone="13800138003"), remedy="refund", amount="20")  # no store
    with signed_in(desk, "ana"):
        inbox = approval_inbox(desk, "ana")
        assert [i.number for i in inbox] == [within.number]
        assert waiting_in(inbox) == waiting_count(desk, "ana") == 1
    with signed_in(desk, "luis"):
        inbox = approval_inbox(desk, "luis")
        assert waiting_in(inbox) == waiting_count(desk, "luis") == 1
