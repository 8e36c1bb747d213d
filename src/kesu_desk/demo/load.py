"""The load: the demo's users, then every statement in order, all in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kesu_desk.demo import dealers as demo_dealers
from kesu_desk.demo import products as demo_products
from kesu_desk.demo.connection import Loader, bulk_settings, fetch, refuse_cases, transaction
from kesu_desk.demo.paths import pick_rows, profile_rows
from kesu_desk.demo.plan import OPENING, Plan, make_plan
from kesu_desk.demo.search_build import FTS_DEFAULTS, FTS_LOAD, SearchBuild, search_build
from kesu_desk.demo.sql import CHUNK, PG_CHUNK, TEMP_TABLES, Sql, table_columns
from kesu_desk.demo.texts import (
    ADMINS,
    AGENTS,
    DEMO_STORES,
    DEPARTMENTS,
    HANDLERS,
    LANGS,
    MANAGERS,
    SEED_DEPARTMENTS,
    STORE_MANAGERS,
    SUPERVISORS,
)
from kesu_desk.domain.errors import DeskError
from kesu_desk.domain.vocabulary import Role

if TYPE_CHECKING:
    from kesu_desk.rules import RuleSet
    from kesu_desk.services.desk import Desk

# The most cases a demo makes: some ten minutes and 25 GB on SQLite; the days it spreads them
# over (at most 9,000 a day) stay well inside the calendar.
MAX_CASES = 10_000_000


@dataclass(frozen=True)
class DemoReport:
    cases: int
    customers: int
    events: int
    seconds: float


def check_cases(cases: int) -> None:
    """DeskError "demo_cases" unless 0 ≤ ``cases`` ≤ :data:`MAX_CASES`."""
    if not 0 <= cases <= MAX_CASES:
        raise DeskError("demo_cases", cases=cases, max=MAX_CASES)


def generate(
    desk: Desk,
    cases: int,
    *,
    seed: int = 7,
    login: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoReport:
    """Fill an empty, migrated database with ``cases`` demo cases and everything around them.

    Refuses (DeskError "database_not_empty") when the database already holds a case, and
    (DeskError "demo_cases") a number of cases below 0 or above :data:`MAX_CASES`. Demo users
    of every role are added when missing, and ``login`` as an admin; an existing account keeps its
    role.
    """
    check_cases(cases)
    started = time.perf_counter()
    engine = desk.engine
    sqlite = engine.dialect.name == "sqlite"
    now = datetime.now(UTC)
    plan = make_plan(desk, cases, seed, now)
    rules = desk.rules  # read the departments they may name before the load holds the database
    raw = engine.raw_connection()
    loader = Loader(raw.driver_connection, sqlite)
    build: SearchBuild | None = None
    try:
        refuse_cases(loader)
        with bulk_settings(loader), search_build(loader, plan) as build, transaction(loader):
            written = _fill(loader, desk, plan, login, now, progress, build, rules)
        if sqlite:
            if loader.value("PRAGMA journal_mode") == "wal":
                # The load went through the write-ahead log; give its space back.
                loader.run("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            for table in ("cases", "customers", "case_events", "proposals", "approvals",
                          "surveys", "case_search"):
                loader.run(f"ANALYZE {table}")
            loader.dbapi.commit()
    finally:
        if build is not None and build.copied:
            # This connection's FTS5 module may still hold the index structure it read before
            # the shadow tables were replaced under it; let the pool open a fresh one.
            raw.invalidate()
        raw.close()
    demo_products.load(desk, now)  # issue 13: the product catalogue
    demo_dealers.load(desk, now)  # issue 13: the A-class dealers' contracts and allowance ledger
    return DemoReport(*written, seconds=time.perf_counter() - started)


# -- the rules' suggestion at registration (issue 14) ---------------------------------------------


def _suggestions(plan: Plan, rules: RuleSet) -> list[tuple[int, str]]:
    """(template, the timeline's details of the rules' suggestion for its text): each case's
    timeline gets what the rules suggested at its registration, as a desk records it (the agent
    took it), so the overview's "suggestions taken" and ``kesu-desk rules review`` have a history
    to read. The rules read each template's text once."""
    import json

    from kesu_desk.rules import suggest
    from kesu_desk.services.intake_form import suggested_values

    rows = []
    for t, template in enumerate(plan.templates):
        s = suggest(str(template["description"]), rules=rules)
        chosen = {"department": s.department, "category": s.category, "severity": s.severity.value}
        details = {"suggested": suggested_values(s), "chosen": chosen, "taken": True}
        rows.append((t, json.dumps(details, ensure_ascii=False)))
    return rows


