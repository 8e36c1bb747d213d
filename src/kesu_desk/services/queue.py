"""Reading the queue for screens and the command line: pages, counts and search, each of only
the cases the reader may see (a handler: their department's, whatever the filter asks for)."""

from __future__ import annotations

from kesu_desk.domain.access import NOTHING, Scope
from kesu_desk.services.desk import Desk
from kesu_desk.store import queries
from kesu_desk.store.queries import ALL, Key, QueueFilter, QueueRow, Sort, row_key

__all__ = [
    "ALL", "Key", "QueueFilter", "QueueRow", "Sort", "batch_count", "last_change", "queue_count",
    "queue_page", "queue_page_at", "row_key", "search_cases",
]


def queue_page(
    desk: Desk, flt: QueueFilter = ALL, sort: Sort = Sort.NEWEST, *,
    after: Key | None = None, limit: int = 50, from_end: bool = False,
) -> list[QueueRow]:
    with desk.uow(write=False) as uow:
        return queries.page(uow.session, flt, sort, after=after, limit=limit, from_end=from_end,
                            scope=desk.scope)


def queue_count(desk: Desk, flt: QueueFilter = ALL) -> int:
    with desk.uow(write=False) as uow:
        return queries.count(uow.session, flt, desk.scope)


def search_cases(
    desk: Desk, query: str, *, limit: int = 50, before_id: int | None = None, department: str | None = None,
) -> list[QueueRow]:
    """Cases matching ``query`` that the reader may see, newest first; with ``department``, only
    that department's."""
    from kesu_desk.services.drafts import phone_prefixes

    scope = desk.scope
    if department is not None:
        scope = Scope(frozenset({department})) if scope.sees(department) else NOTHING
    prefixes = phone_prefixes(query, desk.settings.country)
    with desk.uow(write=False) as uow:
        return queries.search(uow.session, query, limit=limit, before_id=before_id,
                              phone_prefixes=prefixes, scope=scope)


def batch_count(desk: Desk, product: str, batch: str) -> int:
    """How many cases share this product and batch: five or more make a batch problem."""
    if not product or not batch:
        return 0
    with desk.uow(write=False) as uow:
        return queries.batch_count(uow.session, product, batch)


def last_change(desk: Desk) -> int:
    """The newest timeline event's id: every change to any case writes one, so a different
    value means something changed (a cheap, indexed look for other terminals' work)."""
    with desk.uow(write=False) as uow:
        return queries.last_event_id(uow.session)


def queue_page_at(desk: Desk, flt: QueueFilter, sort: Sort, offset: int, limit: int = 50) -> list[QueueRow]:
    with desk.uow(write=False) as uow:
        return queries.page_at(uow.session, flt, sort, offset, limit, desk.scope)
