"""Engine factory: SQLite (WAL, foreign keys, busy timeout, write transactions that take the lock
up front) or PostgreSQL, from a URL. Never built at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_S = 30
# Execution option a unit of work sets when it will write; on SQLite it starts BEGIN IMMEDIATE so
# two writers queue on the busy timeout instead of failing when a read lock cannot be upgraded.
WRITE_OPTION = "kesu_write"
PG_POOL_SIZE = 1
PG_MAX_OVERFLOW = 8


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def shown_url(url: str) -> str:
    """A database URL as it may be shown to people: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: nothing in it is a password SQLAlchemy could find
        return url


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names; None for an in-memory database or another engine."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database).expanduser()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; an SQLite file's folder is created when missing (the commands that
    only read check first that the file is there: services/desk.Desk.open)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # One connection kept per desk (issue 16: 500 terminals must fit the server's
        # max_connections); a burst of workers borrows more and closes them when done.
        kwargs.setdefault("pool_size", PG_POOL_SIZE)
        kwargs.setdefault("max_overflow", PG_MAX_OVERFLOW)
        return create_engine(url, pool_pre_ping=True, **kwargs)

    file = sqlite_file(url)
    in_memory = file is None
    if in_memory:
        kwargs.setdefault("poolclass", StaticPool)
    else:
        assert file is not None
        file.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        **kwargs,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
