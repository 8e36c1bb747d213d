"""Masking a customer's personal data in free text, for an erasure (PIPL art. 47, GDPR art. 17)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

MASK = "***"
# A name shorter than this is too common a string to be masked wherever it occurs (一个"王"字).
SHORTEST_NAME = 2
_SEPARATORS = r"[\s\-.()/]?"


def _phone_pattern(phone: str, national: str) -> str | None:
    """Any way of writing the number: the stored E.164 form, or the national number with or
    without its country code, digits apart or grouped by spaces, dashes, dots or brackets."""
    digits = re.sub(r"\D", "", national)
    if len(digits) < 5:
        return None
    country = re.sub(r"\D", "", phone)[: len(re.sub(r"\D", "", phone)) - len(digits)]
    body = _SEPARATORS.join(re.escape(d) for d in digits)
    prefix = rf"(?:(?:\+|00){country}{_SEPARATORS})?0?" if country else ""
    return rf"(?<!\d){prefix}{body}(?!\d)"


def masker(name: str, phone: str | None, national: str | None, email: str | None) -> Callable[[str], str]:
    """A function that replaces the customer's name, phone and e-mail in a text by ``***``."""
    patterns: list[str] = []
    if phone and national and (p := _phone_pattern(phone, national)):
        patterns.append(p)
    if phone:
        patterns.append(re.escape(phone))
    if email:
        patterns.append(re.escape(email))
    if len(name.strip()) >= SHORTEST_NAME:
        patterns.append(re.escape(name.strip()))
    if not patterns:
        return lambda text: text
    found = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    return lambda text: found.sub(MASK, text)


def masked_json(value: Any, mask: Callable[[str], str]) -> Any:
    """Every string inside a JSON value masked."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [masked_json(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: masked_json(v, mask) for k, v in value.items()}
    return value
