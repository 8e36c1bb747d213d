"""`kesu-desk serve --ssh` driven by the real OpenSSH client (issue 17): a supervisor connects with
their key, approves a proposal and leaves; an unknown key is refused; a dropped connection keeps
the agent's draft, as SIGHUP does; every connection leaves its lines in the server's log."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from casesteps import desk_settings, draft, real_login, to_proposed
from kesu_desk.services import cases, ssh_keys, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.intake import draft_path

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keypair(folder: Path, name: str) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    return folder / name


class Server:
    def __init__(self, port: int, log: Path, desk: Desk) -> None:
        self.port, self.log, self.desk = port, log, desk

    def ssh(self, key: Path, *extra: str) -> list[str]:
        return ["ssh", "-p", str(self.port), "-i", str(key), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR",
                *extra, "desk@127.0.0.1"]

    def wait_log(self, text: str, timeout: float = 15) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            content = self.log.read_text(encoding="utf-8", errors="replace")
            if text in content:
                return content
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not in the server's log:\n{content}")


def connect(server: Server, key: Path) -> pexpect.spawn:
    """``ssh -tt`` on a terminal of 80×24, as a person would run it."""
    command = server.ssh(key, "-tt")
    return pexpect.spawn(command[0], command[1:], dimensions=(24, 80), encoding="utf-8",
                         env={**os.environ, "TERM": "xterm-256color"}, timeout=20)


@pytest.fixture
def server(sqlite_url: str, tmp_path: Path) -> Iterator[Server]:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in [("sup", "supervisor", None), ("ag", "agent", None), ("hq", "handler", "QA")]:
        users.add_user(desk, name, role, dept)
    port = free_port()
    log = tmp_path / "server.log"
    users.add_user(desk, real_login(), "admin")  # who starts the server
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kesu_desk", "--db", sqlite_url, "--lang", "en", "serve",
                                 "--ssh", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT,
                                env=dict(os.environ))
    srv = Server(port, log, desk)
    try:
        srv.wait_log("serving the desk")
        yield srv
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        desk.close()


def test_a_supervisor_connects_with_their_key_approves_and_leaves(server: Server, tmp_path: Path) -> None:
    desk = server.desk
    number = to_proposed(desk, cases.register_case(desk, "ag", draft())).number
    key = keypair(tmp_path, "sup")
    ssh_keys.add_key(desk, "sup", key.with_suffix(".pub"))
    child = connect(server, key)
    try:
        child.expect("sup · supervisor")  # the key said who it is: no name was asked
        child.send("\x1b[18~")  # F7: the approval inbox
        child.expect("Waiting for your approval")
        child.send("a")
        child.expect("approves")
        child.send("\r")
        child.expect(f"{number}: approved")
        child.send("\x11")  # Ctrl+Q
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert cases.get_case(desk, number).status == "approved"
    content = server.wait_log("desk for sup ended (exit 0)")
    assert "signed in as sup with key SHA256:" in content and "disconnected (sup)" in content


def test_an_unknown_key_is_refused(server: Server, tmp_path: Path) -> None:
    key = keypair(tmp_path, "stranger")
    done = subprocess.run([*server.ssh(key, "-o", "BatchMode=yes"), "true"], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 255 and "Permission denied (publickey)" in done.stderr
    assert "refused: unknown key SHA256:" in server.wait_log("refused: unknown key")


def test_a_dropped_connection_keeps_the_draft(server: Server, tmp_path: Path) -> None:
    key = keypair(tmp_path, "ag")
    ssh_keys.add_key(server.desk, "ag", key.with_suffix(".pub"))
    child = connect(server, key)
    child.expect("ag · agent")
    child.send("n")
    child.expect("e.g. 138 0013 8000")  # the intake form's phone field
    child.send("13812345678")
    child.expect("New customer")  # the desk looked the number up: it has it
    child.kill(signal.SIGKILL)  # the line is gone: no goodbye from the client
    child.close(force=True)
    server.wait_log("desk for ag ended")
    saved = json.loads(draft_path(server.desk.settings.db, "ag").read_text(encoding="utf-8"))
    assert saved["fields"]["phone"] == "13812345678"
