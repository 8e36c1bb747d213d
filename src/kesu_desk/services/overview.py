"""The supervisor's overview: today's figures, open work, deadlines, approvals, satisfaction and
the review series (DOMAIN.md step 10), each from an indexed query or the kept counts so the
screen stays quick on a million cases (``benchmarks/overview.py`` prints each figure's time).

For supervisors, managers and admins (domain/access.py, ``Use.OVERVIEW``); agents and handlers
work from their queues. Every figure is read within the reader's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from kesu_desk.domain.access import Scope, Use, require
from kesu_desk.domain.vocabulary import OPEN_STATUSES, Status
from kesu_desk.domain.workflow import APPROVERS, Actor
from kesu_desk.services import approvals
from kesu_desk.services.desk import Desk
from kesu_desk.services.suggestion_review import TAKEN_DAYS, DepartmentTaken, suggestions_taken
from kesu_desk.store import figures, outbox, queries
from kesu_desk.store.queries import QueueFilter
from kesu_desk.store.uow import UnitOfWork

SERIES_DAYS = 14
SATISFACTION_DAYS = 30
CAUSES_DAYS = 90


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
    batch_problem_cases: int  # open cases of a product batch with the rules' batch threshold of cases
    batch_problems: int  # those product batches
    per_day: DailySeries
    causes: list[CauseShare]  # fishbone factors of the last 90 days' closed cases, a Pareto
    mail_failed: int | None = None  # e-mails to customers that failed; None: no [mail] server
    # Issue 14: per department suggested, the last TAKEN_DAYS days' cases that went to a
    # department, and how many to the suggested one (services/suggestion_review.py).
    suggestions_taken: list[DepartmentTaken] = field(default_factory=list)
    suggestions_days: int = TAKEN_DAYS

    @property
    def open_total(self) -> int:
        return sum(self.open_by_status.values())


def reader(desk: Desk, uow: UnitOfWork, actor_name: str) -> Actor:
    """Whose overview this is: the signed-in reader, else ``actor_name``; AccessDenied for a
    role that may not see the overview."""
    actor = desk.reader or uow.users.actor(actor_name)
    require(actor, Use.OVERVIEW)
    return actor


def _narrowed(flt: QueueFilter, scope: Scope) -> list[QueueFilter]:
    """The queue filter once per department of ``scope`` (none for an empty scope), so the
    queue's counts are taken within it."""
    if scope.departments is None:
        return [flt]
    return [replace(flt, department=d) for d in sorted(scope.departments) if flt.department in (None, d)]


# -- the figures, one function each (the benchmark times them one by one) ----------------------


def registered(desk: Desk, uow: UnitOfWork, now: datetime) -> tuple[int, int]:
    """(today, this week since Monday), in local days of ``desk.calendar.tz``."""
    today = desk.calendar.local_date(now)
    tomorrow = today + timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    return (figures.count_registered(uow.session, today, tomorrow, desk.scope),
            figures.count_registered(uow.session, monday, tomorrow, desk.scope))


def open_cases(desk: Desk, uow: UnitOfWork) -> tuple[dict[Status, int], dict[str, int]]:
    """Open cases by status (every open status, 0 included) and by department, from the counts
    the database keeps."""
    counted = figures.open_counts(uow.session, desk.scope)
    by_status: dict[Status, int] = {s: 0 for s in Status if s in OPEN_STATUSES}
    by_department: dict[str, int] = {}
    for (status, department), n in counted.items():
        by_status[status] += n
        by_department[department] = by_department.get(department, 0) + n
    return by_status, by_department


def deadlines(desk: Desk, uow: UnitOfWork, now: datetime) -> tuple[int, int]:
    """(overdue, at risk) at ``now``: the queue's own filters."""
    def count(base: QueueFilter) -> int:
        return sum(queries.count(uow.session, flt) for flt in _narrowed(base, desk.scope))

    return count(QueueFilter(overdue_at=now)), count(QueueFilter(at_risk_at=now))


