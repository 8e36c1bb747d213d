"""Who is acting (issue 12): the login name of the process, --user for desk admins only, the
first user of a new database, and the access policy at every command's door."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casesteps import PEOPLE, desk_settings, draft, real_login, to_assigned
from kesu_desk.cli import main
from kesu_desk.services import cases, users
from kesu_desk.services.desk import Desk


def as_login(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: name)


class Data:
    def __init__(self, url: str, qa: str, log: str) -> None:
        self.url, self.qa, self.log = url, qa, log


@pytest.fixture
def data(sqlite_url: str) -> Data:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    qa = to_assigned(desk, cases.register_case(desk, "ag", draft(description="壶盖漏水",
                                                                  category="quality_defect")))
    log = cases.register_case(desk, "ag", draft(phone="13900139000", description="快递太慢"))
    log = cases.decide_validity(desk, "ag", log.number, founded=True, version=log.version)
    cases.assign(desk, "ag", log.number, department="LOG", handler="hl", version=log.version)
    desk.close()
    return Data(sqlite_url, qa.number, log.number)


def said(capsys: pytest.CaptureFixture[str], *args: str, code: int) -> str:
    assert main(list(args)) == code
    out = capsys.readouterr()
    return out.err + out.out


EVERY_COMMAND = [
    ["export"], ["report", "--from", "2026-01-01", "--to", "2026-12-31"], ["print", "{qa}"],
    ["users", "list"], ["users", "add", "x", "--role", "admin"], ["suggest", "漏水"],
    ["backup", "{tmp}/b.db"], ["audit"], ["customers", "erase", "13800138000"], ["db", "upgrade"],
    ["demo", "--cases", "5"], ["import", "{tmp}/none.csv"],
]


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: " ".join(a[:2]))
def test_an_unknown_login_can_do_nothing(
    data: Data, args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    as_login(monkeypatch, "mallory")
    (tmp_path / "none.csv").write_text("phone,description\n13800138000,漏水\n", encoding="utf-8")
    filled = [a.format(qa=data.qa, tmp=tmp_path) for a in args]
    text = said(capsys, "--db", data.url, "--lang", "en", *filled, code=1)
    assert text.strip() == ("kesu-desk: Your login 'mallory' is not a desk user: ask an administrator "
                            "to add you (kesu-desk users add mallory --role …).")
    assert not (tmp_path / "b.db").exists()


def test_an_unknown_login_gets_help(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    as_login(monkeypatch, "mallory")
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0 and "--user" in capsys.readouterr().out


def test_the_login_is_not_an_environment_variable(data: Data, tmp_path: Path) -> None:
    """USER and LOGNAME name anybody: the desk asks the system whose process it is."""
    me = real_login()
    desk = Desk.open(desk_settings(data.url))
    users.add_user(desk, me, "agent")
    desk.close()
    env = {**os.environ, "USER": "sup", "LOGNAME": "sup", "USERNAME": "sup", "LNAME": "sup"}
    done = subprocess.run([sys.executable, "-m", "kesu_desk", "--db", data.url, "--lang", "en", "export"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"kesu-desk: {me} (agent) may not export cases.\n"


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_only_an_admin_may_act_as_someone_else(
    data: Data, how: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    as_login(monkeypatch, "sup")  # a supervisor trying to approve through a colleague's name
    if how == "environment":
        monkeypatch.setenv("KESU_DESK_USER", "sup2")
        args = ["--db", data.url, "--lang", "en", "export"]
    else:
        args = ["--db", data.url, "--lang", "en", "--user", "sup2", "export"]
    text = said(capsys, *args, code=1)
    assert text == ("kesu-desk: Only a desk admin may act as someone else (--user, KESU_DESK_USER); "
                    "your login sup is supervisor.\n")


def test_an_admin_acts_as_someone_else_with_their_rights(
    data: Data, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    as_login(monkeypatch, "adm")
    assert "漏水" in said(capsys, "--db", data.url, "export", code=0)
    # acting as the QA handler, the admin sees what the handler may see, no more
    text = said(capsys, "--db", data.url, "--lang", "en", "--user", "hq", "export", code=1)
    assert text == "kesu-desk: hq (handler) may not export cases.\n"
    text = said(capsys, "--db", data.url, "--lang", "en", "--user", "nobody", "export", code=1)
    assert "Unknown user 'nobody'" in text


def test_the_first_user_of_a_new_database_is_an_admin_added_by_anyone(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    as_login(monkeypatch, "newcomer")
    text = said(capsys, "--db", sqlite_url, "--lang", "en", "users", "add", "li", "--role", "agent", code=1)
    assert "make them an admin (--role admin)" in text
    said(capsys, "--db", sqlite_url, "users", "add", "newcomer", "--role", "admin", code=0)
    # from now on only an admin adds users
    as_login(monkeypatch, "stranger")
    text = said(capsys, "--db", sqlite_url, "--lang", "en", "users", "add", "stranger", "--role", "admin", code=1)
    assert "Your login 'stranger' is not a desk user" in text
    as_login(monkeypatch, "newcomer")
    said(capsys, "--db", sqlite_url, "users", "add", "li", "--role", "agent", code=0)
    as_login(monkeypatch, "li")
    text = said(capsys, "--db", sqlite_url, "--lang", "en", "users", "add", "li2", "--role", "agent", code=1)
    assert text == ("kesu-desk: li (agent) may not manage the desk (users, demo data, database upgrade, "
                    "backup).\n")


def test_the_audit_is_for_admins(data: Data, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    as_login(monkeypatch, "mgr")
    assert said(capsys, "--db", data.url, "--lang", "en", "audit", code=1) == (
        "kesu-desk: mgr (manager) may not read the access log.\n")


def test_export_refused_leaves_no_file(
    data: Data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    as_login(monkeypatch, "ag")
    target = tmp_path / "all.csv"
    said(capsys, "--db", data.url, "export", "-o", str(target), code=1)
    assert not target.exists()


def test_erase_is_for_admins_and_masks_the_customer_everywhere(
    data: Data, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    desk = Desk.open(desk_settings(data.url))
    mine = cases.register_case(desk, "ag", draft(
        phone="13700137000", customer_name="王小明", email="wang@example.com",
        description="王小明来电（137 0013 7000，wang@example.com）：水壶漏水"))
    cases.add_note(desk, "ag", mine.number, text="回拨 13700137000 找王小明")
    desk.close()
    as_login(monkeypatch, "sup")
    assert "may not erase" in said(capsys, "--db", data.url, "--lang", "en", "customers", "erase",
                                   "13700137000", code=1)
    as_login(monkeypatch, "adm")
    text = said(capsys, "--db", data.url, "--lang", "en", "customers", "erase", "137 0013 7000", code=0)
    assert "erased" in text
    exported = said(capsys, "--db", data.url, "export", "--format", "jsonl", code=0)
    record = next(json.loads(line) for line in exported.splitlines() if mine.number in line)
    for secret in ("王小明", "13700137000", "137 0013 7000", "wang@example.com"):
        assert secret not in exported
    assert record["description"] == "***来电（***，***）：水壶漏水"
    assert len(exported.splitlines()) == len(said(capsys, "--db", data.url, "export", "--format", "jsonl",
                                                 code=0).splitlines())
    printed = said(capsys, "--db", data.url, "print", mine.number, code=0)
    assert "王小明" not in printed and "13700137000" not in printed and r"回拨 \*\*\* 找\*\*\*" in printed
    # the search finds nothing by the erased name; the cases are still counted
    desk = Desk.open(desk_settings(data.url))
    from kesu_desk.services.queue import queue_count, search_cases

    assert search_cases(desk, "王小明") == [] and queue_count(desk) == 3
    desk.close()
    # asked again: there is nobody with that phone any more
    text = said(capsys, "--db", data.url, "--lang", "en", "customers", "erase", "13700137000", code=1)
    assert "No customer with the phone 13700137000" in text
    log = said(capsys, "--db", data.url, "audit", code=0)
    assert "erase" in log and "13700137000" not in log


def test_the_identity_from_the_database_role(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """identity = "database": the PostgreSQL role the connection signed in as is the person (a
    site that gives each person a role of their own); the login name does not matter."""
    import uuid

    from sqlalchemy import create_engine, make_url, text

    desk = Desk.open(desk_settings(pg_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    role = f"kesu_li_{uuid.uuid4().hex[:8]}"
    users.add_user(desk, role, "handler", "QA")
    schema = make_url(pg_url).query["options"].removeprefix("-csearch_path=")
    with desk.engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {role}"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA {schema} TO {role}"))
        conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"))
    desk.close()
    url = make_url(pg_url).set(username=role, password="pw").render_as_string(hide_password=False)
    monkeypatch.setenv("KESU_DESK_IDENTITY", "database")
    as_login(monkeypatch, "adm")  # the process's login is an admin: it does not count here
    try:
        assert said(capsys, "--db", url, "--lang", "en", "export", code=1) == (
            f"kesu-desk: {role} (handler) may not export cases.\n")
        assert "Only a desk admin" in said(capsys, "--db", url, "--lang", "en", "--user", "adm", "export", code=1)
        monkeypatch.setenv("KESU_DESK_IDENTITY", "login")
        assert said(capsys, "--db", url, "export", code=0) is not None  # as adm, by the login
    finally:
        admin = create_engine(pg_url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def test_the_database_identity_needs_postgresql(
    data: Data, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KESU_DESK_IDENTITY", "database")
    assert "SQLite database has none" in said(capsys, "--db", data.url, "--lang", "en", "export", code=1)


def test_bulk_reads_of_personal_data_are_in_the_access_log(
    data: Data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    as_login(monkeypatch, "sup")
    said(capsys, "--db", data.url, "export", "--status", "assigned", "-o", str(tmp_path / "a.csv"), code=0)
    said(capsys, "--db", data.url, "print", data.qa, code=0)
    as_login(monkeypatch, "adm")
    said(capsys, "--db", data.url, "--user", "mgr", "export", "--format", "jsonl", code=0)
    period = ["report", "--from", "2026-01-01", "--to", "2026-12-31"]
    said(capsys, "--db", data.url, *period, code=0)  # no customer called twice: names nobody
    desk = Desk.open(desk_settings(data.url))
    again = cases.register_case(desk, "ag", draft(phone="13900139000", description="又是快递太慢"))
    desk.close()
    review = said(capsys, "--db", data.url, *period, code=0)
    assert f"{data.log} {again.number}" in review  # a repeat complainant, named
    log = said(capsys, "--db", data.url, "--lang", "en", "audit", code=0).splitlines()
    assert len(log) == 4
    assert "report  adm [adm]" in log[3] and "from=2026-01-01" in log[3] and log[3].endswith("(1)")
    assert "export  sup [sup]" in log[0] and "format=csv" in log[0] and "statuses=['assigned']" in log[0]
    assert "print   sup [sup]" in log[1] and data.qa in log[1]
    assert "admin adm acting as mgr [adm]" in log[2] and "format=jsonl" in log[2]
    only = said(capsys, "--db", data.url, "--lang", "en", "audit", "--who", "mgr", code=0).splitlines()
    assert only == log[2:3]


def test_what_an_admin_does_as_someone_else_says_so_on_the_record(
    data: Data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    as_login(monkeypatch, "adm")
    rows = tmp_path / "rows.csv"
    rows.write_text("phone,description\n13600136000,冰箱不制冷\n", encoding="utf-8")
    said(capsys, "--db", data.url, "--lang", "en", "--user", "sup", "import", str(rows), code=0)
    exported = said(capsys, "--db", data.url, "export", "--format", "jsonl", code=0)
    number = next(json.loads(line)["number"] for line in exported.splitlines() if "冰箱" in line)
    record = said(capsys, "--db", data.url, "--lang", "en", "print", number, code=0)
    assert "admin adm acting as sup" in record
    assert "管理员 adm 代 sup 操作" in said(capsys, "--db", data.url, "--lang", "zh", "print", number, code=0)


def test_a_handler_reads_their_departments_cases_only(
    data: Data, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    as_login(monkeypatch, "hq")  # a QA handler
    assert said(capsys, "--db", data.url, "--lang", "en", "print", data.log, code=1) == (
        f"kesu-desk: Case {data.log} belongs to another department: hq cannot see it.\n")
    assert data.qa in said(capsys, "--db", data.url, "print", data.qa, code=0)
    review = said(capsys, "--db", data.url, "--lang", "en", "report", "--from", "2026-01-01",
                  "--to", "2026-12-31", "--format", "csv", code=0)
    assert "by_department,QA,1" in review and "LOG" not in review
