"""Queue queries: filters, sorts, key-set pages (page 10,000 costs what page 1 costs), counts and
search. Everything here uses an index; nothing loads more rows than a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select, text, tuple_
from sqlmodel import Session, col

from kesu_desk.domain.vocabulary import (
    OPEN_STATUSES,
    SEVERITY_BY_LEVEL,
    SEVERITY_LEVELS,
    Severity,
    Status,
)
from kesu_desk.store import search as fts
from kesu_desk.store.models import Case, CaseCount, Customer, User

SUMMARY_CHARS = 60


class Sort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    DUE = "due"  # open cases by next deadline, most urgent first
    SEVERITY = "severity"  # most severe first, newest first within a severity


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[Status, ...] = ()
    department: str | None = None
    severities: tuple[Severity, ...] = ()
    handler_id: int | None = None
    overdue_at: datetime | None = None  # only cases whose next deadline is before this moment
    case_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class QueueRow:
    id: int
    number: str
    registered_at: datetime
    status: Status
    severity: Severity
    urgent: bool
    department: str | None
    customer: str
    summary: str
    next_due_at: datetime | None
    handler: str | None

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.id,)


# A page boundary: the sort value(s) and id of the last row shown.
Key = tuple[Any, ...]


def _sort_columns(sort: Sort) -> tuple[list[Any], bool]:
    """(columns, descending) of a sort; the id always breaks ties."""
    if sort is Sort.NEWEST:
        return [col(Case.id)], True
    if sort is Sort.OLDEST:
        return [col(Case.id)], False
    if sort is Sort.DUE:
        return [col(Case.next_due_at), col(Case.id)], False
    return [col(Case.severity), col(Case.id)], True


def _conditions(flt: QueueFilter, sort: Sort) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if flt.statuses:
        where.append(col(Case.status).in_([s.value for s in flt.statuses]))
    if flt.department:
        where.append(col(Case.department_code) == flt.department)
    if flt.severities:
        where.append(col(Case.severity).in_([SEVERITY_LEVELS[s] for s in flt.severities]))
    if flt.handler_id is not None:
        where.append(col(Case.handler_id) == flt.handler_id)
    if flt.overdue_at is not None:
        where.append(col(Case.next_due_at) < flt.overdue_at)
    if sort is Sort.DUE or flt.overdue_at is not None:
        where.append(col(Case.next_due_at).is_not(None))
    if flt.case_ids:
        where.append(col(Case.id).in_(flt.case_ids))
    return where


def _row_select() -> Select[Any]:
    return (
        select(
            col(Case.id),
            col(Case.number),
            col(Case.registered_at),
            col(Case.status),
            col(Case.severity),
            col(Case.urgent),
            col(Case.department_code),
            col(Customer.name),
            func.substr(col(Case.description), 1, SUMMARY_CHARS),
            col(Case.next_due_at),
            col(User.name),
        )
        .join(Customer, col(Customer.id) == col(Case.customer_id))
        .outerjoin(User, col(User.id) == col(Case.handler_id))
    )


def _to_row(r: Sequence[Any]) -> QueueRow:
    return QueueRow(
        id=r[0], number=r[1], registered_at=r[2], status=Status(r[3]),
        severity=SEVERITY_BY_LEVEL[r[4]], urgent=bool(r[5]), department=r[6], customer=r[7] or "",
        summary=r[8] or "", next_due_at=r[9], handler=r[10],
    )


def row_key(row: QueueRow, sort: Sort) -> Key:
    if sort is Sort.DUE:
        return (row.next_due_at, row.id)
    if sort is Sort.SEVERITY:
        return (SEVERITY_LEVELS[row.severity], row.id)
    return (row.id,)


ALL = QueueFilter()


def page(
    session: Session,
    flt: QueueFilter = ALL,
    sort: Sort = Sort.NEWEST,
    *,
    after: Key | None = None,
    limit: int = 50,
    from_end: bool = False,
) -> list[QueueRow]:
    """One page in sort order, starting after ``after`` (key set, never OFFSET).

    ``from_end`` reads the page that ends the list (the last page), still in sort order.
    With ``from_end`` and ``after``, reads the page just before ``after``.
    """
    columns, descending = _sort_columns(sort)
    backwards = from_end
    desc = descending != backwards
    where = _conditions(flt, sort)
    if after is not None:
        boundary = tuple_(*columns) if len(columns) > 1 else columns[0]
        value = tuple_(*after) if len(columns) > 1 else after[0]
        where.append(boundary < value if desc else boundary > value)
    order = [c.desc() if desc else c.asc() for c in columns]
    stmt = _row_select().where(*where).order_by(*order).limit(limit)
    rows = [_to_row(r) for r in session.execute(stmt).all()]
    return rows[::-1] if backwards else rows


def _kept_count(flt: QueueFilter) -> bool:
    """Whether the triggers' case_counts can answer: status, department and severity only."""
    return flt.handler_id is None and flt.overdue_at is None and not flt.case_ids


