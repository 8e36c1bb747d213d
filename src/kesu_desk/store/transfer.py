"""Import and export in the store: the cases of an export in key-set batches, which case numbers
and source keys an import finds already stored, and the savepoint each imported row is written in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col

from kesu_desk.domain.access import EVERYTHING, Scope
from kesu_desk.domain.vocabulary import Status
from kesu_desk.store.models import Case, Customer

# What an export writes of each case, under these names.
_EXPORTED: tuple[Any, ...] = (
    col(Case.id),
    col(Case.number),
    col(Case.status),
    col(Case.registered_at),
    col(Case.channel),
    col(Case.kind),
    col(Customer.name).label("customer_name"),
    col(Customer.phone),
    col(Customer.email),
    col(Case.customer_class),
    col(Case.product),
    col(Case.order_no),
    col(Case.batch),
    col(Case.purchase_date),
    col(Case.category),
    col(Case.severity),
    col(Case.urgent),
    col(Case.description),
    col(Case.customer_request),
    col(Case.caller_mood),
    col(Case.department_code),
    col(Case.validity),
    col(Case.validity_reason),
    col(Case.remedy),
    col(Case.amount_cents),
    col(Case.satisfaction),
    col(Case.closure),
)


def export_select(
    after_id: int, statuses: Sequence[Status], limit: int, scope: Scope = EVERYTHING
) -> Select[Any]:
    """The next ``limit`` cases after ``after_id`` in id order, with their customers."""
    where = [col(Case.id) > after_id]
    if statuses:
        where.append(col(Case.status).in_([Status(s).value for s in statuses]))
    if scope.stores:  # a store manager: their store's cases (issue 13), as every list
        where.append(col(Case.store_code).in_(sorted(scope.stores)))
    elif scope.departments is not None:
        where.append(col(Case.department_code).in_(sorted(scope.departments)))
    return (
        select(*_EXPORTED)
        .join(Customer, col(Customer.id) == col(Case.customer_id))
        .where(*where)
        .order_by(col(Case.id))
        .limit(limit)
    )


def export_batch(
    session: Session, after_id: int, statuses: Sequence[Status], limit: int,
    scope: Scope = EVERYTHING,
) -> Sequence[Row[Any]]:
    """One batch of :func:`export_select`: rows with the exported columns as attributes."""
    return session.execute(export_select(after_id, statuses, limit, scope)).all()


def existing_keys(
    session: Session, numbers: set[str], keys: set[str]
) -> tuple[set[str], set[str]]:
    """Which of these case numbers and source keys the database already holds."""
    found_numbers: set[str] = set()
    found_keys: set[str] = set()
    if numbers:
        by_number = select(col(Case.number)).where(col(Case.number).in_(numbers))
        found_numbers = set(session.execute(by_number).scalars())
    if keys:
        by_key = select(col(Case.source_key)).where(col(Case.source_key).in_(keys))
        found_keys = {k for k in session.execute(by_key).scalars() if k}
    return found_numbers, found_keys


class DuplicateRow(Exception):
    """The database already holds this case: another import stored it after the check."""


class RowRefused(Exception):
    """The database refused the row; ``reason`` is the first line of what it said."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@contextmanager
def row_savepoint(session: Session) -> Iterator[None]:
    """Write one imported row in a savepoint, so that its refusal spares the rest of the batch:
    a broken constraint is :class:`DuplicateRow` (the unique case number or source key), any
    other database error :class:`RowRefused`; other exceptions pass unchanged."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError as exc:
        raise DuplicateRow from exc
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise RowRefused(reason) from exc
