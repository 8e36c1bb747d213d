"""The period review (总结评价, DOMAIN.md step 10): every figure as plain data.

:func:`build_report` returns a :class:`PeriodReport` (language-neutral: codes and numbers);
present/report.py lays it out as tables in the user's language and writes Markdown, HTML or CSV.

What the figures count, precisely:

* **The cases of the period** are those registered from ``start`` to ``end``, both local dates of
  the desk's timezone (``desk.calendar.tz``) and inclusive, as they stand when the report is made.
  Every figure is about these cases (a case registered before the period and closed in it is not).
* **Deadlines, kept or missed**, per responsible department (the case's current one; "" for
  cases without a department yet). A deadline is *kept* when the event that answers it happened
  at or before it, *missed* when that event came later or has not happened and the deadline has
  passed, *pending* when neither (a department waiting for the customer is pending: its clock is
  paused). Cases merged into another are left out (their work goes on in the other case).

  ================  ========================  ===============================================
  deadline          due                       answered by the first …
  ================  ========================  ===============================================
  acknowledge       ``acknowledge_due_at``    event taking the case out of *registered*
  department        ``department_due_at``     proposal (``propose``) since the (last) assignment
  answer            ``answer_due_at``         customer answer to an approved remedy, or the
                                              decision that the complaint is not founded
  follow_up         ``follow_up_due_at``      follow-up survey or closing since the (last)
                                              implementation
  ================  ========================  ===============================================
* **Remedies given** are proposals the customer accepted on cases implemented since: a case
  reopened and given a second remedy counts both. Their cost is the sum of their amounts (goods
  remedies without an amount cost 0 here).
* **Satisfaction** is each case's latest survey score (1–5): average and distribution; cases
  closed because the customer could not be reached are counted apart.
* **Causes** in Pareto order (most frequent first, with the cumulative share): by fishbone factor,
  and by cause text (the 5W2H *why*, compared ignoring case and spacing; the
  :data:`TOP_CAUSES` most frequent, the rest as one "other" line).
* **Repeat complainants**: customers with two or more cases in the period.
* **Batch problems**: a product and batch with at least one case in the period and at least the
  batch threshold of cases in all (the rules' ``batch_count_min`` of a rule that requires a
  corrective action, 5 by default: the count the rules fire on, ``services/queue.batch_count``),
  with the corrective actions opened for that product and batch.
* **Corrective actions**: those opened on the period's cases or for its batch problems.
* **Typical cases**: the period's cases marked typical, for training.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col
from sqlmodel.sql.sqltypes import UTCDateTime

from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.vocabulary import (
    SEVERITY_BY_LEVEL,
    Action,
    Closure,
    ProposalStatus,
    Status,
)
from kesu_desk.services import corrective
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import money
from kesu_desk.sla import as_utc, utcnow
from kesu_desk.store.models import Case, CaseEvent, CorrectiveAction, Customer, Department, Proposal
from kesu_desk.text import one_line

DEFAULT_BATCH_THRESHOLD = 5  # DOMAIN.md: five or more units of one batch
TOP_CAUSES = 10
DEADLINES = ("acknowledge", "department", "answer", "follow_up")
SUMMARY_CHARS = 80


# -- the figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    code: str  # a category, department, channel or severity; "" when the case has none
    n: int


@dataclass(frozen=True)
class DeadlineCount:
    department: str  # "" = no department yet
    deadline: str  # one of DEADLINES
    kept: int
    missed: int
    pending: int

    @property
    def kept_share(self) -> float | None:
        """Kept as a percentage of the deadlines decided (kept or missed)."""
        decided = self.kept + self.missed
        return None if not decided else 100.0 * self.kept / decided


@dataclass(frozen=True)
class RemedyCount:
    remedy: str
    n: int
    cost: Decimal


@dataclass(frozen=True)
class Satisfaction:
    distribution: dict[int, int]  # score 1..5 -> cases
    not_reached: int  # closed because the customer could not be reached for the survey

    @property
    def surveyed(self) -> int:
        return sum(self.distribution.values())

    @property
    def average(self) -> Decimal | None:
        if not self.surveyed:
            return None
        total = sum(score * n for score, n in self.distribution.items())
        return (Decimal(total) / self.surveyed).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Cause:
    cause: str  # a fishbone factor, or a cause text; "" = the other causes together
    n: int
    share: float  # percent of the cases with a cause
    cumulative: float  # percent, this line and every line above it


@dataclass(frozen=True)
class RepeatComplainant:
    customer_id: int
    name: str
    numbers: tuple[str, ...]  # their cases of the period, oldest first


@dataclass(frozen=True)
class BatchProblem:
    product: str
    batch: str
    in_period: int
    total: int
    corrective: tuple[CorrectiveView, ...]


@dataclass(frozen=True)
class TypicalCase:
    number: str
    registered_at: datetime
    category: str
    department: str
    severity: str
    status: str
    satisfaction: int | None
    summary: str


@dataclass(frozen=True)
class PeriodReport:
    start: date
    end: date
    timezone: str
    generated_at: datetime
    total: int
    closed: int
    not_founded: int
    merged: int
    by_category: list[Count]
    by_department: list[Count]
    by_channel: list[Count]
    by_severity: list[Count]
    deadlines: list[DeadlineCount]
    remedies: list[RemedyCount]
    satisfaction: Satisfaction
    causes_by_factor: list[Cause]
    causes_by_text: list[Cause]
    repeat_complainants: list[RepeatComplainant]
    batch_threshold: int
    batch_problems: list[BatchProblem]
    corrective_actions: list[CorrectiveView]
    typical: list[TypicalCase]
    department_names: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def remedies_given(self) -> int:
        return sum(r.n for r in self.remedies)

    @property
    def total_cost(self) -> Decimal:
        return sum((r.cost for r in self.remedies), Decimal("0.00"))


def period_bounds(desk: Desk, start: date, end: date) -> tuple[datetime, datetime]:
    """[first moment of ``start``, first moment after ``end``) in UTC, local days of the desk.

    The first and the last day Python knows (0001-01-01, 9999-12-31) have no local midnight in
    UTC on every side of Greenwich: there the bounds are the first and last moments Python
    knows, so ``--from 0001-01-01 --to 9999-12-31`` is every case."""
    if end < start:
        raise InvalidInput("bad_period", start=start.isoformat(), end=end.isoformat())
    tz = desk.calendar.tz
    return _midnight(start, tz, datetime.min), _midnight(end, tz, datetime.max, next_day=True)


def _midnight(day: date, tz: Any, limit: datetime, *, next_day: bool = False) -> datetime:
    """The local midnight starting ``day`` (or the day after it) in UTC, or ``limit`` when that
    is outside the calendar."""
    try:
        if next_day:
            day += timedelta(days=1)
        return datetime.combine(day, time(), tz).astimezone(UTC)
    except OverflowError:
        return limit.replace(tzinfo=UTC)


def batch_threshold(desk: Desk) -> int:
    """How many cases of one batch make a batch problem: what the rules in force fire on."""
    counts = [
        rule.when.batch_count_min for rule in desk.rules
        if rule.when.batch_count_min is not None and rule.then.corrective_action
    ]
    return min(counts, default=DEFAULT_BATCH_THRESHOLD)


def build_report(desk: Desk, start: date, end: date, *, now: datetime | None = None) -> PeriodReport:
    """Every figure of the review of the cases registered from ``start`` to ``end``."""
    first, after = period_bounds(desk, start, end)
    now = as_utc(now or utcnow())
    threshold = batch_threshold(desk)
    with desk.uow(write=False) as uow:
        s = uow.session
        in_period = sa.and_(col(Case.registered_at) >= first, col(Case.registered_at) < after)
        total, closed, not_founded, merged = _headline(s, in_period)
        batches = _batch_problems(s, in_period, threshold)
        actions = _corrective_actions(s, in_period, [(b[0], b[1]) for b in batches])
        return PeriodReport(
            start=start, end=end, timezone=str(desk.calendar.tz), generated_at=now,
            total=total, closed=closed, not_founded=not_founded, merged=merged,
            by_category=_counts(s, in_period, col(Case.category)),
            by_department=_counts(s, in_period, sa.func.coalesce(col(Case.department_code), "")),
            by_channel=_counts(s, in_period, col(Case.channel)),
            by_severity=_by_severity(s, in_period),
            deadlines=_deadlines(s, in_period, now),
            remedies=_remedies(s, in_period),
            satisfaction=_satisfaction(s, in_period),
            causes_by_factor=_pareto(_grouped(s, in_period, col(Case.fishbone_factor))),
            causes_by_text=_pareto(_cause_texts(s, in_period), top=TOP_CAUSES),
            repeat_complainants=_repeat_complainants(s, in_period),
            batch_threshold=threshold,
            batch_problems=[
                BatchProblem(p, b, n, total_n,
                             tuple(a for a in actions if (a.product, a.batch) == (p, b)))
                for p, b, n, total_n in batches
            ],
            corrective_actions=actions,
            typical=_typical(s, in_period),
            department_names=_department_names(s),
        )


def _headline(s: Session, in_period: Any) -> tuple[int, int, int, int]:
    def where(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = s.execute(
        sa.select(
            sa.func.count(),
            where(col(Case.status) == Status.CLOSED.value),
            where(col(Case.closure) == Closure.NOT_FOUNDED.value),
            where(col(Case.closure) == Closure.MERGED.value),
        ).select_from(Case).where(in_period)
    ).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _grouped(s: Session, in_period: Any, key: Any) -> list[tuple[str, int]]:
    rows = s.execute(
        sa.select(key, sa.func.count()).select_from(Case)
        .where(in_period, key.is_not(None), key != "").group_by(key)
    ).all()
    return [(str(k), int(n)) for k, n in rows]


def _counts(s: Session, in_period: Any, key: Any) -> list[Count]:
    rows = s.execute(sa.select(key, sa.func.count()).select_from(Case).where(in_period).group_by(key)).all()
    return sorted((Count(str(k or ""), int(n)) for k, n in rows), key=lambda c: (-c.n, c.code))


def _by_severity(s: Session, in_period: Any) -> list[Count]:
    rows = s.execute(
        sa.select(col(Case.severity), sa.func.count()).select_from(Case).where(in_period)
        .group_by(col(Case.severity))
    ).all()
    # Most severe first: the order the review reads them in.
    return [Count(SEVERITY_BY_LEVEL[level].value, int(n)) for level, n in sorted(rows, reverse=True)]


def _deadlines(s: Session, in_period: Any, now: datetime) -> list[DeadlineCount]:
    e = CaseEvent
    first = sa.func.min
    registered = Status.REGISTERED.value
    done = (
        sa.select(
            col(e.case_id).label("case_id"),
            first(sa.case((sa.and_(col(e.from_status) == registered,
                                   col(e.to_status) != registered), col(e.at)))).label("acknowledge"),
            first(sa.case((sa.and_(col(e.action) == Action.PROPOSE.value,
                                   col(e.at) >= col(Case.assigned_at)), col(e.at)))).label("department"),
            first(sa.case((sa.or_(col(e.action) == Action.CUSTOMER_ANSWER.value,
                                  sa.and_(col(e.action) == Action.DECIDE_VALIDITY.value,
                                          col(e.to_status) == Status.CLOSED.value)),
                           col(e.at)))).label("answer"),
            first(sa.case((sa.and_(col(e.action).in_([Action.FOLLOW_UP.value, Action.CLOSE.value]),
                                   col(e.at) >= col(Case.implemented_at)), col(e.at)))).label("follow_up"),
        )
        .join(Case, col(Case.id) == e.case_id)
        .where(in_period)
        .group_by(col(e.case_id))
        .subquery()
    )
    moment = sa.literal(now, UTCDateTime())  # the type of the deadline columns
    due_columns = {
        "acknowledge": col(Case.acknowledge_due_at),
        "department": col(Case.department_due_at),
        "answer": col(Case.answer_due_at),
        "follow_up": col(Case.follow_up_due_at),
    }
    paused = {"department": col(Case.waiting_since).is_not(None)}

    def tally(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    columns: list[Any] = []
    for name in DEADLINES:
        due, answered = due_columns[name], done.c[name]
        late = sa.and_(answered.is_(None), due <= moment)
        if name in paused:
            late = sa.and_(late, sa.not_(paused[name]))
        columns += [
            tally(sa.and_(due.is_not(None), answered.is_not(None), answered <= due)),
            tally(sa.and_(due.is_not(None), sa.or_(answered > due, late))),
            tally(sa.and_(due.is_not(None), answered.is_(None), sa.not_(late))),
        ]
    department = sa.func.coalesce(col(Case.department_code), "")
    rows = s.execute(
        sa.select(department, *columns)
        .select_from(Case)
        .outerjoin(done, done.c.case_id == Case.id)
        .where(in_period, sa.func.coalesce(col(Case.closure), "") != Closure.MERGED.value)
        .group_by(department)
        .order_by(department)
    ).all()
    result: list[DeadlineCount] = []
    for row in rows:
        for i, name in enumerate(DEADLINES):
            kept, missed, pending = (int(v) for v in row[1 + 3 * i: 4 + 3 * i])
            if kept or missed or pending:
                result.append(DeadlineCount(str(row[0]), name, kept, missed, pending))
    return result


def _remedies(s: Session, in_period: Any) -> list[RemedyCount]:
    rows = s.execute(
        sa.select(col(Proposal.remedy), sa.func.count(),
                  sa.func.coalesce(sa.func.sum(col(Proposal.amount_cents)), 0))
        .join(Case, col(Case.id) == Proposal.case_id)
        .where(in_period, col(Proposal.status) == ProposalStatus.ACCEPTED.value,
               col(Case.implemented_at) >= col(Proposal.proposed_at))
        .group_by(col(Proposal.remedy))
    ).all()
    given = [RemedyCount(str(r), int(n), money(int(c)) or Decimal(0)) for r, n, c in rows]
    return sorted(given, key=lambda r: (-r.n, r.remedy))


def _satisfaction(s: Session, in_period: Any) -> Satisfaction:
    rows = s.execute(
        sa.select(col(Case.satisfaction), sa.func.count()).select_from(Case)
        .where(in_period, col(Case.satisfaction).is_not(None)).group_by(col(Case.satisfaction))
    ).all()
    found = {int(score): int(n) for score, n in rows}
    not_reached = s.execute(
        sa.select(sa.func.count()).select_from(Case)
        .where(in_period, col(Case.closure) == Closure.NO_ANSWER.value)
    ).scalar_one()
    return Satisfaction({score: found.get(score, 0) for score in range(1, 6)}, int(not_reached))


def _cause_texts(s: Session, in_period: Any) -> list[tuple[str, int]]:
    """Cause texts counted together when they differ only in case and spacing; each group is
    named by its most frequent spelling."""
    groups: dict[str, dict[str, int]] = {}
    for text, n in _grouped(s, in_period, col(Case.cause_why)):
        shown = one_line(text)
        if shown:
            spellings = groups.setdefault(shown.casefold(), {})
            spellings[shown] = spellings.get(shown, 0) + n
    return [
        (max(spellings.items(), key=lambda kv: (kv[1], kv[0]))[0], sum(spellings.values()))
        for spellings in groups.values()
    ]


def _pareto(counts: Iterable[tuple[str, int]], *, top: int | None = None) -> list[Cause]:
    ordered = sorted(counts, key=lambda c: (-c[1], c[0]))
    if top is not None and len(ordered) > top:
        ordered = [*ordered[:top], ("", sum(n for _, n in ordered[top:]))]
    total = sum(n for _, n in ordered)
    causes: list[Cause] = []
    running = 0
    for cause, n in ordered:
        running += n
        causes.append(Cause(cause, n, 100.0 * n / total, 100.0 * running / total))
    return causes


def _repeat_complainants(s: Session, in_period: Any) -> list[RepeatComplainant]:
    repeat = (
        sa.select(col(Case.customer_id)).where(in_period).group_by(col(Case.customer_id))
        .having(sa.func.count() >= 2)
    )
    rows = s.execute(
        sa.select(col(Customer.id), col(Customer.name), col(Case.number))
        .join(Case, col(Case.customer_id) == Customer.id)
        .where(in_period, col(Customer.id).in_(repeat.scalar_subquery()))
        .order_by(col(Case.id))
    ).all()
    numbers: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for customer_id, name, number in rows:
        numbers.setdefault(customer_id, []).append(number)
        names[customer_id] = name
    found = [RepeatComplainant(cid, names[cid], tuple(nums)) for cid, nums in numbers.items()]
    return sorted(found, key=lambda r: (-len(r.numbers), r.customer_id))


def _batch_problems(s: Session, in_period: Any, threshold: int) -> list[tuple[str, str, int, int]]:
    period = (
        sa.select(col(Case.product).label("product"), col(Case.batch).label("batch"),
                  sa.func.count().label("n"))
        .where(in_period, col(Case.product) != "", col(Case.batch) != "")
        .group_by(col(Case.product), col(Case.batch))
        .subquery()
    )
    everyone = sa.func.count(col(Case.id))
    rows = s.execute(
        sa.select(period.c.product, period.c.batch, period.c.n, everyone)
        .join(Case, sa.and_(col(Case.product) == period.c.product, col(Case.batch) == period.c.batch))
        .group_by(period.c.product, period.c.batch, period.c.n)
        .having(everyone >= threshold)
    ).all()
    found = [(str(p), str(b), int(n), int(total)) for p, b, n, total in rows]
    return sorted(found, key=lambda r: (-r[3], r[0], r[1]))


def _corrective_actions(s: Session, in_period: Any, batches: Sequence[tuple[str, str]]) -> list[CorrectiveView]:
    conditions = [in_period]
    if batches:
        conditions.append(sa.tuple_(col(CorrectiveAction.product), col(CorrectiveAction.batch)).in_(batches))
    return corrective.views(s, sa.or_(*conditions))


def _typical(s: Session, in_period: Any) -> list[TypicalCase]:
    rows = s.execute(
        sa.select(Case).where(in_period, col(Case.typical).is_(True)).order_by(col(Case.id))
    ).scalars().all()
    return [
        TypicalCase(c.number, c.registered_at, c.category, c.department_code or "",
                    SEVERITY_BY_LEVEL[c.severity].value, c.status, c.satisfaction,
                    one_line(c.description, SUMMARY_CHARS))
        for c in rows
    ]


def _department_names(s: Session) -> dict[str, dict[str, str]]:
    return {
        d.code: {"zh": d.name_zh, "en": d.name_en, "es": d.name_es}
        for d in s.execute(sa.select(Department)).scalars()
    }
