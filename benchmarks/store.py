"""Store benchmark: demo generation speed, then queue and search queries on a big SQLite file
or PostgreSQL database.

    python benchmarks/store.py [--cases N] [--db PATH|URL] [--reuse] [--runs 20] [--plans] [--verbose]

``--db`` is a SQLite file or a PostgreSQL URL (``postgresql+psycopg://user:pw@host/db``); an empty
PostgreSQL database is filled with ``--cases`` demo cases, one that holds cases is only used with
``--reuse`` (the benchmark never deletes data it did not make).

Each query runs through the project's own code (kesu_desk.store.queries on a session of a
read-only unit of work) and, on the same database in the same run, as hand-written SQL through
the engine's driver (the stdlib sqlite3 module, or psycopg): the FTS5 or tsvector search, phone
prefixes, queue pages, kept counts, and the approvals badge. It prints the median of ``--runs``
timed runs after a warm-up, the ratio ours/raw, and whether each meets the targets: under 50 ms,
and within 3x of raw SQL (the badge: under 5 ms).
"""

from __future__ import annotations

import argparse
import itertools
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
from kesu_desk.domain.access import case_scope
from kesu_desk.services import approvals
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import phone_prefixes
from kesu_desk.store import queries
from kesu_desk.store import search as fts
from kesu_desk.store.queries import SUMMARY_CHARS, QueueFilter, Sort

TARGET_MS = 50.0
TARGET_RATIO = 3.0
BADGE_MS = 5.0  # issue 16: the approvals badge, refreshed on every approver's terminal
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
    target_ms: float = TARGET_MS
    against_raw: bool = True  # False: the raw figure is shown for scale, not as a target

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.raw_ms if self.raw_ms else float("inf")

    @property
    def fast(self) -> bool:
        return self.ours_ms < self.target_ms

    @property
    def close(self) -> bool:
        return self.ratio <= TARGET_RATIO or not self.against_raw


