"""UI benchmark: kesu-desk against a bare Textual app (Header, DataTable, Footer), measured the
same way in the same run.

    python benchmarks/ui.py [--db PATH] [--cases N] [--runs 7] [--startup-only]

- start-up: from spawning the process to the first screen drawn with case rows (headless, 80×24),
  ours on the database given (default: the 1,000,000-case file of benchmarks/store.py, made with
  ``demo`` if missing), the bare app with 50 rows of the same shape;
- resident memory (peak RSS) at that moment, and the CPU time spent until then (all threads);
- the floor under both: the bare app started after importing SQLModel and pydantic-settings (the
  store's and the settings' libraries, which any start that reads the database first must load);
- scrolling: a page down (repeated) and a jump to the end, until the rows on screen are drawn;
  the bare DataTable holds 10,000 rows (it keeps every row in memory: a million would not fit);
- typing: key press to drawn screen while typing a complaint into the intake form with
  suggestions on, against typing into a bare ``Input``.

Prints the medians and the ratios ours/bare; targets: start-up ≤ 1.5×, typing ≤ 1.2×, memory ≤ 1.5×;
and start-up and memory against the floor, ≤ 1.2× (issue 16).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_DB = Path(os.environ.get("TMPDIR", "/tmp")) / "kesu-bench-1m.db"
SIZE = (80, 24)
TEXT = "我上周买的电水壶用了三天底座就开始漏水，插电时还冒烟，差点烫到孩子，要求退货并赔偿"


# -- the two apps, run in a child process ------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bare_app(rows: int, mounted: Callable[[Any], None]) -> Any:
    """The app we compare with: Header, a DataTable holding ``rows`` rows, Footer."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Number", "Age", "Status", "Sev", "Dept", "Customer", "Summary", "Due", "Handler")
            table.add_rows([(f"KS-20261125-{i:05d}", "1d", "registered", "normal", "QA", "王小明",
                             "电水壶底座漏水，插电时冒烟", "✓ 23h", "-") for i in range(rows)])
            table.focus()
            mounted(self)

    return Bare()


def child(kind: str, db: str, user: str) -> None:
    """Start one app headless; print seconds since the parent spawned us, and peak RSS, as soon
    as rows are on screen."""
    t0 = float(os.environ["KESU_BENCH_T0"])
    done: dict[str, float] = {}

    def report(app: Any) -> None:
        done["at"] = time.time() - t0
        done["rss"] = _rss_mb()
        done["cpu"] = time.process_time()  # every thread's, since the process began
        app.exit()

    if kind == "floor":
        # What the store's libraries cost on their own: the bare app, after importing them.
        import pydantic_settings  # noqa: F401
        import sqlmodel  # noqa: F401
    if kind in ("bare", "floor"):
        bare_app(50, lambda app: app.call_after_refresh(report, app)).run(headless=True, size=SIZE)
    else:
        from textual import on
        from textual.events import Mount

        from kesu_desk.app import KesuDesk
        from kesu_desk.config import Settings
        from kesu_desk.services.desk import Desk
        from kesu_desk.services.users import whoami
        from kesu_desk.widgets.case_table import CaseTable

        class Timed(KesuDesk):
            # Not ``on_mount``: Textual calls the handler of every class of the MRO that defines
            # one, so KesuDesk.on_mount already runs; an override calling super() ran it twice
            # (two change checks, two keymaps) and timed work the desk does not do.
            @on(Mount)
            def _start_checking(self) -> None:
                self.set_interval(0.002, self.check)

            def check(self) -> None:
                try:
                    table = self.screen.query_one(CaseTable)
                except Exception:
                    return
                if table.row_at(0) is not None and "at" not in done:
                    done["at"] = -1
                    self.call_after_refresh(report, self)

        desk = Desk.open(Settings(db=f"sqlite:///{db}"))
        Timed(desk, whoami(desk, user), "zh", watch_changes=False).run(headless=True, size=SIZE)
    print(f"{done['at']:.4f} {done['rss']:.1f} {done['cpu']:.4f}")


