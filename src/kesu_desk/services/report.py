"""The period review (总结评价, DOMAIN.md step 10): every figure as plain data.

:func:`build_report` returns a :class:`PeriodReport` (language-neutral: codes and numbers), read
through the figures' read model (store/figures.py) within the reader's scope: a handler's review
is of their department's cases, agents may not ask for one (domain/access.py, ``Use.REPORT``).
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
* **Remedies given** are proposals the customer accepted on cases implemented since (each remedy
  of a proposal of several counted with its own amount, issue 13): a case
  reopened and given a second remedy counts both. Their cost is the sum of their amounts (goods
  remedies without an amount cost 0 here).
* **Satisfaction** is each case's latest survey score (1–5): average and distribution; cases
  closed because the customer could not be reached are counted apart.
* **Causes** in Pareto order (most frequent first, with the cumulative share): by fishbone factor,
  and by cause text (the 5W2H *why*, compared ignoring case and spacing; the
  :data:`TOP_CAUSES` most frequent, the rest as one "other" line).
* **Repeat complainants**: customers with two or more cases in the period.
* **Batch problems**: a product and batch (both recorded) with at least one case in the period
  and at least the batch threshold of cases in all, of any department (the rules' threshold,
  ``RuleSet.batch_threshold``: what the rules fire on, and what the overview counts), with the
  corrective actions opened for that product and batch.
* **Corrective actions**: those opened on the period's cases or for its batch problems (on cases
  the reader may see).
* **Typical cases**: the period's cases marked typical, for training.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.errors import InvalidInput
from kesu_desk.services import corrective
from kesu_desk.services.audit import record_read
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.desk import Desk
from kesu_desk.services.stores import store_scope
from kesu_desk.services.views import money
from kesu_desk.sla import as_utc, utcnow
from kesu_desk.store import figures
from kesu_desk.store.figures import (
    DEADLINES,
    Count,
    DeadlineCount,
    Period,
    RepeatComplainant,
    Satisfaction,
    TypicalCase,
)
from kesu_desk.text import one_line

__all__ = [
    "DEADLINES", "TOP_CAUSES", "BatchProblem", "Cause", "Count", "DeadlineCount", "PeriodReport",
    "RemedyCount", "RepeatComplainant", "Satisfaction", "TypicalCase", "build_report", "period_bounds",
]

TOP_CAUSES = 10


# -- the figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemedyCount:
    remedy: str
    n: int
    cost: Decimal


@dataclass(frozen=True)
class Cause:
    cause: str  # a fishbone factor, or a cause text; "" = the other causes together
    n: int
    share: float  # percent of the cases with a cause
    cumulative: float  # percent, this line and every line above it


@dataclass(frozen=True)
class BatchProblem:
    product: str
    batch: str
    in_period: int
    total: int
    corrective: tuple[CorrectiveView, ...]


@dataclass(frozen=True)
class Accountable:
    person: str
    cases: int  # implementations naming them responsible
    penalties: Decimal  # the amounts, added up
    shares: list[Decimal]  # the shares of performance pay, in percent, one per penalty


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
    first_contact: int  # resolved at the first contact
    by_kind: list[Count]  # complaints, inquiries and suggestions, counted apart
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
    # Issue 13, accountability (internal): who answered for the period's complaints, and who
    # delayed them.
    accountability: list[Accountable] = field(default_factory=list)
    delays: list[Count] = field(default_factory=list)

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


def build_report(
    desk: Desk, start: date, end: date, *, now: datetime | None = None, store: str | None = None
) -> PeriodReport:
    """Every figure of the review of the cases registered from ``start`` to ``end`` that the
    desk's reader may see (AccessDenied for a reader who may not ask for the review); with
    ``store``, of that store's cases only (issue 13)."""
    require(desk.reader, Use.REPORT)
    period = Period(*period_bounds(desk, start, end))
    scope = store_scope(desk, store)
    now = as_utc(now or utcnow())
    threshold = desk.rules.batch_threshold
    with desk.uow(write=False) as uow:
        s = uow.session
        total, closed, not_founded, merged, first_contact = figures.headline(s, period, scope)
        batches = figures.batch_problems(s, threshold, period, scope=scope)
        actions = corrective.views(
            s, figures.corrective_actions_of(period, [(b.product, b.batch) for b in batches], scope))
        repeat = figures.repeat_complainants(s, period, scope)
        report = PeriodReport(
            start=start, end=end, timezone=str(desk.calendar.tz), generated_at=now,
            total=total, closed=closed, not_founded=not_founded, merged=merged,
            first_contact=first_contact, by_kind=figures.counts(s, period, "kind", scope),
            by_category=figures.counts(s, period, "category", scope),
            by_department=figures.counts(s, period, "department", scope),
            by_channel=figures.counts(s, period, "channel", scope),
            by_severity=figures.by_severity(s, period, scope),
            deadlines=figures.deadlines(s, period, now, scope),
            remedies=sorted((RemedyCount(r, n, money(cents) or Decimal(0))
                             for r, n, cents in figures.remedies(s, period, scope)),
                            key=lambda r: (-r.n, r.remedy)),
            satisfaction=figures.satisfaction(s, period, scope),
            causes_by_factor=_pareto(figures.causes(s, period, "fishbone", scope)),
            causes_by_text=_pareto(_cause_texts(figures.causes(s, period, "why", scope)), top=TOP_CAUSES),
            repeat_complainants=repeat,
            batch_threshold=threshold,
            batch_problems=[
                BatchProblem(b.product, b.batch, b.cases, b.total,
                             tuple(a for a in actions if (a.product, a.batch) == (b.product, b.batch)))
                for b in batches
            ],
            corrective_actions=actions,
            typical=figures.typical(s, period, scope),
            department_names=figures.department_names(s),
            accountability=[Accountable(person, n, money(cents) or Decimal("0.00"),
                                        [Decimal(share) / 100 for share in shares])
                            for person, n, cents, shares in figures.accountability(s, period, scope)],
            delays=[Count(person, n) for person, n in figures.delays(s, period, scope)],
        )
    if report.repeat_complainants:  # it names customers and their cases: in the access log
        record_read(desk, Use.REPORT, {"from": start.isoformat(), "to": end.isoformat(),
                                       "departments": sorted(scope.departments or ["*"]),
                                       **({"stores": sorted(scope.stores)} if scope.stores else {})},
                    rows=len(report.repeat_complainants))
    return report


def _cause_texts(recorded: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Cause texts counted together when they differ only in case and spacing; each group is
    named by its most frequent spelling."""
    groups: dict[str, dict[str, int]] = {}
    for text, n in recorded:
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
