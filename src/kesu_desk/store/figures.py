"""Read models of the figures: the supervisor's overview and the period review (总结评价).

Plain data out (codes, numbers, UTC moments); the services decide who may ask and in which
scope, the presentation turns it into words. Every function reads within a :class:`Scope`
(domain/access.py): ``department_code IN (…)`` is added unless the scope is every case, and an
empty scope reads nothing.

* The overview's figures are each one indexed query or the kept counts (``case_counts``),
  compiled once per shape (``queries.fetch_compiled``), so the screen stays quick on a million cases
  (``benchmarks/overview.py`` times them).
* The review's figures are about the cases registered in a :class:`Period` (the
  ``registered_at`` index), as they stand; services/report.py says what each one counts.
* :func:`batch_problems` is the one query for batch problems, for both: the product batches
  with at least the rules' threshold of cases in all, with how many of their cases are open
  (the overview) or of the period (the review).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import ColumnElement, DateTime, Select, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased
from sqlmodel import Session, col
from sqlmodel.sql.sqltypes import UTCDateTime

from kesu_desk.domain.access import EVERYTHING, Scope
from kesu_desk.domain.numbering import day_key
from kesu_desk.domain.vocabulary import (
    OPEN_STATUSES,
    SEVERITY_BY_LEVEL,
    SEVERITY_LEVELS,
    Action,
    Closure,
    ProposalStatus,
    Severity,
    Status,
)
from kesu_desk.store.models import (
    Case,
    CaseCount,
    CaseEvent,
    CaseImplementation,
    CorrectiveAction,
    Customer,
    Department,
    Proposal,
    ProposalRemedy,
    Survey,
)

# The statement cache and driver shortcut of the queue's read model (store/queries.py), shared
# so the overview's figures cost what the queue's counts cost.
from kesu_desk.store.queries import fetch_compiled
from kesu_desk.text import one_line

DEADLINES = ("acknowledge", "department", "answer", "follow_up")
SUMMARY_CHARS = 80


# -- the scope -------------------------------------------------------------------------------------


def in_scope(department: Any, scope: Scope) -> list[ColumnElement[bool]]:
    """The condition keeping a read on a ``department_code`` column of cases within ``scope``
    (none for every case; an empty scope is an empty IN, which matches nothing). A store
    manager's scope keeps to ``cases.store_code`` (issue 13)."""
    if scope.departments is None:
        return []
    if scope.stores:
        return [col(Case.store_code).in_(sorted(scope.stores))]
    return [col(department).in_(sorted(scope.departments))]


def _scope_bound(department: Any, scope: Scope, store: Any = Case.store_code) -> list[ColumnElement[bool]]:
    """:func:`in_scope` with bind parameters ``sd0…``, for statements compiled once per shape.
    ``store=None`` for a table without stores: a store's scope reads nothing there."""
    if scope.departments is None:
        return []
    if scope.stores and store is not None:
        return [col(store).in_([bindparam(f"ss{i}") for i in range(len(scope.stores))])]
    return [col(department).in_([bindparam(f"sd{i}") for i in range(len(scope.departments))])]


def _scope_params(scope: Scope) -> dict[str, str]:
    return ({f"sd{i}": d for i, d in enumerate(sorted(scope.departments or ()))}
            | {f"ss{i}": s for i, s in enumerate(sorted(scope.stores or ()))})


def _scope_shape(scope: Scope) -> tuple[int, int] | None:
    return None if scope.departments is None else (len(scope.departments), len(scope.stores or ()))


# -- the overview ----------------------------------------------------------------------------------


