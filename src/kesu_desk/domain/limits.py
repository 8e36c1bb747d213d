"""What the desk takes at every door (the intake form, the case dialogs, import, the command
line, the services): the purchase-date rule."""

from __future__ import annotations

from datetime import date


def purchase_date_problem(day: date | None, today: date | None = None) -> str | None:
    """The error code of a purchase date no complaint can have — one after ``today`` (the
    local date by default) —, else None."""
    if day is not None and day > (today or date.today()):
        return "date_in_future"
    return None
