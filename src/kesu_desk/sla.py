"""Working-day calendar and the case deadlines of DOMAIN.md. Times are aware UTC."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from kesu_desk.config import Deadlines
from kesu_desk.domain.vocabulary import DEPARTMENT_STATUSES, Severity, Status


@lru_cache(maxsize=8)
def _country_holidays(country: str) -> Any:
    import holidays  # a large package: loaded when a working day is first counted

    return holidays.country_holidays(country)


class Calendar:
    """Working days: not a weekend or public holiday (make-up working days count), not closed."""

    def __init__(self, country: str = "CN", closed_days: Iterable[date] = (), tz: str = "Asia/Shanghai"):
        self.holidays = _country_holidays(country)
        self.closed_days = frozenset(closed_days)
        self.tz = ZoneInfo(tz)

    def is_working_day(self, day: date) -> bool:
        return day not in self.closed_days and bool(self.holidays.is_working_day(day))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same local time of day ``days`` working days after ``start`` (UTC in, UTC out)."""
        local = as_utc(start).astimezone(self.tz)
        day = local.date()
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        moved = datetime.combine(day, local.timetz())
        return moved.astimezone(UTC)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """How much of [start, end) falls on working days (local calendar days)."""
        start, end = as_utc(start).astimezone(self.tz), as_utc(end).astimezone(self.tz)
        total = timedelta()
        while start < end:
            midnight = datetime.combine(start.date() + timedelta(days=1), time(), self.tz)
            piece_end = min(end, midnight)
            if self.is_working_day(start.date()):
                total += piece_end - start
            start = piece_end
        return total

    def add_working_time(self, moment: datetime, amount: timedelta) -> datetime:
        """``moment`` moved on by ``amount`` of working-day time, skipping closed days."""
        local = as_utc(moment).astimezone(self.tz)
        while amount > timedelta():
            if not self.is_working_day(local.date()):
                local = datetime.combine(local.date() + timedelta(days=1), time(), self.tz)
                continue
            midnight = datetime.combine(local.date() + timedelta(days=1), time(), self.tz)
            step = min(amount, midnight - local)
            local += step
            amount -= step
        return local.astimezone(UTC)

    def local_date(self, moment: datetime) -> date:
        return as_utc(moment).astimezone(self.tz).date()


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive datetime is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CaseDeadlines:
    acknowledge: datetime | None = None
    answer: datetime | None = None
    department: datetime | None = None
    follow_up: datetime | None = None


class DeadlinePolicy:
    def __init__(self, calendar: Calendar, deadlines: Deadlines):
        self.calendar = calendar
        self.deadlines = deadlines

    @property
    def acknowledge_within(self) -> timedelta:
        return timedelta(hours=self.deadlines.acknowledge_hours)

    def answer_working_days(self, severity: Severity, kind: str | None = None) -> int:
        d = self.deadlines
        days = self._for_kind(kind, "answer_working_days") or d.answer_working_days
        return min(days, d.critical_answer_working_days) if severity is Severity.CRITICAL else days

    def department_working_days(self, severity: Severity, kind: str | None = None) -> int:
        d = self.deadlines
        days = self._for_kind(kind, "department_working_days") or d.department_working_days
        return min(days, d.critical_department_working_days) if severity is Severity.CRITICAL else days

    def _for_kind(self, kind: str | None, name: str) -> int | None:
        """The kind of contact's own deadline, if the business set one ([deadlines.kinds.…])."""
        for configured, own in self.deadlines.kinds.items():
            if configured == kind:
                value: int | None = getattr(own, name)
                return value
        return None

    @property
    def follow_up_working_days(self) -> int:
        return self.deadlines.follow_up_working_days

    def on_register(self, registered_at: datetime, severity: Severity, kind: str | None = None) -> CaseDeadlines:
        return CaseDeadlines(
            acknowledge=registered_at + self.acknowledge_within,
            answer=self.calendar.add_working_days(registered_at, self.answer_working_days(severity, kind)),
        )

    def department_due(self, assigned_at: datetime, severity: Severity, kind: str | None = None) -> datetime:
        return self.calendar.add_working_days(assigned_at, self.department_working_days(severity, kind))

    def follow_up_due(self, implemented_at: datetime) -> datetime:
        return self.calendar.add_working_days(implemented_at, self.follow_up_working_days)


def next_deadline(status: Status, deadlines: CaseDeadlines) -> datetime | None:
    """The deadline that matters in this state; the queue sorts and filters on it."""
    if status is Status.REGISTERED:
        return deadlines.acknowledge
    if status in DEPARTMENT_STATUSES:
        return deadlines.department or deadlines.answer
    if status in (Status.PROPOSED, Status.APPROVED, Status.IMPLEMENTING):
        return deadlines.answer
    if status is Status.FOLLOW_UP:
        return deadlines.follow_up
    return None


class DeadlineState(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"  # less than a quarter of the time left
    OVERDUE = "overdue"


# At risk: in the last of this many equal parts of the span from the clock's start to the deadline.
AT_RISK_PARTS = 4


def at_risk_from(start: datetime, due: datetime) -> datetime:
    """The moment from which under a quarter of the span from ``start`` to ``due`` is left."""
    return due - (due - start) / AT_RISK_PARTS


def deadline_state(start: datetime, due: datetime, now: datetime) -> DeadlineState:
    """On time, at risk (under a quarter of the span from ``start`` to ``due`` left) or overdue."""
    if now >= due:
        return DeadlineState.OVERDUE
    if (due - now) * AT_RISK_PARTS < due - start:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TIME


def clock_start(
    status: Status, registered_at: datetime, assigned_at: datetime | None, implemented_at: datetime | None
) -> datetime:
    """When the clock of the deadline that matters in ``status`` started."""
    if status in DEPARTMENT_STATUSES and assigned_at is not None:
        return assigned_at
    if status is Status.FOLLOW_UP and implemented_at is not None:
        return implemented_at
    return registered_at