def open_counts(session: Session, scope: Scope = EVERYTHING) -> dict[tuple[Status, str], int]:
    """Open cases per (status, department) ("" = not assigned yet), from the kept counts."""
    statuses = [s.value for s in Status if s in OPEN_STATUSES]

    def build() -> Any:
        status, department = col(CaseCount.status), col(CaseCount.department)
        return (
            select(status, department, func.sum(col(CaseCount.n)))
            .where(col(CaseCount.n) != 0, status.in_([bindparam(f"st{i}") for i in range(len(statuses))]),
                   *_scope_bound(CaseCount.department, scope, None))
            .group_by(status, department)
        )

    params = {f"st{i}": s for i, s in enumerate(statuses)} | _scope_params(scope)
    rows = fetch_compiled(session, ("open_counts", len(statuses), _scope_shape(scope)), build, params)
    counts: dict[tuple[Status, str], int] = {}
    for status, department, n in rows:
        if int(n):
            key = (Status(status), department or "")
            counts[key] = counts.get(key, 0) + int(n)
    return counts


# Case numbers are KS-<local registration day>-NNNN (services.cases.next_case_number): a range of
# numbers is a range of registration days, found on the unique index of numbers — the cases table
# has no index on registered_at fit for a day's count.
def _number_bounds(first_day: date, end_day: date) -> dict[str, str]:
    return {"lo": f"KS-{day_key(first_day)}-", "hi": f"KS-{day_key(end_day)}-"}


def _numbered_between() -> list[ColumnElement[bool]]:
    return [col(Case.number) >= bindparam("lo"), col(Case.number) < bindparam("hi")]


def count_registered(session: Session, first_day: date, end_day: date, scope: Scope = EVERYTHING) -> int:
    """Cases registered on local days ``first_day`` up to, not including, ``end_day``."""

    def build() -> Select[Any]:
        return select(func.count()).select_from(Case).where(
            *_numbered_between(), *_scope_bound(Case.department_code, scope))

    params = _number_bounds(first_day, end_day) | _scope_params(scope)
    return int(fetch_compiled(session, ("count_registered", _scope_shape(scope)), build, params)[0][0])


def registered_per_day_by_category(
    session: Session, first_day: date, end_day: date, scope: Scope = EVERYTHING
) -> list[tuple[date, str, int]]:
    """(local day, category, cases) for the days ``first_day`` up to, not including, ``end_day``."""

    def build() -> Select[Any]:
        day = func.substr(col(Case.number), 4, 8)
        return (
            select(day, col(Case.category), func.count())
            .where(*_numbered_between(), *_scope_bound(Case.department_code, scope))
            .group_by(day, col(Case.category))
        )

    params = _number_bounds(first_day, end_day) | _scope_params(scope)
    rows = fetch_compiled(session, ("per_day_by_category", _scope_shape(scope)), build, params)
    return [(datetime.strptime(d, "%Y%m%d").date(), category or "", int(n)) for d, category, n in rows]


def count_urgent_open(session: Session, scope: Scope = EVERYTHING) -> int:
    """Open urgent cases. Urgent cases are critical (registration and escalation set both), so
    the severity index narrows the search to the critical ones."""

    def build() -> Select[Any]:
        return select(func.count()).select_from(Case).where(
            col(Case.severity) == SEVERITY_LEVELS[Severity.CRITICAL],
            col(Case.urgent).is_(True),
            col(Case.status) != Status.CLOSED.value,
            *_scope_bound(Case.department_code, scope),
        )

    return int(fetch_compiled(session, ("count_urgent_open", _scope_shape(scope)), build, _scope_params(scope))[0][0])


def satisfaction_since(session: Session, since: datetime, scope: Scope = EVERYTHING) -> tuple[float | None, int]:
    """(average score, answered surveys) of the surveys recorded since ``since``."""

    def build() -> Select[Any]:
        stmt = select(func.avg(col(Survey.score)), func.count(col(Survey.score))).where(
            col(Survey.answered).is_(True), col(Survey.score).is_not(None),
            col(Survey.at) >= bindparam("since", type_=DateTime(timezone=True)),
        )
        if scope.departments is None:
            return stmt  # the surveys' own index answers alone
        return stmt.join(Case, col(Case.id) == col(Survey.case_id)).where(
            *_scope_bound(Case.department_code, scope))

    params: dict[str, Any] = {"since": since} | _scope_params(scope)
    average, n = fetch_compiled(session, ("satisfaction_since", _scope_shape(scope)), build, params)[0]
    return (float(average) if average is not None else None), int(n)


