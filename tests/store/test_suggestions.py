"""The desk's suggestion: the rules' answer with the deadlines a case would get and the closed
cases most like it, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from casesteps import draft, to_follow_up
from kesu_desk.domain.vocabulary import Remedy, Severity
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.suggestions import suggest_case
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]


def closed(desk: Desk, register: Register, description: str, score: int = 5) -> CaseView:
    view = to_follow_up(desk, register(description=description))
    return cases.record_follow_up(desk, "ag", view.number, score=score, version=view.version)


def test_similar_closed_cases_come_first_with_their_department_remedy_and_satisfaction(
    desk: Desk, register: Register
) -> None:
    kettle = closed(desk, register, "电水壶壶盖漏水，烫到手了", score=4)
    closed(desk, register, "快递太慢了，一个星期还没到")
    still_open = register(description="电水壶壶盖漏水，烫到手了")

    result = suggest_case(desk, "新买的电水壶漏水")

    assert [s.number for s in result.similar] == [kettle.number]  # open and unrelated cases left out
    similar = result.similar[0]
    assert (similar.department, similar.remedy, similar.satisfaction) == ("QA", Remedy.REFUND, 4)
    assert "漏水" in similar.summary
    assert still_open.number not in {s.number for s in result.similar}


def test_similar_cases_rank_the_closest_text_first_and_skip_merged_ones(
    desk: Desk, register: Register
) -> None:
    loose = closed(desk, register, "电水壶把手松了")
    close_match = closed(desk, register, "电水壶漏水，底座也漏水")
    result = suggest_case(desk, "电水壶底座漏水")
    assert [s.number for s in result.similar][:2] == [close_match.number, loose.number]
    assert result.similar[0].likeness > result.similar[1].likeness

    survivor = register(description="电水壶底座漏水")
    duplicate = register(description="电水壶底座漏水")
    cases.merge(desk, "ag", duplicate.number, into=survivor.number, comment="同一问题再次来电")
    assert duplicate.number not in {s.number for s in suggest_case(desk, "电水壶底座漏水").similar}


def test_english_stems_find_their_inflected_words(desk: Desk, register: Register) -> None:
    kettle = closed(desk, register, "The kettle leaks from the bottom")
    result = suggest_case(desk, "my kettle is leaking")
    assert kettle.number in {s.number for s in result.similar}


def test_no_similar_case_is_an_empty_list_not_a_guess(desk: Desk, register: Register) -> None:
    closed(desk, register, "快递太慢了")
    assert suggest_case(desk, "电水壶漏水").similar == []
    assert suggest_case(desk, "电水壶漏水", similar=0).similar == []


def test_the_suggestion_carries_the_deadlines_the_case_would_get(desk: Desk) -> None:
    # Friday 2026-09-25 10:00 in Shanghai; the National Day week follows, with Sunday the 27th
    # and Saturday 10 October as make-up working days.
    now = datetime(2026, 9, 25, 2, 0, tzinfo=UTC)
    normal = suggest_case(desk, "电水壶漏水", now=now)
    assert normal.severity is Severity.NORMAL
    assert normal.deadlines is not None
    policy = desk.deadlines.on_register(now, Severity.NORMAL)
    assert (normal.deadlines.acknowledge, normal.deadlines.answer) == (policy.acknowledge, policy.answer)
    assert normal.deadlines.department_working_days == 3

    injury = suggest_case(desk, "电水壶爆炸，孩子被烫伤住院", now=now)
    assert injury.severity is Severity.CRITICAL
    assert injury.deadlines is not None
    assert injury.deadlines.answer < normal.deadlines.answer
    assert injury.deadlines.department_working_days == 1
    urgent = suggest_case(desk, "电水壶漏水", now=now, urgent=True)
    assert urgent.deadlines == injury.deadlines


def test_registration_records_what_was_suggested_and_what_the_agent_chose(
    desk: Desk, people: object
) -> None:
    result = suggest_case(desk, "快递太慢了，箱子压坏了")
    suggested = {"department": result.department, "category": result.category,
                 "severity": str(result.severity)}
    kept = cases.register_case(desk, "ag", draft(description="快递太慢了"), suggested=suggested,
                               chosen=dict(suggested))
    changed = cases.register_case(desk, "ag", draft(description="快递太慢了"), suggested=suggested,
                                  chosen=suggested | {"department": "SALES"})

    for view, taken in ((kept, True), (changed, False)):
        actions = [e.action for e in view.timeline]
        assert actions == ["register", "suggestion"]
        event = view.timeline[1]
        assert event.details["suggested"]["department"] == "LOG"
        assert event.details["taken"] is taken
    assert changed.timeline[1].details["chosen"]["department"] == "SALES"
    assert changed.version == 1  # a record of the suggestion changes no field
