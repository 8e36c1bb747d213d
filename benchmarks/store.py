"""Store benchmark: demo generation speed, then queue and search queries on a big SQLite file.

    python benchmarks/store.py [--cases N] [--db PATH] [--reuse] [--runs 20] [--plans] [--verbose]

Each query runs through the project's own code (kesu_desk.store.queries on a session of a
read-only unit of work) and, on the same file in the same run, as hand-written SQL through the
stdlib sqlite3 module. It prints the median of ``--runs`` timed runs after a warm-up, the ratio
ours/raw, and whether each meets the targets: under 50 ms, and within 3x of raw SQL.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kesu_desk.config import Settings
from kesu_desk.demo import generate
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import phone_prefixes
from kesu_desk.store import queries
from kesu_desk.store import search as fts
from kesu_desk.store.queries import SUMMARY_CHARS, QueueFilter, Sort

TARGET_MS = 50.0
TARGET_RATIO = 3.0
PAGE = 50

ROW_SQL = (
    "SELECT c.id, c.number, c.registered_at, c.status, c.severity, c.urgent, c.department_code, "
    f"cu.name, substr(c.description, 1, {SUMMARY_CHARS}), c.next_due_at, u.name, "
    "c.assigned_at, c.implemented_at "
    "FROM cases c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN users u ON u.id = c.handler_id "
)


@dataclass
class Result:
    name: str
    ours_ms: float
    raw_ms: float
    rows: int
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.raw_ms if self.raw_ms else float("inf")

    @property
    def fast(self) -> bool:
        return self.ours_ms < TARGET_MS

    @property
    def close(self) -> bool:
        return self.ratio <= TARGET_RATIO


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()  # warm-up: caches, compiled statements, pages in memory
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def prepare(db: Path, cases: int, reuse: bool) -> Desk:
    url = f"sqlite:///{db}"
    if reuse and db.exists():
        desk = Desk.open(Settings(db=url))
        with sqlite3.connect(db) as raw:
            have = raw.execute("SELECT count(*) FROM cases").fetchone()[0]
        if have:
            print(f"reusing {db}: {have:,} cases")
            return desk
        desk.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    desk = Desk.open(Settings(db=url))
    shown = [0.0]
    started = time.perf_counter()

    def progress(done: int) -> None:
        now = time.perf_counter()
        if now - shown[0] > 5 or done == cases:
            shown[0] = now
            print(f"  … {done:,} cases, {now - started:.1f} s", flush=True)

    print(f"generating {cases:,} demo cases into {db}")
    report = generate(desk, cases, progress=progress)
    per_million = report.seconds * 1_000_000 / max(1, report.cases)
    verdict = "meets" if per_million < 60 else "misses"
    scaled = "" if report.cases == 1_000_000 else f", {per_million:.0f} s per million"
    print(
        f"demo generation: {report.cases:,} cases, {report.customers:,} customers, "
        f"{report.events:,} events in {report.seconds:.1f} s = "
        f"{report.cases / report.seconds:,.0f} cases/s ({verdict} 1M in 60 s{scaled})"
    )
    print(f"database file: {db.stat().st_size / 1e6:,.0f} MB")
    return desk


def raw_rows(con: sqlite3.Connection, where: str, order: str, params: tuple[Any, ...] = ()) -> list[Any]:
    return con.execute(f"{ROW_SQL}{where} ORDER BY {order} LIMIT {PAGE}", params).fetchall()


def raw_by_ids(con: sqlite3.Connection, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return con.execute(f"{ROW_SQL}WHERE c.id IN ({marks}) ORDER BY c.id DESC", ids).fetchall()


def raw_text_search(con: sqlite3.Connection, query: str) -> list[Any]:
    match = fts.fts5_query(query)
    ids = [r[0] for r in con.execute(
        "SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT ?",
        (match, PAGE))]
    return raw_by_ids(con, ids)


def hits(con: sqlite3.Connection, query: str) -> int:
    match = fts.fts5_query(query)
    return int(con.execute("SELECT count(*) FROM case_search WHERE case_search MATCH ?",
                           (match,)).fetchone()[0])


def pick_queries(con: sqlite3.Connection) -> dict[str, str]:
    """Search words that occur in the demo texts, a phone prefix and a case number that exist."""
    n = con.execute("SELECT max(id) FROM cases").fetchone()[0]
    number = con.execute("SELECT number FROM cases WHERE id = ?", (n // 2,)).fetchone()[0]
    phone = con.execute(
        "SELECT cu.phone FROM cases c JOIN customers cu ON cu.id = c.customer_id "
        "WHERE c.id = ? ", (n // 3,)).fetchone()[0]
    # What an agent types for a Chinese mobile: the national number, first seven digits.
    typed = phone[3:10] if phone.startswith("+86") else phone[:8]
    return {"1 char": "退", "2 chars": "漏水", "4 chars": "态度恶劣", "phone": typed,
            "number": number}


def raw_phone(con: sqlite3.Connection, prefixes: list[str]) -> list[Any]:
    ids: set[int] = set()
    for p in prefixes:
        ids.update(r[0] for r in con.execute(
            "SELECT c.id FROM customers cu JOIN cases c ON c.customer_id = cu.id "
            "WHERE cu.phone >= ? AND cu.phone < ? ORDER BY c.id DESC LIMIT ?",
            (p, p + "\uffff", PAGE)))
    return raw_by_ids(con, sorted(ids, reverse=True)[:PAGE])


def phone_hits(con: sqlite3.Connection, prefixes: list[str]) -> int:
    return sum(con.execute(
        "SELECT count(*) FROM customers cu JOIN cases c ON c.customer_id = cu.id "
        "WHERE cu.phone >= ? AND cu.phone < ?", (p, p + "\uffff")).fetchone()[0]
        for p in prefixes)


def explain(con: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> str:
    rows = con.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return "\n".join(f"      {r[-1]}" for r in rows)


def run(desk: Desk, db: Path, runs: int, plans: bool) -> list[Result]:
    con = sqlite3.connect(db)
    con.execute("PRAGMA query_only=ON")
    country = desk.settings.country
    words = pick_queries(con)
    total = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    results: list[Result] = []
    with desk.uow(write=False) as uow:
        s = uow.session

        def measure(name: str, ours: Callable[[], Any], raw: Callable[[], Any], note: str = "") -> None:
            ours_ms, rows = median_ms(ours, runs)
            raw_ms, raw_result = median_ms(raw, runs)
            count = len(rows) if isinstance(rows, list) else len(rows or {})
            if isinstance(rows, list) and len(raw_result) != len(rows):
                note += f" (raw returned {len(raw_result)} rows)"
            results.append(Result(name, ours_ms, raw_ms, count, note))

        measure("queue first page (newest)",
                lambda: queries.page(s, QueueFilter(), Sort.NEWEST, limit=PAGE),
                lambda: raw_rows(con, "", "c.id DESC"))
        # The key that ends page 9,999, found without timing.
        skip = PAGE * 9_999
        boundary = con.execute("SELECT id FROM cases ORDER BY id DESC LIMIT 1 OFFSET ?",
                               (skip - 1,)).fetchone()
        if not boundary:
            print(f"(page 10,000 skipped: {total:,} cases make fewer pages)")
        else:
            key = (boundary[0],)
            measure("page 10,000 (key set)",
                    lambda: queries.page(s, QueueFilter(), Sort.NEWEST, after=key, limit=PAGE),
                    lambda: raw_rows(con, "WHERE c.id < ?", "c.id DESC", key))
        measure("last page (from_end)",
                lambda: queries.page(s, QueueFilter(), Sort.NEWEST, limit=PAGE, from_end=True),
                lambda: raw_rows(con, "", "c.id ASC")[::-1])
        # Filters on the deadline: the overdue and the at-risk cases, most urgent first.
        now = datetime.now(UTC)
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        measure("overdue, by due",
                lambda: queries.page(s, QueueFilter(overdue_at=now), Sort.DUE, limit=PAGE),
                lambda: raw_rows(con, "WHERE c.next_due_at < ? AND c.next_due_at IS NOT NULL",
                                 "c.next_due_at, c.id", (stamp,)))
        measure("at risk, by due",
                lambda: queries.page(s, QueueFilter(at_risk_at=now), Sort.DUE, limit=PAGE),
                lambda: raw_rows(con, "WHERE c.at_risk_at <= ? AND c.next_due_at > ? "
                                 "AND c.next_due_at IS NOT NULL", "c.next_due_at, c.id", (stamp, stamp)))
        measure("at risk, newest",
                lambda: queries.page(s, QueueFilter(at_risk_at=now), Sort.NEWEST, limit=PAGE),
                lambda: raw_rows(con, "WHERE c.at_risk_at <= ? AND c.next_due_at > ?",
                                 "c.id DESC", (stamp, stamp)))
        # Where the store keeps counts (migration 0002), the raw query reads them too.
        kept = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'case_counts'").fetchone()
        count_sql = ("SELECT status, sum(n) FROM case_counts GROUP BY status" if kept
                     else "SELECT status, count(*) FROM cases GROUP BY status")
        measure("counts per status",
                lambda: queries.count_by_status(s),
                lambda: con.execute(count_sql).fetchall(),
                f"{total:,} cases, " + ("kept counts" if kept else "counted"))
        for label in ("1 char", "2 chars", "4 chars"):
            q = words[label]
            measure(f"search {label} '{q}'",
                    lambda q=q: queries.search(s, q, limit=PAGE),
                    lambda q=q: raw_text_search(con, q),
                    f"{hits(con, q):,} hits")
        # A few digits match tens of thousands of customers; most of a number matches a few.
        for typed in (words["phone"], words["phone"][:3]):
            prefixes = phone_prefixes(typed, country)
            measure(f"phone prefix '{typed}'",
                    lambda typed=typed, prefixes=prefixes: queries.search(
                        s, typed, limit=PAGE, phone_prefixes=prefixes),
                    lambda prefixes=prefixes: raw_phone(con, prefixes),
                    f"{phone_hits(con, prefixes):,} cases")
        number = words["number"]
        measure(f"case number {number}",
                lambda: queries.search(s, number, limit=PAGE),
                lambda: raw_rows(con, "WHERE c.number = ?", "c.id DESC", (number,)))

    print()
    print(f"{'query':<34} {'ours ms':>9} {'raw ms':>9} {'ratio':>7} {'rows':>5}  "
          f"{'<50 ms':<7}{'<=3x raw':<9} note")
    for r in results:
        print(f"{r.name:<34} {r.ours_ms:9.2f} {r.raw_ms:9.2f} {r.ratio:7.1f} {r.rows:5}  "
              f"{'yes' if r.fast else 'NO':<7}{'yes' if r.close else 'NO':<9} {r.note}")
    missed = [r for r in results if not (r.fast and r.close)]
    print()
    print(f"{len(results) - len(missed)} of {len(results)} queries meet both targets.")
    if plans or missed:
        print()
        print("query plans (raw SQL):")
        key_param = (0,)
        shown = {
            "queue page": (f"{ROW_SQL}WHERE c.id < ? ORDER BY c.id DESC LIMIT {PAGE}", key_param),
            "counts per status (counted)": ("SELECT status, count(*) FROM cases GROUP BY status", ()),
            "text search": ("SELECT rowid FROM case_search WHERE case_search MATCH ? "
                            f"ORDER BY rowid DESC LIMIT {PAGE}", (fts.fts5_query("漏水"),)),
            "phone prefix": ("SELECT c.id FROM customers cu JOIN cases c ON c.customer_id = cu.id "
                             f"WHERE cu.phone >= ? AND cu.phone < ? ORDER BY c.id DESC LIMIT {PAGE}",
                             ("+86138", "+86138\uffff")),
        }
        for name, (sql, params) in shown.items():
            print(f"  {name}:")
            print(explain(con, sql, params))
    con.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None,
                        help="SQLite file (default: a file in the temporary directory)")
    parser.add_argument("--reuse", action="store_true",
                        help="use the --db file as it is when it already holds cases")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--plans", action="store_true", help="print the raw queries' plans")
    parser.add_argument("--verbose", action="store_true",
                        help="print how long each bulk statement of the generator takes")
    args = parser.parse_args(argv)
    if args.verbose:
        logging.basicConfig(format="    %(message)s")
        logging.getLogger("kesu_desk.demo").setLevel(logging.DEBUG)
    db = args.db or Path(tempfile.gettempdir()) / f"kesu-desk-bench-{args.cases}.sqlite"
    db = db.expanduser().resolve()
    print(f"kesu-desk store benchmark — Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs")
    desk = prepare(db, args.cases, args.reuse)
    try:
        run(desk, db, args.runs, args.plans)
    finally:
        desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
