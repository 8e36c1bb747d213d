"""Shared fixtures: an isolated environment, a migrated desk on each engine, and the people who use it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from casesteps import PEOPLE, desk_settings, draft
from kesu_desk.services import cases, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import UserView
from kesu_desk.services.views import CaseView

PG_URL_VAR = "KESU_DESK_TEST_PG_URL"
PG_SKIP_REASON = f"{PG_URL_VAR} not set: PostgreSQL store tests skipped"

@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's config file, data or log directory or KESU_DESK_* variables."""
    for name in list(os.environ):
        if name.startswith("KESU_DESK_") and name != PG_URL_VAR:
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    monkeypatch.setenv("KESU_DESK_CONFIG", str(home / "no-such-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # the log file


# The login name the desk sees in-process: the admin of PEOPLE (tests/casesteps.py). The desk
# reads the name from the operating system (services/identity.py); a test of identity itself
# sets another with as_login().
TEST_LOGIN = "adm"


@pytest.fixture(autouse=True)
def login_of_the_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: TEST_LOGIN)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kesu-desk.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections live in a fresh schema of their own, dropped afterwards.

    A schema per test rather than wiping ``public``: runs by several people on the same test
    database do not destroy each other's tables.
    """
    base = os.environ.get(PG_URL_VAR)
    if not base:
        pytest.skip(PG_SKIP_REASON)
    schema = f"kesu_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request: pytest.FixtureRequest) -> Iterator[Desk]:
    """A desk on a freshly migrated database, once on SQLite and once on PostgreSQL."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    opened = Desk.open(desk_settings(url))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def people(desk: Desk) -> dict[str, UserView]:
    return {name: users.add_user(desk, name, role, dept) for name, role, dept in PEOPLE}


@pytest.fixture
def register(desk: Desk, people: dict[str, UserView]) -> Callable[..., CaseView]:
    """Register a complaint as the agent; keyword arguments override fields of the draft."""

    def _register(actor: str = "ag", **fields: Any) -> CaseView:
        return cases.register_case(desk, actor, draft(**fields))

    return _register
