"""Reading the queue for screens and the command line: pages, counts and search."""

from __future__ import annotations

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
        return queries.page(uow.session, flt, sort, after=after, limit=limit, from_end=from_end)


def queue_count(desk: Desk, flt: QueueFilter = ALL) -> int:
    with desk.uow(write=False) as uow:
        return queries.count(uow.session, flt)


def search_cases(
    desk: Desk, query: str, *, limit: int = 50, before_id: int | None = None, department: str | None = None,
) -> list[QueueRow]:
    """Cases matching ``query``, newest first; with ``department``, only that department's (a
    handler's search): pages are read on until ``limit`` of them are found or none are left."""
    from kesu_desk.services.drafts import phone_prefixes

    prefixes = phone_prefixes(query, desk.settings.country)
    found: list[QueueRow] = []
    with desk.uow(write=False) as uow:
        while True:
            rows = queries.search(uow.session, query, limit=limit, before_id=before_id, phone_prefixes=prefixes)
            found += [r for r in rows if department is None or r.department == department]
            if department is None or len(found) >= limit or len(rows) < limit:
                return found[:limit]
            before_id = rows[-1].id


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
        return queries.page_at(uow.session, flt, sort, offset, limit)
