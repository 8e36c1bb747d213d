"""The period review (总结评价, DOMAIN.md step 10): every figure as plain data, and its renderers.

:func:`build_report` returns a :class:`PeriodReport` (language-neutral: codes and numbers);
:func:`report_tables` lays it out as titled tables in the user's language, which
:func:`render_markdown`, :func:`render_html` and :func:`render_csv` write out, and a screen can
show as they are.

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

import csv
import html
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

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
from kesu_desk.i18n import catalogue, t
from kesu_desk.services import corrective
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import money
from kesu_desk.sla import as_utc, utcnow
from kesu_desk.store.models import Case, CaseEvent, CorrectiveAction, Customer, Department, Proposal
from kesu_desk.text import csv_cell, one_line, visible, visible_line

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


# -- the figures as tables, in the user's language ------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: str  # machine-readable: a code, an ISO date, a plain number ("" = none)
    text: str  # for people, in the report's language


@dataclass(frozen=True)
class Table:
    key: str  # the section's name in the CSV
    title: str
    columns: list[str]  # machine names (CSV header)
    headers: list[str]  # for people
    rows: list[list[Cell]]
    numeric: frozenset[int] = frozenset()  # columns to right-align


def name_of(table: str, code: str, lang: str) -> str:
    """A code in words (``report.<table>.<code>``, else the shared ``<table>.<code>``), or the
    code itself when no catalogue names it: categories and factors can be anything."""
    if not code:
        return t("report.none", lang)
    names = catalogue(lang)
    return names.get(f"report.{table}.{code}") or names.get(f"{table}.{code}") or code


def department_name(report: PeriodReport, code: str, lang: str) -> str:
    if not code:
        return t("report.no_department", lang)
    names = report.department_names.get(code)
    return f"{code} {names[lang]}" if names else code


def local_time(moment: datetime | None, tz: Any) -> str:
    return "" if moment is None else as_utc(moment).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _n(value: int) -> Cell:
    return Cell(str(value), f"{value:,}")


def _pct(value: float | None) -> Cell:
    return Cell("", "–") if value is None else Cell(f"{value:.1f}", f"{value:.1f}%")


def _money(value: Decimal | None) -> Cell:
    return Cell("", "–") if value is None else Cell(f"{value:.2f}", f"{value:,.2f}")


def _code(table: str, code: str, lang: str) -> Cell:
    return Cell(code, name_of(table, code, lang))


def _text(value: str) -> Cell:
    return Cell(value, value)


def report_tables(report: PeriodReport, lang: str) -> list[Table]:
    """The review as titled tables, in order; the CSV, Markdown and HTML all write these."""
    tz = ZoneInfo(report.timezone)

    def h(*keys: str) -> list[str]:
        return [t(f"report.col.{k}", lang) for k in keys]

    def table(key: str, columns: list[str], rows: list[list[Cell]], numeric: Iterable[int] = ()) -> Table:
        return Table(key, t(f"report.section.{key}", lang), columns, h(*columns), rows, frozenset(numeric))

    def counts(key: str, kind: str, items: list[Count], namer: Callable[[str], str]) -> Table:
        total = sum(c.n for c in items)
        rows = [[Cell(c.code, namer(c.code)), _n(c.n), _pct(100.0 * c.n / total if total else None)]
                for c in items]
        return table(key, [kind, "cases", "share"], rows, (1, 2))

    sat = report.satisfaction
    summary = [
        ("total", _n(report.total)),
        ("closed", _n(report.closed)),
        ("open", _n(report.open)),
        ("not_founded", _n(report.not_founded)),
        ("merged", _n(report.merged)),
        ("remedies_given", _n(report.remedies_given)),
        ("total_cost", _money(report.total_cost)),
        ("surveyed", _n(sat.surveyed)),
        ("satisfaction_average", _money(sat.average)),
        ("not_reached", _n(sat.not_reached)),
        ("batch_problems", _n(len(report.batch_problems))),
        ("corrective_actions", _n(len(report.corrective_actions))),
        ("typical", _n(len(report.typical))),
    ]
    tables = [
        table("summary", ["figure", "value"],
              [[Cell(k, t(f"report.figure.{k}", lang)), v] for k, v in summary], (1,)),
        counts("by_category", "category", report.by_category, lambda c: name_of("category", c, lang)),
        counts("by_department", "department", report.by_department,
               lambda c: department_name(report, c, lang)),
        counts("by_channel", "channel", report.by_channel, lambda c: name_of("channel", c, lang)),
        counts("by_severity", "severity", report.by_severity, lambda c: name_of("severity", c, lang)),
    ]
    tables.append(table(
        "deadlines", ["department", "deadline", "kept", "missed", "pending", "kept_share"],
        [[Cell(d.department, department_name(report, d.department, lang)),
          _code("deadline", d.deadline, lang), _n(d.kept), _n(d.missed), _n(d.pending),
          _pct(d.kept_share)] for d in _with_totals(report.deadlines)],
        (2, 3, 4, 5),
    ))
    tables.append(table(
        "remedies", ["remedy", "cases", "cost"],
        [[_code("remedy", r.remedy, lang), _n(r.n), _money(r.cost)] for r in report.remedies]
        + [[Cell("*", t("report.all", lang)), _n(report.remedies_given), _money(report.total_cost)]],
        (1, 2),
    ))
    tables.append(table(
        "satisfaction", ["score", "cases", "share"],
        [[Cell(str(score), f"{score} {name_of('score', str(score), lang)}"), _n(n),
          _pct(100.0 * n / sat.surveyed if sat.surveyed else None)]
         for score, n in sorted(sat.distribution.items(), reverse=True)],
        (1, 2),
    ))
    for key, kind, causes in (("causes_by_factor", "fishbone", report.causes_by_factor),
                              ("causes_by_text", "cause", report.causes_by_text)):
        tables.append(table(
            key, [kind, "cases", "share", "cumulative"],
            [[Cell(c.cause, t("report.other", lang) if not c.cause
                   else c.cause if kind == "cause" else name_of(kind, c.cause, lang)),
              _n(c.n), _pct(c.share), _pct(c.cumulative)] for c in causes],
            (1, 2, 3),
        ))
    tables.append(table(
        "repeat_complainants", ["customer_id", "customer", "cases", "numbers"],
        [[_text(str(r.customer_id)), _text(r.name), _n(len(r.numbers)), _text(" ".join(r.numbers))]
         for r in report.repeat_complainants],
        (0, 2),
    ))
    tables.append(table(
        "batch_problems", ["product", "batch", "in_period", "total", "corrective"],
        [[_text(b.product), _text(b.batch), _n(b.in_period), _n(b.total),
          Cell(" ".join(str(a.id) for a in b.corrective),
               "; ".join(_corrective_line(a, lang) for a in b.corrective) or t("report.missing_corrective", lang))]
         for b in report.batch_problems],
        (2, 3),
    ))
    tables.append(table(
        "corrective_actions",
        ["id", "case", "product", "batch", "action", "owner", "due", "status", "rounds", "check_due",
         "effective"],
        [[_text(str(a.id)), _text(a.case_number), _text(a.product), _text(a.batch), _text(one_line(a.action)),
          _text(a.owner), Cell(a.due_date.isoformat(), a.due_date.isoformat()),
          _code("corrective_status", a.status.value, lang), _n(a.rounds),
          Cell(a.check_due.isoformat() if a.check_due else "", a.check_due.isoformat() if a.check_due else "–"),
          _yes_no(a.effective, lang)]
         for a in report.corrective_actions],
        (0, 8),
    ))
    tables.append(table(
        "typical", ["case", "registered", "category", "department", "severity", "status",
                    "satisfaction", "summary"],
        [[_text(c.number), Cell(as_utc(c.registered_at).isoformat(), local_time(c.registered_at, tz)),
          _code("category", c.category, lang), Cell(c.department, department_name(report, c.department, lang)),
          _code("severity", c.severity, lang), _code("status", c.status, lang),
          Cell("" if c.satisfaction is None else str(c.satisfaction),
               "–" if c.satisfaction is None else str(c.satisfaction)),
          _text(c.summary)]
         for c in report.typical],
        (6,),
    ))
    return tables


def _with_totals(rows: list[DeadlineCount]) -> list[DeadlineCount]:
    """The departments' lines, then one line per deadline for all departments together ("*")."""
    totals = [
        DeadlineCount("*", name, sum(r.kept for r in rows if r.deadline == name),
                      sum(r.missed for r in rows if r.deadline == name),
                      sum(r.pending for r in rows if r.deadline == name))
        for name in DEADLINES if any(r.deadline == name for r in rows)
    ]
    return [*rows, *totals]


