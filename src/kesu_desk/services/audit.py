"""The access log: bulk reads of personal data (export, print, a report naming repeat
complainants) and erasures, by whom and what was asked. Append-only in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kesu_desk.domain.access import Use, require
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.store import access
from kesu_desk.store.access import AccessRow

__all__ = ["AccessRow", "access_log", "record_read"]


def record_read(desk: Desk, use: Use, details: dict[str, Any], rows: int | None = None) -> None:
    """Log a bulk read of personal data by the person signed in, in a transaction of its own
    (written before the data leaves the desk: a read that fails halfway is still logged). The
    desk itself (no one signed in: migrations, the demo generator, tests) is not logged."""
    identity = desk.identity
    if identity is None:
        return
    with desk.uow() as uow:
        access.log_access(uow.session, at=utcnow(), user_id=identity.user.id,
                          admin_id=identity.admin.id if identity.admin else None,
                          login=identity.login, use=use.value, details=details, rows=rows)
        uow.commit()


def access_log(
    desk: Desk, *, since: datetime | None = None, until: datetime | None = None, user: str | None = None,
    limit: int = 1000,
) -> list[AccessRow]:
    """The log, oldest first (the newest ``limit`` entries), for admins."""
    require(desk.reader, Use.AUDIT)
    with desk.uow(write=False) as uow:
        return access.access_entries(uow.session, since=since, until=until, user=user, limit=limit)
