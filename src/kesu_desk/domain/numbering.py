"""Case numbers ``KS-YYYYMMDD-NNNN``: the local day of registration and that day's counter.

The counter has at least four digits and grows to six at most (999,999 cases a day), so a number
is 16 to 18 characters and the counter fits the 32-bit column of both engines. A number is
written one way only (``KS-20261204-0012``, never ``…-00012``), so the same case can never arrive
under two spellings. Registration days run from FIRST_DAY to tomorrow (the desk's timezone may
be ahead of the machine's).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

PREFIX = "KS"
COUNTER_DIGITS = 4  # at least
COUNTER_MAX = 999_999
# Older than any complaint system a desk would import from.
FIRST_DAY = date(1990, 1, 1)
FORMAT = "KS-YYYYMMDD-NNNN"

_NUMBER = re.compile(r"KS-(\d{8})-(\d{4,6})")


def format_number(day: date, counter: int) -> str:
    if not 1 <= counter <= COUNTER_MAX:
        raise ValueError(f"counter {counter} outside 1…{COUNTER_MAX}")
    return f"{PREFIX}-{day_key(day)}-{counter:0{COUNTER_DIGITS}d}"


def day_key(day: date) -> str:
    """``YYYYMMDD`` (zero-padded whatever the year: ``strftime('%Y')`` is not, on every C library)."""
    return day.isoformat().replace("-", "")


def parse_number(value: str, today: date | None = None) -> tuple[date, int] | None:
    """(day, counter) of a case number written the desk's way on a plausible day; else None."""
    match = _NUMBER.fullmatch(value)
    if match is None:
        return None
    try:
        day = datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None
    counter = int(match.group(2))
    if not (plausible_day(day, today) and 1 <= counter <= COUNTER_MAX):
        return None
    return (day, counter) if format_number(day, counter) == value else None


def plausible_day(day: date, today: date | None = None) -> bool:
    """A day a complaint can have been registered on."""
    return FIRST_DAY <= day <= (today or date.today()) + timedelta(days=1)


def plausible_registration(moment: datetime, now: datetime) -> bool:
    """A time a complaint can have been registered at (aware datetimes)."""
    return plausible_day(moment.date(), now.date()) and moment <= now + timedelta(days=1)
