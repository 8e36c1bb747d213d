"""Amounts of money as people type them in Chinese, English and Spanish, read one way at every
door (the proposal dialog, the services, ``kesu-desk suggest``), and the cents they are stored as.

Money is stored in whole cents in INTEGER columns (``cases.amount_cents``,
``proposals.amount_cents``): an amount is taken only when it is exactly a number of cents in the
allowed range, so the amount stored is the amount the approval rules compare — nothing is
rounded on the way. What is refused gets one of the codes below (``error.<code>`` in the
catalogues), whose message gives the allowed range.

Separators. Chinese and English write 1,500.50; Spanish writes 1.500,50; anyone may group with
spaces (1 500,50). Read so that no form is taken two ways:

* both a comma and a point: the last one is the decimal mark (1,500.50 and 1.500,50 are 1500.50);
* one kind repeated (1,500,000 or 1.500.000): thousands;
* one comma or point before one or two digits (1,5 or 1.50): the decimal mark;
* one comma or point before exactly three digits (1,500 or 1.500) is 1500 to some and 1.5 to
  others: refused as ambiguous, never guessed;
* spaces (also no-break and thin spaces) group thousands only.

Full-width digits and punctuation (１，５００．５０, typed with a Chinese input method) read as
their plain forms. No sign, exponent, NaN, Infinity or currency mark is taken.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from kesu_desk.domain.errors import InvalidInput

CENT = Decimal("0.01")
# The smallest amount where money moves: one cent (zero is no amount).
MIN_AMOUNT = CENT
# The largest amount the desk takes. The INTEGER cents columns would hold up to 2,147,483,647
# cents (21,474,836.47, PostgreSQL's limit); a round figure below that reads clearly in the
# refusal, and no complaint's remedy comes near it.
MAX_AMOUNT = Decimal("10000000.00")
MAX_CENTS = int(MAX_AMOUNT * 100)

# Error codes (``error.<code>``); every message names the range.
NOT_AN_AMOUNT = "amount_format"
AMBIGUOUS = "amount_ambiguous"
TOO_PRECISE = "amount_decimals"
NEGATIVE = "amount_negative"
TOO_LARGE = "amount_too_large"

_MINUS = frozenset("-−﹣－")
_ALLOWED = frozenset("0123456789,. ")
_GROUPED = re.compile(r"\d{1,3}(?:(?P<sep>[ ,.])\d{3})(?:(?P=sep)\d{3})*")


def range_text(amount: Decimal) -> str:
    """An amount as the refusals show a bound: thousands grouped by spaces (which every
    language's reader takes), two decimals: 10 000 000.00."""
    return f"{amount:,.2f}".replace(",", " ")


def amount_params() -> dict[str, str]:
    """The bounds the messages of amounts name: ``{low}`` and ``{high}``."""
    return {"low": range_text(MIN_AMOUNT), "high": range_text(MAX_AMOUNT)}


def _refuse(code: str) -> InvalidInput:
    return InvalidInput("invalid_input", errors={"amount": code})


def parse_amount(text: str) -> Decimal | None:
    """The amount ``text`` stands for, or None when it is blank. Zero is an amount here (the
    workflow says where money must move); InvalidInput (``amount`` → code) for anything else
    that is not a number of cents from 0 to :data:`MAX_AMOUNT`, written unambiguously."""
    plain = unicodedata.normalize("NFKC", text).strip()
    if not plain:
        return None
    if plain[0] in _MINUS:
        body = plain[1:].lstrip()
        raise _refuse(NEGATIVE if body[:1].isdigit() else NOT_AN_AMOUNT)
    return _read(plain)


def _read(text: str) -> Decimal:
    if not text or not set(text) <= _ALLOWED or not text[0].isdigit():
        raise _refuse(NOT_AN_AMOUNT)
    marks = [i for i, ch in enumerate(text) if ch in ",."]
    # Where the decimals start: after the last mark, unless one kind of mark is repeated.
    both = "," in text and "." in text
    decimal_at = marks[-1] if marks and (both or text.count(text[marks[-1]]) == 1) else None
    whole, decimals = (text, "") if decimal_at is None else (text[:decimal_at], text[decimal_at + 1:])
    if len(marks) == 1 and len(decimals) == 3 and _GROUPED.fullmatch(text) and whole[0] != "0":
        raise _refuse(AMBIGUOUS)  # 1,500 or 1.500: thousands to some, decimals to others
    if decimal_at is not None and not decimals.isdigit():
        raise _refuse(NOT_AN_AMOUNT)  # 1500. or 1.5,0
    if not whole.isdigit() and not _GROUPED.fullmatch(whole):
        raise _refuse(NOT_AN_AMOUNT)  # 15,00,000 or 1,000 000
    if len(decimals) > 2:
        raise _refuse(TOO_PRECISE)
    value = Decimal(re.sub(r"[ ,.]", "", whole) + "." + (decimals or "0"))
    if value > MAX_AMOUNT:
        raise _refuse(TOO_LARGE)
    return value


def amount_cents(amount: Decimal | None) -> int | None:
    """The whole cents ``amount`` is stored as; InvalidInput when it is not exactly a number of
    cents from 0 to :data:`MAX_AMOUNT` (NaN, infinities, a third decimal, a negative amount):
    what is stored is what was given, never a rounding of it."""
    if amount is None:
        return None
    try:
        if not amount.is_finite():
            raise _refuse(NOT_AN_AMOUNT)
        if amount < 0:
            raise _refuse(NEGATIVE)
        if amount > MAX_AMOUNT:
            raise _refuse(TOO_LARGE)
        cents = amount * 100
        if cents != cents.to_integral_value():
            raise _refuse(TOO_PRECISE)
    except InvalidOperation:
        raise _refuse(NOT_AN_AMOUNT) from None
    return int(cents)