def causes_closed_since(session: Session, since: datetime, scope: Scope = EVERYTHING) -> list[tuple[str, int]]:
    """(fishbone factor, cases) of the cases closed since ``since`` (merged ones left out).

    ``closed_at`` is set exactly while a case is closed (every reopening clears it), so the
    status is not asked: an index on (closed_at, fishbone_factor, merged_into_id) answers this
    alone, where the status index would have to visit every closed case."""

    def build() -> Any:
        return (
            select(col(Case.fishbone_factor), func.count())
            .where(
                col(Case.closed_at) >= bindparam("since", type_=DateTime(timezone=True)),
                col(Case.fishbone_factor).is_not(None),
                col(Case.merged_into_id).is_(None),
                *_scope_bound(Case.department_code, scope),
            )
            .group_by(col(Case.fishbone_factor))
        )

    params: dict[str, Any] = {"since": since} | _scope_params(scope)
    rows = fetch_compiled(session, ("causes_closed_since", _scope_shape(scope)), build, params)
    return [(f, int(n)) for f, n in rows]


# -- batch problems (the overview and the review) -------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The cases registered from ``first`` up to, not including, ``after`` (UTC moments)."""

    first: datetime
    after: datetime

    def where(self, scope: Scope) -> list[ColumnElement[bool]]:
        return [col(Case.registered_at) >= self.first, col(Case.registered_at) < self.after,
                *in_scope(Case.department_code, scope)]


@dataclass(frozen=True)
class BatchCount:
    product: str
    batch: str
    cases: int  # of the cases asked about: the open ones, or the period's
    total: int  # the units of every case of the product batch, open or closed, of any department


def batch_problems(
    session: Session, threshold: int, period: Period | None = None, *, scope: Scope = EVERYTHING
) -> list[BatchCount]:
    """The product batches (both product and batch recorded) with ``threshold`` units or more
    in all (``total``: their units; ``cases``: the cases asked about), that have open cases (``period`` None) or cases registered in ``period`` within
    ``scope``; most cases first.

    The cases asked about are grouped first (the status or the registration index), then each
    group's batch is counted on the (product, batch) index, stopping at ``threshold`` for the
    groups that are no batch problem. Whether a batch is a batch problem does not depend on who
    asks: its total counts every case of the batch."""
    statuses = [s.value for s in Status if s in OPEN_STATUSES]
    shape = _scope_shape(scope)

    def build() -> Any:
        if period is None:
            among = "c.status IN ({})".format(", ".join(f":st{i}" for i in range(len(statuses))))
        else:
            among = "c.registered_at >= :first AND c.registered_at < :after"
        if shape is not None:
            departments, stores = shape
            column, name, n = ("store_code", "ss", stores) if stores else ("department_code", "sd", departments)
            among += " AND " + (
                "c.{} IN ({})".format(column, ", ".join(f":{name}{i}" for i in range(n)))
                if n else "1 = 0")
        return text(
            "SELECT g.product, g.batch, g.n, (SELECT SUM(t.units) FROM cases t "
            "WHERE t.product = g.product AND t.batch = g.batch) FROM ("
            "SELECT c.product AS product, c.batch AS batch, COUNT(*) AS n FROM cases c "
            f"WHERE {among} AND c.product <> '' AND c.batch <> '' GROUP BY c.product, c.batch) g "
            # every case has a unit at least: the units of ``cap`` cases reach ``cap`` (issue 13)
            "WHERE (SELECT SUM(u) FROM (SELECT d.units AS u FROM cases d WHERE d.product = g.product "
            "AND d.batch = g.batch LIMIT :cap) capped) >= :cap"
        )

    params: dict[str, Any] = {"cap": threshold} | _scope_params(scope)
    if period is None:
        params |= {f"st{i}": s for i, s in enumerate(statuses)}
    else:
        params |= {"first": period.first, "after": period.after}
    key = ("batch_problems", len(statuses) if period is None else None, shape)
    found = [BatchCount(str(p), str(b), int(n), int(total))
             for p, b, n, total in fetch_compiled(session, key, build, params)]
    return sorted(found, key=lambda b: (-b.total, b.product, b.batch))


