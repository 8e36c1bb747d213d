"""Queue queries: filters, sorts, key-set pages (page 10,000 costs what page 1 costs), counts and
search. Everything here uses an index; nothing loads more rows than a page.

Every list takes the reader's ``scope`` (domain/access.py): a scope of some departments keeps the
read to their cases, on the department's own index, and an empty one reads nothing; the whole
desk's scope (``EVERYTHING``) leaves the statements as they are."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from kesu_desk.domain.access import EVERYTHING, Scope
from kesu_desk.domain.vocabulary import (
    OPEN_STATUSES,
    SEVERITY_BY_LEVEL,
    SEVERITY_LEVELS,
    Severity,
    Status,
    Validity,
)
from kesu_desk.sla import DeadlineState, as_utc, clock_start, deadline_state
from kesu_desk.store import search as fts
from kesu_desk.store.models import (
    Approval,
    Case,
    CaseCount,
    CaseEvent,
    Customer,
    Proposal,
    Store,
    Survey,
    User,
)

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
    registered_by: int | None = None  # an agent's "my cases": those they registered
    overdue_at: datetime | None = None  # only cases whose next deadline is before this moment
    at_risk_at: datetime | None = None  # only cases at risk at this moment (not yet overdue)
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
    clock_start: datetime  # when the clock of next_due_at started

    def deadline_state(self, now: datetime) -> DeadlineState | None:
        """On time, at risk or overdue; None when no deadline runs (closed, or waiting)."""
        if self.next_due_at is None:
            return None
        return deadline_state(self.clock_start, self.next_due_at, now)


# A page boundary: the sort value(s) and id of the last row shown.
Key = tuple[Any, ...]

ALL = QueueFilter()


# -- running statements at the cost of raw SQL --------------------------------------------------
#
# A queue page is a few hundred microseconds of SQLite work; building and compiling a SQLAlchemy
# statement and processing its result rows costs several times that. Each statement is therefore
# built once per *shape* (which filters are present, which sort, …) with bind parameters, compiled
# once per dialect, and run through the driver with the values of the call.


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positions: tuple[str, ...] | None  # parameter order for positional drivers (sqlite3)
    defaults: dict[str, Any]  # values SQLAlchemy bound itself (LIMIT's OFFSET 0, substr bounds)


_COMPILED: dict[tuple[str, Hashable], _Compiled] = {}


def fetch_compiled(
    session: Session, shape: Hashable, build: Callable[[], Any], params: dict[str, Any]
) -> Sequence[Any]:
    """The rows of the statement ``build`` makes, compiled once per dialect and ``shape`` and
    cached: the read models' hot statements skip SQLAlchemy's compilation."""
    conn = session.connection()
    dialect = conn.dialect
    entry = _COMPILED.get((dialect.name, shape))
    if entry is None:
        compiled = build().compile(dialect=dialect)
        entry = _Compiled(
            compiled.string,
            tuple(compiled.positiontup or ()) if compiled.positional else None,
            dict(compiled.construct_params(_check=False)),
        )
        _COMPILED[(dialect.name, shape)] = entry
    sqlite = dialect.name == "sqlite"
    values = {**entry.defaults, **{k: _to_db(v, sqlite) for k, v in params.items()}}
    args: Any = tuple(values[k] for k in entry.positions) if entry.positions is not None else values
    # Straight to the driver, inside the session's transaction: SQLAlchemy's execution and result
    # layers alone cost more than a page of SQLite work. Driver errors are wrapped as SQLAlchemy's
    # would be, so callers handle one kind.
    driver = conn.connection.driver_connection
    assert driver is not None
    try:
        return driver.execute(entry.sql, args).fetchall()  # type: ignore[no-any-return]
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(entry.sql, args, exc, dialect.loaded_dbapi.Error) from exc


def _to_db(value: Any, sqlite: bool) -> Any:
    if isinstance(value, datetime) and sqlite:
        # The text form SQLAlchemy's SQLite DateTime stores, so comparisons are exact.
        return as_utc(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _from_db(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite keeps UTC as text without an offset
        return datetime.fromisoformat(value + "+00:00")
    return as_utc(value)


_STATUS = {s.value: s for s in Status}


def _sort_columns(sort: Sort) -> tuple[list[Any], bool]:
    """(columns, descending) of a sort; the id always breaks ties."""
    if sort is Sort.NEWEST:
        return [col(Case.id)], True
    if sort is Sort.OLDEST:
        return [col(Case.id)], False
    if sort is Sort.DUE:
        return [col(Case.next_due_at), col(Case.id)], False
    return [col(Case.severity), col(Case.id)], True


# -- the reader's departments --------------------------------------------------------------------

# Which departments a read keeps to: None for every case, () for none (nothing is read), else the
# departments in order, so a set of them always makes the same statement.
Departments = tuple[str, ...] | None


def visible(scope: Scope, department: str | None = None) -> Departments:
    """The departments a read of ``department``'s cases (None: of every department) keeps to
    for a reader of ``scope``: asking for a department outside the scope reads nothing."""
    if scope.departments is None:
        return None if department is None else (department,)
    if department is None:
        return tuple(sorted(scope.departments))
    return (department,) if department in scope.departments else ()


# Which stores a read keeps to besides: () for no store condition. A store manager's scope is no
# department but their store (issue 13); as in figures.in_scope, the stores then decide alone.
Stores = tuple[str, ...]


def reach(scope: Scope, department: str | None = None) -> tuple[Departments, Stores]:
    """:func:`visible` for a reader who may hold stores: (departments, stores) to keep to, the
    department asked for becoming a plain filter within a store's cases."""
    if scope.departments is None or not scope.stores:
        return visible(scope, department), ()
    return (None if department is None else (department,)), tuple(sorted(scope.stores))


