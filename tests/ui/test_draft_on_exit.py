"""The intake's draft when the desk is ended from outside: the real desk in a terminal (tmux),
keys typed as an agent types them, then the terminal closed or the process signalled."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from casesteps import real_login
from kesu_desk.services import users
from kesu_desk.services.desk import Desk
from kesu_desk.services.intake import draft_path, temporary_path
from kesu_desk.services.intake_form import FIELDS
from kesu_desk.services.users import UserView

pytestmark = [
    pytest.mark.parametrize("desk", ["sqlite"], indirect=True),
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
]

PHONE = "13800138000"
# Tab from the phone to "What happened" (FIELDS in screens/intake.py).
TABS_TO_DESCRIPTION = FIELDS.index("description") - FIELDS.index("phone")


class Terminal:
    """An 80×24 terminal of a tmux server of its own (its own socket: nobody else's sessions)."""

    def __init__(self, folder: Path) -> None:
        self.socket = folder / "tmux.sock"
        self.pid = 0

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-S", str(self.socket), "-f", os.devnull, *args],
                              capture_output=True, text=True, timeout=20)
        return done.stdout

    def start(self, command: list[str]) -> None:
        env = [f"{name}={os.environ[name]}" for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
                                                              "KESU_DESK_CONFIG")]
        args = ["new-session", "-d", "-s", "desk", "-x", "80", "-y", "24"]
        for pair in env:
            args += ["-e", pair]
        # exec: the desk itself is the terminal's process, as when a terminal window runs it.
        self.tmux(*args, "exec " + shlex.join(command))
        self.pid = int(self.tmux("display-message", "-p", "-t", "desk", "#{pane_pid}"))

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "desk")

    def wait_for(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in self.screen():
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never shown; the screen:\n{self.screen()}")

    def type(self, text: str) -> None:
        """Typed text arrives as one read, as from a fast typist or an input method."""
        self.tmux("send-keys", "-t", "desk", "-l", text)

    def press(self, key: str) -> None:
        self.tmux("send-keys", "-t", "desk", key)

    def close(self) -> None:
        """The terminal window goes away: its pty hangs up."""
        self.tmux("kill-server")

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        # A zombie (the tmux server not yet reaped it) has ended too.
        try:
            return Path(f"/proc/{self.pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
        except OSError:
            return False

    def wait_ended(self, timeout: float = 15) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.alive():
            time.sleep(0.05)
        assert not self.alive(), "the desk did not end"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    yield term
    term.tmux("kill-server")


# The desk on a slow disk (a network home folder, a busy laptop): each fsync takes 50 ms, so a
# signal that arrives while the draft is written finds it half-written, as it sometimes does.
SLOW_DISK = """
import os, sys, time
fsync = os.fsync
os.fsync = lambda fd: (time.sleep(0.05), fsync(fd))[1]
from kesu_desk.cli import main
sys.exit(main(sys.argv[1:]))
"""


def desk_command(desk: Desk) -> list[str]:
    """The desk as a process: its login (the real one) is a desk admin, acting as the agent."""
    if real_login() not in {u.name for u in users.list_users(desk)}:
        users.add_user(desk, real_login(), "admin")
    return [sys.executable, "-c", SLOW_DISK, "--db", desk.settings.db, "--user", "ag", "--lang", "en"]


def drafts_folder(desk: Desk) -> Path:
    return draft_path(desk.settings.db, "ag").parent


def typed_into_the_intake(terminal: Terminal, desk: Desk, description: str) -> None:
    """Start the desk, open the intake, type the phone and what happened; the keys are on screen."""
    terminal.start(desk_command(desk))
    terminal.wait_for("New case")  # the queue's footer
    terminal.press("n")
    terminal.wait_for("What happened")
    terminal.type(PHONE)
    terminal.wait_for(PHONE)
    for _ in range(TABS_TO_DESCRIPTION):
        # One key per read: keys sent together may land before the focus has moved.
        terminal.press("Tab")
        time.sleep(0.25)
    terminal.type(description)
    terminal.wait_for(description)
    row = next(line for line in terminal.screen().splitlines() if description in line)
    assert "What happened" in row, terminal.screen()


def saved_fields(desk: Desk) -> dict[str, object]:
    """The fields of the draft file, as the next start reads them."""
    path = draft_path(desk.settings.db, "ag")
    if not path.exists():
        return {"phone": None, "description": None}
    fields: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))["fields"]
    return fields