# -- the period review -----------------------------------------------------------------------------


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
class RepeatComplainant:
    customer_id: int
    name: str
    numbers: tuple[str, ...]  # their cases of the period, oldest first


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


def headline(
    session: Session, period: Period, scope: Scope = EVERYTHING
) -> tuple[int, int, int, int, int]:
    """(cases, closed, not founded, merged, resolved at the first contact)."""

    def where(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = session.execute(
        sa.select(
            sa.func.count(),
            where(col(Case.status) == Status.CLOSED.value),
            where(col(Case.closure) == Closure.NOT_FOUNDED.value),
            where(col(Case.closure) == Closure.MERGED.value),
            where(col(Case.first_contact).is_(True)),
        ).select_from(Case).where(*period.where(scope))
    ).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4])


_COUNTED_BY = {
    "category": col(Case.category),
    "department": sa.func.coalesce(col(Case.department_code), ""),
    "channel": col(Case.channel),
    "kind": col(Case.kind),
}


def counts(
    session: Session, period: Period, by: Literal["category", "department", "channel", "kind"],
    scope: Scope = EVERYTHING,
) -> list[Count]:
    """Cases per category, department, channel or kind of contact, most first."""
    key = _COUNTED_BY[by]
    rows = session.execute(
        sa.select(key, sa.func.count()).select_from(Case).where(*period.where(scope)).group_by(key)
    ).all()
    return sorted((Count(str(k or ""), int(n)) for k, n in rows), key=lambda c: (-c.n, c.code))


def by_severity(session: Session, period: Period, scope: Scope = EVERYTHING) -> list[Count]:
    """Cases per severity, most severe first: the order the review reads them in."""
    rows = session.execute(
        sa.select(col(Case.severity), sa.func.count()).select_from(Case).where(*period.where(scope))
        .group_by(col(Case.severity))
    ).all()
    return [Count(SEVERITY_BY_LEVEL[level].value, int(n)) for level, n in sorted(rows, reverse=True)]