def _in_stores(n: int) -> ColumnElement[bool]:
    return col(Case.store_code).in_([bindparam(f"sto{i}") for i in range(n)])


def _stores_sql(column: str, n: int) -> str:
    """The same condition in a text() statement."""
    return f"{column} IN ({', '.join(f':sto{i}' for i in range(n))})"


def _store_params(stores: Stores) -> dict[str, str]:
    return {f"sto{i}": s for i, s in enumerate(stores)}


def _dept_names(n: int) -> list[str]:
    # One department is the common case (a handler's, or the queue's own filter): ``= :dept``.
    return ["dept"] if n == 1 else [f"dept{i}" for i in range(n)]


def _in_departments(column: Any, n: int) -> ColumnElement[bool]:
    names = _dept_names(n)
    if n == 1:
        return column == bindparam(names[0])  # type: ignore[no-any-return]
    return column.in_([bindparam(name) for name in names])  # type: ignore[no-any-return]


def _departments_sql(column: str, n: int) -> str:
    """The same condition in a text() statement."""
    return f"{column} IN ({', '.join(f':{name}' for name in _dept_names(n))})"


def _department_params(departments: Departments) -> dict[str, str]:
    if not departments:
        return {}
    return dict(zip(_dept_names(len(departments)), departments, strict=True))


def _n(departments: Departments) -> int:
    return len(departments) if departments else 0


@dataclass(frozen=True)
class _FilterShape:
    statuses: int
    departments: int
    severities: int
    stores: int
    handler: bool
    registrar: bool
    overdue: bool
    at_risk: bool
    case_ids: int
    needs_due: bool

    @classmethod
    def of(cls, flt: QueueFilter, sort: Sort, departments: Departments, stores: Stores = ()) -> _FilterShape:
        return cls(
            len(flt.statuses), _n(departments), len(flt.severities), len(stores),
            flt.handler_id is not None, flt.registered_by is not None, flt.overdue_at is not None, flt.at_risk_at is not None,
            len(flt.case_ids), sort is Sort.DUE or flt.overdue_at is not None,
        )

    def kept_conditions(self, status: Any, department: Any, severity: Any) -> list[ColumnElement[bool]]:
        """Conditions on what case_counts also keeps, on the given columns."""
        where: list[ColumnElement[bool]] = []
        if self.statuses:
            where.append(status.in_([bindparam(f"st{i}") for i in range(self.statuses)]))
        if self.departments:
            where.append(_in_departments(department, self.departments))
        if self.severities:
            where.append(severity.in_([bindparam(f"sv{i}") for i in range(self.severities)]))
        return where

    def conditions(self) -> list[ColumnElement[bool]]:
        where = self.kept_conditions(col(Case.status), col(Case.department_code), col(Case.severity))
        if self.stores:
            where.append(_in_stores(self.stores))
        if self.handler:
            where.append(col(Case.handler_id) == bindparam("handler"))
        if self.registrar:
            where.append(col(Case.registered_by) == bindparam("registrar"))
        if self.overdue:
            where.append(col(Case.next_due_at) < bindparam("overdue", type_=DateTime(timezone=True)))
        if self.at_risk:
            moment = bindparam("risk", type_=DateTime(timezone=True))
            where.append(col(Case.at_risk_at) <= moment)
            where.append(col(Case.next_due_at) > moment)
        if self.needs_due:
            where.append(col(Case.next_due_at).is_not(None))
        if self.case_ids:
            where.append(col(Case.id).in_([bindparam(f"id{i}") for i in range(self.case_ids)]))
        return where


def _filter_params(flt: QueueFilter, departments: Departments, stores: Stores = ()) -> dict[str, Any]:
    params: dict[str, Any] = {f"st{i}": s.value for i, s in enumerate(flt.statuses)}
    params.update(_store_params(stores))
    params.update({f"sv{i}": SEVERITY_LEVELS[s] for i, s in enumerate(flt.severities)})
    params.update({f"id{i}": case_id for i, case_id in enumerate(flt.case_ids)})
    params.update(_department_params(departments))
    if flt.handler_id is not None:
        params["handler"] = flt.handler_id
    if flt.registered_by is not None:
        params["registrar"] = flt.registered_by
    if flt.overdue_at is not None:
        params["overdue"] = flt.overdue_at
    if flt.at_risk_at is not None:
        params["risk"] = flt.at_risk_at
    return params


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
            col(Case.assigned_at),
            col(Case.implemented_at),
        )
        .join(Customer, col(Customer.id) == col(Case.customer_id))
        .outerjoin(User, col(User.id) == col(Case.handler_id))
    )


def _to_row(r: Sequence[Any]) -> QueueRow:
    registered = _from_db(r[2])
    assert registered is not None
    status = _STATUS[r[3]]
    return QueueRow(
        id=r[0], number=r[1], registered_at=registered, status=status,
        severity=SEVERITY_BY_LEVEL[r[4]], urgent=bool(r[5]), department=r[6], customer=r[7] or "",
        summary=r[8] or "", next_due_at=_from_db(r[9]), handler=r[10],
        clock_start=clock_start(status, registered, _from_db(r[11]), _from_db(r[12])),
    )


def row_key(row: QueueRow, sort: Sort) -> Key:
    if sort is Sort.DUE:
        return (row.next_due_at, row.id)
    if sort is Sort.SEVERITY:
        return (SEVERITY_LEVELS[row.severity], row.id)
    return (row.id,)


