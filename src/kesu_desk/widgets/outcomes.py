"""How work done in a worker reaches the screen that asked for it: as typed messages.

A worker posts what it found or did as a message nested in the node that runs it (``Loaded``,
``Saved``, ``Conflicted``…), and a refusal of the desk (a DeskError) as that node's ``Failed``,
which the node shows where it belongs. Anything else a worker raises is not the user's doing:
it ends the worker in error, and ``RelaysWorkerFailures`` hands that to the app, whose one
handler for ``Worker.StateChanged`` tells the user (and logs a bug with its traceback)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import NoActiveWorker, Worker, WorkerState, get_current_worker

from kesu_desk.domain.errors import DeskError

__all__ = ["Failed", "RelaysWorkerFailures", "outcome"]


class Failed(Message):
    """Work a node asked for failed. ``error`` is the desk's refusal, to be shown where the work
    was asked; None when it failed otherwise: the app has said why, the node only puts itself
    right (a button no longer busy, a line no longer "loading")."""

    def __init__(self, error: DeskError | None) -> None:
        super().__init__()
        self.error = error


@contextmanager
def outcome(
    node: MessagePump, failed: Callable[[DeskError | None], Message] | None = None
) -> Iterator[Callable[[Message], None]]:
    """Inside a worker: gives ``post``, which posts a result to ``node``. With ``failed``, a
    DeskError raised inside is posted as ``failed(error)`` and ends there; anything else is
    posted as ``failed(None)`` and raised again, for the app to report. Nothing is posted once
    the worker was cancelled (a newer one of its group is under way, or ``node`` has gone)."""

    def post(message: Message) -> None:
        if not _cancelled():
            node.post_message(message)

    try:
        yield post
    except DeskError as error:
        if failed is None:
            raise
        post(failed(error))
    except Exception:
        if failed is not None:
            post(failed(None))
        raise


def _cancelled() -> bool:
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:  # called outside a worker (a test): nothing to cancel
        return False


class RelaysWorkerFailures:
    """Textual tells a worker's end only to the node that runs it (``Worker.StateChanged`` does
    not bubble): a failure is passed on to the app, where one handler reports it."""

    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.app.post_message(Worker.StateChanged(event.worker, event.state))