def startup(kind: str, db: Path, user: str) -> tuple[float, float, float]:
    env = dict(os.environ, KESU_BENCH_T0=repr(time.time()))
    # The warm-up leaves the desk's modules compiled (.pyc), as installing it does (pip compiles
    # a wheel's modules, and had compiled the libraries'): with PYTHONDONTWRITEBYTECODE set,
    # every start compiled the desk's source again (70 ms) and none of the bare app's.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--db", str(db), "--user", user],
                         capture_output=True, text=True, env=env, check=True)
    seconds, rss, cpu = out.stdout.split()[-3:]
    return float(seconds), float(rss), float(cpu)


# -- in-process measurements (headless Pilot) ---------------------------------------------------


async def _timed(press: Callable[[], Awaitable[None]], ready: Callable[[], bool], pilot: Any) -> float:
    started = time.perf_counter()
    await press()
    for _ in range(2000):
        await pilot.pause()
        if ready():
            break
    return (time.perf_counter() - started) * 1000


async def scroll_ours(db: Path, user: str, steps: int) -> tuple[list[float], float]:
    from kesu_desk.app import KesuDesk
    from kesu_desk.config import Settings
    from kesu_desk.services.desk import Desk
    from kesu_desk.services.users import whoami
    from kesu_desk.widgets.case_table import CaseTable

    desk = Desk.open(Settings(db=f"sqlite:///{db}"))
    app = KesuDesk(desk, whoami(desk, user), "zh", watch_changes=False)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(CaseTable)
        for _ in range(500):
            await pilot.pause()
            if table.row_at(0) is not None:
                break

        def drawn() -> bool:
            top = int(table.scroll_y)
            return all(table.row_at(i) is not None for i in range(top, min(table.total, top + SIZE[1] - 4)))

        pages = [await _timed(lambda: pilot.press("pagedown"), drawn, pilot) for _ in range(steps)]
        end = await _timed(lambda: pilot.press("end"), drawn, pilot)
    desk.close()
    return pages, end