def page(
    session: Session,
    flt: QueueFilter = ALL,
    sort: Sort = Sort.NEWEST,
    *,
    after: Key | None = None,
    limit: int = 50,
    from_end: bool = False,
    scope: Scope = EVERYTHING,
) -> list[QueueRow]:
    """One page in sort order, starting after ``after`` (key set, never OFFSET).

    ``from_end`` reads the page that ends the list (the last page), still in sort order.
    With ``from_end`` and ``after``, reads the page just before ``after``.
    """
    departments, stores = reach(scope, flt.department)
    if departments == ():
        return []
    shape = _FilterShape.of(flt, sort, departments, stores)

    def build() -> Select[Any]:
        columns, descending = _sort_columns(sort)
        desc = descending != from_end
        where = shape.conditions()
        if after is not None:
            keys = [bindparam(f"k{i}", type_=c.type) for i, c in enumerate(columns)]
            boundary = tuple_(*columns) if len(columns) > 1 else columns[0]
            value = tuple_(*keys) if len(columns) > 1 else keys[0]
            where.append(boundary < value if desc else boundary > value)
        order = [c.desc() if desc else c.asc() for c in columns]
        return _row_select().where(*where).order_by(*order).limit(bindparam("lim"))

    params = _filter_params(flt, departments, stores) | {"lim": limit}
    if after is not None:
        params.update({f"k{i}": v for i, v in enumerate(after)})
    rows = [_to_row(r) for r in fetch_compiled(session, ("page", shape, sort, after is not None, from_end), build, params)]
    return rows[::-1] if from_end else rows


def _kept_count(flt: QueueFilter) -> bool:
    """Whether the triggers' case_counts can answer: status, department and severity only."""
    return (flt.handler_id is None and flt.registered_by is None and flt.overdue_at is None and flt.at_risk_at is None
            and not flt.case_ids)


def _count_conditions(shape: _FilterShape) -> list[ColumnElement[bool]]:
    return [
        col(CaseCount.n) != 0,
        *shape.kept_conditions(
            col(CaseCount.status), col(CaseCount.department), col(CaseCount.severity)
        ),
    ]


def count(session: Session, flt: QueueFilter = ALL, scope: Scope = EVERYTHING) -> int:
    departments, stores = reach(scope, flt.department)
    if departments == ():
        return 0
    shape = _FilterShape.of(flt, Sort.NEWEST, departments, stores)
    kept = _kept_count(flt) and not stores  # case_counts keep no store

    def build() -> Select[Any]:
        if kept:
            return select(func.coalesce(func.sum(col(CaseCount.n)), 0)).where(*_count_conditions(shape))
        return select(func.count()).select_from(Case).where(*shape.conditions())

    params = _filter_params(flt, departments, stores)
    return int(fetch_compiled(session, ("count", shape, kept), build, params)[0][0])


def _count_grouped(
    session: Session, flt: QueueFilter, by: str, scope: Scope = EVERYTHING
) -> Sequence[Any]:
    """(value, cases) per value of ``by`` ("status" or "department"), from the kept counts
    when they can answer."""
    departments, stores = reach(scope, flt.department)
    if departments == ():
        return []
    shape = _FilterShape.of(flt, Sort.NEWEST, departments, stores)
    kept = _kept_count(flt) and not stores  # case_counts keep no store

    def build() -> Any:
        if kept:
            kept_column = col(CaseCount.status) if by == "status" else col(CaseCount.department)
            return (select(kept_column, func.sum(col(CaseCount.n)))
                    .where(*_count_conditions(shape)).group_by(kept_column))
        column = col(Case.status) if by == "status" else col(Case.department_code)
        return select(column, func.count()).where(*shape.conditions()).group_by(column)

    params = _filter_params(flt, departments, stores)
    return fetch_compiled(session, ("count_by", by, shape, kept), build, params)


def count_by_status(
    session: Session, flt: QueueFilter = ALL, scope: Scope = EVERYTHING
) -> dict[Status, int]:
    rows = _count_grouped(session, flt, "status", scope)
    counts = {Status(s): int(n) for s, n in rows}
    return {s: counts.get(s, 0) for s in Status}


def open_statuses() -> tuple[Status, ...]:
    return tuple(s for s in Status if s in OPEN_STATUSES)


# -- search -------------------------------------------------------------------------------------

_FULL_NUMBER = re.compile(r"KS-\d{8}-\d+")
_PHONE_LIKE = re.compile(r"\+?[\d\s-]{3,}")


def _prefix_range(column: Any, name: str) -> ColumnElement[bool]:
    # A range, not LIKE, so both engines use the plain B-tree index whatever the collation.
    return and_(column >= bindparam(f"{name}_lo"), column < bindparam(f"{name}_hi"))


def _range(name: str, prefix: str) -> dict[str, str]:
    return {f"{name}_lo": prefix, f"{name}_hi": prefix + "\uffff"}


def _id_query(session: Session, shape: Hashable, build: Callable[[], Any], params: dict[str, Any],
              before_id: int | None, limit: int, departments: Departments, stores: Stores = ()) -> list[int]:
    params = (params | {"lim": limit} | _department_params(departments) | _store_params(stores)
              | ({"before": before_id} if before_id is not None else {}))
    key = (shape, before_id is not None, _n(departments), len(stores))
    return [r[0] for r in fetch_compiled(session, key, build, params)]


