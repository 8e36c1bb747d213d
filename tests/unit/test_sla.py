"""Working days: weekends and Chinese public holidays do not count, make-up working days do."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kesu_desk.sla import Calendar

SHANGHAI_9AM_IN_UTC = 1  # 09:00 in Shanghai is 01:00 UTC


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, SHANGHAI_9AM_IN_UTC, tzinfo=UTC)


def test_weekend_is_skipped() -> None:
    cal = Calendar("CN")
    # Friday 2026-11-20 + 1 working day = Monday 2026-11-23, same local time.
    assert cal.add_working_days(at(date(2026, 11, 20)), 1) == at(date(2026, 11, 23))


def test_national_day_holiday_is_skipped_and_make_up_saturday_counts() -> None:
    cal = Calendar("CN")
    # National Day 2026: Oct 1-7 closed; Saturday Oct 10 is a make-up working day.
    assert cal.add_working_days(at(date(2026, 9, 30)), 1) == at(date(2026, 10, 8))
    assert cal.add_working_days(at(date(2026, 10, 8)), 2) == at(date(2026, 10, 10))
    assert cal.add_working_days(at(date(2026, 10, 9)), 2) == at(date(2026, 10, 12))


def test_closed_days_from_config_do_not_count() -> None:
    cal = Calendar("CN", closed_days=[date(2026, 11, 23)])
    assert cal.add_working_days(at(date(2026, 11, 20)), 1) == at(date(2026, 11, 24))


def shanghai(day: date, hour: int, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_at_risk_when_less_than_a_quarter_of_the_time_is_left() -> None:
    from datetime import timedelta

    from kesu_desk.sla import DeadlineState, deadline_state

    start = at(date(2026, 11, 23))
    due = start + timedelta(days=4)
    minute = timedelta(minutes=1)
    assert deadline_state(start, due, start + timedelta(days=3) - minute) is DeadlineState.ON_TIME
    assert deadline_state(start, due, start + timedelta(days=3) + minute) is DeadlineState.AT_RISK
    assert deadline_state(start, due, due) is DeadlineState.OVERDUE


def test_waiting_time_counts_only_on_working_days() -> None:
    from datetime import timedelta

    cal = Calendar("CN")
    friday_evening = shanghai(date(2026, 11, 20), 18)
    monday_morning = shanghai(date(2026, 11, 23), 9)
    assert cal.working_time_between(friday_evening, monday_morning) == timedelta(hours=6 + 9)
    # Six working hours from Friday 20:00 end on Monday 02:00: the weekend does not count.
    moved = cal.add_working_time(shanghai(date(2026, 11, 20), 20), timedelta(hours=6))
    assert moved == shanghai(date(2026, 11, 23), 2)
