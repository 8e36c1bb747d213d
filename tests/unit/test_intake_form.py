"""The intake form's state and rules without a terminal (services/intake_form.py): what is
filled, what the lookup fills in, the suggestion against what the agent chose, what can be
registered, the draft kept on disk."""

from __future__ import annotations

from typing import Any

from kesu_desk.domain.vocabulary import Kind, Remedy, Severity
from kesu_desk.rules import Suggestion
from kesu_desk.services.intake import CustomerHistory
from kesu_desk.services.intake_form import FIELDS, IntakeForm, SuggestKey, category_code
from kesu_desk.services.views import CustomerView

PHONE = "13800138000"


def typed(**values: Any) -> IntakeForm:
    form = IntakeForm("CN")
    for field, value in values.items():
        form.change(field, value)
    return form


def found(name: str = "李雷", customer_class: str = "a_dealer") -> CustomerHistory:
    return CustomerHistory(CustomerView(1, name, "+86" + PHONE, None, customer_class), cases=[], more=False)


def answer(form: IntakeForm, history: CustomerHistory | None) -> dict[str, Any] | None:
    """Look the caller up and get the answer back at once; what the lookup fills in goes into
    the fields, as the screen puts it there."""
    number, _, _ = form.lookup()
    fill = form.looked_up(number, history)
    for field, value in (fill or {}).items():
        form.change(field, value)
    return fill


def suggestion(**values: Any) -> Suggestion:
    return Suggestion(**{"department": "LOG", "category": "物流延误", "severity": Severity.SERIOUS,
                         "remedies": [Remedy.APOLOGY], **values})


def suggested(form: IntakeForm, s: Suggestion) -> None:
    question = form.suggest()
    assert question is not None
    assert form.suggested(*question, s)


# -- what is filled -----------------------------------------------------------------------------


def test_a_new_form_is_empty_and_keeps_no_draft() -> None:
    form = IntakeForm("CN")
    assert form.is_empty()
    assert set(FIELDS) <= set(form.document())
    assert form.document()["accepted"] is None


def test_each_change_is_counted_so_an_older_draft_never_overwrites_a_newer() -> None:
    form = typed(phone=PHONE)
    first = form.generation
    form.change("description", "漏水")
    assert form.generation > first
    assert not form.is_empty()
    assert form.document()["description"] == "漏水"


def test_a_draft_is_restored_leaving_out_values_of_the_wrong_kind() -> None:
    form = IntakeForm.restored({"phone": PHONE, "urgent": "yes", "severity": 3, "caller_mood": None,
                                "accepted": "not a dict", "description": "漏水"}, "CN")
    assert form.fields["phone"] == PHONE and form.fields["description"] == "漏水"
    assert form.fields["urgent"] is False and form.fields["severity"] == "normal"
    assert form.accepted is None
    kept = IntakeForm.restored({"description": "漏水", "accepted": {"department": "LOG"}}, "CN")
    assert kept.accepted == {"department": "LOG"}


# -- validity -----------------------------------------------------------------------------------


def test_leaving_a_field_tells_a_wrong_format_but_not_what_is_missing() -> None:
    form = typed(phone="123")
    assert form.check({"phone", "description"}, format_only=True) == {"phone": "bad_phone", "description": None}
    assert form.check({"description"}, format_only=False) == {"description": "description_missing"}


def test_registration_needs_a_contact_and_a_description() -> None:
    registration, errors = IntakeForm("CN").registration()
    assert registration is None
    assert errors == {"phone": "contact_missing", "description": "description_missing"}
    registration, errors = typed(phone=PHONE, description="壶漏水").registration()
    assert errors == {}
    assert registration is not None and registration.draft.phone == "+86" + PHONE


def test_a_contact_is_complete_only_when_it_is_a_whole_number_or_address() -> None:
    form = IntakeForm("CN")
    assert not form.contact_complete("1380013", "")
    assert form.contact_complete(PHONE, "")
    assert form.contact_complete("", "li@example.com")
    assert not form.contact_complete("", "")


# -- the customer lookup ------------------------------------------------------------------------


def test_the_customer_found_fills_an_empty_name_and_the_usual_class() -> None:
    form = typed(phone=PHONE)
    assert answer(form, found()) == {"customer_name": "李雷", "customer_class": "a_dealer"}
    assert form.history is not None


