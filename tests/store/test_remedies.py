"""Issue 13, remedies: a recall (召回) is a remedy of the desk like the others — proposed,
approved, named in every language, and not told to the customer before it is approved. Several
remedies in one proposal (an exchange and a compensation), the price of what the complaint is
about, and the restaurant's compensation of 2–5× the price (seed 004): outside that range the
proposer gives a reason and only a manager approves."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from casesteps import to_investigating, to_proposed
from kesu_desk.config import LANGUAGES
from kesu_desk.domain.errors import DeskError, WorkflowError
from kesu_desk.domain.remedies import RemedyProblem
from kesu_desk.domain.vocabulary import Remedy, Status, Visibility
from kesu_desk.i18n import describe, t
from kesu_desk.services import cases, products
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]


def test_a_recall_is_named_in_every_language() -> None:
    names = {lang: t("remedy.recall", lang) for lang in LANGUAGES}
    assert names["zh"] == "召回"
    assert all(name != "remedy.recall" for name in names.values())


def test_a_recall_is_proposed_and_approved_without_an_amount(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy=Remedy.RECALL.value, amount=None)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    assert view.status is Status.APPROVED
    assert view.remedy == Remedy.RECALL


def test_a_pending_recall_is_not_told_to_the_customer(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy=Remedy.RECALL.value, amount=None)
    with pytest.raises(WorkflowError) as error:
        cases.add_note(desk, "ag", view.number, text="该批次将召回", visibility=Visibility.CUSTOMER)
    assert error.value.code == "reveals_outcome"


# -- several remedies in one proposal, the price, the compensation range ------------------------

EXCHANGE_AND_COMPENSATION = [("exchange", None), ("compensation", Decimal("600")), ("refund", Decimal("500"))]


def _propose(desk: Desk, view: CaseView, remedies: list[tuple[str, Decimal | None]], **more: object) -> CaseView:
    view = to_investigating(desk, view)
    return cases.propose(desk, "hq", view.number, remedies=remedies, version=view.version, **more)  # type: ignore[arg-type]


def test_an_exchange_and_a_compensation_are_approved_together_the_sum_deciding(
    desk: Desk, register: Register
) -> None:
    # 600 and 500 are each within the threshold (1000); their sum is not: two approvals.
    view = _propose(desk, register(), EXCHANGE_AND_COMPENSATION)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    assert view.status is Status.PROPOSED  # the first of two
    view = cases.approve(desk, "mgr", view.number, version=view.version)
    assert view.status is Status.APPROVED
    assert view.remedy == Remedy.EXCHANGE and view.amount == Decimal("1100")
    assert view.remedies == (("exchange", None), ("compensation", Decimal("600")), ("refund", Decimal("500")))
    proposed = next(e for e in view.timeline if e.action == "propose")
    assert [r["remedy"] for r in proposed.details["remedies"]] == ["exchange", "compensation", "refund"]


def test_the_outcome_guard_sees_every_remedy_and_amount_of_the_pending_proposal(
    desk: Desk, register: Register
) -> None:
    view = _propose(desk, register(), [("exchange", None), ("compensation", Decimal("300")),
                                       ("refund", Decimal("50"))])
    # the second remedy by name, the third's amount, the sum
    for text in ("我们会给您赔偿", "we refund you 50.00", "in all 350"):
        with pytest.raises(WorkflowError) as error:
            cases.add_note(desk, "ag", view.number, text=text, visibility=Visibility.CUSTOMER)
        assert error.value.code == "reveals_outcome"


def test_remedies_that_cannot_go_together_are_refused(desk: Desk, register: Register) -> None:
    view = to_investigating(desk, register())
    for remedies, code in (
        ([("refund", Decimal("10")), ("refund", Decimal("5"))], "twice"),
        ([("apology", None), ("exchange", None)], "apology_alone"),
        ([("exchange", None), ("discount", Decimal("1")), ("refund", Decimal("1")), ("repair", None)], "too_many"),
        ([("exchange", None), ("compensation", None)], "amount_required"),
    ):
        with pytest.raises(DeskError) as error:
            cases.propose(desk, "hq", view.number, remedies=remedies, version=view.version)  # type: ignore[arg-type]
        assert error.value.code == code
        assert all(describe(error.value, lang) != f"remedies.{code}" for lang in LANGUAGES)
    assert cases.get_case(desk, view.number).status is Status.INVESTIGATING  # nothing written


def test_a_compensation_outside_two_to_five_times_the_price_needs_a_reason_and_a_manager(
    desk: Desk, register: Register
) -> None:
    view = to_investigating(desk, register(price="100"))
    assert view.price == Decimal("100")
    with pytest.raises(RemedyProblem) as error:
        cases.propose(desk, "hq", view.number, remedies=[("compensation", Decimal("800"))], version=view.version)
    assert error.value.code == "reason_required"
    assert "200.00" in describe(error.value, "zh") and "500.00" in describe(error.value, "es")
    assert cases.get_case(desk, view.number).status is Status.INVESTIGATING  # nothing written

    view = cases.propose(desk, "hq", view.number, remedies=[("exchange", None), ("compensation", Decimal("800"))],
                         reason="顾客食物中毒住院", version=view.version)
    with pytest.raises(RemedyProblem) as error:
        cases.approve(desk, "sup", view.number, version=view.version)
    assert error.value.code == "outside_needs_manager"
    assert "manager" in describe(error.value, "en")
    view = cases.approve(desk, "mgr", view.number, version=view.version)
    assert view.status is Status.APPROVED
    assert any("顾客食物中毒住院" in str(e.details.get("range_reason")) for e in view.timeline)


def test_a_store_manager_may_not_approve_a_compensation_outside_the_range(
    desk: Desk, register: Register
) -> None:
    from kesu_desk.domain.vocabulary import Role
    from kesu_desk.services import stores, users

    stores.add_store(desk, "R01", "Restaurante", limit="5000")
    users.add_user(desk, "chef", Role.STORE_MANAGER, store="R01")
    view = _propose(desk, register(store="R01", price="40"), [("compensation", Decimal("400"))],
                    reason="media exposure")
    with pytest.raises(RemedyProblem) as error:
        cases.approve(desk, "chef", view.number, version=view.version)
    assert error.value.code == "outside_needs_manager"
    # Within the range the store manager coordinates it (the restaurant's rule).
    inside = _propose(desk, register(store="R01", price="40", phone="13800138009"),
                      [("compensation", Decimal("120"))])
    assert cases.approve(desk, "chef", inside.number, version=inside.version).status is Status.APPROVED


def test_within_the_range_or_without_a_price_a_supervisor_approves(desk: Desk, register: Register) -> None:
    within = _propose(desk, register(price="100"), [("compensation", Decimal("300"))])
    assert cases.approve(desk, "sup", within.number, version=within.version).status is Status.APPROVED
    unknown = _propose(desk, register(phone="13800138001"), [("compensation", Decimal("900"))])
    assert unknown.price is None
    assert cases.approve(desk, "sup", unknown.number, version=unknown.version).status is Status.APPROVED


def test_the_price_comes_from_the_product_and_can_be_changed(
    desk: Desk, register: Register, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    path.write_text("code,name,retail_price\nD-01,宫保鸡丁,38.00\n", encoding="utf-8")
    products.import_products(desk, path)
    view = register(product="宫保鸡丁", product_code="D-01")
    assert view.price == Decimal("38.00")
    view = to_investigating(desk, view)
    # The proposer may set the price with the proposal: 2–5× 50 takes 150 without a reason.
    view = cases.propose(desk, "hq", view.number, remedies=[("compensation", Decimal("150"))],
                         price=Decimal("50"), version=view.version)
    assert view.price == Decimal("50")
    changed = cases.set_price(desk, "ag", view.number, price=Decimal("45.50"), version=view.version)
    assert changed.price == Decimal("45.50")
    assert changed.timeline[-1].action == "price"


def test_the_record_the_letter_and_the_review_show_every_remedy(desk: Desk, register: Register) -> None:
    from datetime import timedelta

    from kesu_desk.domain.access import Identity
    from kesu_desk.present.letter import render_letter
    from kesu_desk.present.record import record_form, render_form_markdown
    from kesu_desk.services import users
    from kesu_desk.services.letter import issue_letter
    from kesu_desk.services.record_form import load_record
    from kesu_desk.services.report import build_report

    view = _propose(desk, register(price="100"), [("exchange", None), ("compensation", Decimal("300"))])
    view = cases.approve(desk, "sup", view.number, version=view.version)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)
    cases.implement(desk, "hq", view.number, implementation="换新并赔偿", accountability="厨房", version=view.version)

    desk.sign_in(Identity(user=users.whoami(desk, "sup"), login="sup"))
    letter = render_letter(issue_letter(desk, "sup", view.number), desk.calendar.tz)
    assert f"- {t('remedy.exchange', 'zh')}\n- {t('remedy.compensation', 'zh')} ¥300.00" in letter  # the customer speaks zh
    record = render_form_markdown(record_form(load_record(desk, view.number), "en", desk.calendar.tz))
    assert "exchange + compensation 300.00" in record
    today = desk.calendar.local_date(cases.utcnow())
    report = build_report(desk, today - timedelta(days=1), today + timedelta(days=1))
    given = {r.remedy: (r.n, r.cost) for r in report.remedies}
    assert given == {"exchange": (1, Decimal("0")), "compensation": (1, Decimal("300"))}


def test_a_compensation_outside_the_range_waits_for_a_manager_not_a_supervisor(
    desk: Desk, register: Register
) -> None:
    from kesu_desk.services import approvals

    _propose(desk, register(price="100"), [("exchange", None), ("compensation", Decimal("800"))],
             reason="hospital stay")
    assert approvals.waiting_count(desk, "sup") == 0  # nothing a supervisor could approve
    assert [i.number for i in approvals.approval_inbox(desk, "sup")] == []
    assert approvals.waiting_count(desk, "mgr") == 1
    item = approvals.approval_inbox(desk, "mgr")[0]
    assert item.approvable and item.range_reason == "hospital stay"
    assert item.remedies == (("exchange", None), ("compensation", Decimal("800")))
    assert item.suggested_range is not None and (item.suggested_range.low, item.suggested_range.high) == (
        Decimal("200"), Decimal("500"))
