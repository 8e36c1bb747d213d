"""Terminals benchmark (issue 16): what N running desks cost one PostgreSQL server, idle and while
someone works, BEFORE (every desk looks for changes every second, the pool of five as it was)
and AFTER (changes announced by LISTEN/NOTIFY, one pooled connection and one listener per desk),
measured the same way in the same run.

    python benchmarks/terminals.py --db postgresql+psycopg://kesu:kesu@localhost/kesu_bench_NAME \
        [--terminals 12] [--seconds 20] [--changes-per-second 2] [--cases 20000]

Each terminal is a real desk (KesuDesk, headless through ``App.run_test``) in a process of its
own, signed in as one of a role mix (half agents, a third handlers, the rest supervisors), on
the queue. For each way and each phase (idle; busy: one more process registering cases and moving
them along at a fixed rate) it prints, per terminal:
- transactions/s at the server (pg_stat_database xact_commit + xact_rollback of this database,
  less the busy process's own, which it counts, and less the background rate measured with no
  terminal running just before: autovacuum visits the database now and then);
- units of work/s and statements/s as the desks counted them (pg_stat_statements is not loaded
  on this server: statements are the desks' queries plus, per unit of work, the pool's ping, BEGIN
  and the closing ROLLBACK/COMMIT);
- CPU of the server processes serving the terminals (their /proc times; a connection that closes
  within the phase takes its time with it, so this is a floor), and of the whole server less its
  background (the postmaster's reaped children included; other users' work too, so a ceiling);
- connections (pg_stat_activity);
and the same extrapolated to 500 terminals, with the issue's targets (idle < 0.1 core, busy < 1
core, ≤ 1 connection per terminal besides the listener). The database is filled with ``demo``
when empty. The machine is shared: the figures to compare are BEFORE and AFTER of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
APP_NAME = "kesu-bench-terminal"
TARGET_TERMINALS = 500
# The pool as it was before issue 16 (SQLAlchemy's defaults), for the BEFORE terminals.
OLD_POOL = {"pool_size": 5, "max_overflow": 10}
WAYS = ("before", "after")


def with_app_name(url: str, name: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).update_query_dict({"application_name": name}).render_as_string(hide_password=False)


# -- one terminal, in a child process ------------------------------------------------------------


def run_terminal(url: str, user: str, way: str) -> None:
    """A desk on the queue until stdin closes; each line read on stdin prints its counters."""
    from sqlalchemy import event

    from kesu_desk.app import KesuDesk
    from kesu_desk.config import Settings
    from kesu_desk.services.desk import Desk
    from kesu_desk.services.users import whoami
    from kesu_desk.store.engine import make_engine

    url = with_app_name(url, APP_NAME)
    engine = make_engine(url, **(OLD_POOL if way == "before" else {}))
    counts = {"units": 0, "statements": 0}

    @event.listens_for(engine, "begin")
    def _begun(_conn: Any) -> None:
        counts["units"] += 1
        counts["statements"] += 3  # the pool's ping, BEGIN, and the ROLLBACK or COMMIT that ends it

    @event.listens_for(engine, "before_cursor_execute")
    def _executed(*_args: Any) -> None:
        counts["statements"] += 1

    desk = Desk(Settings(db=url), engine)
    app = KesuDesk(desk, whoami(desk, user), "en", listen=way == "after")

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            loop = asyncio.get_running_loop()
            done = asyncio.Event()

            def read() -> None:
                for _ in sys.stdin:
                    print(f"counts {counts['units']} {counts['statements']}", flush=True)
                loop.call_soon_threadsafe(done.set)

            print("ready", flush=True)
            threading.Thread(target=read, daemon=True).start()
            await done.wait()

    asyncio.run(main())
    desk.close()


# -- the busy process ----------------------------------------------------------------------------


def run_busy(url: str, seconds: float, rate: float) -> None:
    """Register cases and move them along (validity, assignment, cause) at ``rate`` changes/s;
    prints how many changes and transactions it made."""
    from sqlalchemy import event

    from kesu_desk.config import Settings
    from kesu_desk.services import cases
    from kesu_desk.services.desk import Desk
    from kesu_desk.services.drafts import CaseDraft

    desk = Desk(Settings(db=with_app_name(url, "kesu-bench-busy")))
    begun = [0]

    @event.listens_for(desk.engine, "begin")
    def _begun(_conn: Any) -> None:
        begun[0] += 1

    draft = CaseDraft.parse({"phone": "13800138000", "customer_name": "李雷", "product": "电水壶 K-200",
                             "description": "壶盖密封圈漏水", "customer_request": "换新"})
    steps = [
        lambda v: cases.register_case(desk, "bench_ag0", draft),
        lambda v: cases.decide_validity(desk, "bench_ag0", v.number, founded=True, version=v.version),
        lambda v: cases.assign(desk, "bench_ag0", v.number, department="QA", handler="bench_hd0",
                               version=v.version),
        lambda v: cases.record_cause(desk, "bench_hd0", v.number, fishbone="material", what="密封圈漏水",
                                     why="胶料老化", version=v.version),
    ]
    changes, view, start = 0, None, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        view = steps[changes % len(steps)](view)
        changes += 1
        time.sleep(max(0.0, changes / rate - (time.perf_counter() - start)))
    print(f"busy {changes} {begun[0]} {elapsed:.3f}", flush=True)
    desk.close()


# -- the server's side ---------------------------------------------------------------------------


@dataclass
class Sample:
    at: float
    xacts: int
    cpu: dict[int, float] = field(default_factory=dict)  # server pid -> CPU seconds
    connections: int = 0
    server_cpu: float = 0.0  # every process of the server, those ended included


def server_cpu(postmaster: int) -> float:
    """CPU seconds of the whole server: the postmaster with the backends it has reaped (its
    children's times) and every process still running under it. Other databases' work counts."""
    try:
        with open(f"/proc/{postmaster}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total = sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                rest = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(rest[1]) == postmaster:
            total += (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")
    return total


def postmaster_pid(conn: Any) -> int:
    row = conn.execute("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'").fetchone()
    if row is None:
        return 0
    with open(f"/proc/{row[0]}/stat", encoding="ascii") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sample(conn: Any, database: str) -> Sample:
    xacts = conn.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
                         (database,)).fetchone()[0]
    pids = [r[0] for r in conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
        (database, APP_NAME))]
    cpu = {pid: c for pid in pids if (c := cpu_seconds(pid)) is not None}
    return Sample(time.perf_counter(), int(xacts), cpu, len(pids), server_cpu(POSTMASTER[0]))


POSTMASTER = [0]  # set by run() when the server runs on this machine


@dataclass
class Phase:
    way: str
    name: str
    terminals: int
    seconds: float
    xacts: float  # per terminal per second
    units: float
    statements: float
    cpu: float  # cores, all terminals' server processes
    connections: float  # per terminal
    changes: int = 0
    server: float = 0.0  # cores, the whole server less its background


def background(stats: Any, database: str, seconds: float) -> tuple[float, float]:
    """Transactions/s in the database with no terminal running: autovacuum's visits and this
    connection's own looks, taken out of every phase that follows."""
    stats.execute("SELECT pg_stat_clear_snapshot()")
    first = sample(stats, database)
    time.sleep(seconds)
    stats.execute("SELECT pg_stat_clear_snapshot()")
    last = sample(stats, database)
    span = last.at - first.at
    return (last.xacts - first.xacts) / span, (last.server_cpu - first.server_cpu) / span


def measure(stats: Any, database: str, children: list[subprocess.Popen[str]], seconds: float,
            busy: list[str] | None, base: tuple[float, float]) -> tuple[float, ...]:
    stats.execute("SELECT pg_stat_clear_snapshot()")
    before_counts = ask_counts(children)
    first = sample(stats, database)
    worker = subprocess.Popen(busy, stdout=subprocess.PIPE, text=True) if busy else None
    time.sleep(seconds)
    own_xacts, changes = 0, 0
    if worker is not None:
        out, _ = worker.communicate(timeout=120)
        line = next(ln for ln in out.splitlines() if ln.startswith("busy "))
        changes, own_xacts = int(line.split()[1]), int(line.split()[2])
    time.sleep(0.5)  # the last announcements' reloads
    stats.execute("SELECT pg_stat_clear_snapshot()")
    last = sample(stats, database)
    after_counts = ask_counts(children)
    span = last.at - first.at
    n = len(children)
    # Each unit of work of the busy process is one transaction at the server: not the terminals'.
    xacts = max(0.0, (last.xacts - first.xacts - own_xacts) / span - base[0]) / n
    units = sum(a[0] - b[0] for a, b in zip(after_counts, before_counts, strict=True)) / span / n
    statements = sum(a[1] - b[1] for a, b in zip(after_counts, before_counts, strict=True)) / span / n
    cpu = sum(last.cpu[p] - first.cpu[p] for p in last.cpu if p in first.cpu) / span
    server = max(0.0, (last.server_cpu - first.server_cpu) / span - base[1])
    return xacts, units, statements, cpu, last.connections / n, changes, server


def ask_counts(children: list[subprocess.Popen[str]]) -> list[tuple[int, int]]:
    for child in children:
        assert child.stdin is not None
        child.stdin.write("\n")
        child.stdin.flush()
    result = []
    for child in children:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        result.append((int(line[1]), int(line[2])))
    return result


def role_mix(n: int) -> list[str]:
    """Half agents, a third handlers, the rest supervisors (at least one of each)."""
    agents = max(1, n // 2)
    handlers = max(1, n // 3)
    supervisors = max(1, n - agents - handlers)
    return ([f"bench_ag{i}" for i in range(agents)] + [f"bench_hd{i}" for i in range(handlers)]
            + [f"bench_sv{i}" for i in range(supervisors)])[:n]


def prepare(url: str, cases: int, names: list[str]) -> None:
    from kesu_desk.config import Settings
    from kesu_desk.domain.errors import DeskError
    from kesu_desk.services import users
    from kesu_desk.services.desk import Desk

    desk = Desk.open(Settings(db=url))
    roles = {"ag": ("agent", None), "hd": ("handler", "QA"), "sv": ("supervisor", None)}
    for name in {*names, "bench_ag0", "bench_hd0"}:
        role, department = roles[name[6:8]]
        with contextlib.suppress(DeskError):  # there from an earlier run
            users.add_user(desk, name, role, department)
    desk.close()
    subprocess.run([sys.executable, "-m", "kesu_desk", "--db", url, "demo", "--cases", str(cases),
                    "--if-empty"], check=True)


def run(args: argparse.Namespace) -> list[Phase]:
    import psycopg
    from sqlalchemy import make_url

    names = role_mix(args.terminals)
    prepare(args.db, args.cases, names)
    database = make_url(args.db).database
    assert database
    conninfo = make_url(args.db).set(drivername="postgresql").render_as_string(hide_password=False)
    phases: list[Phase] = []
    with psycopg.connect(conninfo, autocommit=True) as stats:
        POSTMASTER[0] = postmaster_pid(stats)
        for way in WAYS:
            base = background(stats, database, args.seconds)
            print(f"  {way:<6} background {base[0]:.2f} transactions/s, {base[1]:.3f} cores",
                  file=sys.stderr, flush=True)
            children = [subprocess.Popen(
                [sys.executable, __file__, "--db", args.db, "--child", name, "--way", way],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for name in names]
            try:
                for child in children:
                    assert child.stdout is not None
                    while (line := child.stdout.readline()) and line.strip() != "ready":
                        pass
                time.sleep(args.settle)  # first pages, badges and counts done
                busy = [sys.executable, __file__, "--db", args.db, "--busy", str(args.seconds),
                        "--changes-per-second", str(args.changes_per_second)]
                for name, worker in (("idle", None), ("busy", busy)):
                    x, u, s, c, conns, changes, server = measure(
                        stats, database, children, args.seconds, worker, base)
                    phases.append(Phase(way, name, len(names), args.seconds, x, u, s, c, conns, int(changes),
                                        server))
                    print(f"  {way:<6} {name:<4} done", file=sys.stderr, flush=True)
            finally:
                for child in children:
                    if child.stdin is not None:
                        child.stdin.close()
                for child in children:
                    try:
                        child.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        child.kill()
    return phases


def report(phases: list[Phase], terminals: int) -> None:
    print(f"\n{terminals} terminals on PostgreSQL ({', '.join(role_mix(terminals))}); per terminal, "
          f"then × {TARGET_TERMINALS}:")
    head = (f"{'way':<7}{'phase':<6}{'xact/s':>8}{'units/s':>9}{'stmts/s':>9}{'CPU ms/s':>10}{'srv ms/s':>10}"
            f"{'conns':>7} │ {'units/s':>8}{'stmts/s':>9}{'cores':>7}{'srv':>7}{'conns':>7}")
    print(f"{'':<13}{'per terminal':^53} │ {'× ' + str(TARGET_TERMINALS):^38}")
    print(head)
    for p in phases:
        per_cpu, per_server = p.cpu / p.terminals, p.server / p.terminals
        print(f"{p.way:<7}{p.name:<6}{p.xacts:8.2f}{p.units:9.2f}{p.statements:9.2f}{per_cpu * 1000:10.2f}"
              f"{per_server * 1000:10.2f}{p.connections:7.2f} │ {p.units * TARGET_TERMINALS:8.0f}"
              f"{p.statements * TARGET_TERMINALS:9.0f}{per_cpu * TARGET_TERMINALS:7.2f}"
              f"{per_server * TARGET_TERMINALS:7.2f}{p.connections * TARGET_TERMINALS:7.0f}")
    print("xact/s: pg_stat_database (PostgreSQL 15 backends report it late, up to a minute: rough);"
          " units/s: transactions the desks began (exact); CPU: the terminals' own server processes"
          " (a floor); srv: the whole server less its background before (a ceiling: other users count)")
    by = {(p.way, p.name): p for p in phases}
    print("\nratios after/before (same run):")
    for name in ("idle", "busy"):
        b, a = by.get(("before", name)), by.get(("after", name))
        if b is None or a is None:
            continue
        ratio = "  ".join(f"{label} {getattr(a, attr) / getattr(b, attr):.3f}×" if getattr(b, attr) else
                          f"{label} n/a" for label, attr in
                          (("units", "units"), ("stmts", "statements"), ("CPU", "cpu"), ("srv", "server"),
                           ("conns", "connections")))
        print(f"  {name}: {ratio}")
    for name, target in (("idle", 0.1), ("busy", 1.0)):
        a = by.get(("after", name))
        if a is not None:
            cores = a.cpu / a.terminals * TARGET_TERMINALS
            ceiling = a.server / a.terminals * TARGET_TERMINALS
            print(f"  target {name} at {TARGET_TERMINALS}: {cores:.3f} cores (ceiling {ceiling:.3f}; < {target}) "
                  f"{'met' if ceiling < target else 'met by the floor only' if cores < target else 'NOT met'}")
    a = by.get(("after", "busy"))
    if a is not None:
        print(f"  busy: {a.changes} changes in {a.seconds:.0f} s by the busy process; connections per "
              f"terminal {a.connections:.2f} (the listener is one of them)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="postgresql+psycopg://… of a database of its own")
    parser.add_argument("--terminals", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--changes-per-second", type=float, default=2.0, help="the busy process's rate")
    parser.add_argument("--cases", type=int, default=20000, help="demo cases when the database is empty")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after start before measuring")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--busy", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.db.startswith("postgresql"):
        parser.error("--db must be a PostgreSQL URL: SQLite has no server to measure")
    if args.child:
        run_terminal(args.db, args.child, args.way)
    elif args.busy is not None:
        run_busy(args.db, args.busy, args.changes_per_second)
    else:
        report(run(args), args.terminals)


if __name__ == "__main__":
    main()
