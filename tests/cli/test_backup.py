"""kesu-desk backup (issue 11.11 and 11.12): a file, or one clear line and a non-zero exit.

SQLite: an online copy, never over anything already there (a dangling symbolic link included),
never a traceback for a folder that is missing or cannot be written. PostgreSQL: pg_dump, run for
real against the test server, with the password kept off its command line.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from casesteps import real_login
from kesu_desk import cli
from kesu_desk.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kesu_desk", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.fixture
def desk_url(sqlite_url: str) -> str:
    assert main(["--db", sqlite_url, "users", "add", "adm", "--role", "admin"]) == 0
    # who runs the commands started as processes
    assert main(["--db", sqlite_url, "users", "add", real_login(), "--role", "admin"]) == 0
    return sqlite_url


@pytest.mark.parametrize(
    ("where", "needle"),
    [
        ("{tmp}/missing/backup.db", "the folder {tmp}/missing does not exist"),
        ("/proc/backup.db", "no file can be created there"),
        ("/proc/self/backup.db", "no file can be created there"),
        ("/sys/backup.db", "permission denied"),
        ("/etc/hostname/backup.db", "/etc/hostname is not a folder"),
    ],
)
def test_a_backup_that_cannot_be_written_is_one_line(
    desk_url: str, tmp_path: Path, where: str, needle: str
) -> None:
    target = where.format(tmp=tmp_path)
    done = run("--db", desk_url, "--lang", "en", "backup", target)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"kesu-desk: Cannot write the backup to {target}: "
                                        f"{needle.format(tmp=tmp_path)}."]
    assert not (tmp_path / "missing").exists()


def test_the_reason_is_in_the_users_language(desk_url: str, tmp_path: Path) -> None:
    done = run("--db", desk_url, "--lang", "zh", "backup", str(tmp_path / "missing" / "b.db"))
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr and "Cannot" not in done.stderr and "missing" in done.stderr


def test_a_backup_never_follows_a_dangling_symbolic_link(desk_url: str, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.db"
    link = tmp_path / "backup.db"
    link.symlink_to(elsewhere)
    done = run("--db", desk_url, "--lang", "en", "backup", str(link))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"kesu-desk: {link} already exists; choose another path."]
    assert not elsewhere.exists() and link.is_symlink()


def test_a_failed_backup_leaves_no_file(
    desk_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "backup.db"
    connect = sqlite3.connect

    def read_only_target(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if str(path) == str(target):  # the copy cannot be written: as on a full or failing disk
            return connect(f"file:{path}?mode=ro", uri=True)
        return connect(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only_target)
    assert main(["--db", desk_url, "--lang", "en", "backup", str(target)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "kesu-desk: The backup failed: attempt to write a readonly database"]
    assert not target.exists()


# -- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A database of its own (pg_dump dumps a whole database; the shared test database has other
    people's schemas coming and going), with the desk in it."""
    base = os.environ.get("KESU_DESK_TEST_PG_URL")
    if not base:
        pytest.skip("KESU_DESK_TEST_PG_URL not set: PostgreSQL backup not tested")
    name = f"kesu_backup_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        assert main(["--db", url, "users", "add", "adm", "--role", "admin"]) == 0
        # who runs the commands started as processes
        assert main(["--db", url, "users", "add", real_login(), "--role", "admin"]) == 0
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def test_backup_on_postgresql_runs_pg_dump(pg_database: str, tmp_path: Path) -> None:
    target = tmp_path / "kesu.dump"
    done = run("--db", pg_database, "--lang", "en", "backup", str(target))
    assert done.returncode == 0, done.stderr
    assert f"Backup written to {target}." in done.stdout
    assert target.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format, for pg_restore
    listed = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True,
                            check=True).stdout
    assert " TABLE public users " in listed and " TABLE public cases " in listed
    restored = subprocess.run(["pg_restore", "--data-only", "--table=users", "-f", "-", str(target)],
                              capture_output=True, text=True, check=True).stdout
    assert "\tadm\t" in restored

    again = run("--db", pg_database, "--lang", "en", "backup", str(target))
    assert again.returncode == 1
    assert again.stderr.splitlines() == [f"kesu-desk: {target} already exists; choose another path."]


def fake_pg_dump(folder: Path, script: str) -> None:
    """A pg_dump on PATH that does what ``script`` says (and notes its arguments)."""
    folder.mkdir()
    program = folder / "pg_dump"
    program.write_text(f"#!/bin/sh\necho \"$@\" > {folder}/args\necho \"$PGPASSWORD\" > {folder}/password\n"
                       f"{script}\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def test_the_password_stays_off_pg_dumps_command_line(pg_url: str, tmp_path: Path) -> None:
    assert main(["--db", pg_url, "users", "add", "adm", "--role", "admin"]) == 0
    assert main(["--db", pg_url, "users", "add", real_login(), "--role", "admin"]) == 0  # runs it
    bin_dir = tmp_path / "bin"
    fake_pg_dump(bin_dir, "echo dump")
    url = make_url(pg_url)
    done = run("--db", pg_url, "backup", str(tmp_path / "kesu.dump"),
               env={"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr
    args = (bin_dir / "args").read_text(encoding="utf-8")
    assert url.password and f":{url.password}@" not in args
    assert f"--dbname=postgresql://{url.username}@{url.host}/{url.database}?" in args
    assert (bin_dir / "password").read_text(encoding="utf-8").strip() == url.password
    assert (tmp_path / "kesu.dump").read_text(encoding="utf-8") == "dump\n"


def test_a_failing_pg_dump_is_a_failed_backup_and_leaves_no_file(pg_url: str, tmp_path: Path) -> None:
    assert main(["--db", pg_url, "users", "add", "adm", "--role", "admin"]) == 0
    assert main(["--db", pg_url, "users", "add", real_login(), "--role", "admin"]) == 0  # runs it
    bin_dir = tmp_path / "bin"
    fake_pg_dump(bin_dir, "echo partial; echo 'pg_dump: error: server version mismatch' >&2; exit 1")
    target = tmp_path / "kesu.dump"
    done = run("--db", pg_url, "--lang", "en", "backup", str(target),
               env={"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "kesu-desk: pg_dump failed (exit 1): pg_dump: error: server version mismatch"]
    assert not target.exists()


def test_no_pg_dump_is_a_failed_backup(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", pg_url, "users", "add", "adm", "--role", "admin"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(cli, "PG_DUMP_FOLDERS", str(tmp_path / "none" / "*" / "bin"))
    target = tmp_path / "kesu.dump"
    assert main(["--db", pg_url, "--lang", "en", "backup", str(target)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "kesu-desk: pg_dump was not found (on PATH or in "
        f"{tmp_path}/none/*/bin): install the PostgreSQL client (Debian: postgresql-client)."]
    assert not target.exists()