def _count_conditions(flt: QueueFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [col(CaseCount.n) != 0]
    if flt.statuses:
        where.append(col(CaseCount.status).in_([s.value for s in flt.statuses]))
    if flt.department:
        where.append(col(CaseCount.department) == flt.department)
    if flt.severities:
        where.append(col(CaseCount.severity).in_([SEVERITY_LEVELS[s] for s in flt.severities]))
    return where


def count(session: Session, flt: QueueFilter = ALL) -> int:
    if _kept_count(flt):
        kept = select(func.coalesce(func.sum(col(CaseCount.n)), 0)).where(*_count_conditions(flt))
        return int(session.execute(kept).scalar_one())
    stmt = select(func.count()).select_from(Case).where(*_conditions(flt, Sort.NEWEST))
    return int(session.execute(stmt).scalar_one())


def count_by_status(session: Session, flt: QueueFilter = ALL) -> dict[Status, int]:
    if _kept_count(flt):
        stmt = (
            select(col(CaseCount.status), func.sum(col(CaseCount.n)))
            .where(*_count_conditions(flt))
            .group_by(col(CaseCount.status))
        )
    else:
        stmt = (
            select(col(Case.status), func.count())
            .where(*_conditions(flt, Sort.NEWEST))
            .group_by(col(Case.status))
        )
    counts = {Status(s): int(n) for s, n in session.execute(stmt).all()}
    return {s: counts.get(s, 0) for s in Status}


def open_statuses() -> tuple[Status, ...]:
    return tuple(s for s in Status if s in OPEN_STATUSES)


# -- search -------------------------------------------------------------------------------------


def _looks_like_number(query: str) -> bool:
    q = query.strip().upper()
    return q.startswith("KS") or (len(q) >= 9 and q.replace("-", "").isdigit() and "-" in q)


def _prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    # A range, not LIKE, so both engines use the plain B-tree index whatever the collation.
    return and_(column >= prefix, column < prefix + "\uffff")


def search_ids(
    session: Session, query: str, *, limit: int = 50, before_id: int | None = None,
    phone_prefixes: Sequence[str] = (),
) -> list[int]:
    """Ids of cases matching ``query`` by case number, phone, customer name or text, newest first."""
    query = query.strip()
    if not query:
        return []
    found: set[int] = set()
    below = [col(Case.id) < before_id] if before_id is not None else []

    def take(stmt: Select[Any]) -> None:
        found.update(session.execute(stmt.order_by(col(Case.id).desc()).limit(limit)).scalars())

    if _looks_like_number(query):
        take(select(col(Case.id)).where(_prefix_range(col(Case.number), query.upper()), *below))
    for prefix in phone_prefixes:
        take(
            select(col(Case.id))
            .join(Customer, col(Customer.id) == col(Case.customer_id))
            .where(_prefix_range(col(Customer.phone), prefix), *below)
        )
    if session.get_bind().dialect.name == "sqlite":
        match = fts.fts5_query(query)
        if match:
            cond = "AND rowid < :before " if before_id is not None else ""
            found.update(
                session.execute(
                    text(
                        f"SELECT rowid FROM case_search WHERE case_search MATCH :q {cond}"
                        "ORDER BY rowid DESC LIMIT :limit"
                    ),
                    {"q": match, "limit": limit, "before": before_id},
                ).scalars()
            )
    else:
        tsq = fts.tsquery(query)
        if tsq:
            cond = "AND case_id < :before " if before_id is not None else ""
            found.update(
                session.execute(
                    text(
                        "SELECT case_id FROM case_search WHERE to_tsvector('simple', body) "
                        f"@@ to_tsquery('simple', :q) {cond}ORDER BY case_id DESC LIMIT :limit"
                    ),
                    {"q": tsq, "limit": limit, "before": before_id},
                ).scalars()
            )
    return sorted(found, reverse=True)[:limit]


def search(
    session: Session, query: str, *, limit: int = 50, before_id: int | None = None,
    phone_prefixes: Sequence[str] = (),
) -> list[QueueRow]:
    ids = search_ids(session, query, limit=limit, before_id=before_id, phone_prefixes=phone_prefixes)
    if not ids:
        return []
    stmt = _row_select().where(col(Case.id).in_(ids)).order_by(col(Case.id).desc())
    return [_to_row(r) for r in session.execute(stmt).all()]


def customer_cases(session: Session, customer_id: int, limit: int = 20) -> list[QueueRow]:
    stmt = _row_select().where(col(Case.customer_id) == customer_id).order_by(col(Case.id).desc())
    return [_to_row(r) for r in session.execute(stmt.limit(limit)).all()]