def waiting(desk: Desk, uow: UnitOfWork, actor: Actor) -> tuple[int, int]:
    """(for this user, in total) proposals waiting for an approval."""
    mine = queries.count_waiting_for(uow.session, **approvals.waiting_args(desk, actor)) \
        if actor.role in APPROVERS else 0
    return mine, queries.count_pending(uow.session)


def satisfaction(desk: Desk, uow: UnitOfWork, now: datetime) -> tuple[float | None, int]:
    since = now - timedelta(days=SATISFACTION_DAYS)
    average, n = figures.satisfaction_since(uow.session, since, desk.scope)
    return (round(average, 2) if average is not None else None), n


def urgent_open(desk: Desk, uow: UnitOfWork) -> int:
    return figures.count_urgent_open(uow.session, desk.scope)


def batch_problems(desk: Desk, uow: UnitOfWork) -> tuple[int, int]:
    """(open cases, product batches) of batch problems: the batches with the rules' batch
    threshold of cases, as the period review counts them (store/figures.batch_problems). Nothing
    marks a case as part of a batch problem yet."""
    found = figures.batch_problems(uow.session, desk.rules.batch_threshold, scope=desk.scope)
    return sum(b.cases for b in found), len(found)


def cases_per_day_by_category(
    desk: Desk, uow: UnitOfWork, now: datetime, days: int = SERIES_DAYS
) -> DailySeries:
    """Cases registered per local day and category, the last ``days`` days up to today."""
    today = desk.calendar.local_date(now)
    first = today - timedelta(days=days - 1)
    series = [first + timedelta(days=i) for i in range(days)]
    index = {d: i for i, d in enumerate(series)}
    counts: dict[str, list[int]] = {}
    per_day = figures.registered_per_day_by_category(uow.session, first, today + timedelta(days=1), desk.scope)
    for day, category, n in per_day:
        if day in index:
            counts.setdefault(category, [0] * days)[index[day]] += n
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return DailySeries(tuple(series), {c: tuple(v) for c, v in ordered})


def causes(desk: Desk, uow: UnitOfWork, now: datetime, days: int = CAUSES_DAYS) -> list[CauseShare]:
    """Fishbone factors of the cases closed in the last ``days`` days, most frequent first, with
    each one's share and the cumulative share (a Pareto chart)."""
    counted = sorted(figures.causes_closed_since(uow.session, now - timedelta(days=days), desk.scope),
                     key=lambda fn: (-fn[1], fn[0]))
    total = sum(n for _, n in counted)
    shares, running = [], 0
    for factor, n in counted:
        running += n
        shares.append(CauseShare(factor, n, round(100 * n / total, 1), round(100 * running / total, 1)))
    return shares


def overview(desk: Desk, actor_name: str, now: datetime) -> Overview:
    """Every figure of the overview at ``now``, read in one transaction, for the desk's reader
    (or ``actor_name`` on a desk nobody signed in to)."""
    with desk.uow(write=False) as uow:
        actor = reader(desk, uow, actor_name)
        today, week = registered(desk, uow, now)
        by_status, by_department = open_cases(desk, uow)
        overdue, at_risk = deadlines(desk, uow, now)
        mine, total = waiting(desk, uow, actor)
        average, surveys = satisfaction(desk, uow, now)
        batch_cases, batches = batch_problems(desk, uow)
        return Overview(
            at=now, registered_today=today, registered_this_week=week,
            open_by_status=by_status, open_by_department=by_department,
            overdue=overdue, at_risk=at_risk, waiting_for_me=mine, waiting_total=total,
            satisfaction=average, surveys=surveys, urgent_open=urgent_open(desk, uow),
            batch_problem_cases=batch_cases, batch_problems=batches,
            per_day=cases_per_day_by_category(desk, uow, now),
            causes=causes(desk, uow, now),
            mail_failed=outbox.count(uow.session, outbox.FAILED) if desk.settings.mail.enabled else None,
            suggestions_taken=suggestions_taken(desk, uow, now),
        )