def test_the_lookup_never_overwrites_what_the_agent_typed_or_chose() -> None:
    form = typed(phone=PHONE, customer_name="韩梅梅", customer_class="direct")
    assert answer(form, found()) == {}


def test_what_the_lookup_filled_in_follows_the_lookup_when_the_contact_is_corrected() -> None:
    form = typed(phone=PHONE)
    answer(form, found())
    form.change("phone", "13900139000")  # the agent misheard: a caller the desk does not know
    assert answer(form, None) == {"customer_name": "", "customer_class": "end_user"}
    assert (form.fields["customer_name"], form.fields["customer_class"]) == ("", "end_user")
    form.change("phone", "13700137000")  # another known caller
    assert answer(form, found("韩梅梅", "direct")) == {"customer_name": "韩梅梅", "customer_class": "direct"}
    registration, _ = typed(**{**form.fields, "description": "漏水"}).registration()
    assert registration is not None and registration.draft.customer_name == "韩梅梅"


def test_a_name_the_agent_corrected_after_the_lookup_stays_theirs() -> None:
    form = typed(phone=PHONE)
    answer(form, found())
    form.change("customer_name", "李雷雷")
    form.change("customer_class", "sub_dealer")
    form.change("phone", "13900139000")
    assert answer(form, None) == {}
    assert (form.fields["customer_name"], form.fields["customer_class"]) == ("李雷雷", "sub_dealer")


def test_what_the_lookup_filled_in_still_follows_it_after_a_restart() -> None:
    form = typed(phone=PHONE)
    answer(form, found())
    restored = IntakeForm.restored(form.document(), "CN")
    assert restored.fields["customer_name"] == "李雷"
    restored.change("phone", "13900139000")
    assert answer(restored, None) == {"customer_name": "", "customer_class": "end_user"}


def test_an_answer_to_an_older_lookup_is_dropped() -> None:
    form = typed(phone="1380013")
    older, _, _ = form.lookup()
    form.change("phone", PHONE)
    newer, phone, _ = form.lookup()
    assert phone == PHONE
    assert form.looked_up(older, found("someone else")) is None
    assert form.history is None
    assert form.looked_up(newer, found()) == {"customer_name": "李雷", "customer_class": "a_dealer"}


# -- the suggestion -----------------------------------------------------------------------------


def test_the_rules_are_asked_once_something_is_described_and_again_only_when_it_changes() -> None:
    form = typed(phone=PHONE)
    assert form.suggest() is None  # nothing to read yet
    form.change("description", "快递太慢了")
    question = form.suggest()
    assert question is not None and question[1].text == "快递太慢了"
    form.suggested(*question, suggestion())
    assert form.suggest() is None  # the suggestion shown is for exactly this
    form.change("product", "空调")
    assert form.suggest() is not None


def test_an_answer_to_an_older_question_is_dropped() -> None:
    form = typed(description="快递太慢了")
    older = form.suggest()
    form.change("description", "快递太慢了，十天")
    newer = form.suggest()
    assert older is not None and newer is not None
    assert not form.suggested(*older, suggestion(department="QA"))
    assert form.suggestion is None
    assert form.suggested(*newer, suggestion())


def test_accepting_fills_category_and_severity_and_never_lowers_urgency() -> None:
    form = typed(description="快递太慢了", urgent=True)
    assert form.accept() is None  # nothing suggested yet
    suggested(form, suggestion(urgent=False))
    before = form.generation
    assert form.accept() == {"category": "物流延误", "severity": "serious", "urgent": True}
    assert form.accepted_shown
    assert form.generation > before  # what was accepted goes into the draft
    assert form.document()["accepted"]["department"] == "LOG"


def test_the_timeline_gets_what_was_suggested_and_what_the_agent_chose() -> None:
    form = typed(phone=PHONE, description="快递太慢了")
    suggested(form, suggestion())
    form.accept()
    for field, value in {"category": "物流延误", "severity": "critical"}.items():
        form.change(field, value)  # the agent raises the severity after accepting
    suggested(form, suggestion())  # asked again for the category accepted: the same answer
    registration, _ = form.registration()
    assert registration is not None and registration.known is form.suggestion
    s, chosen = registration.suggestion_record(registration.known)
    assert s == {"department": "LOG", "category": "物流延误", "severity": "serious", "remedies": ["apology"]}
    assert chosen == {"department": "LOG", "category": "物流延误", "severity": "critical"}
    assert registration.suggestion_record(None) == (None, None)