def _newest(
    stmt: Select[Any], id_column: Any, before: bool, n_departments: int = 0, *,
    department_index: bool = True, n_stores: int = 0,
) -> Select[Any]:
    """Newest first, before an id; within departments, on their index or (without it, when
    another index finds the few candidates sooner) by checking each candidate's department;
    within stores by checking each candidate's store."""
    if n_stores:
        stmt = stmt.where(_in_stores(n_stores))
    if n_departments:
        department = col(Case.department_code)
        stmt = stmt.where(_in_departments(department if department_index else department + "", n_departments))
    if before:
        stmt = stmt.where(id_column < bindparam("before"))
    return stmt.order_by(id_column.desc()).limit(bindparam("lim"))


# Above this many customers under a phone prefix, walking the cases newest-first and checking
# each one's phone finds a page sooner than collecting and sorting all their cases.
DENSE_PHONE_PREFIX = 500


# A prefix of this many digits (country code included) matches a handful of customers: their
# cases are found through the phone index, all prefixes in one statement.
SPARSE_PHONE_DIGITS = 7


def _phone_ids(
    session: Session, prefixes: Sequence[str], before_id: int | None, limit: int,
    departments: Departments, stores: Stores = (),
) -> list[int]:
    found: set[int] = set()
    before = before_id is not None
    n_dept = _n(departments)
    n_sto = len(stores)
    sparse = [p for p in prefixes if sum(ch.isdigit() for ch in p) >= SPARSE_PHONE_DIGITS]
    if sparse:
        n = len(sparse)

        def build_sparse() -> Select[Any]:
            phone = col(Customer.phone)
            stmt = (
                select(col(Case.id))
                .join(Customer, col(Customer.id) == col(Case.customer_id))
                .where(or_(*(_prefix_range(phone, f"phone{i}") for i in range(n))))
            )
            # `id + 0` keeps SQLite from walking all cases in id order to honour ORDER BY … LIMIT:
            # the few matching customers' cases are found by index and sorted (and a
            # department's cases are those of them that are the department's).
            return _newest(stmt, col(Case.id) + 0, before, n_dept, department_index=False, n_stores=n_sto)

        bounds: dict[str, Any] = {}
        for i, prefix in enumerate(sparse):
            bounds |= _range(f"phone{i}", prefix)
        found.update(_id_query(session, ("phone_sparse", n), build_sparse, bounds, before_id, limit,
                               departments, stores))
    sqlite = session.get_bind().dialect.name == "sqlite"
    for prefix in (p for p in prefixes if p not in sparse):
        bounds = _range("phone", prefix)
        many = fetch_compiled(
            session, "phone_customers",
            lambda: select(func.count()).select_from(
                select(col(Customer.id)).where(_prefix_range(col(Customer.phone), "phone"))
                .limit(bindparam("cap")).subquery()
            ),
            bounds | {"cap": DENSE_PHONE_PREFIX + 1},
        )[0][0] > DENSE_PHONE_PREFIX
        # On SQLite `phone || ''` keeps the planner off the phone index, so it walks cases by id
        # (or a department's cases, on its index); few customers are found on the phone index.
        dense = many and sqlite

        def build(dense: bool = dense) -> Select[Any]:
            phone = col(Customer.phone) + "" if dense else col(Customer.phone)
            stmt = (
                select(col(Case.id))
                .join(Customer, col(Customer.id) == col(Case.customer_id))
                .where(_prefix_range(phone, "phone"))
            )
            return _newest(stmt, col(Case.id), before, n_dept, department_index=dense, n_stores=n_sto)

        found.update(_id_query(session, ("phone", dense), build, bounds, before_id, limit, departments, stores))
    return sorted(found, reverse=True)[:limit]


def _number_rows(
    session: Session, number: str, before_id: int | None, limit: int, departments: Departments,
    stores: Stores = (),
) -> list[QueueRow]:
    """A whole case number is that case; a partial one (KS-…) the numbers it begins."""
    exact = bool(_FULL_NUMBER.fullmatch(number))
    before = before_id is not None
    n_dept = _n(departments)
    n_sto = len(stores)

    def build() -> Select[Any]:
        where = col(Case.number) == bindparam("number") if exact else _prefix_range(col(Case.number), "number")
        # The number index finds the numbers; a department keeps those of them that are its own.
        return _newest(_row_select().where(where), col(Case.id), before, n_dept, department_index=False,
                       n_stores=n_sto)

    params: dict[str, Any] = {"number": number} if exact else _range("number", number)
    params |= ({"lim": limit} | ({"before": before_id} if before else {}) | _department_params(departments)
               | _store_params(stores))
    key = ("number_rows", exact, before, n_dept, n_sto)
    return [_to_row(r) for r in fetch_compiled(session, key, build, params)]


def search_ids(
    session: Session, query: str, *, limit: int = 50, before_id: int | None = None,
    phone_prefixes: Sequence[str] = (), scope: Scope = EVERYTHING,
) -> list[int]:
    """Ids of cases matching ``query``, newest first: the customer's name and the texts by
    full-text search and, when it looks like one, the customer's phone number by prefix."""
    query = query.strip()
    departments, stores = reach(scope)
    if not query or departments == ():
        return []
    found: set[int] = set()
    if _PHONE_LIKE.fullmatch(query):
        found.update(_phone_ids(session, phone_prefixes, before_id, limit, departments, stores))
    sqlite = session.get_bind().dialect.name == "sqlite"
    match = fts.fts5_query(query) if sqlite else fts.tsquery(query)
    if match:
        before = before_id is not None
        n_dept = _n(departments)
        found.update(_id_query(session, ("text", sqlite), lambda: _text_search(sqlite, before, n_dept, len(stores)),
                               {"q": match}, before_id, limit, departments, stores))
    return sorted(found, reverse=True)[:limit]


