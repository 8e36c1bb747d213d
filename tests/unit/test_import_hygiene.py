"""The core (domain, rules, SLA, store, services, demo, CLI parsing) never imports Textual, and
the store never imports the layers above it (pyproject.toml's import-linter contracts check the
code; these tests check what an import really loads)."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        check=True, capture_output=True, text=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_core_does_not_import_textual() -> None:
    loaded = _modules_after(
        "import kesu_desk.services.cases, kesu_desk.services.queue, kesu_desk.services.users, "
        "kesu_desk.store.queries, kesu_desk.sla, kesu_desk.domain.workflow, kesu_desk.config, "
        "kesu_desk.demo, kesu_desk.i18n"
    )
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_importing_the_package_costs_nothing() -> None:
    loaded = _modules_after("import kesu_desk")
    assert not {"sqlalchemy", "sqlmodel", "textual", "pydantic"} & loaded


def test_the_store_loads_neither_the_services_nor_the_demo() -> None:
    loaded = _modules_after(
        "import importlib, pkgutil, kesu_desk.store as store\n"
        "for module in pkgutil.iter_modules(store.__path__):\n"
        "    if module.name != 'migrations':  # its env.py runs Alembic\n"
        "        importlib.import_module(f'kesu_desk.store.{module.name}')"
    )
    assert "kesu_desk.store.queries" in loaded
    assert not {m for m in loaded if m.split(".")[:2] in (["kesu_desk", "services"], ["kesu_desk", "demo"])}


def test_the_desk_reaches_its_first_page_without_what_later_screens_need(sqlite_url: str) -> None:
    """What the desk does before its first screen of cases (issue 16: start-up): read the
    settings, open the database, sign in, count and read the queue's first page, the user's
    own view, the approvals waiting. None of it loads the holidays' calendars (only counting a
    working day does), Alembic (a database at the head revision), the e-mail sender, the
    overview's figures, or PostgreSQL's dialect on SQLite."""
    from kesu_desk.config import Settings
    from kesu_desk.services.desk import Desk
    from kesu_desk.services.users import add_user

    desk = Desk.open(Settings(db=sqlite_url))  # migrated here: the start below finds it ready
    add_user(desk, "sup", "supervisor")
    desk.close()
    loaded = _modules_after(
        "from kesu_desk.config import load_settings\n"
        "from kesu_desk.domain.access import Identity\n"
        "from kesu_desk.services.desk import Desk\n"
        "from kesu_desk.services import approvals, preferences, queue as q, users\n"
        "import kesu_desk.app, kesu_desk.screens.queue\n"
        f"desk = Desk.open(load_settings(db={sqlite_url!r}))\n"
        "me = users.whoami(desk, 'sup')\n"
        "desk.sign_in(Identity(user=me, login=me.name))\n"
        "q.queue_count(desk, q.QueueFilter())\n"
        "q.queue_page(desk, q.QueueFilter(), q.Sort.NEWEST, limit=50)\n"
        "preferences.queue_view(desk, me)\n"
        "q.last_change(desk)\n"
        "approvals.waiting_count(desk, me.name)\n"
    )
    assert "kesu_desk.store.models" in loaded
    later = {"holidays", "alembic", "smtplib", "kesu_desk.services.mail", "kesu_desk.store.figures",
             "sqlalchemy.dialects.postgresql"}
    assert not later & loaded
