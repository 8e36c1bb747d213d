"""Canned replies filled from the case, and the rule that customer-visible text never tells the
outcome before the remedy is approved (DOMAIN.md step 7)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from casesteps import to_approved, to_assigned, to_proposed
from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.vocabulary import Remedy, Status, Visibility
from kesu_desk.i18n import describe
from kesu_desk.services import cases
from kesu_desk.services.canned import OUTCOME_PLACEHOLDERS, canned_replies
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]
LANGS = ("zh", "en", "es")


# -- the outcome guard ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We will refund you soon",
        "您的退款正在处理",
        "Le haremos un reembolso",
        "Recibirá 300 euros",
        "我们会给您300元",
        "we pay 300.00 back",
        "refunded",
    ],
)
def test_customer_visible_text_naming_the_pending_remedy_is_refused(
    desk: Desk, register: Register, text: str
) -> None:
    view = to_proposed(desk, register(), remedy="refund", amount="300")
    with pytest.raises(WorkflowError) as refused:
        cases.add_note(desk, "ag", view.number, text=text, visibility=Visibility.CUSTOMER)
    assert refused.value.code == "reveals_outcome"
    assert "must not tell the outcome" in describe(refused.value, "en")
    with pytest.raises(WorkflowError):
        cases.log_call(desk, "ag", view.number, summary=text)
    after = cases.get_case(desk, view.number)
    assert [e.action for e in after.timeline] == [e.action for e in view.timeline]  # nothing written


def test_what_does_not_tell_the_outcome_is_accepted(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy="refund", amount="300")
    for text in (
        f"Case {view.number}: we are looking into it, you will hear from us in 3 days",
        "The customer asked about 1300 units",
        "您好，我们正在处理，请耐心等待",
    ):
        cases.add_note(desk, "ag", view.number, text=text, visibility="customer")
    cases.log_call(desk, "ag", view.number, summary="Told her we are still looking into it")
    # Inside the company the proposal may be discussed freely.
    cases.add_note(desk, "ag", view.number, text="refund 300 proposed, waiting for sup")


def test_the_guard_holds_while_returned_and_lifts_once_approved(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy="exchange", amount=None)
    view = cases.return_proposal(desk, "sup", view.number, comment="too generous", version=view.version)
    assert view.status is Status.RETURNED
    with pytest.raises(WorkflowError, match="reveals_outcome"):
        cases.log_call(desk, "ag", view.number, summary="换货没问题")
    approved = to_approved(desk, register())
    cases.add_note(desk, "ag", approved.number, text="We will refund 300", visibility="customer")


def test_before_any_proposal_nothing_is_refused(desk: Desk, register: Register) -> None:
    view = to_assigned(desk, register())
    cases.add_note(desk, "ag", view.number, text="refund requested by the customer", visibility="customer")


# -- canned replies ----------------------------------------------------------------------------------


def test_replies_are_filled_from_the_case_in_the_users_language(desk: Desk, register: Register) -> None:
    view = register(customer_name="Ana {x}", product="K-200")
    due = desk.calendar.local_date(view.deadlines["answer"])  # type: ignore[arg-type]
    replies = {r.key: r for r in canned_replies(desk, view, "en")}
    received = replies["received"].text
    assert received.startswith("Dear Ana {x}, we have received your complaint about K-200")
    assert view.number in received and due.isoformat() in received
    assert "in_progress" not in replies  # no department yet
    assert "remedy_offer" not in replies  # nothing approved to tell

    zh = {r.key: r.text for r in canned_replies(desk, view, "zh")}
    assert f"{due.year}年{due.month}月{due.day}日" in zh["received"]
    es = {r.key: r.text for r in canned_replies(desk, view, "es")}
    assert f"{due.day:02}/{due.month:02}/{due.year}" in es["received"]

    assigned = to_assigned(desk, view)
    text = {r.key: r.text for r in canned_replies(desk, assigned, "zh")}["in_progress"]
    assert "质量管理部" in text


def test_the_approved_remedy_is_offered_only_once_approved(desk: Desk, register: Register) -> None:
    proposed = to_proposed(desk, register(), remedy="refund", amount="300")
    approved = cases.approve(desk, "sup", proposed.number, version=proposed.version)
    offer = {r.key: r.text for r in canned_replies(desk, approved, "en")}["remedy_offer"]
    assert "refund of ¥300.00" in offer
    assert approved.amount == Decimal("300")


@pytest.mark.parametrize("remedy", [r.value for r in Remedy])
def test_no_reply_offered_while_a_proposal_waits_tells_the_outcome(
    desk: Desk, register: Register, remedy: str
) -> None:
    amount = None if remedy in ("apology", "return", "exchange", "repair") else "300"
    view = to_proposed(desk, register(), remedy=remedy, amount=amount)
    for lang in LANGS:
        for reply in canned_replies(desk, view, lang):
            # Each offered reply can be sent to the customer as it stands.
            cases.add_note(desk, "ag", view.number, text=reply.text, visibility="customer")
            assert not OUTCOME_PLACEHOLDERS & set(reply.text.split())
