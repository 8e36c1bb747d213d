"""The command line as a user meets it: help, one-line errors, users, db upgrade, backup, settings."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kesu_desk.cli import main
from kesu_desk.config import load_settings


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kesu_desk", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120,
    )


def test_help_documents_every_command() -> None:
    out = run("--help").stdout
    for command in ("demo", "users", "db", "backup", "export", "import", "--db", "--user", "--lang"):
        assert command in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["users", "add", "x", "--role", "king"], "invalid choice: 'king'"),
        (["demo", "--cases", "many"], "invalid int value: 'many'"),
    ],
)
def test_bad_flag_is_one_line_and_exit_2(args: list[str], needle: str, sqlite_url: str) -> None:
    done = run("--db", sqlite_url, *args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and needle in done.stderr
    assert "Traceback" not in done.stderr


def test_unreachable_database_is_one_line_without_password() -> None:
    done = run("--db", "postgresql+psycopg://kesu:secret@127.0.0.1:1/none", "users", "list")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Cannot open the database" in lines[0]
    assert "secret" not in done.stderr


def test_users_add_and_list(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_url, "users", "add", "adm", "--role", "admin"]) == 0  # the login
    assert main(["--db", sqlite_url, "users", "add", "li", "--role", "handler", "--dept", "QA"]) == 0
    assert main(["--db", sqlite_url, "users", "add", "wang", "--role", "supervisor"]) == 0
    assert main(["--db", sqlite_url, "users", "add", "zhao", "--role", "handler"]) == 1
    assert main(["--db", sqlite_url, "users", "add", "li", "--role", "agent"]) == 1
    assert main(["--db", sqlite_url, "users", "add", "sun", "--role", "handler", "--dept", "XX"]) == 1
    capsys.readouterr()
    assert main(["--db", sqlite_url, "users", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in listed] == [
        ["adm", "admin", "-"], ["li", "handler", "QA"], ["wang", "supervisor", "-"],
    ]


def test_db_upgrade_reports_revision(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_url, "db", "upgrade"]) == 0
    from kesu_desk.store.schema import head_revision

    assert f"revision {head_revision()} (was -)" in capsys.readouterr().out
    assert main(["--db", sqlite_url, "db", "upgrade"]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_backup_is_a_consistent_copy(sqlite_url: str, tmp_path: Path) -> None:
    assert main(["--db", sqlite_url, "users", "add", "adm", "--role", "admin"]) == 0
    target = tmp_path / "backup.db"
    assert main(["--db", sqlite_url, "backup", str(target)]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT name FROM users").fetchall() == [("adm",)]
    copy.close()
    assert main(["--db", sqlite_url, "backup", str(target)]) == 1  # never overwrites


def test_settings_precedence_file_then_environment_then_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('user = "from-file"\nlang = "es"\napproval_threshold = 500\n', encoding="utf-8")
    monkeypatch.setenv("KESU_DESK_CONFIG", str(config))
    settings = load_settings()
    assert (settings.user, settings.language(), str(settings.approval_threshold)) == ("from-file", "es", "500")
    monkeypatch.setenv("KESU_DESK_USER", "from-env")
    assert load_settings().user == "from-env"
    assert load_settings(user="from-flag", lang="zh").user == "from-flag"
    assert load_settings(lang="zh").language() == "zh"


def test_default_database_is_sqlite_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.db.startswith("sqlite:///")
    assert str(tmp_path) in settings.db  # XDG_DATA_HOME points into tmp in the tests


def test_broken_config_file_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("user = [unclosed\n", encoding="utf-8")
    done = run("users", "list", env={"KESU_DESK_CONFIG": str(config)})
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_suggest_json_has_the_promised_keys(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["suggest", "--json", "快递太慢了，箱子压坏了"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"department", "category", "remedies", "severity", "escalations", "reasons"} <= set(out)
    assert out["department"] == "LOG" and out["reasons"]
    assert out["deadlines"]["answer"] > out["deadlines"]["acknowledge"]
    assert out["similar"] == []  # a new, empty database has no closed case to compare


def test_suggest_prints_deadlines_and_similar_cases_in_the_language(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from kesu_desk.config import Settings
    from kesu_desk.services import cases, users
    from kesu_desk.services.desk import Desk
    from kesu_desk.services.drafts import CaseDraft

    desk = Desk.open(Settings(db=sqlite_url))
    users.add_user(desk, "ag", "agent")
    users.add_user(desk, "adm", "admin")  # the login
    view = cases.register_case(desk, "ag", CaseDraft.parse({"phone": "13800138000", "description": "水壶漏水"}))
    cases.decide_validity(desk, "ag", view.number, founded=False, reason="使用不当")
    desk.close()
    assert main(["--db", sqlite_url, "--lang", "zh", "suggest", "电水壶漏水"]) == 0
    out = capsys.readouterr().out
    assert "前答复客户" in out
    assert "相似的已结案件：" in out and view.number in out and "不成立" in out
    assert main(["--db", sqlite_url, "--lang", "en", "suggest", "--similar", "0", "电水壶漏水"]) == 0
    out = capsys.readouterr().out
    assert "answer promised by" in out and "Similar" not in out


def test_suggest_with_a_batch_counts_the_store(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from kesu_desk.config import Settings
    from kesu_desk.services import cases, users
    from kesu_desk.services.desk import Desk
    from kesu_desk.services.drafts import CaseDraft

    desk = Desk.open(Settings(db=sqlite_url))
    users.add_user(desk, "ag", "agent")
    users.add_user(desk, "adm", "admin")  # the login
    for i in range(5):
        cases.register_case(desk, "ag", CaseDraft.parse(
            {"phone": f"1380013{i:04d}", "description": "水壶漏水", "product": "K-200", "batch": "B7"}))
    desk.close()
    args = ["--db", sqlite_url, "suggest", "--json", "--product", "K-200", "--batch", "B7", "水壶漏水"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["severity"] == "critical" and out["escalations"]


def test_rules_check_reports_every_problem_and_a_broken_file_falls_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(
        '[[rules]]\nid = "x"\ndescription = "d"\n[rules.when]\nkeywords = ["坏"]\n'
        '[rules.then]\ndepartment = "NOPE"\nremedies = ["magic"]\n'
        '[[rules]]\nid = "x"\ndescription = "dup"\nbogus = 1\n',
        encoding="utf-8",
    )
    assert main(["rules", "check", str(bad)]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) >= 3  # department, remedy, duplicate/unknown key
    assert main(["suggest", "--rules", str(bad), "--json", "屏幕坏了"]) == 0
    captured = capsys.readouterr()
    assert "default rules are used" in captured.err


@pytest.mark.parametrize("cases", ["99999999999999999999999", "10000001", "-5"])
def test_demo_with_an_impossible_number_of_cases_is_one_line(tmp_path: Path, cases: str) -> None:
    """Issue 11.11: the allowed range, in the user's language, and no database made."""
    database = tmp_path / "demo" / "kesu-desk.db"
    done = run("--db", f"sqlite:///{database}", "--lang", "en", "demo", "--cases", cases)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"kesu-desk: Demo data: --cases {cases} is not possible; give 0 to 10,000,000."]
    assert not database.parent.exists()
    zh = run("--db", f"sqlite:///{database}", "--lang", "zh", "demo", "--cases", cases)
    assert zh.returncode == 1 and len(zh.stderr.splitlines()) == 1 and "10,000,000" in zh.stderr
    assert "Demo data" not in zh.stderr and "Traceback" not in zh.stderr


def test_report_over_every_representable_day(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11.11: `report --from 0001-01-01 --to 9999-12-31` is a correct report, not a traceback."""
    assert main(["--db", sqlite_url, "demo", "--cases", "30"]) == 0
    capsys.readouterr()
    assert main(["--db", sqlite_url, "--lang", "en", "report", "--from", "0001-01-01", "--to",
                 "9999-12-31", "--format", "csv"]) == 0
    assert "summary,total,30\n" in capsys.readouterr().out
