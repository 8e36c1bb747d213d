"""Issue 15 item 12: each user's queue view is theirs, in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kesu_desk.services import preferences
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import UserView, whoami


def test_each_user_keeps_their_own_view_and_the_last_save_wins(desk: Desk, people: dict[str, UserView]) -> None:
    sup, sup2 = whoami(desk, "sup"), whoami(desk, "sup2")
    assert preferences.queue_view(desk, sup) is None
    preferences.save_queue_view(desk, sup, {"sort": "oldest", "overdue": True})
    preferences.save_queue_view(desk, sup2, {"sort": "due"})
    preferences.save_queue_view(desk, sup, {"sort": "severity", "statuses": ["registered"]})
    assert preferences.queue_view(desk, sup) == {"sort": "severity", "statuses": ["registered"]}
    assert preferences.queue_view(desk, sup2) == {"sort": "due"}


def test_two_terminals_of_one_user_saving_at_the_same_instant_leave_one_of_their_views(
        desk: Desk, people: dict[str, UserView]) -> None:
    sup = whoami(desk, "sup")
    views = [{"sort": "oldest", "n": i} for i in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda v: preferences.save_queue_view(desk, sup, v), views))
    assert preferences.queue_view(desk, sup) in views