def _text_search(sqlite: bool, before: bool, n_departments: int, n_stores: int = 0) -> Any:
    if sqlite:
        rowid, found = "rowid", "case_search MATCH :q"
    else:
        rowid, found = "case_id", "body_tsv @@ to_tsquery('simple', :q)"
    below = f"AND {rowid} < :before " if before else ""
    if not n_departments and not n_stores:
        return text(f"SELECT {rowid} FROM case_search WHERE {found} {below}ORDER BY {rowid} DESC LIMIT :lim")
    # Within departments (or stores) each match's case is looked up by id and kept when it is
    # theirs, newest first, until a page is found.
    below = f"AND s.{rowid} < :before " if before else ""
    theirs = (f"AND {_departments_sql('c.department_code', n_departments)} " if n_departments else "") + (
        f"AND {_stores_sql('c.store_code', n_stores)} " if n_stores else "")
    return text(
        f"SELECT s.{rowid} FROM case_search s JOIN cases c ON c.id = s.{rowid} WHERE {found} "
        f"{theirs}{below}"
        f"ORDER BY s.{rowid} DESC LIMIT :lim"
    )


def rows_by_ids(session: Session, ids: Sequence[int]) -> list[QueueRow]:
    """The queue rows of these cases, newest first."""
    if not ids:
        return []
    n = len(ids)

    def build() -> Select[Any]:
        wanted: list[Any] = [bindparam(f"id{i}") for i in range(n)]
        return _row_select().where(col(Case.id).in_(wanted)).order_by(col(Case.id).desc())

    return [_to_row(r) for r in fetch_compiled(session, ("rows", n), build, {f"id{i}": v for i, v in enumerate(ids)})]


def search(
    session: Session, query: str, *, limit: int = 50, before_id: int | None = None,
    phone_prefixes: Sequence[str] = (), scope: Scope = EVERYTHING,
) -> list[QueueRow]:
    """Cases matching ``query`` by case number, phone, customer name or text, newest first;
    only those ``scope`` lets the reader see."""
    upper = query.strip().upper()
    if upper.startswith("KS"):
        departments, stores = reach(scope)
        return [] if departments == () else _number_rows(session, upper, before_id, limit, departments, stores)
    ids = search_ids(session, query, limit=limit, before_id=before_id, phone_prefixes=phone_prefixes,
                     scope=scope)
    return rows_by_ids(session, ids)


def customer_cases(
    session: Session, customer_id: int, limit: int = 20, *, open_only: bool = False,
    scope: Scope = EVERYTHING,
) -> list[QueueRow]:
    """The customer's newest cases (only the open ones with ``open_only``) in ``scope``."""
    departments, stores = reach(scope)
    if departments == ():
        return []

    def build() -> Select[Any]:
        query = _row_select().where(col(Case.customer_id) == bindparam("customer"))
        if open_only:
            query = query.where(col(Case.status) != Status.CLOSED.value)
        if departments is not None:
            query = query.where(col(Case.department_code).in_(
                [bindparam(f"dept{i}") for i in range(len(departments))]))
        if stores:
            query = query.where(_in_stores(len(stores)))
        return query.order_by(col(Case.id).desc()).limit(bindparam("lim"))

    params = ({"customer": customer_id, "lim": limit} | {f"dept{i}": d for i, d in enumerate(departments or [])}
              | _store_params(stores))
    shape = ("customer_cases", open_only, None if departments is None else len(departments), len(stores))
    return [_to_row(r) for r in fetch_compiled(session, shape, build, params)]


def batch_count(session: Session, product: str, batch: str) -> int:
    def build() -> Select[Any]:
        # Issue 13: a batch problem counts units, not cases (as store/figures.batch_problems)
        return select(func.coalesce(func.sum(Case.units), 0)).select_from(Case).where(
            col(Case.product) == bindparam("product"), col(Case.batch) == bindparam("batch")
        )

    return int(fetch_compiled(session, "batch_count", build, {"product": product, "batch": batch})[0][0])


@dataclass(frozen=True)
class ClosedCase:
    """What a closed case teaches a new one: where it went, what was given, how it ended."""

    id: int
    number: str
    description: str
    department: str | None
    remedy: str | None
    satisfaction: int | None
    validity: str


