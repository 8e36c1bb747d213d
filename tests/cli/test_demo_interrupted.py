"""Issue 11.14: `demo` stopped half-way leaves neither cases nor its scratch search file behind.

On an SQLite file the demo builds its search index in a scratch file next to the database
(`<db>.XXXX.search`, tens of megabytes). SIGTERM (and SIGHUP, SIGINT) stop the demo cleanly: the
scratch file is removed and nothing is written. SIGKILL cannot be caught: the file it leaves is
no longer in use, and the next demo on that database removes it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CASES = "100000"  # enough for the scratch file to live a few seconds


def start_demo(database: Path, cases: str = CASES) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kesu_desk", "--db", f"sqlite:///{database}", "--lang", "en", "demo",
         "--cases", cases],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )


def scratch_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.search"))


def wait_for_scratch_file(folder: Path, demo: subprocess.Popen[str]) -> Path:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and demo.poll() is None:
        found = scratch_files(folder)
        if found and found[0].stat().st_size > 0:
            return found[0]
        time.sleep(0.005)
    demo.kill()
    pytest.fail(f"the demo made no scratch search file: {demo.communicate()}")


def cases_in(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        count = int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    conn.close()
    return count


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_demo_stopped_by_a_signal_removes_its_scratch_file_and_writes_nothing(
    tmp_path: Path, signum: signal.Signals
) -> None:
    database = tmp_path / "kesu-desk.db"
    demo = start_demo(database)
    wait_for_scratch_file(tmp_path, demo)
    demo.send_signal(signum)
    _, err = demo.communicate(timeout=120)
    assert demo.returncode == 128 + signum, err
    assert "Traceback" not in err
    assert scratch_files(tmp_path) == []
    assert cases_in(database) == 0


@pytest.mark.slow
def test_the_scratch_file_of_a_killed_demo_is_removed_by_the_next_one(tmp_path: Path) -> None:
    database = tmp_path / "kesu-desk.db"
    demo = start_demo(database)
    left = wait_for_scratch_file(tmp_path, demo)
    demo.kill()  # SIGKILL: nothing runs after it
    demo.communicate(timeout=60)
    assert left.exists()

    again = subprocess.run(
        [sys.executable, "-m", "kesu_desk", "--db", f"sqlite:///{database}", "demo", "--cases", "50"],
        capture_output=True, text=True, env=dict(os.environ), timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert scratch_files(tmp_path) == [] and cases_in(database) == 50


def test_a_scratch_file_in_use_by_another_demo_is_left_alone(tmp_path: Path) -> None:
    """The next demo removes only what nobody uses: a running demo holds a lock on its file."""
    from kesu_desk.demo.scratch import remove_stale_scratch_files, scratch_file

    database = tmp_path / "kesu-desk.db"
    stale = tmp_path / "kesu-desk.db.abc123.search"
    stale.write_bytes(b"left by a demo killed with SIGKILL")
    handle, in_use = scratch_file(str(database))
    try:
        remove_stale_scratch_files(str(database))
        assert Path(in_use).exists() and not stale.exists()
    finally:
        os.close(handle)
    other = tmp_path / "other.db.abc123.search"  # another database's: not ours to remove
    other.write_bytes(b"")
    remove_stale_scratch_files(str(database))
    assert other.exists() and not Path(in_use).exists()