def test_a_suggestion_for_other_text_is_not_taken_as_known_when_registering() -> None:
    form = typed(phone=PHONE, description="快递太慢了")
    suggested(form, suggestion())
    form.change("description", "快递太慢了，还摔坏了")
    registration, _ = form.registration()
    assert registration is not None and registration.known is None and registration.described
    s, chosen = registration.suggestion_record(suggestion(department="QA"))
    assert s is not None and s["department"] == "QA"
    assert chosen is not None and chosen["department"] is None  # never accepted


# -- the next call ------------------------------------------------------------------------------


def test_clearing_starts_the_next_call_and_drops_answers_still_on_their_way() -> None:
    form = typed(phone=PHONE, description="快递太慢了")
    lookup, _, _ = form.lookup()
    question = form.suggest()
    assert question is not None
    form.errors["phone"] = "bad_phone"
    before = form.generation
    form.clear()
    assert form.is_empty() and form.errors == {} and form.accepted is None
    assert form.generation > before
    assert form.looked_up(lookup, found()) is None
    assert not form.suggested(*question, suggestion())
    assert form.suggestion is None and form.history is None


def test_the_suggest_key_reads_the_purchase_date_only_when_it_is_a_date() -> None:
    assert typed(purchase_date="2026-02-30").suggest_key().purchase_date is None
    key = typed(purchase_date="2026-01-15", description=" x ").suggest_key()
    assert isinstance(key, SuggestKey) and str(key.purchase_date) == "2026-01-15" and key.text == "x"


def test_marking_the_contact_an_inquiry_asks_the_rules_again() -> None:
    """Issue 13: an inquiry about prices goes to sales, so the kind is part of the question."""
    form = typed(phone=PHONE, description="这款多少钱")
    question = form.suggest()
    assert question is not None and question[1].kind == "complaint"
    form.suggested(*question, suggestion())
    form.change("kind", "inquiry")
    again = form.suggest()
    assert again is not None and again[1].kind == "inquiry"


def test_the_price_is_read_as_an_amount_and_an_ambiguous_one_is_told_on_leaving() -> None:
    # Issue 13, remedies: the price a compensation's range is measured by.
    from decimal import Decimal

    form = typed(phone=PHONE, description="菜里有头发", price="1.500")
    assert form.check({"price"}, format_only=True) == {"price": "amount_ambiguous"}
    form.change("price", "38,50")
    registration, errors = form.registration()
    assert errors == {} and registration is not None and registration.draft.price == Decimal("38.50")


def test_accepting_a_suggestion_that_reads_as_an_inquiry_marks_the_contact_so() -> None:
    """Issue 14: a caller asking the price is an inquiry; F3 takes that with the rest."""
    form = typed(phone=PHONE, description="请问这款净水器多少钱")
    suggested(form, suggestion(kind=Kind.INQUIRY, department="SALES", remedies=[]))
    fill = form.accept()
    assert fill is not None and fill["kind"] == "inquiry"
    form.change("kind", fill["kind"])
    again = form.suggest()
    assert again is not None and again[1].kind == "inquiry"  # the rules for inquiries answer now


def test_a_category_is_shown_by_name_and_registered_by_its_code() -> None:
    """Issue 14: the category field shows "质量缺陷", not quality_defect; a name in any of the
    desk's languages means its category, other text is the agent's own category."""
    assert category_code("质量缺陷") == "quality_defect"
    assert category_code(" Quality Defect ") == "quality_defect"
    assert category_code("entrega con retraso") == "delivery_late"
    assert category_code("quality_defect") == "quality_defect"
    assert category_code("海鲜不新鲜") == "海鲜不新鲜"
    form = typed(phone=PHONE, description="屏幕坏了", category="质量缺陷")
    assert form.suggest_key().category == "quality_defect"
    registration, _ = form.registration()
    assert registration is not None and registration.draft.category == "quality_defect"
