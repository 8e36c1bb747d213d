"""How a running desk learns of other terminals' changes: told by the database where it can
(PostgreSQL's LISTEN/NOTIFY), else by looking at the newest timeline event (services/queue.py)."""

from __future__ import annotations

from collections.abc import Callable

from kesu_desk.services.desk import Desk
from kesu_desk.store.listen import Change, Listener, can_listen

__all__ = ["Change", "Listener", "announces_changes", "listen"]


def announces_changes(desk: Desk) -> bool:
    """True on PostgreSQL: changes are announced, so nobody needs to look for them every second."""
    return can_listen(desk.engine)


def listen(desk: Desk, on_change: Callable[[Change], object], on_state: Callable[[bool, str], object]) -> Listener:
    """A started listener of ``desk``'s database; ``stop()`` it when the desk ends."""
    listener = Listener(desk.engine, on_change, on_state)
    listener.start()
    return listener