def deadlines(session: Session, period: Period, now: datetime, scope: Scope = EVERYTHING) -> list[DeadlineCount]:
    """Each deadline kept, missed or pending at ``now``, per department (services/report.py)."""
    e = CaseEvent
    first = sa.func.min
    registered = Status.REGISTERED.value
    in_period = period.where(scope)
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
        .where(*in_period)
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
    rows = session.execute(
        sa.select(department, *columns)
        .select_from(Case)
        .outerjoin(done, done.c.case_id == Case.id)
        .where(*in_period, sa.func.coalesce(col(Case.closure), "") != Closure.MERGED.value)
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


def remedies(session: Session, period: Period, scope: Scope = EVERYTHING) -> list[tuple[str, int, int]]:
    """(remedy, proposals, amount in cents) of the proposals the customer accepted on cases
    implemented since: each remedy of a proposal of several counts with its own amount (issue
    13); a proposal stored before there were several is its own remedy and amount."""
    accepted = (*period.where(scope), col(Proposal.status) == ProposalStatus.ACCEPTED.value,
                col(Case.implemented_at) >= col(Proposal.proposed_at))
    has_lines = sa.exists().where(col(ProposalRemedy.proposal_id) == col(Proposal.id))
    whole = session.execute(
        sa.select(col(Proposal.remedy), sa.func.count(),
                  sa.func.coalesce(sa.func.sum(col(Proposal.amount_cents)), 0))
        .join(Case, col(Case.id) == Proposal.case_id)
        .where(*accepted, ~has_lines)
        .group_by(col(Proposal.remedy))
    ).all()
    lines = session.execute(
        sa.select(col(ProposalRemedy.remedy), sa.func.count(),
                  sa.func.coalesce(sa.func.sum(col(ProposalRemedy.amount_cents)), 0))
        .join(Proposal, col(Proposal.id) == col(ProposalRemedy.proposal_id))
        .join(Case, col(Case.id) == Proposal.case_id)
        .where(*accepted)
        .group_by(col(ProposalRemedy.remedy))
    ).all()
    counted: dict[str, tuple[int, int]] = {}
    for remedy, n, cents in [*whole, *lines]:
        before = counted.get(str(remedy), (0, 0))
        counted[str(remedy)] = (before[0] + int(n), before[1] + int(cents))
    return [(remedy, n, cents) for remedy, (n, cents) in counted.items()]


def satisfaction(session: Session, period: Period, scope: Scope = EVERYTHING) -> Satisfaction:
    """Each case's latest survey score, and the cases closed with the customer not reached."""
    rows = session.execute(
        sa.select(col(Case.satisfaction), sa.func.count()).select_from(Case)
        .where(*period.where(scope), col(Case.satisfaction).is_not(None)).group_by(col(Case.satisfaction))
    ).all()
    found = {int(score): int(n) for score, n in rows}
    not_reached = session.execute(
        sa.select(sa.func.count()).select_from(Case)
        .where(*period.where(scope), col(Case.closure) == Closure.NO_ANSWER.value)
    ).scalar_one()
    return Satisfaction({score: found.get(score, 0) for score in range(1, 6)}, int(not_reached))


_CAUSES_BY = {"fishbone": col(Case.fishbone_factor), "why": col(Case.cause_why)}


def causes(
    session: Session, period: Period, by: Literal["fishbone", "why"], scope: Scope = EVERYTHING
) -> list[tuple[str, int]]:
    """(fishbone factor or cause text as recorded, cases), for the cases that have one."""
    key = _CAUSES_BY[by]
    rows = session.execute(
        sa.select(key, sa.func.count()).select_from(Case)
        .where(*period.where(scope), key.is_not(None), key != "").group_by(key)
    ).all()
    return [(str(k), int(n)) for k, n in rows]


def repeat_complainants(session: Session, period: Period, scope: Scope = EVERYTHING) -> list[RepeatComplainant]:
    """Customers with two cases or more in the period, most cases first."""
    in_period = period.where(scope)
    repeat = (
        sa.select(col(Case.customer_id)).where(*in_period).group_by(col(Case.customer_id))
        .having(sa.func.count() >= 2)
    )
    rows = session.execute(
        sa.select(col(Customer.id), col(Customer.name), col(Case.number))
        .join(Case, col(Case.customer_id) == Customer.id)
        .where(*in_period, col(Customer.id).in_(repeat.scalar_subquery()))
        .order_by(col(Case.id))
    ).all()
    numbers: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for customer_id, name, number in rows:
        numbers.setdefault(customer_id, []).append(number)
        names[customer_id] = name
    found = [RepeatComplainant(cid, names[cid], tuple(nums)) for cid, nums in numbers.items()]
    return sorted(found, key=lambda r: (-len(r.numbers), r.customer_id))


def corrective_actions_of(
    period: Period, batches: Sequence[tuple[str, str]], scope: Scope = EVERYTHING
) -> ColumnElement[bool]:
    """Which corrective actions the review lists, as a condition for ``corrective.views``: those
    opened on the period's cases or for its batch problems (``(product, batch)``), from cases
    within ``scope``."""
    registered = [col(Case.registered_at) >= period.first, col(Case.registered_at) < period.after]
    opened_on: list[ColumnElement[bool]] = [sa.and_(*registered)]
    if batches:
        opened_on.append(sa.tuple_(col(CorrectiveAction.product), col(CorrectiveAction.batch)).in_(batches))
    return sa.and_(sa.or_(*opened_on), *in_scope(Case.department_code, scope))


def typical(session: Session, period: Period, scope: Scope = EVERYTHING) -> list[TypicalCase]:
    """The period's cases marked typical, oldest first."""
    rows = session.execute(
        sa.select(Case).where(*period.where(scope), col(Case.typical).is_(True)).order_by(col(Case.id))
    ).scalars().all()
    return [
        TypicalCase(c.number, c.registered_at, c.category, c.department_code or "",
                    SEVERITY_BY_LEVEL[c.severity].value, c.status, c.satisfaction,
                    one_line(c.description, SUMMARY_CHARS))
        for c in rows
    ]


def department_names(session: Session) -> dict[str, dict[str, str]]:
    """Every department's name per language: code -> {"zh": …, "en": …, "es": …}."""
    return {
        d.code: {"zh": d.name_zh, "en": d.name_en, "es": d.name_es}
        for d in session.execute(sa.select(Department)).scalars()
    }


# -- accountability (issue 13, step 8) ------------------------------------------------------------


def accountability(session: Session, period: Period, scope: Scope = EVERYTHING) -> list[tuple[str, int, int, list[int]]]:
    """(person responsible, implementations, penalty amounts in cents, shares of performance pay
    in hundredths of a percent) over every implementation of the period's cases, the first ones
    after a reopening included."""
    rows = session.execute(
        sa.select(col(CaseImplementation.responsible), col(CaseImplementation.penalty_cents),
                  col(CaseImplementation.penalty_percent_hundredths))
        .join(Case, col(Case.id) == col(CaseImplementation.case_id))
        .where(*period.where(scope), col(CaseImplementation.responsible) != "")
    ).all()
    people: dict[str, tuple[int, int, list[int]]] = {}
    for person, cents, share in rows:
        n, total, shares = people.get(person, (0, 0, []))
        people[person] = (n + 1, total + (cents or 0), [*shares, share] if share is not None else shares)
    return sorted(((p, n, c, s) for p, (n, c, s) in people.items()), key=lambda r: (-r[1], r[0]))


def delays(session: Session, period: Period, scope: Scope = EVERYTHING) -> list[tuple[str, int]]:
    """(who delayed the handling, how many implementations name them) over the period's cases."""
    rows = session.execute(
        sa.select(col(CaseImplementation.delayed_by), sa.func.count())
        .join(Case, col(Case.id) == col(CaseImplementation.case_id))
        .where(*period.where(scope), col(CaseImplementation.delayed_by) != "")
        .group_by(col(CaseImplementation.delayed_by))
    ).all()
    return sorted(((str(p), int(n)) for p, n in rows), key=lambda r: (-r[1], r[0]))


# -- the rules' suggestions against what the cases became (issue 14) -------------------------------

SUGGESTION_PAGE = 500
_GIVEN = (ProposalStatus.APPROVED.value, ProposalStatus.ACCEPTED.value)


@dataclass(frozen=True)
class SuggestedCase:
    """A case of the period with the rules' suggestion recorded at registration, as it stands."""

    number: str
    status: str
    department: str  # "" = none
    description: str  # "" when not asked for
    suggestion: str  # the details (JSON text) of the case's first suggestion event
    remedies: tuple[str, ...]  # of its approved or accepted proposals, and the case's own


def _first_suggestion() -> Any:
    """The id of a case's first suggestion event (at registration), correlated to ``cases``."""
    earlier = aliased(CaseEvent)  # the outer query reads case_events too
    return (
        sa.select(sa.func.min(col(earlier.id)))
        .where(col(earlier.case_id) == col(Case.id), col(earlier.action) == Action.SUGGESTION.value)
        .correlate(Case)
        .scalar_subquery()
    )


def _suggested_department(session: Session) -> Any:
    """The department in a suggestion event's details (JSON text): SQLite's ``json_extract``,
    PostgreSQL's ``->>`` on the text cast to ``jsonb`` (details are always written as JSON)."""
    details = col(CaseEvent.details)
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.json_extract(details, "$.suggested.department")
    return sa.cast(details, JSONB).op("->")(sa.literal_column("'suggested'")).op("->>")(
        sa.literal_column("'department'"))


def suggestions_taken(session: Session, period: Period, scope: Scope = EVERYTHING) -> list[tuple[str, int, int]]:
    """(department suggested, cases, cases whose department is the suggested one) of the period's
    cases that went to a department, by their first suggestion (merged cases left out), in one
    query: the overview's figure (services/suggestion_review.py reads the same cases one by one)."""
    suggested = sa.func.coalesce(_suggested_department(session), "")
    rows = session.execute(
        sa.select(suggested, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(sa.case((suggested == col(Case.department_code), 1), else_=0)), 0))
        .select_from(Case)
        .join(CaseEvent, col(CaseEvent.id) == _first_suggestion())
        .where(*period.where(scope), col(Case.department_code).is_not(None),
               sa.func.coalesce(col(Case.closure), "") != Closure.MERGED.value)
        .group_by(suggested)
    ).all()
    return [(str(department), int(n), int(taken)) for department, n, taken in rows]