# -- users ---------------------------------------------------------------------------------------


def _wanted_users(login: str | None) -> list[tuple[str, str, Role, str | None, str]]:
    """(name, display name, role, department, pool)."""
    wanted: list[tuple[str, str, Role, str | None, str]] = [
        (n, d, Role.AGENT, None, "agents") for n, d in AGENTS
    ]
    for dept in DEPARTMENTS:
        wanted += [(n, d, Role.HANDLER, dept, f"handlers:{dept}") for n, d in HANDLERS[dept]]
    wanted += [(n, d, Role.SUPERVISOR, None, "supervisors") for n, d in SUPERVISORS]
    wanted += [(n, d, Role.MANAGER, None, "managers") for n, d in MANAGERS]
    wanted += [(n, d, Role.ADMIN, None, "admins") for n, d in ADMINS]
    if login:
        # The person who runs the demo administers the desk (and may act as any of its users to
        # try each role); like the demo's own admin, they take no part in its cases.
        wanted.append((login, login, Role.ADMIN, None, "admins"))
    return wanted


def _users(loader: Loader, login: str | None, now: datetime) -> dict[str, list[int]]:
    have = {code for (code,) in fetch(loader, "SELECT code FROM departments")}
    loader.insert("departments", ("code", "name_zh", "name_en", "name_es"),
                  [row for row in SEED_DEPARTMENTS if row[0] not in have])
    existing = {name: (uid, role, dept) for uid, name, role, dept in fetch(
        loader, "SELECT id, name, role, department_code FROM users")}
    created = now.strftime("%Y-%m-%d %H:%M:%S.%f") if loader.sqlite else now
    pools: dict[str, list[int]] = {}
    new: list[tuple[Any, ...]] = []
    chosen: list[tuple[str, str]] = []
    for name, display, role, dept, pool in _wanted_users(login):
        candidate, suffix = name, 1
        while candidate in existing and (existing[candidate][1], existing[candidate][2]) != (
            role.value, dept
        ):
            if candidate == login:
                break  # the person's own account stays as it is; they are just not in a pool
            suffix += 1
            candidate = f"{name}{suffix}"
        if candidate not in existing:
            new.append((candidate, display, role.value, dept, True, created))
            existing[candidate] = (0, role.value, dept)
        if existing[candidate][1:] == (role.value, dept):
            chosen.append((candidate, pool))
    loader.insert("users", ("name", "display_name", "role", "department_code", "active",
                            "created_at"), new)
    _stores(loader, {name for name, *_ in new} | set(existing), created)
    ids = {name: uid for uid, name, *_ in fetch(loader, "SELECT id, name, role, department_code FROM users")}
    for name, pool in chosen:
        pools.setdefault(pool, []).append(ids[name])
    for members in pools.values():
        members.sort()
    return pools


def _stores(loader: Loader, users: set[str], created: Any) -> None:
    """The seeds' stores and a store manager for each (issue 13), where not there yet."""
    have = {code for (code,) in fetch(loader, "SELECT code FROM stores")}
    loader.insert("stores", ("code", "name", "region", "approval_limit_cents"),
                  [row for row in DEMO_STORES if row[0] not in have])
    loader.insert("users", ("name", "display_name", "role", "store_code", "active", "created_at"),
                  [(name, display, Role.STORE_MANAGER.value, store, True, created)
                   for name, display, store in STORE_MANAGERS if name not in users])


