"""The remedies of a proposal (issue 13: several in one proposal), stored one row each, in order."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from kesu_desk.store.models import Proposal, ProposalRemedy

# (remedy, amount in cents) in the proposer's order
Lines = list[tuple[str, int | None]]


def add_lines(session: Session, proposal: Proposal, lines: Sequence[tuple[str, int | None]]) -> None:
    """Store ``lines`` as ``proposal``'s remedies (the proposal is flushed first for its id)."""
    if proposal.id is None:
        session.flush()
    assert proposal.id is not None
    for position, (remedy, cents) in enumerate(lines, start=1):
        session.add(ProposalRemedy(proposal_id=proposal.id, position=position, remedy=remedy,
                                   amount_cents=cents))


def lines_of(session: Session, proposals: Sequence[Proposal]) -> dict[int, Lines]:
    """Each proposal's remedies in order; a proposal stored before there were several (no rows)
    is its own remedy and amount."""
    ids = [p.id for p in proposals if p.id is not None]
    found: dict[int, Lines] = {}
    if ids:
        rows = session.exec(
            select(ProposalRemedy).where(col(ProposalRemedy.proposal_id).in_(ids))
            .order_by(col(ProposalRemedy.proposal_id), col(ProposalRemedy.position))
        ).all()
        for row in rows:
            found.setdefault(row.proposal_id, []).append((row.remedy, row.amount_cents))
    return {p.id: found.get(p.id) or [(p.remedy, p.amount_cents)] for p in proposals if p.id is not None}


def lines_by_id(session: Session, proposal_ids: Sequence[int]) -> dict[int, Lines]:
    """:func:`lines_of` for proposals known by id (the approval inbox's read model)."""
    if not proposal_ids:
        return {}
    proposals = session.exec(select(Proposal).where(col(Proposal.id).in_(list(proposal_ids)))).all()
    return lines_of(session, list(proposals))


def range_facts(session: Session, proposal_ids: Sequence[int]) -> dict[int, tuple[int | None, str | None]]:
    """Each proposal's price when proposed and its reason for a compensation outside the range."""
    if not proposal_ids:
        return {}
    rows = session.exec(
        select(col(Proposal.id), col(Proposal.price_cents), col(Proposal.range_reason))
        .where(col(Proposal.id).in_(list(proposal_ids)))
    ).all()
    return {pid: (price, reason) for pid, price, reason in rows if pid is not None}