def suggested_cases(
    session: Session, period: Period, scope: Scope = EVERYTHING, *, descriptions: bool = True,
    remedies: bool = True, page: int = SUGGESTION_PAGE,
) -> Iterator[SuggestedCase]:
    """The period's cases with a recorded suggestion that went to a department or were closed
    (merged ones left out: their work goes on in the other case), oldest first, read ``page``
    cases at a time (keyset on the ``registered_at`` index) so a period of any size streams.
    Without ``descriptions`` or ``remedies`` those are left empty, unread."""
    has_suggestion = (
        sa.select(sa.literal(1)).select_from(CaseEvent)
        .where(col(CaseEvent.case_id) == col(Case.id), col(CaseEvent.action) == Action.SUGGESTION.value)
        .exists()
    )
    columns: list[Any] = [col(Case.id), col(Case.registered_at), col(Case.number), col(Case.status),
                          col(Case.department_code), col(Case.remedy)]
    if descriptions:
        columns.append(col(Case.description))
    base = (
        sa.select(*columns)
        .where(*period.where(scope), has_suggestion,
               sa.or_(col(Case.department_code).is_not(None), col(Case.status) == Status.CLOSED.value),
               sa.func.coalesce(col(Case.closure), "") != Closure.MERGED.value)
        .order_by(col(Case.registered_at), col(Case.id))
        .limit(page)
    )
    after: tuple[datetime, int] | None = None
    while True:
        stmt = base
        if after is not None:
            # the first condition alone is what the index ranges over; the second breaks ties
            stmt = stmt.where(col(Case.registered_at) >= after[0],
                              sa.or_(col(Case.registered_at) > after[0], col(Case.id) > after[1]))
        rows = session.execute(stmt).all()
        if not rows:
            return
        ids = [row[0] for row in rows]
        suggestions: dict[int, str] = {}
        for case_id, details in session.execute(
            sa.select(col(CaseEvent.case_id), col(CaseEvent.details))
            .where(col(CaseEvent.case_id).in_(ids), col(CaseEvent.action) == Action.SUGGESTION.value)
            .order_by(col(CaseEvent.case_id), col(CaseEvent.id))
        ).all():
            suggestions.setdefault(case_id, details)
        given: dict[int, list[str]] = {}
        if remedies:
            # the status is looked at here: in the query it would lead the database to the
            # status index (every approved proposal) rather than the case_id one
            for case_id, status, first, line in session.execute(
                sa.select(col(Proposal.case_id), col(Proposal.status), col(Proposal.remedy),
                          col(ProposalRemedy.remedy))
                .outerjoin(ProposalRemedy, col(ProposalRemedy.proposal_id) == col(Proposal.id))
                .where(col(Proposal.case_id).in_(ids))
                .order_by(col(Proposal.case_id), col(Proposal.id), col(ProposalRemedy.position))
            ).all():
                if status in _GIVEN:
                    given.setdefault(case_id, []).append(line or first)
        for row in rows:
            lines = given.get(row[0], [])
            if remedies and row[5]:
                lines.append(row[5])
            yield SuggestedCase(
                number=row[2], status=row[3], department=row[4] or "",
                description=row[6] if descriptions else "", suggestion=suggestions.get(row[0], "{}"),
                remedies=tuple(dict.fromkeys(lines)),
            )
        if len(rows) < page:
            return
        after = (rows[-1][1], rows[-1][0])
