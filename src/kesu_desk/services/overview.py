"""The supervisor's overview: today's figures, open work, deadlines, approvals, satisfaction and
the review series (DOMAIN.md step 10), each from an indexed query or the kept counts so the
screen stays quick on a million cases (``benchmarks/overview.py`` prints each figure's time).

For supervisors, managers and admins; agents and handlers work from their queues
(``overview_staff_only``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.vocabulary import OPEN_STATUSES, Status
from kesu_desk.domain.workflow import APPROVERS, STAFF, Actor
from kesu_desk.services import approvals
from kesu_desk.services.cases import load_actor
from kesu_desk.services.desk import Desk
from kesu_desk.store import queries
from kesu_desk.store.queries import QueueFilter

SERIES_DAYS = 14
SATISFACTION_DAYS = 30
CAUSES_DAYS = 90
BATCH_PROBLEM_CASES = 5  # DOMAIN.md; the rules file's batch rule says otherwise if it differs


@dataclass(frozen=True)
class CauseShare:
    """One bar of the Pareto chart: a fishbone factor, its cases and the running share."""

    factor: str
    cases: int
    percent: float
    cumulative_percent: float


@dataclass(frozen=True)
class DailySeries:
    """Cases registered per local day and category, oldest day first; categories by total."""

    days: tuple[date, ...]
    by_category: dict[str, tuple[int, ...]]  # "" = no category

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(day) for day in zip(*self.by_category.values(), strict=True)) \
            if self.by_category else tuple(0 for _ in self.days)


@dataclass(frozen=True)
class Overview:
    at: datetime
    registered_today: int
    registered_this_week: int  # since Monday, local time
    open_by_status: dict[Status, int]
    open_by_department: dict[str, int]  # "" = not assigned yet
    overdue: int
    at_risk: int
    waiting_for_me: int  # proposals this user may approve now
    waiting_total: int  # proposals waiting for any approval
    satisfaction: float | None  # average score of the last 30 days' surveys
    surveys: int  # how many surveys that average is over
    urgent_open: int
    batch_problem_cases: int  # open cases of a product batch with five or more cases
    batch_problems: int  # those product batches
    per_day: DailySeries
    causes: list[CauseShare]  # fishbone factors of the last 90 days' closed cases, a Pareto

    @property
    def open_total(self) -> int:
        return sum(self.open_by_status.values())


def staff(session: Session, actor_name: str) -> Actor:
    _, actor = load_actor(session, actor_name)
    if actor.role not in STAFF:
        raise WorkflowError("overview_staff_only", role=actor.role.value)
    return actor


# -- the figures, one function each (the benchmark times them one by one) ----------------------


def registered(desk: Desk, session: Session, now: datetime) -> tuple[int, int]:
    """(today, this week since Monday), in local days of ``desk.calendar.tz``."""
    today = desk.calendar.local_date(now)
    tomorrow = today + timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    return (queries.count_registered(session, today, tomorrow),
            queries.count_registered(session, monday, tomorrow))


def open_cases(session: Session) -> tuple[dict[Status, int], dict[str, int]]:
    """Open cases by status and by department, from the counts the database keeps."""
    statuses = queries.open_statuses()
    by_status = queries.count_by_status(session, QueueFilter(statuses=statuses))
    by_department = queries.count_by_department(session, QueueFilter(statuses=statuses))
    return {s: n for s, n in by_status.items() if s in OPEN_STATUSES}, by_department


def deadlines(session: Session, now: datetime) -> tuple[int, int]:
    """(overdue, at risk) at ``now``: the queue's own filters."""
    return (queries.count(session, QueueFilter(overdue_at=now)),
            queries.count(session, QueueFilter(at_risk_at=now)))


def waiting(desk: Desk, session: Session, actor: Actor) -> tuple[int, int]:
    """(for this user, in total) proposals waiting for an approval."""
    mine = queries.count_waiting_for(session, **approvals.waiting_args(desk, actor)) \
        if actor.role in APPROVERS else 0
    return mine, queries.count_pending(session)


def satisfaction(session: Session, now: datetime) -> tuple[float | None, int]:
    average, n = queries.satisfaction_since(session, now - timedelta(days=SATISFACTION_DAYS))
    return (round(average, 2) if average is not None else None), n


def urgent_open(session: Session) -> int:
    return queries.count_urgent_open(session)


def batch_problem_size(desk: Desk) -> int:
    """How many cases of one product batch make a batch problem: the rules' batch rule (the one
    asking for a corrective action), DOMAIN.md's five without one."""
    sizes = [r.when.batch_count_min for r in desk.rules
             if r.then.corrective_action and r.when.batch_count_min]
    return min(sizes) if sizes else BATCH_PROBLEM_CASES


def batch_problems(desk: Desk, session: Session) -> tuple[int, int]:
    """(open cases, product batches) of batch problems. Nothing marks a case as part of a batch
    problem yet, so a batch is one when it has enough cases, as the rules count them."""
    return queries.batch_problems(session, batch_problem_size(desk))


def cases_per_day_by_category(
    desk: Desk, session: Session, now: datetime, days: int = SERIES_DAYS
) -> DailySeries:
    """Cases registered per local day and category, the last ``days`` days up to today."""
    today = desk.calendar.local_date(now)
    first = today - timedelta(days=days - 1)
    series = [first + timedelta(days=i) for i in range(days)]
    index = {d: i for i, d in enumerate(series)}
    counts: dict[str, list[int]] = {}
    for day, category, n in queries.registered_per_day_by_category(session, first, today + timedelta(days=1)):
        if day in index:
            counts.setdefault(category, [0] * days)[index[day]] += n
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return DailySeries(tuple(series), {c: tuple(v) for c, v in ordered})


def causes(session: Session, now: datetime, days: int = CAUSES_DAYS) -> list[CauseShare]:
    """Fishbone factors of the cases closed in the last ``days`` days, most frequent first, with
    each one's share and the cumulative share (a Pareto chart)."""
    counted = sorted(queries.causes_closed_since(session, now - timedelta(days=days)),
                     key=lambda fn: (-fn[1], fn[0]))
    total = sum(n for _, n in counted)
    shares, running = [], 0
    for factor, n in counted:
        running += n
        shares.append(CauseShare(factor, n, round(100 * n / total, 1), round(100 * running / total, 1)))
    return shares


def overview(desk: Desk, actor_name: str, now: datetime) -> Overview:
    """Every figure of the overview at ``now``, read in one transaction."""
    with desk.uow(write=False) as uow:
        session = uow.session
        actor = staff(session, actor_name)
        today, week = registered(desk, session, now)
        by_status, by_department = open_cases(session)
        overdue, at_risk = deadlines(session, now)
        mine, total = waiting(desk, session, actor)
        average, surveys = satisfaction(session, now)
        batch_cases, batches = batch_problems(desk, session)
        return Overview(
            at=now, registered_today=today, registered_this_week=week,
            open_by_status=by_status, open_by_department=by_department,
            overdue=overdue, at_risk=at_risk, waiting_for_me=mine, waiting_total=total,
            satisfaction=average, surveys=surveys, urgent_open=urgent_open(session),
            batch_problem_cases=batch_cases, batch_problems=batches,
            per_day=cases_per_day_by_category(desk, session, now),
            causes=causes(session, now),
        )