# -- the statements in order ---------------------------------------------------------------------


def _fill(loader: Loader, desk: Desk, plan: Plan, login: str | None, now: datetime,
          progress: Callable[[int], None] | None,
          build: SearchBuild | None = None, rules: RuleSet | None = None) -> tuple[int, int, int]:
    refuse_cases(loader)  # again, now that the database is ours
    pools = _users(loader, login, now)
    first_customer = int(loader.value("SELECT coalesce(max(id), 0) FROM customers")) + 1
    sql = Sql(plan, loader.sqlite, int(desk.settings.approval_threshold * 100),
              desk.deadlines, pools, first_customer)
    tpl_columns = table_columns("demo_tpl")[1:]
    tables = {
        "demo_day": plan.day_rows,
        "demo_name": plan.names,
        "demo_tpl": [(t, *(row[c] for c in tpl_columns)) for t, row in enumerate(plan.templates)],
        "demo_pick": pick_rows(plan.profiles),
        "demo_case": [],
    }
    if build is not None:
        build.start(sql, dict(tables))  # a copy: this thread adds to tables
    tables.update(profile_rows(plan.profiles))
    tables["demo_sugg"] = _suggestions(plan, rules if rules is not None else desk.rules)
    for table, rows in tables.items():
        loader.create(table, rows)

    day = {name: j for j, name in enumerate(table_columns("demo_day"))}
    created = plan.day_rows[0][day["e0"]] + OPENING if plan.day_rows else int(now.timestamp())
    customers = 0
    if plan.n:
        for lang in LANGS:
            customers += loader.run(sql.customers(lang, created), f"customers {lang}")
    if loader.sqlite and build is None:
        for key, value in FTS_LOAD.items():
            loader.run(f"INSERT INTO case_search (case_search, rank) VALUES ('{key}', {value})")
    events = 0
    chunk = CHUNK if loader.sqlite else PG_CHUNK
    for lo in range(1, plan.n + 1, chunk):
        hi = min(plan.n, lo + chunk - 1)
        loader.run("DELETE FROM demo_case")
        loader.run(sql.choices(lo, hi), f"choices {lo}-{hi}")
        loader.run(sql.cases(), "cases")
        if build is None:
            loader.run(sql.search(), "search")
        events += loader.run(sql.events("register"), "registrations")
        events += loader.run(sql.suggestions(), "suggestions")
        events += loader.run(sql.events("rest"), "events")
        proposed = int(loader.value("SELECT coalesce(max(id), 0) FROM proposals"))
        loader.run(sql.proposals(), "proposals")
        loader.run(sql.approvals(proposed), "approvals")
        loader.run(sql.surveys(), "surveys")
        if progress is not None:
            progress(hi)
    if build is not None:
        build.finish(loader)
    elif loader.sqlite:
        for key, value in FTS_DEFAULTS.items():
            loader.run(f"INSERT INTO case_search (case_search, rank) VALUES ('{key}', {value})",
                       f"search index {key}")
    # Later registrations on these days continue after the demo's numbers.
    counters = [(row[day["ymd"]], row[day["n"]]) for row in plan.day_rows if row[day["n"]]]
    larger = ("CASE WHEN case_counters.last > excluded.last THEN case_counters.last "
              "ELSE excluded.last END")
    p = loader.param
    loader.cur.executemany(
        f"INSERT INTO case_counters (day, last) VALUES ({p}, {p}) "
        f"ON CONFLICT (day) DO UPDATE SET last = {larger}", counters)
    if not loader.sqlite and plan.n:
        for table in ("cases", "customers"):
            loader.run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT max(id) FROM {table}))")
    if loader.sqlite:
        for table in TEMP_TABLES:
            loader.run(f"DROP TABLE temp.{table}")
    return plan.n, customers, events
