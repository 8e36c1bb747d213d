"""Issue 11.12: a reading command never makes a database up.

`export`, `print`, `report`, `users list`, `backup` and `import` with a mistyped --db say that
there is no desk database there, exit non-zero and create nothing (neither the file nor its
folder; on PostgreSQL, no tables). The commands that make a database (`demo`, `users add`,
`db upgrade`, the desk itself) still do.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, make_url

from kesu_desk.cli import main

READING = [
    ["export"],
    ["export", "--format", "jsonl", "-o", "{tmp}/out.jsonl"],
    ["print", "KS-20260101-0001"],
    ["report", "--from", "2026-01-01", "--to", "2026-01-31"],
    ["users", "list"],
    ["backup", "{tmp}/backup.db"],
    ["import", "{tmp}/cases.csv"],
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kesu_desk", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


@pytest.mark.parametrize("args", READING, ids=lambda a: " ".join(a[:2]))
def test_a_reading_command_on_a_mistyped_sqlite_path_creates_nothing(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "cases.csv").write_text("phone,description\n13800138000,漏水\n", encoding="utf-8")
    mistyped = tmp_path / "typo" / "kesu-desk.db"
    url = f"sqlite:///{mistyped}"
    done = run("--db", url, "--lang", "en", *[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"kesu-desk: No desk database at {url}: check --db (kesu-desk db upgrade, demo or users add "
        "create one)."]
    assert done.stdout == ""
    assert not mistyped.parent.exists()
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "backup.db").exists()


def test_an_sqlite_file_that_is_not_a_desk_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n", encoding="utf-8")
    done = run("--db", f"sqlite:///{other}", "--lang", "zh", "users", "list")
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert other.read_text(encoding="utf-8") == "not a database\n"


def test_a_reading_command_on_a_postgresql_database_without_the_desk_creates_no_table(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", pg_url, "--lang", "en", "export"]) == 1
    err = capsys.readouterr().err
    shown = make_url(pg_url).render_as_string(hide_password=True)
    assert err.splitlines() == [
        f"kesu-desk: No desk database at {shown}: check --db (kesu-desk db upgrade, demo or users "
        "add create one)."]
    assert ":***@" in err and f":{make_url(pg_url).password}@" not in err  # no password shown
    engine = create_engine(pg_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("args", [["users", "add", "adm", "--role", "admin"], ["db", "upgrade"],
                                  ["demo", "--cases", "20"]])
def test_the_commands_that_make_a_database_still_do_on_a_new_path(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'kesu-desk.db'}"
    assert main(["--db", url, *args]) == 0
    assert main(["--db", url, "db", "upgrade"]) == 0  # an existing database, up to date
    assert "already up to date" in capsys.readouterr().out
    assert (tmp_path / "new" / "kesu-desk.db").is_file()
