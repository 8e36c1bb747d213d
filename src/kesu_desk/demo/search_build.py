"""SQLite: the search index, built on the other core in a scratch file, then copied in."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kesu_desk.demo.connection import Loader, fetch
from kesu_desk.demo.plan import Plan
from kesu_desk.demo.scratch import remove_stale_scratch_files, scratch_file
from kesu_desk.demo.sql import CHUNK, Sql

log = logging.getLogger(__name__)

FTS_LOAD = {"automerge": 0, "hashsize": 256 * 1024 * 1024}
FTS_DEFAULTS = {"automerge": 4, "hashsize": 1024 * 1024}
SEARCH_BUILD = "search_build"  # schema name of the attached build file


class SearchBuild:
    """SQLite: the search index, built on the other core in a file of its own, then copied in.

    Tokenizing a million complaints is a sixth of the load and needs nothing the other
    statements write, but one SQLite database has one writer. So a second connection, in a
    thread, fills an identical FTS5 table in a temporary file next to the database (working
    out the cases' choices itself, with the same statements), while the main connection writes
    everything else. At the end the main connection copies the table's shadow tables in with
    ``INSERT … SELECT *``, which SQLite turns into a copy of the stored records, index pages
    included: a fraction of a second per 100,000 cases instead of three. The copy is made
    before the commit, so the demo stays all or nothing.
    """

    def __init__(self, path: str, create: str, shadows: list[str]) -> None:
        self.path = path
        self.create = create  # the CREATE VIRTUAL TABLE statement of case_search
        self.shadows = shadows  # case_search_data, _idx, _content, _docsize, _config
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.copied = False

    def start(self, sql: Sql, tables: dict[str, list[tuple[Any, ...]]]) -> None:
        self.thread = threading.Thread(target=self._build, args=(sql, tables),
                                       name="demo-search", daemon=True)
        self.thread.start()

    def _build(self, sql: Sql, tables: dict[str, list[tuple[Any, ...]]]) -> None:
        dbapi = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            loader = Loader(dbapi, sqlite=True)
            # A scratch file: nothing to recover if this fails, the main load fails with it.
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-500000",
                           "temp_store=2"):
                loader.run(f"PRAGMA {pragma}")
            loader.run(self.create)
            for key, value in FTS_LOAD.items():
                loader.run(f"INSERT INTO case_search (case_search, rank) VALUES ('{key}', {value})")
            for table, rows in tables.items():
                loader.create(table, rows)
            loader.run("BEGIN")
            for lo in range(1, sql.plan.n + 1, CHUNK):
                if self.stop.is_set():
                    return
                loader.run("DELETE FROM demo_case")
                hi = min(sql.plan.n, lo + CHUNK - 1)
                loader.run(sql.choices(lo, hi, only=("i", "t", "k")), f"search choices {lo}-{hi}")
                loader.run(sql.search(), "search")
            for key, value in FTS_DEFAULTS.items():
                loader.run(f"INSERT INTO case_search (case_search, rank) VALUES ('{key}', {value})")
            loader.run("COMMIT")
        except BaseException as error:  # handed to the main thread by finish()
            self.error = error
        finally:
            dbapi.close()

    def finish(self, loader: Loader) -> None:
        """Wait for the builder and copy its index into the main database."""
        if self.thread is not None:
            started = time.perf_counter()
            self.thread.join()
            log.debug("search wait: 0 rows in %.2fs", time.perf_counter() - started)
        if self.error is not None:
            raise self.error
        for table in self.shadows:
            loader.run(f"DELETE FROM main.{table}")
            loader.run(f"INSERT INTO main.{table} SELECT * FROM {SEARCH_BUILD}.{table}",
                       "search copy")
        self.copied = True


@contextmanager
def search_build(loader: Loader, plan: Plan) -> Iterator[SearchBuild | None]:
    """A SearchBuild when the database is an SQLite file, attached to the main connection."""
    main = ""
    if loader.sqlite:
        main = next((row[2] for row in fetch(loader, "PRAGMA database_list")
                     if row[1] == "main"), "")
    if not main or not plan.n:
        yield None  # PostgreSQL, or an in-memory database: the search rows go in directly
        return
    create = str(loader.value("SELECT sql FROM sqlite_master WHERE name = 'case_search'"))
    shadows = [row[0] for row in fetch(
        loader, "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name GLOB 'case_search_*' ORDER BY name")]
    remove_stale_scratch_files(main)
    handle, path = scratch_file(main)  # an empty file is an empty database
    try:
        build = SearchBuild(path, create, shadows)
        # Attached now, because SQLite refuses to attach inside a transaction; the main
        # connection touches the file only in finish(), after the builder closed it.
        loader.run(f"ATTACH DATABASE '{path.replace(chr(39), chr(39) * 2)}' AS {SEARCH_BUILD}")
        try:
            yield build
        finally:
            build.stop.set()
            if build.thread is not None:
                build.thread.join()
            loader.run(f"DETACH DATABASE {SEARCH_BUILD}")
    finally:
        os.unlink(path)
        # Closed last: closing a descriptor of a file drops the POSIX locks SQLite holds on it.
        os.close(handle)