def _yes_no(value: bool | None, lang: str) -> Cell:
    if value is None:
        return Cell("", "–")
    return Cell("yes" if value else "no", t("report.yes" if value else "report.no", lang))


def _corrective_line(a: CorrectiveView, lang: str) -> str:
    return t("report.corrective_line", lang, id=a.id, status=name_of("corrective_status", a.status.value, lang),
             owner=a.owner, due=a.due_date.isoformat())


# -- renderers ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_text(value: str, *, line_start: bool = False) -> str:
    """User text for Markdown: one line, every character that could become markup escaped
    (inline markup, HTML, table pipes; with ``line_start``, a heading or list marker too), control
    characters as pictures (text.visible: Markdown is read on terminals too)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", visible_line(value))
    if line_start:
        escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)
        escaped = re.sub(r"^([#+=-])", r"\\\1", escaped)
    return escaped


def render_markdown(report: PeriodReport, lang: str) -> str:
    out = [f"# {md_text(_title(report, lang))}", "", md_text(_subtitle(report, lang)), ""]
    for tbl in report_tables(report, lang):
        out += [f"## {md_text(tbl.title)}", ""]
        if not tbl.rows:
            out += [md_text(t("report.empty", lang)), ""]
            continue
        out.append("| " + " | ".join(md_text(x) for x in tbl.headers) + " |")
        out.append("|" + "|".join("---:" if i in tbl.numeric else "---" for i in range(len(tbl.headers))) + "|")
        for row in tbl.rows:
            out.append("| " + " | ".join(md_text(c.text) for c in row) + " |")
        out.append("")
    return "\n".join(out)


_STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
section, table { break-inside: avoid; }
.muted { color: #666; }
@media print { body { margin: 0; } }
"""


