"""Overview benchmark: the time of each figure of the supervisor's overview, of the approval
inbox and of the follow-up list, on a big SQLite file.

    python benchmarks/overview.py --db /tmp/ov1m.db [--runs 10] [--now ISO] [--plans]

Point it at a copy of a demo database (``kesu-desk demo`` or ``benchmarks/store.py``); it only
reads. Each figure runs through the project's code in a read-only unit of work
and prints the median of ``--runs`` timed runs after two warm-up runs, and whether it stays under
the target of 200 ms. "Now" defaults to a minute after the newest case was registered, so the
day's and week's figures have cases to count.
"""

from __future__ import annotations

import argparse
import logging
import platform
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kesu_desk.config import Settings
from kesu_desk.services import approvals, follow_ups, overview, suggestion_review
from kesu_desk.services.desk import Desk
from store import median_ms  # benchmarks/store.py: the same timing for every figure

TARGET_MS = 200.0


def _short(value: Any) -> str:
    if isinstance(value, overview.DailySeries):
        return f"{len(value.days)} days x {len(value.by_category)} categories, {sum(value.totals)} cases"
    if isinstance(value, list) and value and isinstance(value[0], overview.CauseShare):
        return ", ".join(f"{c.factor} {c.cases} ({c.cumulative_percent}%)" for c in value[:3]) + " …"
    if isinstance(value, list):
        return f"{len(value)} rows"
    if isinstance(value, tuple) and value and isinstance(value[0], dict):
        return " / ".join(f"{sum(d.values())} in {len(d)} groups" for d in value)
    if isinstance(value, overview.Overview):
        return f"{value.open_total} open, {value.overdue} overdue, {value.waiting_total} waiting"
    return str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a demo SQLite file (read only)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--now", type=datetime.fromisoformat, default=None)
    parser.add_argument("--plans", action="store_true", help="print SQLite's plan of each statement")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"no such file: {args.db}", file=sys.stderr)
        return 2

    raw = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    cases = raw.execute("SELECT count(*) FROM cases").fetchone()[0]
    newest = raw.execute("SELECT registered_at FROM cases ORDER BY id DESC LIMIT 1").fetchone()[0]
    people = dict(raw.execute(
        "SELECT role, min(name) FROM users WHERE active AND role IN ('agent', 'supervisor', 'manager') "
        "GROUP BY role"
    ).fetchall())
    raw.close()
    now = args.now or datetime.fromisoformat(newest).replace(tzinfo=UTC) + timedelta(minutes=1)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    supervisor, manager, agent = people["supervisor"], people["manager"], people["agent"]

    desk = Desk(Settings(db=f"sqlite:///{args.db}"))  # no migration: the file is only read
    if args.plans:
        logging.basicConfig()
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)

    def in_session(fn: Callable[[Any], Any]) -> Callable[[], Any]:
        def run() -> Any:
            with desk.uow(write=False) as uow:
                return fn(uow)
        return run

    with desk.uow(write=False) as uow:
        sup = overview.reader(desk, uow, supervisor)

    figures: list[tuple[str, Callable[[], Any]]] = [
        ("registered today / this week", in_session(lambda u: overview.registered(desk, u, now))),
        ("open by status / by department", in_session(lambda u: overview.open_cases(desk, u))),
        ("overdue / at risk", in_session(lambda u: overview.deadlines(desk, u, now))),
        ("waiting approvals: mine / total", in_session(lambda u: overview.waiting(desk, u, sup))),
        ("satisfaction, last 30 days", in_session(lambda u: overview.satisfaction(desk, u, now))),
        ("urgent open cases", in_session(lambda u: overview.urgent_open(desk, u))),
        ("batch problems: cases / batches", in_session(lambda u: overview.batch_problems(desk, u))),
        ("cases per day by category, 14 days",
         in_session(lambda u: overview.cases_per_day_by_category(desk, u, now))),
        ("causes Pareto, closed in 90 days", in_session(lambda u: overview.causes(desk, u, now))),
        ("suggestions taken, last 30 days",
         in_session(lambda u: suggestion_review.suggestions_taken(desk, u, now))),
        ("overview(): every figure", lambda: overview.overview(desk, supervisor, now)),
        ("waiting_count (supervisor)", lambda: approvals.waiting_count(desk, supervisor)),
        ("waiting_count (manager)", lambda: approvals.waiting_count(desk, manager)),
        ("approval_inbox, first 100", lambda: approvals.approval_inbox(desk, supervisor, now=now)),
        ("follow_ups_due, first 50", lambda: follow_ups.follow_ups_due(desk, agent, now)),
    ]
    print(f"{args.db}: {cases:,} cases; now {now:%Y-%m-%d %H:%M} UTC; "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; "
          f"median of {args.runs} runs")
    slow = 0
    for name, fn in figures:
        ms, value = median_ms(fn, args.runs)
        slow += ms > TARGET_MS
        mark = "ok " if ms <= TARGET_MS else "SLOW"
        print(f"  {mark} {name:<38} {ms:9.2f} ms   {_short(value)}")
    desk.close()
    print(f"{len(figures) - slow} of {len(figures)} under {TARGET_MS:.0f} ms")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
