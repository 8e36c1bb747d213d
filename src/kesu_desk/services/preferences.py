"""Each desk user's own choices, kept in the database (issue 15): the queue's filters and sort
follow the user to any terminal and are never another user's default. A terminal's config file
(``queue_filters``) only gives the view of users who have not chosen one."""

from __future__ import annotations

import json
from typing import Any

from kesu_desk.domain.workflow import Actor
from kesu_desk.services.desk import Desk
from kesu_desk.store import preferences as store

QUEUE_VIEW = "queue_view"
MAX_CHARS = 4000  # a view is a few filters: anything larger is not one of ours


def queue_view(desk: Desk, actor: Actor) -> dict[str, Any] | None:
    """The queue view ``actor`` saved, or None (never saved, or unreadable: the default then)."""
    with desk.uow(write=False) as uow:
        text = store.get(uow.session, actor.id, QUEUE_VIEW)
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def save_queue_view(desk: Desk, actor: Actor, view: dict[str, Any]) -> None:
    text = json.dumps(view, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_CHARS:
        raise ValueError("a queue view is a few filters")
    with desk.uow() as uow:
        store.put(uow.session, actor.id, QUEUE_VIEW, text)
        uow.commit()
