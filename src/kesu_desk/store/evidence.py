"""Evidence attached to cases (issue 13): read and write ``evidence`` and ``evidence_content``."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from kesu_desk.store.models import Case, Evidence, EvidenceContent, User


def keep_content(session: Session, sha256: str, content: bytes) -> None:
    """The bytes, once per hash: the same photo attached twice (or by two terminals at once) is
    stored once."""
    if session.get(EvidenceContent, sha256) is not None:
        return
    try:
        with session.begin_nested():
            session.add(EvidenceContent(sha256=sha256, content=content))
    except IntegrityError:  # another terminal stored the same bytes this instant: they are there
        pass


def attached(session: Session, case_id: int, sha256: str) -> Evidence | None:
    return session.exec(select(Evidence).where(col(Evidence.case_id) == case_id,
                                               col(Evidence.sha256) == sha256)).first()


def of_cases(session: Session, case_ids: list[int]) -> list[tuple[Evidence, str, str]]:
    """(evidence, case number, collected by) of these cases, oldest first."""
    rows = session.exec(
        select(Evidence, Case.number, User.name)
        .join(Case, col(Case.id) == col(Evidence.case_id)).join(User, col(User.id) == col(Evidence.collected_by))
        .where(col(Evidence.case_id).in_(case_ids)).order_by(col(Evidence.id))
    ).all()
    return [(e, n, u) for e, n, u in rows]


def merged_into(session: Session, case_id: int) -> list[int]:
    """The cases merged into this one (their evidence is the survivor's too)."""
    return [i for i in session.exec(select(Case.id).where(col(Case.merged_into_id) == case_id)).all()
            if i is not None]


def content(session: Session, sha256: str) -> bytes | None:
    row = session.get(EvidenceContent, sha256)
    return bytes(row.content) if row is not None else None