def temporaries(desk: Desk) -> list[str]:
    folder = drafts_folder(desk)
    return sorted(p.name for p in folder.glob("*.tmp")) if folder.exists() else []


# How the desk is ended, and how long after the last key (the draft's own pause is 0.3 s).
ENDINGS = [
    # The terminal window closed: the kernel hangs the pty up (SIGHUP, SIGCONT).
    ("window closed", 0.3, lambda term: term.close()),
    ("window closed", 0.1, lambda term: term.close()),
    ("kill", 0.1, lambda term: os.kill(term.pid, signal.SIGTERM)),
    # A session ending: systemd sends SIGTERM and then SIGHUP at once; a shell passes its own
    # SIGHUP on while the kernel's arrives.
    ("SIGTERM, SIGHUP", 0.1, lambda term: (os.kill(term.pid, signal.SIGTERM), os.kill(term.pid, signal.SIGHUP))),
    ("SIGHUP, SIGHUP", 0.2, lambda term: (os.kill(term.pid, signal.SIGHUP), time.sleep(0.005),
                                          os.kill(term.pid, signal.SIGHUP))),
]


def test_every_key_typed_is_in_the_draft_however_the_desk_is_ended(
    desk: Desk, people: dict[str, UserView], tmp_path: Path
) -> None:
    lost = []
    for number, (name, pause, end) in enumerate(ENDINGS):
        terminal = Terminal(tmp_path / f"t{number}")
        terminal.socket.parent.mkdir()
        description = f"lid broken {number} 壶盖漏水"
        try:
            shutil.rmtree(drafts_folder(desk), ignore_errors=True)
            typed_into_the_intake(terminal, desk, description)
            time.sleep(pause)
            end(terminal)
            terminal.wait_ended()
        finally:
            terminal.tmux("kill-server")
        fields = saved_fields(desk)
        if (fields["phone"], fields["description"]) != (PHONE, description) or temporaries(desk):
            lost.append((name, pause, fields["description"], temporaries(desk)))
    assert not lost, "\n".join(map(repr, lost))


def test_after_kill_9_what_was_saved_comes_back_and_the_next_start_removes_what_it_left(
    desk: Desk, people: dict[str, UserView], terminal: Terminal
) -> None:
    typed_into_the_intake(terminal, desk, "lid broken")
    end = time.monotonic() + 20
    while saved_fields(desk)["description"] != "lid broken" and time.monotonic() < end:
        time.sleep(0.05)  # the draft's pause
    terminal.type(" again")
    terminal.wait_for("lid broken again")
    os.kill(terminal.pid, signal.SIGKILL)  # no handler runs: the keys of the last pause may be lost
    terminal.wait_ended()
    terminal.tmux("kill-server")
    assert saved_fields(desk)["phone"] == PHONE
    assert str(saved_fields(desk)["description"]).startswith("lid broken")
    # Had the kill come in the middle of a write, its temporary would be left: the desk's
    # temporaries carry their process's number, and that process is gone now.
    draft = draft_path(desk.settings.db, "ag")
    left = temporary_path(draft, terminal.pid)
    someone_elses = temporary_path(draft_path(desk.settings.db, "sup"), terminal.pid)
    for path in (left, someone_elses):
        path.write_text('{"version": 1, "fields": {}}', encoding="utf-8")

    terminal.start(desk_command(desk))
    terminal.wait_for("New case")
    terminal.press("n")
    terminal.wait_for("Draft restored, as last saved on")
    terminal.wait_for("lid broken")
    end = time.monotonic() + 20
    while left.exists() and time.monotonic() < end:
        time.sleep(0.05)
    # The desk now running may be writing its own draft this instant (its temporary lives 50 ms
    # on this slow disk): that one is not left behind.
    writing = f".{terminal.pid}."
    assert [name for name in temporaries(desk) if writing not in name] == [someone_elses.name]
