"""The outbox of e-mails to customers (issue 17): written with the event that causes a message,
claimed one at a time by a sender, marked sent or failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from kesu_desk.store.models import OutboxMessage

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


def add(session: Session, message: OutboxMessage) -> None:
    session.add(message)


def due(session: Session, now: datetime, limit: int) -> list[int]:
    """Ids of the pending messages due now, oldest first."""
    ids = session.exec(
        select(OutboxMessage.id).where(col(OutboxMessage.status) == PENDING,
                                       col(OutboxMessage.next_attempt_at) <= now)
        .order_by(col(OutboxMessage.id)).limit(limit)
    ).all()
    return [i for i in ids if i is not None]


def claim(session: Session, message_id: int) -> bool:
    """Take the message for sending: of two senders at the same instant, one gets it."""
    result = session.execute(
        update(OutboxMessage).where(col(OutboxMessage.id) == message_id, col(OutboxMessage.status) == PENDING)
        .values(status=SENDING, attempts=OutboxMessage.attempts + 1)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def get(session: Session, message_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)


def interrupted(session: Session, before: datetime) -> list[OutboxMessage]:
    """Messages a sender claimed and never finished (it was killed meanwhile): they may or may
    not have gone, so they are not sent again."""
    return list(session.exec(
        select(OutboxMessage).where(col(OutboxMessage.status) == SENDING,
                                    col(OutboxMessage.next_attempt_at) < before)
    ).all())


def of_case(session: Session, case_id: int) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).where(col(OutboxMessage.case_id) == case_id)
                             .order_by(col(OutboxMessage.id))).all())


def listed(session: Session, status: str | None, limit: int) -> list[tuple[OutboxMessage, str]]:
    """(message, case number), newest first."""
    from kesu_desk.store.models import Case

    query = select(OutboxMessage, Case.number).join(Case, col(Case.id) == col(OutboxMessage.case_id))
    if status:
        query = query.where(col(OutboxMessage.status) == status)
    return [(m, n) for m, n in session.exec(query.order_by(col(OutboxMessage.id).desc()).limit(limit)).all()]


def count(session: Session, status: str) -> int:
    return int(session.exec(select(func.count()).select_from(OutboxMessage)
                            .where(col(OutboxMessage.status) == status)).one())