def html_text(value: str) -> str:
    """User text for HTML: escaped, control characters as pictures (HTML has no place for them,
    and a page may well be looked at with ``cat``)."""
    return html.escape(visible(value))


def html_page(title: str, lang: str, body: Iterable[str]) -> str:
    """A whole, self-contained HTML document; ``body`` is markup built with :func:`html_text`."""
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])


def html_table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: frozenset[int] = frozenset()) -> str:
    def cell(i: int, text: str, tag: str = "td") -> str:
        cls = ' class="n"' if i in numeric and tag == "td" else ""
        return f"<{tag}{cls}>{html_text(text)}</{tag}>"

    head = "".join(cell(i, x, "th") for i, x in enumerate(headers))
    body = "\n".join("<tr>" + "".join(cell(i, x) for i, x in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def render_html(report: PeriodReport, lang: str) -> str:
    title = _title(report, lang)
    body = [f"<h1>{html_text(title)}</h1>",
            f'<p class="muted">{html_text(_subtitle(report, lang))}</p>']
    for tbl in report_tables(report, lang):
        body.append(f'<section id="{html.escape(tbl.key)}">')
        body.append(f"<h2>{html_text(tbl.title)}</h2>")
        if tbl.rows:
            body.append(html_table(tbl.headers, ([c.text for c in row] for row in tbl.rows), tbl.numeric))
        else:
            body.append(f'<p class="muted">{html_text(t("report.empty", lang))}</p>')
        body.append("</section>")
    return html_page(title, lang, body)


# The CSV layout is described to users in `kesu-desk report --help` (cli.REPORT_CSV_HELP).


def render_csv(report: PeriodReport, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, tbl in enumerate(report_tables(report, lang)):
        if i:
            out.write("\n")
        writer.writerow(["section", *tbl.columns])
        for row in tbl.rows:
            writer.writerow([tbl.key, *(csv_cell(c.value) for c in row)])
    return out.getvalue()


def _title(report: PeriodReport, lang: str) -> str:
    return t("report.title", lang, start=report.start.isoformat(), end=report.end.isoformat())


def _subtitle(report: PeriodReport, lang: str) -> str:
    return t("report.subtitle", lang, start=report.start.isoformat(), end=report.end.isoformat(),
             tz=report.timezone, now=local_time(report.generated_at, ZoneInfo(report.timezone)))


RENDERERS: dict[str, Callable[[PeriodReport, str], str]] = {
    "md": render_markdown,
    "html": render_html,
    "csv": render_csv,
}
