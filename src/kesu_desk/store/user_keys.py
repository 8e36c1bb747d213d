"""The public keys of desk users (issue 17): read and write the ``user_keys`` table."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from kesu_desk.domain.errors import SshKeyProblem
from kesu_desk.store.models import User, UserKey


def add(session: Session, key: UserKey) -> None:
    """Adds it now: a key another admin has just given somebody (both at the same instant) is
    told as such, on both engines, instead of surfacing at commit."""
    session.add(key)
    try:
        session.flush()
    except IntegrityError:
        raise SshKeyProblem("key_exists", fingerprint=key.fingerprint) from None


def of_user(session: Session, user_id: int | None = None) -> list[tuple[UserKey, str]]:
    """(key, user name) of one user's keys, or of everybody's, oldest first."""
    query = select(UserKey, User.name).join(User, col(User.id) == col(UserKey.user_id))
    if user_id is not None:
        query = query.where(col(UserKey.user_id) == user_id)
    return [(k, n) for k, n in session.exec(query.order_by(col(UserKey.id))).all()]


def by_fingerprint(session: Session, fingerprint: str) -> UserKey | None:
    return session.exec(select(UserKey).where(col(UserKey.fingerprint) == fingerprint)).first()


def owner(session: Session, fingerprint: str) -> str | None:
    """The name of the ACTIVE user the key belongs to; None for an unknown key or a user who
    left (made inactive)."""
    return session.exec(
        select(User.name).join(UserKey, col(UserKey.user_id) == col(User.id))
        .where(col(UserKey.fingerprint) == fingerprint, col(User.active).is_(True))
    ).first()


def remove(session: Session, key: UserKey) -> None:
    session.delete(key)
