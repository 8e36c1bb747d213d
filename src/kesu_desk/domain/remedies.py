"""Several remedies in one proposal (an exchange and a compensation) and the compensation range
of the restaurant's rule, "2–5× the product's price" (seed 004, issue 13).

A proposal is a list of :class:`RemedyLine`, in the order the proposer gave them; the first is
the case's remedy after approval and the amounts add up to the amount the approval rules (the
manager's second approval above the threshold, a store manager's limit) compare.

The range: a compensation from ``min×`` to ``max×`` the price (``compensation_min_times``,
``compensation_max_times``) is what the business expects. One outside it (the compensations of a
proposal added up) needs the proposer's reason and a manager's approval. Without a known price
there is no range and nothing to keep to: the desk cannot measure what it does not know.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kesu_desk.domain.amounts import amount_params, range_text
from kesu_desk.domain.errors import DeskError, WorkflowError
from kesu_desk.domain.vocabulary import MONEY_REMEDIES, Remedy

MAX_REMEDIES = 3  # exchange + compensation + a refund of the delivery: more is a second proposal


class RemedyProblem(DeskError):
    """A proposal's remedies the desk refuses (messages in assets/i18n/remedies.*.toml)."""

    catalogue = "remedies"


@dataclass(frozen=True)
class RemedyLine:
    """One remedy of a proposal, with its amount where money moves."""

    remedy: Remedy
    amount: Decimal | None = None


@dataclass(frozen=True)
class CompensationRange:
    """The compensation the business expects for a price: ``low`` to ``high`` inclusive."""

    low: Decimal
    high: Decimal

    def holds(self, amount: Decimal) -> bool:
        return self.low <= amount <= self.high

    def params(self) -> dict[str, str]:
        return {"low": range_text(self.low), "high": range_text(self.high)}


def lines_of(remedies: Iterable[tuple[Remedy | str, Decimal | None]]) -> list[RemedyLine]:
    """``(remedy, amount)`` pairs as remedy lines (an unknown remedy: ValueError, as Remedy())."""
    return [RemedyLine(Remedy(r), a) for r, a in remedies]


def check_lines(lines: Sequence[RemedyLine]) -> None:
    """Refuse a proposal's remedies that cannot be given together: none, more than
    :data:`MAX_REMEDIES`, one remedy twice, an apology beside others, and for each line the
    rules of one remedy (an amount where money moves, none for an apology)."""
    if not lines:
        raise WorkflowError("missing_field", field="remedy")
    if len(lines) > MAX_REMEDIES:
        raise RemedyProblem("too_many", most=MAX_REMEDIES)
    seen: set[Remedy] = set()
    for line in lines:
        if line.remedy in seen:
            raise RemedyProblem("twice", remedy=line.remedy.value)
        seen.add(line.remedy)
        if line.amount is not None and line.amount < 0:
            raise WorkflowError("negative_amount")
        if line.remedy in MONEY_REMEDIES and not line.amount:
            raise WorkflowError("amount_required", **amount_params())
        if line.remedy is Remedy.APOLOGY and line.amount:
            raise WorkflowError("apology_has_no_amount")
    if Remedy.APOLOGY in seen and len(lines) > 1:
        raise RemedyProblem("apology_alone")


def total(lines: Iterable[RemedyLine]) -> Decimal | None:
    """The amounts added up; None when no line moves money."""
    amounts = [line.amount for line in lines if line.amount is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def compensation_range(price: Decimal | None, min_times: int, max_times: int) -> CompensationRange | None:
    """The suggested compensation for ``price``; None without a price (no range, no restriction)."""
    if price is None or price <= 0:
        return None
    low, high = sorted((min_times, max_times))
    return CompensationRange(price * low, price * high)


def compensation(lines: Iterable[RemedyLine]) -> Decimal | None:
    """The compensation a proposal gives (its compensation line's amount), or None."""
    return next((line.amount for line in lines if line.remedy is Remedy.COMPENSATION), None)


def outside_range(lines: Sequence[RemedyLine], suggested: CompensationRange | None) -> bool:
    """Whether the proposal's compensation is outside the suggested range (never without one)."""
    given = compensation(lines)
    return suggested is not None and given is not None and not suggested.holds(given)


def check_range_reason(lines: Sequence[RemedyLine], suggested: CompensationRange | None, reason: str) -> None:
    """A compensation outside the range needs the proposer's reason."""
    if outside_range(lines, suggested) and not reason.strip():
        assert suggested is not None
        raise RemedyProblem("reason_required", **suggested.params())
