"""Kinds of contact, resolution at the first contact and walk-ins (issue 13; seeds 001 and 004),
on both engines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from casesteps import draft
from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.vocabulary import Remedy
from kesu_desk.i18n import describe
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.services.report import build_report
from kesu_desk.services.views import CaseView


def test_a_dish_replaced_at_the_table_is_registered_and_closed_in_one_step(
    desk: Desk, people: object
) -> None:
    walk_in = CaseDraft.parse({"channel": "shop", "customer_name": "12号桌客人",
                               "description": "炸酱面里有头发", "kind": "complaint"})
    view = cases.resolve_at_first_contact(desk, "ag", walk_in, resolution="当场道歉并重新上了一碗面",
                                          remedy=Remedy.EXCHANGE)
    assert (view.status, view.closure, view.first_contact) == ("closed", "first_contact", True)
    assert view.implementation == "当场道歉并重新上了一碗面" and view.remedy == "exchange"
    assert [e.action for e in view.timeline] == ["register", "close"]
    assert view.timeline[-1].comment == "当场道歉并重新上了一碗面"
    assert view.next_due_at is None  # nothing left to chase


def test_the_business_may_want_a_follow_up_call_even_then(desk: Desk, people: object) -> None:
    strict = Desk(desk.settings.model_copy(update={"first_contact_follow_up": True}), desk.engine)
    view = cases.resolve_at_first_contact(strict, "ag", draft(description="净水器不出水，电话指导后恢复"),
                                          resolution="按问答指南指导客户重启")
    assert (view.status, view.closure, view.first_contact) == ("follow_up", None, True)
    assert view.deadlines["follow_up"] is not None


def test_nothing_is_registered_without_saying_what_was_done(desk: Desk, people: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        cases.resolve_at_first_contact(desk, "ag", draft(), resolution="   ")
    assert describe(refused.value, "en") == "Please correct: What was done: required"
    assert build_report(desk, *_today(desk)).total == 0


def test_walk_ins_without_phone_or_email_are_each_their_own_customer(
    desk: Desk, people: object, register: Callable[..., CaseView]
) -> None:
    first = register(phone="", email="", channel="other", customer_name="")
    second = register(phone="", email="", channel="shop", customer_name="")
    assert first.customer.id != second.customer.id
    assert first.customer.phone is None and second.customer.email is None
    with pytest.raises(InvalidInput) as refused:  # on the phone, the number is still needed
        register(phone="", email="", channel="phone")
    assert "phone" in refused.value.params["errors"]


def test_inquiries_and_suggestions_are_counted_apart_with_the_first_contact_rate(
    desk: Desk, people: object, register: Callable[..., CaseView]
) -> None:
    register(description="滤芯多久换一次？", kind="inquiry")
    register(description="建议增加夜间配送", kind="suggestion", phone="13900139001")
    register(description="水壶漏水", phone="13900139002")
    cases.resolve_at_first_contact(desk, "ag", draft(description="价格是多少", kind="inquiry",
                                                     phone="13900139003"), resolution="告知价格")
    report = build_report(desk, *_today(desk))
    assert {c.code: c.n for c in report.by_kind} == {"inquiry": 2, "suggestion": 1, "complaint": 1}
    assert report.first_contact == 1 and report.closed == 1


def _today(desk: Desk) -> tuple[date, date]:
    today = desk.calendar.local_date(cases.utcnow())
    return today - timedelta(days=1), today + timedelta(days=1)