async def scroll_bare(rows: int, steps: int) -> tuple[list[float], float]:
    app = bare_app(rows, lambda app: None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pages = [await _timed(lambda: pilot.press("pagedown"), lambda: True, pilot) for _ in range(steps)]
        end = await _timed(lambda: pilot.press("end"), lambda: True, pilot)
    return pages, end


async def _keystroke(app: Any, ch: str) -> float:
    """The work one key costs, from its arrival to the screen drawn with it, in CPU
    milliseconds: the key goes through the focused widget until the app is idle, then the screen
    is composed and rendered. CPU time, because the wall time of "until idle" is counted in
    Textual's idle-detection sleeps (tens of ms) rather than in work; and not Pilot's ``press``,
    which also pings every widget on the screen and so would time the number of widgets."""
    started = time.process_time()
    await app._press_keys([ch])
    app.screen._on_timer_update()
    return (time.process_time() - started) * 1000


async def typing_ours(db: Path, user: str, text: str) -> list[float]:
    from kesu_desk.app import KesuDesk
    from kesu_desk.config import Settings
    from kesu_desk.services.desk import Desk
    from kesu_desk.services.intake import DraftStore
    from kesu_desk.services.users import whoami

    desk = Desk.open(Settings(db=f"sqlite:///{db}"))
    drafts = DraftStore.for_desk(desk, user)
    drafts.discard()  # an empty form, as the bare Input is: not the draft an earlier run left
    app = KesuDesk(desk, whoami(desk, user), "zh", watch_changes=False)
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.new_case()
        await pilot.pause()
        from textual.widgets import TextArea

        area = app.screen.query(TextArea).first()
        area.focus()
        await pilot.pause()
        for i, ch in enumerate(text):
            times.append(await _keystroke(app, ch))
            if i % 8 == 7:  # a pause in typing: the suggestion runs
                await asyncio.sleep(0.5)
                await pilot.pause()
    drafts.discard()
    desk.close()
    return times


async def typing_bare(text: str) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i, ch in enumerate(text):
            times.append(await _keystroke(app, ch))
            if i % 8 == 7:
                await asyncio.sleep(0.5)
                await pilot.pause()
    return times


# -- the run --------------------------------------------------------------------------------------


def ensure_db(db: Path, cases: int) -> str:
    """The benchmark database (made with the demo generator if missing) and a user of it."""
    import sqlite3

    if not db.exists():
        subprocess.run([sys.executable, str(HERE / "store.py"), "--db", str(db), "--cases", str(cases),
                        "--runs", "1"], check=True)
    with sqlite3.connect(db) as con:
        (name,) = con.execute("SELECT name FROM users WHERE role = 'supervisor' ORDER BY id LIMIT 1").fetchone()
    return str(name)


def line(name: str, ours: float, bare: float, unit: str, target: float | None) -> None:
    ratio = ours / bare if bare else float("inf")
    verdict = "" if target is None else ("meets" if ratio <= target else "misses") + f" ≤ {target}×"
    print(f"{name:<34} {ours:>9.1f} {bare:>9.1f} {unit:<3} {ratio:>6.2f}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=["ours", "bare", "floor"])
    parser.add_argument("--user", default="")
    parser.add_argument("--startup-only", action="store_true",
                        help="measure start-up and memory only (no scrolling, no typing)")
    args = parser.parse_args()
    if args.child:
        child(args.child, str(args.db), args.user)
        return

    user = ensure_db(args.db, args.cases)
    import sqlite3

    with sqlite3.connect(args.db) as con:
        total = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    print(f"kesu-desk UI benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"{total:,} cases in {args.db}, {SIZE[0]}×{SIZE[1]}, user {user}")
    starts: dict[str, list[tuple[float, float, float]]] = {"ours": [], "bare": [], "floor": []}
    startup("ours", args.db, user)  # warm-up: file cache, .pyc (see startup)
    startup("bare", args.db, user)
    for _ in range(args.runs):
        for kind in ("ours", "bare", "floor"):
            starts[kind].append(startup(kind, args.db, user))

    def med(kind: str, i: int) -> float:
        return statistics.median(s[i] for s in starts[kind])

    print()
    print(f"{'measure':<34} {'ours':>9} {'bare':>9} {'':<3} {'ratio':>6}  target")
    line("start-up to first drawn queue", med("ours", 0) * 1000, med("bare", 0) * 1000, "ms", 1.5)
    line("resident memory (peak)", med("ours", 1), med("bare", 1), "MB", 1.5)
    line("  floor: bare + SQLModel imported", med("floor", 0) * 1000, med("bare", 0) * 1000, "ms", None)
    line("  floor: its memory", med("floor", 1), med("bare", 1), "MB", None)
    # Issue 16: what the desk adds to the floor (its libraries loaded), against it.
    line("start-up against the floor", med("ours", 0) * 1000, med("floor", 0) * 1000, "ms", 1.2)
    line("memory against the floor", med("ours", 1), med("floor", 1), "MB", 1.2)
    # The CPU time of those starts: what the wall time is made of on a machine others share.
    line("  start-up CPU against the floor", med("ours", 2) * 1000, med("floor", 2) * 1000, "ms", None)
    if args.startup_only:
        return

    pages_ours, end_ours = asyncio.run(scroll_ours(args.db, user, 20))
    pages_bare, end_bare = asyncio.run(scroll_bare(10_000, 20))
    typed = TEXT * 2
    keys_ours = asyncio.run(typing_ours(args.db, user, typed))
    keys_bare = asyncio.run(typing_bare(typed))

    line("page down (median of 20)", statistics.median(pages_ours), statistics.median(pages_bare), "ms", None)
    line("jump to the end", end_ours, end_bare, "ms", None)
    line("key press to drawn, CPU (median)", statistics.median(keys_ours), statistics.median(keys_bare), "ms", 1.2)
    p95 = statistics.quantiles(keys_ours, n=20)[-1], statistics.quantiles(keys_bare, n=20)[-1]
    line("key press to drawn, CPU (p95)", p95[0], p95[1], "ms", None)


if __name__ == "__main__":
    main()
