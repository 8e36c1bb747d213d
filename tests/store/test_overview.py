"""The supervisor's overview on SQLite and PostgreSQL: each figure against cases made through the
services, local days in the desk's time zone, and who may see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from casesteps import (
    FIXED_NOW,
    draft,
    sign_in,
    to_assigned,
    to_follow_up,
    to_investigating,
    to_proposed,
)
from kesu_desk.domain.errors import AccessDenied
from kesu_desk.domain.vocabulary import Status
from kesu_desk.i18n import describe
from kesu_desk.services import cases, follow_ups
from kesu_desk.services.desk import Desk
from kesu_desk.services.overview import CauseShare, overview
from kesu_desk.services.report import build_report
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.store.models import Case, Survey

Register = Callable[..., CaseView]


def register_at(desk: Desk, when: datetime, **fields: Any) -> str:
    """A case registered at ``when`` (as an import keeps the original time)."""
    with desk.uow() as uow:
        case = cases.register_in(uow, desk, "ag", draft(**fields), registered_at=when)
        uow.commit()
        return case.number


def to_closed(desk: Desk, view: CaseView, fishbone: str, score: int = 5) -> CaseView:
    view = to_assigned(desk, view)
    view = cases.record_cause(desk, "hq", view.number, fishbone=fishbone, what="漏水", why="老化",
                              version=view.version)
    view = cases.propose(desk, "hq", view.number, remedy="exchange", version=view.version)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, version=view.version)
    view = cases.implement(desk, "hq", view.number, implementation="已换新", accountability="仓库",
                           version=view.version)
    return cases.record_follow_up(desk, "ag", view.number, score=score, version=view.version)


def age(desk: Desk, view: CaseView, days: int) -> None:
    """Move a closed case's closing and its surveys ``days`` into the past."""
    back = utcnow() - timedelta(days=days)
    with desk.uow() as uow:
        uow.session.execute(update(Case).where(Case.id == view.id).values(closed_at=back))
        uow.session.execute(update(Survey).where(Survey.case_id == view.id).values(at=back))
        uow.commit()



def test_only_supervisors_and_managers_see_the_overview(desk: Desk, people: Any) -> None:
    for who in ("ag", "hq"):
        with pytest.raises(AccessDenied) as info:
            overview(desk, who, utcnow())
        role = "agent" if who == "ag" else "handler"
        assert describe(info.value, "en") == f"{who} ({role}) may not read the overview."
        assert "{" not in describe(info.value, "zh") + describe(info.value, "es")
    for who in ("sup", "mgr", "adm"):
        assert overview(desk, who, utcnow()).open_total == 0


def test_the_overview_is_the_signed_in_readers(desk: Desk, people: Any) -> None:
    sign_in(desk, "hq")
    with pytest.raises(AccessDenied) as info:
        overview(desk, "sup", utcnow())  # a handler signed in does not read it in another's name
    assert describe(info.value, "en") == "hq (handler) may not read the overview."
    sign_in(desk, "mgr")
    assert overview(desk, "mgr", utcnow()).open_total == 0


def test_registered_today_and_this_week_count_local_days(desk: Desk, people: Any) -> None:
    shanghai = desk.calendar.tz
    now = FIXED_NOW  # Wednesday 25 November 2026, 10:00 in Shanghai

    def local(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 11, day, hour, minute, tzinfo=shanghai).astimezone(UTC)

    register_at(desk, local(25, 0, 30), category="billing")  # today, though 24 Nov in UTC
    register_at(desk, local(25, 9), category="billing")
    register_at(desk, local(23, 9), category="delivery_late")  # Monday: this week
    register_at(desk, local(22, 23, 30), category="delivery_late")  # Sunday: last week
    register_at(desk, local(12, 10))  # the first day of the 14-day series, no category
    register_at(desk, local(11, 10), category="billing")  # before it
    register_at(desk, local(26, 9), category="billing")  # tomorrow (an import ahead of time)

    seen = overview(desk, "sup", now)

    assert (seen.registered_today, seen.registered_this_week) == (2, 3)
    series = seen.per_day
    assert series.days[0] == date(2026, 11, 12) and series.days[-1] == date(2026, 11, 25)
    assert len(series.days) == 14
    assert list(series.by_category) == ["billing", "delivery_late", ""]  # most cases first
    assert series.by_category["billing"] == (0,) * 13 + (2,)
    assert series.by_category["delivery_late"] == (0,) * 10 + (1, 1, 0, 0)
    assert series.by_category[""] == (1,) + (0,) * 13
    assert sum(series.totals) == 5