class Raw:
    """Hand-written SQL on the benchmark's database through the engine's own driver, read-only:
    the stdlib sqlite3 module, or psycopg for PostgreSQL. Statements are written with ``?``."""

    def __init__(self, url: str) -> None:
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.con: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.con.execute("PRAGMA query_only=ON")
        else:
            import psycopg

            self.con = psycopg.connect(url.replace("+psycopg", ""), autocommit=True)
            self.con.execute("SET default_transaction_read_only = on")

    def _sql(self, sql: str) -> str:
        return sql if self.sqlite else sql.replace("?", "%s")

    def all(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
        return list(self.con.execute(self._sql(sql), params).fetchall())

    def one(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
        return self.con.execute(self._sql(sql), params).fetchone()

    def stamp(self, moment: datetime) -> Any:
        """A moment as the engine stores it: SQLAlchemy's text form on SQLite."""
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else moment

    def explain(self, sql: str, params: tuple[Any, ...] = ()) -> str:
        if self.sqlite:
            rows = self.all(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(f"      {r[-1]}" for r in rows)
        rows = self.all(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
        return "\n".join(f"      {r[0]}" for r in rows)

    def version(self) -> str:
        if self.sqlite:
            return f"SQLite {sqlite3.sqlite_version}"
        return f"PostgreSQL {self.one('SHOW server_version')[0]}"

    def close(self) -> None:
        self.con.close()


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()  # warm-up: caches, compiled statements, pages in memory
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _cases_in(url: str) -> int:
    raw = Raw(url)
    try:
        return int(raw.one("SELECT count(*) FROM cases")[0])
    except Exception:  # a database not migrated yet holds no cases
        return 0
    finally:
        raw.close()


def prepare(url: str, cases: int, reuse: bool) -> Desk:
    sqlite = url.startswith("sqlite")
    db = Path(url.removeprefix("sqlite:///")) if sqlite else None
    have = _cases_in(url) if db is None or db.exists() else 0
    if have and (reuse or not sqlite):
        if not reuse:
            raise SystemExit(f"{url} holds {have:,} cases: pass --reuse to measure them, or an empty database")
        print(f"reusing {db or url}: {have:,} cases")
        return Desk.open(Settings(db=url))
    if db is not None:
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

    print(f"generating {cases:,} demo cases into {db or url}")
    report = generate(desk, cases, progress=progress)
    per_million = report.seconds * 1_000_000 / max(1, report.cases)
    verdict = "meets" if per_million < 60 else "misses"
    scaled = "" if report.cases == 1_000_000 else f", {per_million:.0f} s per million"
    print(
        f"demo generation: {report.cases:,} cases, {report.customers:,} customers, "
        f"{report.events:,} events in {report.seconds:.1f} s = "
        f"{report.cases / report.seconds:,.0f} cases/s ({verdict} 1M in 60 s{scaled})"
    )
    if db is not None:
        print(f"database file: {db.stat().st_size / 1e6:,.0f} MB")
    return desk


def raw_rows(raw: Raw, where: str, order: str, params: tuple[Any, ...] = ()) -> list[Any]:
    return raw.all(f"{ROW_SQL}{where} ORDER BY {order} LIMIT {PAGE}", params)


def raw_by_ids(raw: Raw, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return raw.all(f"{ROW_SQL}WHERE c.id IN ({marks}) ORDER BY c.id DESC", ids)


def _match(raw: Raw, query: str) -> tuple[str, str | None]:
    """The engine's full-text condition on case_search and the query it takes."""
    if raw.sqlite:
        return "case_search MATCH ?", fts.fts5_query(query)
    return "body_tsv @@ to_tsquery('simple', ?)", fts.tsquery(query)


def _search_id(raw: Raw) -> str:
    return "rowid" if raw.sqlite else "case_id"


def raw_text_search(raw: Raw, query: str) -> list[Any]:
    found, match = _match(raw, query)
    rowid = _search_id(raw)
    ids = [r[0] for r in raw.all(
        f"SELECT {rowid} FROM case_search WHERE {found} ORDER BY {rowid} DESC LIMIT ?", (match, PAGE))]
    return raw_by_ids(raw, ids)


def hits(raw: Raw, query: str) -> int:
    found, match = _match(raw, query)
    return int(raw.one(f"SELECT count(*) FROM case_search WHERE {found}", (match,))[0])



def pick_queries(raw: Raw) -> dict[str, str]:
    """Search words that occur in the demo texts (one of them rare), a pair that occurs nowhere,
    a phone prefix and a case number that exist."""
    n = raw.one("SELECT max(id) FROM cases")[0]
    number = raw.one("SELECT number FROM cases WHERE id = ?", (n // 2,))[0]
    phone = raw.one(
        "SELECT cu.phone FROM cases c JOIN customers cu ON cu.id = c.customer_id "
        "WHERE c.id = ? ", (n // 3,))[0]
    # What an agent types for a Chinese mobile: the national number, first seven digits.
    typed = phone[3:10] if phone.startswith("+86") else phone[:8]
    words = {"1 char": "退", "2 chars": "漏水", "4 chars": "态度恶劣", "absent pair": "水漏",
             "phone": typed, "number": number}
    # A rare pair: of the adjacent characters in a few customers' names and descriptions, the
    # pair found in the fewest texts (but in some).
    pairs: set[str] = set()
    for i in range(2, 12):
        name, text = raw.one("SELECT cu.name, c.description FROM cases c JOIN customers cu ON "
                             "cu.id = c.customer_id WHERE c.id = ?", (n * i // 13,))
        for part in (name, text):
            chars = [t if cjk else "" for t, cjk in fts.tokens(part)]
            pairs.update(a + b for a, b in itertools.pairwise(chars) if a and b)
    counted = sorted((hits(raw, pair), pair) for pair in sorted(pairs)[:40])
    rare = [(found, pair) for found, pair in counted if found]
    if rare:
        words["rare pair"] = rare[0][1]
    return words


def raw_phone(raw: Raw, prefixes: list[str]) -> list[Any]:
    ids: set[int] = set()
    for p in prefixes:
        ids.update(r[0] for r in raw.all(
            "SELECT c.id FROM customers cu JOIN cases c ON c.customer_id = cu.id "
            "WHERE cu.phone >= ? AND cu.phone < ? ORDER BY c.id DESC LIMIT ?",
            (p, p + "\uffff", PAGE)))
    return raw_by_ids(raw, sorted(ids, reverse=True)[:PAGE])


def phone_hits(raw: Raw, prefixes: list[str]) -> int:
    return sum(raw.one(
        "SELECT count(*) FROM customers cu JOIN cases c ON c.customer_id = cu.id "
        "WHERE cu.phone >= ? AND cu.phone < ?", (p, p + "\uffff"))[0]
        for p in prefixes)

# The demo's approvers: a supervisor (the badge's most conditions), the manager, a store manager
# (their store's proposals up to its limit).
BADGE_USERS = ("yang.hong", "zhang.wei", "dian.zhang")


def _badge_args(desk: Desk, uow: Any, login: str) -> dict[str, Any] | None:
    """What the badge of ``login`` asks the store, within the cases they may see (None: no
    such user in this database)."""
    if uow.users.find(login) is None:
        return None
    actor = uow.users.actor(login)
    return approvals.waiting_args(desk, actor) | {"scope": case_scope(actor)}


def badge_sql(raw: Raw, args: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """The badge's count written by hand: the pending proposals ``me`` may approve now, as
    ``domain.workflow`` decides (see ``queries._waiting_conditions``), looking up approvals only
    for proposals that have some (``approvals_given``, migration 0034)."""
    me, limit = args["me"], args["limit_cents"]
    stores = sorted(args["scope"].stores or ()) if args["scope"].departments is not None else []
    approved = "SELECT count(*) FROM approvals a WHERE a.proposal_id = p.id AND a.decision = 'approved'"
    sql = "SELECT count(*) FROM proposals p "
    if stores:
        sql += f"JOIN cases c ON c.id = p.case_id AND c.store_code IN ({','.join('?' * len(stores))}) "
    sql += ("WHERE p.status = 'pending' AND p.proposed_by <> ? "
            f"AND (p.approvals_given = 0 OR ({approved} AND a.approver_id = ?) = 0)")
    params: list[Any] = [*stores, me, me]
    if not args["senior"]:
        roles = args["senior_roles"]
        sql += (" AND p.range_reason IS NULL AND (p.amount_cents IS NULL OR p.amount_cents <= ? "
                f"OR p.approvals_given = 0 OR ({approved} AND a.approver_id IN "
                f"(SELECT u.id FROM users u WHERE u.role IN ({','.join('?' * len(roles))}))) > 0)")
        params += [limit, *roles]
    if args["store_limited"] and stores:
        sql += (" AND coalesce(p.amount_cents, 0) <= coalesce((SELECT s.approval_limit_cents FROM stores s "
                "WHERE s.code = c.store_code), 0)")
    elif args["store_limited"]:
        sql += (" AND coalesce(p.amount_cents, 0) <= coalesce((SELECT s.approval_limit_cents FROM cases c "
                "JOIN stores s ON s.code = c.store_code WHERE c.id = p.case_id), 0)")
    return sql, tuple(params)


def raw_badge(raw: Raw, args: dict[str, Any]) -> int:
    sql, params = badge_sql(raw, args)
    return int(raw.one(sql, params)[0])


def run(desk: Desk, url: str, runs: int, plans: bool) -> list[Result]:
    raw = Raw(url)
    country = desk.settings.country
    words = pick_queries(raw)
    total = raw.one("SELECT count(*) FROM cases")[0]
    results: list[Result] = []
    with desk.uow(write=False) as uow:
        s = uow.session

        def measure(name: str, ours: Callable[[], Any], baseline: Callable[[], Any], note: str = "",
                    target_ms: float = TARGET_MS) -> None:
            ours_ms, rows = median_ms(ours, runs)
            raw_ms, raw_result = median_ms(baseline, runs)
            if isinstance(rows, int):  # a count: both must say the same number
                count = rows
                if raw_result != rows:
                    note += f" (raw counted {raw_result})"
            else:
                count = len(rows) if isinstance(rows, list) else len(rows or {})
            if isinstance(rows, list) and len(raw_result) != len(rows):
                note += f" (raw returned {len(raw_result)} rows)"
            results.append(Result(name, ours_ms, raw_ms, count, note.strip(), target_ms))

        measure("queue first page (newest)",
                lambda: queries.page(s, QueueFilter(), Sort.NEWEST, limit=PAGE),
                lambda: raw_rows(raw, "", "c.id DESC"))
        # The key that ends page 9,999, found without timing.
        skip = PAGE * 9_999
        boundary = raw.one("SELECT id FROM cases ORDER BY id DESC LIMIT 1 OFFSET ?", (skip - 1,))
        if not boundary:
            print(f"(page 10,000 skipped: {total:,} cases make fewer pages)")
        else:
            key = (boundary[0],)
            measure("page 10,000 (key set)",
                    lambda: queries.page(s, QueueFilter(), Sort.NEWEST, after=key, limit=PAGE),
                    lambda: raw_rows(raw, "WHERE c.id < ?", "c.id DESC", key))
        measure("last page (from_end)",
                lambda: queries.page(s, QueueFilter(), Sort.NEWEST, limit=PAGE, from_end=True),
                lambda: raw_rows(raw, "", "c.id ASC")[::-1])
        # Filters on the deadline: the overdue and the at-risk cases, most urgent first.
        now = datetime.now(UTC)
        stamp = raw.stamp(now)
        measure("overdue, by due",
                lambda: queries.page(s, QueueFilter(overdue_at=now), Sort.DUE, limit=PAGE),
                lambda: raw_rows(raw, "WHERE c.next_due_at < ? AND c.next_due_at IS NOT NULL",
                                 "c.next_due_at, c.id", (stamp,)))
        measure("at risk, by due",
                lambda: queries.page(s, QueueFilter(at_risk_at=now), Sort.DUE, limit=PAGE),
                lambda: raw_rows(raw, "WHERE c.at_risk_at <= ? AND c.next_due_at > ? "
                                 "AND c.next_due_at IS NOT NULL", "c.next_due_at, c.id", (stamp, stamp)))
        measure("at risk, newest",
                lambda: queries.page(s, QueueFilter(at_risk_at=now), Sort.NEWEST, limit=PAGE),
                lambda: raw_rows(raw, "WHERE c.at_risk_at <= ? AND c.next_due_at > ?",
                                 "c.id DESC", (stamp, stamp)))
        # The store keeps counts (migrations 0002, 0033: in shards), so the raw query reads them too.
        measure("counts per status",
                lambda: queries.count_by_status(s),
                lambda: raw.all("SELECT status, sum(n) FROM case_counts GROUP BY status"),
                f"{total:,} cases, kept counts")
        for label in ("1 char", "2 chars", "4 chars", "rare pair", "absent pair"):
            if label not in words:
                continue
            q = words[label]
            measure(f"search {label} '{q}'",
                    lambda q=q: queries.search(s, q, limit=PAGE),
                    lambda q=q: raw_text_search(raw, q),
                    f"{hits(raw, q):,} hits")
        # A few digits match tens of thousands of customers; most of a number matches a few.
        for typed in (words["phone"], words["phone"][:3]):
            prefixes = phone_prefixes(typed, country)
            measure(f"phone prefix '{typed}'",
                    lambda typed=typed, prefixes=prefixes: queries.search(
                        s, typed, limit=PAGE, phone_prefixes=prefixes),
                    lambda prefixes=prefixes: raw_phone(raw, prefixes),
                    f"{phone_hits(raw, prefixes):,} cases")
        number = words["number"]
        measure(f"case number {number}",
                lambda: queries.search(s, number, limit=PAGE),
                lambda: raw_rows(raw, "WHERE c.number = ?", "c.id DESC", (number,)))
        history = raw.one("SELECT count(*) FROM approvals")[0]
        pending = raw.one("SELECT count(*) FROM proposals WHERE status = 'pending'")[0]
        for login in BADGE_USERS:
            args = _badge_args(desk, uow, login)
            if args is None:
                continue
            measure(f"approvals badge, {login}",
                    lambda args=args: queries.count_waiting_for(s, **args),
                    lambda args=args: raw_badge(raw, args),
                    f"{pending:,} pending, {history:,} approvals", target_ms=BADGE_MS)
    # The badge as a terminal asks for it: its own read-only unit of work (BEGIN, the user, the
    # count, ROLLBACK), against the raw count alone.
    with desk.uow(write=False) as uow:
        args = _badge_args(desk, uow, BADGE_USERS[0])
    if args is not None:
        ours_ms, counted = median_ms(lambda: approvals.waiting_count(desk, BADGE_USERS[0]), runs)
        raw_ms, _ = median_ms(lambda: raw_badge(raw, args), runs)
        results.append(Result(f"waiting_count('{BADGE_USERS[0]}') (service)", ours_ms, raw_ms, counted,
                              "own unit of work: BEGIN, the user, the count, ROLLBACK", BADGE_MS,
                              against_raw=False))

    print()
    print(f"{'query':<36} {'ours ms':>9} {'raw ms':>9} {'ratio':>7} {'rows':>6}  "
          f"{'target':<8}{'<=3x raw':<9} note")
    for r in results:
        target = f"{'yes' if r.fast else 'NO'} <{r.target_ms:g}"
        print(f"{r.name:<36} {r.ours_ms:9.2f} {r.raw_ms:9.2f} {r.ratio:7.1f} {r.rows:6}  "
              f"{target:<8}{('yes' if r.close else 'NO') if r.against_raw else '-':<9} {r.note}")
    missed = [r for r in results if not (r.fast and r.close)]
    print()
    print(f"{len(results) - len(missed)} of {len(results)} queries meet both targets.")
    if plans or missed:
        print()
        print("query plans (raw SQL):")
        found, match = _match(raw, "漏水")
        rowid = _search_id(raw)
        shown = {
            "queue page": (f"{ROW_SQL}WHERE c.id < ? ORDER BY c.id DESC LIMIT {PAGE}", (0,)),
            "counts per status (counted)": ("SELECT status, count(*) FROM cases GROUP BY status", ()),
            "text search": (f"SELECT {rowid} FROM case_search WHERE {found} "
                            f"ORDER BY {rowid} DESC LIMIT {PAGE}", (match,)),
            "phone prefix": ("SELECT c.id FROM customers cu JOIN cases c ON c.customer_id = cu.id "
                             f"WHERE cu.phone >= ? AND cu.phone < ? ORDER BY c.id DESC LIMIT {PAGE}",
                             ("+86138", "+86138\uffff")),
        }
        if args is not None:
            shown["approvals badge"] = badge_sql(raw, args)
        for name, (sql, params) in shown.items():
            print(f"  {name}:")
            print(raw.explain(sql, params))
    raw.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default=None, metavar="PATH|URL",
                        help="SQLite file (default: a file in the temporary directory) or a "
                             "postgresql+psycopg:// URL")
    parser.add_argument("--reuse", action="store_true",
                        help="use the database as it is when it already holds cases")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--plans", action="store_true", help="print the raw queries' plans")
    parser.add_argument("--verbose", action="store_true",
                        help="print how long each bulk statement of the generator takes")
    args = parser.parse_args(argv)
    if args.verbose:
        logging.basicConfig(format="    %(message)s")
        logging.getLogger("kesu_desk.demo").setLevel(logging.DEBUG)
    if args.db and "://" in args.db:
        url = args.db
    else:
        db = Path(args.db) if args.db else Path(tempfile.gettempdir()) / f"kesu-desk-bench-{args.cases}.sqlite"
        url = f"sqlite:///{db.expanduser().resolve()}"
    desk = prepare(url, args.cases, args.reuse)
    raw = Raw(url)
    print(f"kesu-desk store benchmark — Python {platform.python_version()}, {raw.version()}, "
          f"{os.cpu_count()} CPUs")
    raw.close()
    try:
        run(desk, url, args.runs, args.plans)
    finally:
        desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
