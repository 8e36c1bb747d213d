"""The demo's connection: statements run on the DBAPI connection itself, in one transaction, with
SQLite's settings for a bulk load."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from kesu_desk.demo.sql import TEMP_TABLES, table_columns
from kesu_desk.domain.errors import DeskError

log = logging.getLogger(__name__)


class Loader:
    """Runs the statements on the DBAPI connection, in one transaction."""

    def __init__(self, dbapi: Any, sqlite: bool) -> None:
        self.dbapi = dbapi
        self.sqlite = sqlite
        self.cur = dbapi.cursor()
        self.param = "?" if sqlite else "%s"

    def run(self, sql: str, what: str = "") -> int:
        started = time.perf_counter()
        self.cur.execute(sql)
        count = self.cur.rowcount
        if what:
            log.debug("%s: %s rows in %.2fs", what, count, time.perf_counter() - started)
        return int(count or 0)

    def value(self, sql: str) -> Any:
        self.cur.execute(sql)
        row = self.cur.fetchone()
        return row[0] if row else None

    def create(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        suffix = "" if self.sqlite else " ON COMMIT DROP"
        self.cur.execute(f"CREATE TEMP TABLE {table} ({TEMP_TABLES[table]}){suffix}")
        self.insert(table, table_columns(table), rows)

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        if self.sqlite:
            marks = ", ".join([self.param] * len(columns))
            self.cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                 rows)
            return
        with self.cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def fetch(loader: Loader, sql: str) -> list[tuple[Any, ...]]:
    loader.cur.execute(sql)
    return [tuple(r) for r in loader.cur.fetchall()]


def refuse_cases(loader: Loader) -> None:
    if loader.value("SELECT count(*) FROM (SELECT id FROM cases LIMIT 1) AS c"):
        if not loader.sqlite:
            loader.dbapi.rollback()
        raise DeskError("database_not_empty")


@contextmanager
def bulk_settings(loader: Loader) -> Iterator[None]:
    """SQLite settings for a bulk load, and back to what they were afterwards."""
    if not loader.sqlite:
        yield
        return
    pragmas = ("foreign_keys", "synchronous", "cache_size", "temp_store")
    saved = {p: int(loader.value(f"PRAGMA {p}")) for p in pragmas}
    journal = loader.value("PRAGMA journal_mode")
    # With a rollback journal the new pages are written once, not to the log and again to the
    # file; the journal holds only the few pages an empty database had. Needs the database to
    # itself: with another connection open the mode stays as it is.
    switched = False
    if journal == "wal":
        timeout = loader.value("PRAGMA busy_timeout")
        loader.run("PRAGMA busy_timeout=0")
        try:
            switched = loader.value("PRAGMA journal_mode=DELETE") == "delete"
        except loader.dbapi.OperationalError:
            switched = False
        finally:
            loader.run(f"PRAGMA busy_timeout={int(timeout)}")
    # Foreign keys are checked by the tests on the result, not on each of millions of rows.
    for pragma, value in (("foreign_keys", 0), ("synchronous", 0), ("cache_size", -2_000_000),
                          ("temp_store", 2)):
        loader.run(f"PRAGMA {pragma}={value}")
    try:
        yield
    finally:
        for pragma, value in saved.items():
            loader.run(f"PRAGMA {pragma}={value}")
        if switched:
            loader.run(f"PRAGMA journal_mode={journal}", "journal back")


@contextmanager
def transaction(loader: Loader) -> Iterator[None]:
    """All of the demo or nothing."""
    if loader.sqlite:
        # Not BEGIN IMMEDIATE: that would also lock the attached search-build file, which the
        # builder thread is about to write. A write to main takes main's lock right away.
        loader.run("BEGIN")
        loader.run("DELETE FROM main.case_counters WHERE 0")
    else:
        loader.run("LOCK TABLE cases IN EXCLUSIVE MODE")
    try:
        yield
    except BaseException:
        if not loader.sqlite:
            loader.dbapi.rollback()
        elif loader.dbapi.in_transaction:
            loader.run("ROLLBACK")
        raise
    if loader.sqlite:
        loader.run("COMMIT", "commit")
    else:
        loader.dbapi.commit()
