"""Accountability (DOMAIN.md step 8; seeds 000, 001, 004): the person directly responsible answers
with a share of their performance pay, or an amount, in proportion to the loss; whoever delayed the
handling answers for it too."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kesu_desk.domain.amounts import amount_cents, parse_amount
from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.limits import TEXT_LIMITS, TOO_LONG


@dataclass(frozen=True)
class Penalty:
    percent: Decimal | None = None  # a share of the performance pay, 0 < p ≤ 100
    cents: int | None = None  # or an amount

    @property
    def none(self) -> bool:
        return self.percent is None and self.cents is None


def parse_penalty(text: str) -> Penalty:
    """``"10%"`` or ``"10 %"`` (a share of performance pay), ``"200"`` (an amount), or nothing."""
    plain = unicodedata.normalize("NFKC", text).strip()
    if not plain:
        return Penalty()
    if plain.endswith("%"):
        try:
            percent = Decimal(plain[:-1].strip().replace(",", "."))
        except InvalidOperation:
            raise InvalidInput("invalid_input", errors={"penalty": "penalty_format"}) from None
        if not percent.is_finite() or not 0 < percent <= 100 or percent != percent.quantize(Decimal("0.01")):
            raise InvalidInput("invalid_input", errors={"penalty": "penalty_percent"})
        return Penalty(percent=percent)
    try:
        amount = parse_amount(plain)
    except InvalidInput:
        raise InvalidInput("invalid_input", errors={"penalty": "penalty_format"}) from None
    return Penalty(cents=amount_cents(amount))


def check_accountability(responsible: str, penalty: Penalty, delayed_by: str, delay_reason: str) -> None:
    """A penalty names whom it is for; a delay says why; names and reasons within their limits."""
    errors: dict[str, str] = {}
    if not penalty.none and not responsible.strip():
        errors["responsible"] = "penalty_needs_person"
    if delayed_by.strip() and not delay_reason.strip():
        errors["delay_reason"] = "delay_needs_reason"
    errors.update({field: TOO_LONG for field, value in (("responsible", responsible), ("delayed_by", delayed_by),
                                                          ("delay_reason", delay_reason))
                   if len(value) > TEXT_LIMITS[field]})
    if errors:
        raise InvalidInput("invalid_input", errors=errors)
