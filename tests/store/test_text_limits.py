"""One documented limit per text field, the same at every door (issue 11.10), on SQLite and
PostgreSQL: a text over its limit is refused with a message naming the limit and nothing is
written; a case with every field at its limit, of the words that cost the search index most,
is stored and found (PostgreSQL's tsvector has a 1 MB limit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from casesteps import draft, to_approved, to_assigned, to_follow_up, to_investigating, to_proposed
from kesu_desk.domain.errors import DeskError, InvalidInput
from kesu_desk.domain.limits import TEXT_LIMITS
from kesu_desk.i18n import describe
from kesu_desk.services import cases, corrective
from kesu_desk.services.desk import Desk
from kesu_desk.services.queue import search_cases
from kesu_desk.services.views import CaseView
from kesu_desk.store.models import Case, CaseEvent, CorrectiveAction, Proposal, Survey

Register = Callable[..., CaseView]


def written(desk: Desk) -> tuple[int, ...]:
    """How many rows a refusal must leave as they were."""
    with desk.uow(write=False) as uow:
        return tuple(uow.session.execute(select(func.count()).select_from(model)).scalar_one()
                     for model in (Case, CaseEvent, Proposal, Survey, CorrectiveAction))


def too_long(field: str) -> str:
    return "长" * (TEXT_LIMITS[field] + 1)


def the_limit(field: str) -> str:
    return f"{TEXT_LIMITS[field]:,}".replace(",", " ")


def registered(desk: Desk, view: CaseView) -> CaseView:
    return view


def to_implementing(desk: Desk, view: CaseView) -> CaseView:
    return cases.record_customer_answer(desk, "ag", to_approved(desk, view).number, agrees=True)


def an_open_action(desk: Desk, view: CaseView) -> int:
    due = date.today() + timedelta(days=30)
    return corrective.open_action(desk, "sup", view.number, owner="hq", due=due, text="换供应商").id


def a_done_action(desk: Desk, view: CaseView) -> int:
    action = an_open_action(desk, view)
    corrective.record_progress(desk, "hq", action, note="done", done=True)
    return action


# (field, the case's state before, the call with the text): every free text a user can fill.
DOORS: list[tuple[str, Callable[[Desk, CaseView], Any], Callable[[Desk, Any, str], Any]]] = [
    ("text", registered, lambda d, v, s: cases.add_note(d, "ag", v.number, text=s)),
    ("summary", registered, lambda d, v, s: cases.log_call(d, "ag", v.number, summary=s)),
    ("reason", registered, lambda d, v, s: cases.decide_validity(d, "ag", v.number, founded=False, reason=s)),
    ("comment", registered, lambda d, v, s: cases.escalate(d, "ag", v.number, comment=s)),
    ("comment", to_assigned, lambda d, v, s: cases.assign(d, "ag", v.number, department="QA", comment=s)),
    ("what", to_assigned, lambda d, v, s: cases.record_cause(d, "hq", v.number, fishbone="material",
                                                             what=s, why="老化")),
    ("how_much", to_assigned, lambda d, v, s: cases.record_cause(d, "hq", v.number, fishbone="material",
                                                                 what="漏水", why="老化", how_much=s)),
    ("comment", to_assigned, lambda d, v, s: cases.await_customer(d, "hq", v.number, comment=s)),
    ("details", to_investigating, lambda d, v, s: cases.propose(d, "hq", v.number, remedy="repair", details=s)),
    ("comment", to_proposed, lambda d, v, s: cases.approve(d, "sup", v.number, comment=s)),
    ("comment", to_proposed, lambda d, v, s: cases.return_proposal(d, "sup", v.number, comment=s)),
    ("comment", to_approved, lambda d, v, s: cases.record_customer_answer(d, "ag", v.number, agrees=False,
                                                                          comment=s)),
    ("implementation", to_implementing, lambda d, v, s: cases.implement(
        d, "hq", v.number, implementation=s, accountability="来料检验")),
    ("accountability", to_implementing, lambda d, v, s: cases.implement(
        d, "hq", v.number, implementation="已退款", accountability=s)),
    ("comment", to_follow_up, lambda d, v, s: cases.record_follow_up(d, "ag", v.number, score=5, comments=s)),
    ("comment", to_follow_up, lambda d, v, s: cases.record_no_answer(d, "ag", v.number, comment=s)),
    ("comment", to_follow_up, lambda d, v, s: cases.close(d, "sup", v.number, comment=s)),
    ("comment", registered, lambda d, v, s: cases.mark_typical(d, "sup", v.number, comment=s)),
    ("corrective_text", registered, lambda d, v, s: corrective.open_action(
        d, "sup", v.number, owner="hq", due=date.today() + timedelta(days=30), text=s)),
    ("corrective_text", an_open_action, lambda d, a, s: corrective.change_action(d, "sup", a, text=s)),
    ("corrective_note", an_open_action, lambda d, a, s: corrective.record_progress(d, "hq", a, note=s)),
    ("comment", a_done_action, lambda d, a, s: corrective.record_check(
        d, "sup", a, effective=False, comment=s, due=date.today() + timedelta(days=30))),
]


@pytest.mark.parametrize(("field", "before", "call"), DOORS,
                         ids=[f"{i}-{field}" for i, (field, _, _) in enumerate(DOORS)])
def test_a_text_over_its_limit_is_refused_naming_the_limit_and_nothing_is_written(
    desk: Desk, register: Register, field: str, before: Any, call: Any
) -> None:
    target = before(desk, register())
    if isinstance(target, CaseView):
        target = cases.get_case(desk, target.number)
    rows = written(desk)
    with pytest.raises(DeskError) as refused:
        call(desk, target, too_long(field))
    assert isinstance(refused.value, InvalidInput), refused.value
    assert refused.value.params["errors"] == {field: "string_too_long"}
    assert the_limit(field) in describe(refused.value, "en")
    assert written(desk) == rows


@pytest.mark.parametrize(("field", "before", "call"), DOORS[:3] + DOORS[5:6],
                         ids=["text", "summary", "reason", "what"])
def test_a_text_at_its_limit_is_taken(
    desk: Desk, register: Register, field: str, before: Any, call: Any
) -> None:
    view = before(desk, register())
    call(desk, cases.get_case(desk, view.number), "长" * TEXT_LIMITS[field])


def test_registration_refuses_a_description_over_its_limit(desk: Desk, register: Register) -> None:
    rows = written(desk)
    with pytest.raises(InvalidInput) as refused:
        register(description="x" * 15_001, customer_request="y" * 1_001)
    assert refused.value.params["errors"] == {"description": "string_too_long",
                                               "customer_request": "string_too_long"}
    assert describe(refused.value, "en") == (
        "Please correct: What happened: too long: at most 15 000 characters; "
        "Customer's request: too long: at most 1 000 characters")
    assert "15 000" in describe(refused.value, "zh") and "15 000" in describe(refused.value, "es")
    assert written(desk) == rows


def test_a_description_of_150000_distinct_words_is_refused_not_a_database_error(
    desk: Desk, register: Register
) -> None:
    # On PostgreSQL its search index once failed with a raw ProgramLimitExceeded (tsvector).
    words = " ".join(f"w{i}" for i in range(150_000))
    with pytest.raises(InvalidInput) as refused:
        register(description=words)
    assert refused.value.params["errors"] == {"description": "string_too_long"}


def distinct(first: int, count: int) -> str:
    return "".join(chr(first + i) for i in range(count))


def test_the_worst_case_for_the_search_index_is_stored_and_found(desk: Desk, register: Register) -> None:
    """Every indexed field at its limit, every character a word of its own that occurs once:
    the most lexemes, bytes and positions a tsvector can be asked to hold (PostgreSQL refuses
    one over 1 MB)."""
    limit = TEXT_LIMITS
    description = distinct(0x4E00, limit["description"])  # CJK unified ideographs
    request = distinct(0x3400, limit["customer_request"])  # CJK extension A
    name = distinct(0x3400 + limit["customer_request"], limit["customer_name"])
    product = distinct(0xAC00, limit["product"])  # hangul
    view = register(description=description, customer_request=request, customer_name=name,
                    product=product)
    assert cases.get_case(desk, view.number).description == description
    for word in (description[:2], description[-1], request[-2:], product[-1]):
        assert [r.number for r in search_cases(desk, word, limit=5)] == [view.number], word


def test_the_same_limits_hold_for_words_in_latin_letters(desk: Desk, register: Register) -> None:
    words, n = [], 0
    while len(" ".join(words)) < TEXT_LIMITS["description"] - 8:
        words.append(f"é{n:x}")
        n += 1
    description = " ".join(words)
    view = register(description=description)
    assert [r.number for r in search_cases(desk, words[-1], limit=5)] == [view.number]


def test_register_through_the_draft_counts_characters_not_bytes(desk: Desk, register: Register) -> None:
    # 15 000 Chinese characters are 45 000 bytes of UTF-8: the limit is in characters.
    assert draft(description="长" * 15_000).description == "长" * 15_000


def test_a_check_at_the_limits_still_reopens_its_case(desk: Desk, register: Register) -> None:
    # The reopening quotes the action and the check: together longer than a comment may be.
    view = to_follow_up(desk, register())
    view = cases.record_follow_up(desk, "ag", view.number, score=5, version=view.version)
    action = corrective.open_action(desk, "sup", view.number, owner="hq", text="改" * TEXT_LIMITS["corrective_text"],
                                    due=date.today() + timedelta(days=30)).id
    corrective.record_progress(desk, "hq", action, note="done", done=True)
    corrective.record_check(desk, "sup", action, effective=False, comment="坏" * TEXT_LIMITS["comment"],
                            due=date.today() + timedelta(days=30))
    reopened = cases.get_case(desk, view.number)
    assert reopened.status.value == "reopened"
    assert len(reopened.timeline[-1].comment) == TEXT_LIMITS["comment"]
