"""Other terminals' changes as PostgreSQL announces them (migration 0034): one thread per desk
holding one LISTEN connection, outside the pool, that reconnects with a growing pause when it is
lost. Idle, it sends nothing to the server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

CHANNEL_PREFIX = "kesu_desk_"  # and the schema of the desk's tables (migration 0034)
# Seconds between attempts to get the connection back: it grows up to the last, then stays.
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
# How long the thread waits for a first notification before looking whether it should stop
# (a wait in the client: nothing goes to the server), and for the rest of a burst after one.
WAKE_SECONDS = 0.5
BURST_SECONDS = 0.02
# The operating system tells a connection that died without a word (a cable, a NAT) after this.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}

__all__ = ["Change", "Listener", "can_listen"]


@dataclass(frozen=True)
class Change:
    """What one or more committed transactions announced: the newest timeline event among them
    (None: none was written) and whether proposals or approvals changed."""

    last_event_id: int | None = None
    approvals: bool = False

    @classmethod
    def parse(cls, payloads: list[str]) -> Change:
        ids = [int(p[1:]) for p in payloads if p.startswith("e") and p[1:].isdigit()]
        return cls(max(ids) if ids else None, any(p == "a" for p in payloads))


def can_listen(engine: Engine) -> bool:
    """PostgreSQL through psycopg 3 announces changes; SQLite has nobody to announce them."""
    return engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"


class Listener:
    """``start()`` a thread that calls ``on_change(Change)`` after each burst of notifications
    and ``on_state(connected, reason)`` when the LISTEN connection is made, lost or made again.
    Both are called on that thread."""

    def __init__(
        self, engine: Engine, on_change: Callable[[Change], object],
        on_state: Callable[[bool, str], object],
    ) -> None:
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        self._connect_args: tuple[list[Any], dict[str, Any]] = (list(cargs), {**KEEPALIVE, **cparams})
        self._on_change = on_change
        self._on_state = on_state
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.backend_pid: int | None = None  # the server process of the connection (tests end it)
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kesu-desk-listen", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = WAKE_SECONDS * 4) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg
        from psycopg import sql

        attempt = 0
        was_connected = False
        while not self._stop.is_set():
            try:
                cargs, cparams = self._connect_args
                with psycopg.connect(*cargs, **cparams, autocommit=True) as conn:
                    schema = conn.execute("SELECT current_schema()").fetchone()
                    channel = CHANNEL_PREFIX + (schema[0] if schema else "public")
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    self.backend_pid = conn.info.backend_pid
                    attempt, was_connected = 0, True
                    self.connected.set()
                    self._on_state(True, "")
                    self._listen(conn)
            except psycopg.Error as error:
                self.connected.clear()
                self.backend_pid = None
                if was_connected or attempt == 0:  # said once per loss, not at every attempt
                    self._on_state(False, _first_line(error))
                    was_connected = False
                self._stop.wait(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                attempt += 1

    def _listen(self, conn: Any) -> None:
        while not self._stop.is_set():
            payloads = [n.payload for n in conn.notifies(timeout=WAKE_SECONDS, stop_after=1)]
            if not payloads:
                continue
            payloads += [n.payload for n in conn.notifies(timeout=BURST_SECONDS)]
            self._on_change(Change.parse(payloads))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