def test_open_work_deadlines_approvals_and_urgent_cases(desk: Desk, register: Register) -> None:
    register()
    to_assigned(desk, register())
    proposed = to_proposed(desk, register())
    register(urgent=True, description="孩子被烫伤")
    closed = register(urgent=True)
    cases.decide_validity(desk, "ag", closed.number, founded=False, reason="重复投诉")
    now = utcnow()

    seen = overview(desk, "sup", now)

    assert seen.open_by_status == {
        Status.REGISTERED: 2, Status.ASSIGNED: 1, Status.INVESTIGATING: 0, Status.PROPOSED: 1,
        Status.RETURNED: 0, Status.APPROVED: 0, Status.IMPLEMENTING: 0, Status.FOLLOW_UP: 0,
        Status.REOPENED: 0}
    assert seen.open_total == 4
    assert seen.open_by_department == {"": 2, "QA": 2}
    assert (seen.overdue, seen.at_risk) == (0, 0)
    assert (seen.waiting_for_me, seen.waiting_total) == (1, 1)
    assert seen.urgent_open == 1
    # The two registered cases owe an acknowledgement within 24 hours.
    later = overview(desk, "sup", now + timedelta(hours=23))
    assert (later.overdue, later.at_risk) == (0, 2)
    assert overview(desk, "sup", now + timedelta(hours=25)).overdue == 2

    # A proposal of the supervisor's own waits, but not for them.
    own = to_investigating(desk, register())
    cases.propose(desk, "sup", own.number, remedy="discount", amount=Decimal("50"), version=own.version)
    assert (overview(desk, "sup", now).waiting_for_me, overview(desk, "sup", now).waiting_total) == (1, 2)
    assert overview(desk, "mgr", now).waiting_for_me == 2
    assert proposed.number != own.number


def test_satisfaction_and_causes_of_recent_cases(desk: Desk, register: Register) -> None:
    to_closed(desk, register(), "material", score=5)
    to_closed(desk, register(), "material", score=4)
    reopened = to_closed(desk, register(), "people", score=2)  # reopened: no cause counted
    assert reopened.status is Status.REOPENED
    unanswered = to_assigned(desk, register())
    unanswered = cases.record_cause(desk, "hq", unanswered.number, fishbone="method", what="a",
                                    why="b", version=unanswered.version)
    unanswered = cases.propose(desk, "hq", unanswered.number, remedy="apology",
                               version=unanswered.version)
    unanswered = cases.approve(desk, "sup", unanswered.number, version=unanswered.version)
    unanswered = cases.record_customer_answer(desk, "ag", unanswered.number, agrees=True,
                                              version=unanswered.version)
    unanswered = cases.implement(desk, "hq", unanswered.number, implementation="致歉",
                                 accountability="客服", version=unanswered.version)
    desk.settings.follow_up_attempts = 1
    unanswered = follow_ups.record_no_answer(desk, "ag", unanswered.number, unanswered.version)
    assert unanswered.status is Status.CLOSED
    old = to_closed(desk, register(), "machine", score=5)
    age(desk, old, days=100)
    not_founded = register()
    cases.decide_validity(desk, "ag", not_founded.number, founded=False, reason="不成立")

    seen = overview(desk, "mgr", utcnow())

    # Answered surveys of the last 30 days: 5, 4 and 2; unanswered calls have no score.
    assert (seen.satisfaction, seen.surveys) == (3.67, 3)
    assert seen.causes == [
        CauseShare("material", 2, 66.7, 66.7),
        CauseShare("method", 1, 33.3, 100.0),
    ]


def test_no_surveys_and_no_causes(desk: Desk, people: Any) -> None:
    seen = overview(desk, "sup", utcnow())
    assert (seen.satisfaction, seen.surveys, seen.causes) == (None, 0, [])
    assert seen.per_day.by_category == {} and seen.per_day.totals == (0,) * 14


def test_batch_problems_are_open_cases_of_a_batch_with_five_cases(
    desk: Desk, register: Register
) -> None:
    assert desk.rules.batch_threshold == 5  # the rules file's batch rule
    made = [register(product="电水壶 K-200", batch="L1") for _ in range(5)]
    cases.decide_validity(desk, "ag", made[0].number, founded=False, reason="人为损坏")
    for _ in range(4):
        register(product="电水壶 K-200", batch="L2")
    register(product="电饭煲 RC-30", batch="L1")  # the same batch code of another product
    register(product="电水壶 K-200")  # no batch
    to_follow_up(desk, made[1])

    seen = overview(desk, "sup", utcnow())

    # L1 has five cases, one of them closed: its four open cases are a batch problem.
    assert (seen.batch_problem_cases, seen.batch_problems) == (4, 1)


def test_the_overview_and_the_review_count_the_same_batch_problems(
    desk: Desk, register: Register, tmp_path: Any
) -> None:
    """One query and one threshold (the rules' batch rule, here 3) for both: a batch is a product
    batch, so cases with a batch code and no product are none."""
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rules]]\nid = "batch-problem"\n[rules.when]\nbatch_count_min = 3\n'
        '[rules.then]\ncorrective_action = true\n', encoding="utf-8")
    stricter = Desk(desk.settings.model_copy(update={"rules": rules}), desk.engine)
    for _ in range(3):
        register(product="电水壶 K-200", batch="L1")
    for _ in range(2):
        register(product="电水壶 K-200", batch="L2")
    for _ in range(3):
        register(product="", batch="L3")
    now = utcnow()
    today = stricter.calendar.local_date(now)

    seen = overview(stricter, "sup", now)
    review = build_report(stricter, today, today, now=now)  # every case is open and of today

    assert [(b.product, b.batch, b.in_period, b.total) for b in review.batch_problems] == [
        ("电水壶 K-200", "L1", 3, 3)]
    assert (seen.batch_problems, seen.batch_problem_cases) == (1, 3)