def closed_cases_with_any(
    session: Session, terms: Sequence[str], *, founded: bool, limit: int = 100,
    scope: Scope = EVERYTHING,
) -> list[ClosedCase]:
    """The newest closed cases, founded or not (merged ones left out), whose texts contain any
    of ``terms``, of those ``scope`` lets the reader see. Asked apart because a founded case
    closes weeks after a not-founded one: among the newest closed cases the not-founded ones
    would crowd the others out."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    match = fts.fts5_any(terms) if sqlite else fts.tsquery_any(terms)
    departments, stores = reach(scope)
    if not match or departments == ():
        return []
    n_dept = _n(departments)
    columns = ("c.id, c.number, c.description, c.department_code, c.remedy, c.satisfaction, "
               "c.validity")
    closed = (f"c.status = '{Status.CLOSED.value}' AND c.merged_into_id IS NULL AND c.validity "
              f"{'=' if founded else '<>'} '{Validity.FOUNDED.value}'")
    if n_dept:
        closed += f" AND {_departments_sql('c.department_code', n_dept)}"
    if stores:
        closed += f" AND {_stores_sql('c.store_code', len(stores))}"

    def build() -> Any:
        if sqlite:
            return text(
                f"SELECT {columns} FROM case_search s JOIN cases c ON c.id = s.rowid "
                f"WHERE case_search MATCH :q AND {closed} ORDER BY s.rowid DESC LIMIT :lim"
            )
        return text(
            f"SELECT {columns} FROM case_search s JOIN cases c ON c.id = s.case_id "
            f"WHERE s.body_tsv @@ to_tsquery('simple', :q) AND {closed} "
            "ORDER BY s.case_id DESC LIMIT :lim"
        )

    params = {"q": match, "lim": limit} | _department_params(departments) | _store_params(stores)
    rows = fetch_compiled(session, ("closed_like", sqlite, founded, n_dept, len(stores)), build, params)
    return [ClosedCase(*r) for r in rows]


def last_event_id(session: Session) -> int:
    def build() -> Select[Any]:
        return select(func.max(col(CaseEvent.id)))

    return int(fetch_compiled(session, "last_event", build, {})[0][0] or 0)


def page_at(
    session: Session, flt: QueueFilter, sort: Sort, offset: int, limit: int = 50,
    scope: Scope = EVERYTHING,
) -> list[QueueRow]:
    """The page starting at row ``offset`` in sort order. Only for a jump into the middle of a
    long list (a scrollbar dragged): OFFSET walks the index up to it, so pages next to rows
    already shown go by key set (:func:`page`)."""
    departments, stores = reach(scope, flt.department)
    if departments == ():
        return []
    shape = _FilterShape.of(flt, sort, departments, stores)

    def build() -> Select[Any]:
        columns, descending = _sort_columns(sort)
        order = [c.desc() if descending else c.asc() for c in columns]
        return (_row_select().where(*shape.conditions()).order_by(*order)
                .limit(bindparam("lim")).offset(bindparam("off")))

    params = _filter_params(flt, departments, stores) | {"lim": limit, "off": offset}
    return [_to_row(r) for r in fetch_compiled(session, ("page_at", shape, sort), build, params)]


# -- the supervisor's lists and figures -----------------------------------------------------------


def _padded_ids(ids: Sequence[int]) -> tuple[int, dict[str, int]]:
    """IN lists padded to a power of two (repeating the last id), so a handful of statement
    shapes serve every page size."""
    n = 8
    while n < len(ids):
        n *= 2
    values = [*ids, *[ids[-1]] * (n - len(ids))]
    return n, {f"id{i}": v for i, v in enumerate(values)}


def _in_ids(column: Any, n: int) -> ColumnElement[bool]:
    return column.in_([bindparam(f"id{i}") for i in range(n)])  # type: ignore[no-any-return]


@dataclass(frozen=True)
class PendingProposal:
    """A proposal waiting for approval and what the approver needs to know about its case."""

    proposal_id: int
    remedy: str
    amount_cents: int | None
    details: str
    proposed_by: int
    proposer: str
    proposed_at: datetime
    approvals_needed: int
    case_id: int
    number: str
    version: int
    status: Status
    severity: Severity
    urgent: bool
    department: str | None
    category: str
    product: str
    customer: str
    summary: str
    next_due_at: datetime | None
    clock_start: datetime
    store: str | None = None  # issue 13: a store manager approves their store's only


def _approvals_by(*conditions: ColumnElement[bool]) -> Any:
    """How many approvals a proposal has been given by the approvers ``conditions`` name: a count
    on the approvals' proposal index. A count and not EXISTS, so that PostgreSQL cannot make it a
    hashed subplan or a hash anti-join, which read every past approval (issue 16)."""
    return (
        select(func.count())
        .select_from(Approval)
        .where(col(Approval.proposal_id) == col(Proposal.id), col(Approval.decision) == "approved",
               *conditions)
        .scalar_subquery()
    )


def _waiting_conditions(
    senior: bool, n_senior_roles: int, *, own: bool, store_limited: bool = False
) -> list[ColumnElement[bool]]:
    """Pending proposals whose next approval ``:me`` may give (the four-eyes rules of
    ``domain.workflow._approve`` in SQL): not already approved by them and, above the
    threshold after a first approval, only if a manager is among the approvers; for a store
    manager (``store_limited``; the statement then joins ``Case``) only up to the limit of the
    case's store. With ``own`` their own
    proposals are kept too (listed as not approvable); without, left out — so what the inbox
    lists, less one's own, is exactly what the badge counts (issue 15 item 14).

    Issue 16: the approvals of a proposal are looked up only when it has some
    (``approvals_given``, a first of two): the badge reads the pending proposals, never the
    approval history — at a million cases 4,792 pending against 903,341 past approvals."""
    p = Proposal
    none_given = col(p.approvals_given) == 0
    where: list[ColumnElement[bool]] = [
        col(p.status) == "pending",
        or_(none_given, _approvals_by(col(Approval.approver_id) == bindparam("me")) == 0),
    ]
    counts: ColumnElement[bool] | None = None
    if not senior:
        seniors = (
            select(col(User.id))
            .where(col(User.role).in_([bindparam(f"sr{i}") for i in range(n_senior_roles)]))
            .correlate(None)
        )
        counts = and_(
            # Issue 13: a compensation outside the suggested range waits for a manager only.
            col(p.range_reason).is_(None),
            or_(
                col(p.amount_cents).is_(None),
                col(p.amount_cents) <= bindparam("limit_cents"),
                none_given,
                _approvals_by(col(Approval.approver_id).in_(seniors)) > 0,
            ),
        )
    if store_limited:
        # ``_approve``: refused when ``(amount or 0) > (store_limit or 0)``; a case without a
        # store has no limit to approve within. The statement joins the proposal's case, so the
        # limit is looked up for the cases of the reader's store only (issue 16: reading each
        # pending proposal's case cost a store manager's badge 12 ms at a million cases).
        store_limit = (
            select(col(Store.approval_limit_cents))
            .where(col(Store.code) == col(Case.store_code))
            .scalar_subquery()
        )
        within = func.coalesce(col(p.amount_cents), 0) <= func.coalesce(store_limit, 0)
        counts = within if counts is None else and_(counts, within)
    is_own = col(p.proposed_by) == bindparam("me")
    if own:
        if counts is not None:
            where.append(or_(is_own, counts))
    else:
        where.append(~is_own)
        if counts is not None:
            where.append(counts)
    return where


def _waiting_params(me: int, senior_roles: Sequence[str], limit_cents: int) -> dict[str, Any]:
    return {"me": me, "limit_cents": limit_cents} | {f"sr{i}": r for i, r in enumerate(senior_roles)}


def pending_proposals(
    session: Session, *, me: int, senior: bool, senior_roles: Sequence[str], limit_cents: int,
    store_limited: bool = False, after_id: int | None = None, limit: int = 100, scope: Scope = EVERYTHING,
) -> list[PendingProposal]:
    """The proposals waiting for ``me`` (their own included), oldest first, after a proposal id;
    only those of cases ``scope`` lets the reader see."""
    n_roles = len(senior_roles)
    departments, stores = reach(scope)
    if departments == ():
        return []
    n_dept = _n(departments)

    def build() -> Any:
        proposer = aliased(User)
        where = _waiting_conditions(senior, n_roles, own=True, store_limited=store_limited)
        if n_dept:
            where.append(_in_departments(col(Case.department_code), n_dept))
        if stores:
            where.append(_in_stores(len(stores)))
        if after_id is not None:
            where.append(col(Proposal.id) > bindparam("after"))
        return (
            select(
                col(Proposal.id), col(Proposal.remedy), col(Proposal.amount_cents),
                col(Proposal.details), col(Proposal.proposed_by), col(proposer.name),
                col(Proposal.proposed_at), col(Proposal.approvals_needed),
                col(Case.id), col(Case.number), col(Case.version), col(Case.status),
                col(Case.severity), col(Case.urgent), col(Case.department_code),
                col(Case.category), col(Case.product), col(Customer.name),
                func.substr(col(Case.description), 1, SUMMARY_CHARS),
                col(Case.next_due_at), col(Case.registered_at), col(Case.assigned_at),
                col(Case.implemented_at), col(Case.store_code),
            )
            .join(Case, col(Case.id) == col(Proposal.case_id))
            .join(Customer, col(Customer.id) == col(Case.customer_id))
            .join(proposer, col(proposer.id) == col(Proposal.proposed_by))
            .where(*where)
            .order_by(col(Proposal.id))
            .limit(bindparam("lim"))
        )

    params = _waiting_params(me, senior_roles, limit_cents) | {"lim": limit}
    params |= _department_params(departments) | _store_params(stores)
    if after_id is not None:
        params["after"] = after_id
    shape = ("pending_proposals", senior, store_limited, n_roles, after_id is not None, n_dept, len(stores))
    rows = fetch_compiled(session, shape, build, params)
    found = []
    for r in rows:
        status = _STATUS[r[11]]
        registered = _from_db(r[20])
        proposed = _from_db(r[6])
        assert registered is not None and proposed is not None
        found.append(PendingProposal(
            proposal_id=r[0], remedy=r[1], amount_cents=r[2], details=r[3] or "",
            proposed_by=r[4], proposer=r[5], proposed_at=proposed, approvals_needed=r[7],
            case_id=r[8], number=r[9], version=r[10], status=status,
            severity=SEVERITY_BY_LEVEL[r[12]], urgent=bool(r[13]), department=r[14],
            category=r[15] or "", product=r[16] or "", customer=r[17] or "", summary=r[18] or "",
            next_due_at=_from_db(r[19]),
            clock_start=clock_start(status, registered, _from_db(r[21]), _from_db(r[22])),
            store=r[23],
        ))
    return found


def _proposals_of(departments: int, stores: int = 0, *, with_case: bool = False) -> Select[Any]:
    """Counting proposals: of every case, or (joined to their cases, also ``with_case``) of some
    departments' or stores'."""
    stmt = select(func.count()).select_from(Proposal)
    if departments or stores or with_case:
        stmt = stmt.join(Case, col(Case.id) == col(Proposal.case_id))
    if departments:
        stmt = stmt.where(_in_departments(col(Case.department_code), departments))
    if stores:
        stmt = stmt.where(_in_stores(stores))
    return stmt


def count_waiting_for(
    session: Session, *, me: int, senior: bool, senior_roles: Sequence[str], limit_cents: int,
    store_limited: bool = False, scope: Scope = EVERYTHING,
) -> int:
    """How many proposals ``me`` may approve now (their own left out): one statement on the
    (status, id) index of proposals, looking up approvals only for a first of two."""
    n_roles = len(senior_roles)
    departments, stores = reach(scope)
    if departments == ():
        return 0
    n_dept = _n(departments)

    def build() -> Select[Any]:
        return _proposals_of(n_dept, len(stores), with_case=store_limited).where(
            *_waiting_conditions(senior, n_roles, own=False, store_limited=store_limited))

    params = (_waiting_params(me, senior_roles, limit_cents) | _department_params(departments)
              | _store_params(stores))
    shape = ("count_waiting", senior, store_limited, n_roles, n_dept, len(stores))
    return int(fetch_compiled(session, shape, build, params)[0][0])


def count_pending(session: Session, scope: Scope = EVERYTHING) -> int:
    departments, stores = reach(scope)
    if departments == ():
        return 0
    n_dept = _n(departments)

    def build() -> Select[Any]:
        return _proposals_of(n_dept, len(stores)).where(col(Proposal.status) == "pending")

    params = _department_params(departments) | _store_params(stores)
    return int(fetch_compiled(session, ("count_pending", n_dept, len(stores)), build, params)[0][0])


@dataclass(frozen=True)
class ApprovalBy:
    proposal_id: int
    user_id: int
    name: str
    role: str
    department: str | None


def approvals_of(session: Session, proposal_ids: Sequence[int]) -> list[ApprovalBy]:
    """The approvals given so far to these proposals, in the order given."""
    if not proposal_ids:
        return []
    n, params = _padded_ids(proposal_ids)

    def build() -> Any:
        return (
            select(col(Approval.proposal_id), col(User.id), col(User.name), col(User.role),
                   col(User.department_code))
            .join(User, col(User.id) == col(Approval.approver_id))
            .where(_in_ids(col(Approval.proposal_id), n), col(Approval.decision) == "approved")
            .order_by(col(Approval.id))
        )

    return [ApprovalBy(*r) for r in fetch_compiled(session, ("approvals_of", n), build, params)]


def latest_event_details(session: Session, case_ids: Sequence[int], action: str) -> dict[int, str]:
    """The details (JSON text) of each case's newest event of ``action``."""
    if not case_ids:
        return {}
    n, params = _padded_ids(case_ids)

    def build() -> Any:
        return (
            select(col(CaseEvent.case_id), col(CaseEvent.details))
            .where(_in_ids(col(CaseEvent.case_id), n), col(CaseEvent.action) == bindparam("action"))
            .order_by(col(CaseEvent.id))
        )

    return {case_id: details for case_id, details in
            fetch_compiled(session, ("latest_event_details", n), build, params | {"action": action})}


@dataclass(frozen=True)
class FollowUpRow:
    """A case waiting for its follow-up call: whom to call, what was promised and done."""

    id: int
    number: str
    version: int
    severity: Severity
    urgent: bool
    department: str | None
    category: str
    product: str
    customer: str
    phone: str | None
    email: str | None
    caller_mood: str | None
    summary: str
    customer_request: str
    remedy: str | None
    amount_cents: int | None
    promised: str  # the accepted proposal's details
    implementation: str
    implemented_at: datetime | None
    follow_up_due_at: datetime | None
    clock_start: datetime
    attempts: int  # unanswered calls since the remedy was implemented
    last_attempt_at: datetime | None


def follow_up_page(
    session: Session, *, after: Key | None = None, limit: int = 50, scope: Scope = EVERYTHING,
) -> list[FollowUpRow]:
    """Cases in follow-up, the nearest follow-up deadline first; key set ``(due, id)``; only
    those ``scope`` lets the reader see."""
    departments, stores = reach(scope)
    if departments == ():
        return []
    n_dept = _n(departments)

    def build() -> Any:
        since = func.coalesce(col(Case.implemented_at), col(Case.registered_at))
        unanswered = [col(Survey.case_id) == col(Case.id), col(Survey.answered).is_(False),
                      col(Survey.at) >= since]
        attempts = select(func.count()).where(*unanswered).scalar_subquery()
        last = select(func.max(col(Survey.at))).where(*unanswered).scalar_subquery()
        promised = (
            select(col(Proposal.details))
            .where(col(Proposal.case_id) == col(Case.id), col(Proposal.status) == "accepted")
            .order_by(col(Proposal.id).desc()).limit(1).scalar_subquery()
        )
        where = [col(Case.status) == Status.FOLLOW_UP.value]
        if n_dept:
            where.append(_in_departments(col(Case.department_code), n_dept))
        if stores:
            where.append(_in_stores(len(stores)))
        if after is not None:
            due = bindparam("k0", type_=DateTime(timezone=True))
            where.append(tuple_(col(Case.follow_up_due_at), col(Case.id)) > tuple_(due, bindparam("k1")))
        return (
            select(
                col(Case.id), col(Case.number), col(Case.version), col(Case.severity),
                col(Case.urgent), col(Case.department_code), col(Case.category), col(Case.product),
                col(Customer.name), col(Customer.phone), col(Customer.email), col(Case.caller_mood),
                func.substr(col(Case.description), 1, SUMMARY_CHARS), col(Case.customer_request),
                col(Case.remedy), col(Case.amount_cents), promised, col(Case.implementation),
                col(Case.implemented_at), col(Case.follow_up_due_at), col(Case.registered_at),
                attempts, last,
            )
            .join(Customer, col(Customer.id) == col(Case.customer_id))
            .where(*where)
            .order_by(col(Case.follow_up_due_at), col(Case.id))
            .limit(bindparam("lim"))
        )

    params: dict[str, Any] = {"lim": limit} | _department_params(departments) | _store_params(stores)
    if after is not None:
        params |= {"k0": after[0], "k1": after[1]}
    found = []
    shape = ("follow_up_page", after is not None, n_dept, len(stores))
    for r in fetch_compiled(session, shape, build, params):
        registered = _from_db(r[20])
        assert registered is not None
        implemented = _from_db(r[18])
        found.append(FollowUpRow(
            id=r[0], number=r[1], version=r[2], severity=SEVERITY_BY_LEVEL[r[3]],
            urgent=bool(r[4]), department=r[5], category=r[6] or "", product=r[7] or "",
            customer=r[8] or "", phone=r[9], email=r[10], caller_mood=r[11], summary=r[12] or "",
            customer_request=r[13] or "", remedy=r[14], amount_cents=r[15], promised=r[16] or "",
            implementation=r[17] or "", implemented_at=implemented, follow_up_due_at=_from_db(r[19]),
            clock_start=clock_start(Status.FOLLOW_UP, registered, None, implemented),
            attempts=int(r[21] or 0), last_attempt_at=_from_db(r[22]),
        ))
    return found
