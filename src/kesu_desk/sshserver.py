"""``kesu-desk serve --ssh``: the desk over its own SSH server (asyncssh), like Charm's Wish.

Supervisors and shop staff connect with any SSH client (OpenSSH, Windows' built-in ``ssh``,
PuTTY). The public key decides who the user is (``kesu-desk users key add``); there are no
passwords, no shell and no ``--user``. Each connection runs the desk in a process of its own on a
pseudo-terminal of the client's size (resizes follow), signed in by a ticket only this server can
make (services/ssh_keys.py). A connection idle for ``--idle-minutes`` is closed; a dropped one
hangs the desk's terminal up, so the desk writes its draft as after SIGHUP. The host key is made
once in the data folder; every connection leaves a line in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

import asyncssh

from kesu_desk.config import data_dir
from kesu_desk.services.desk import Desk
from kesu_desk.services.ssh_keys import TICKET_ENV, issue_ticket, owner_of, ticket_secret

log = logging.getLogger("kesu_desk.ssh")

HOST_KEY = "ssh_host_ed25519_key"
READ_CHUNK = 65536
GONE_SECONDS = 5.0  # after the hang-up, how long the desk gets to write its draft and end


def host_key(folder: Path) -> Path:
    """The server's host key, made once (clients remember it: it must not change)."""
    path = folder / HOST_KEY
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key.export_private_key())
    return path


class _Server(asyncssh.SSHServer):
    """One connection: public-key authentication only, against the desk users' keys."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk
        self._conn: asyncssh.SSHServerConnection | None = None
        self._peer = "?"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self._peer = f"{peer[0]}:{peer[1]}"

    def connection_lost(self, exc: Exception | None) -> None:
        user = self._conn.get_extra_info("desk_user") if self._conn else None
        log.info("ssh: %s disconnected%s%s", self._peer, f" ({user})" if user else "",
                 f": {exc}" if exc else "")

    def begin_auth(self, username: str) -> bool:
        return True  # always authenticate: the key, not the name asked for, says who it is

    def password_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        fingerprint = key.get_fingerprint("sha256")
        user = owner_of(self._desk, fingerprint)
        if user is None:
            log.warning("ssh: %s refused: unknown key %s", self._peer, fingerprint)
            return False
        assert self._conn is not None
        if self._conn.get_extra_info("desk_user") != user:  # a client asks about a key, then signs
            log.info("ssh: %s signed in as %s with key %s", self._peer, user, fingerprint)
        self._conn.set_extra_info(desk_user=user)
        return True


def _set_size(fd: int, size: tuple[int, int, int, int]) -> None:
    cols, rows = size[0] or 80, size[1] or 24
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _controlling_terminal() -> None:
    """In the child: the pseudo-terminal becomes its controlling terminal (it is the leader of
    a new session), so a hang-up reaches it as SIGHUP."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class _Session:
    def __init__(self, process: asyncssh.SSHServerProcess[bytes], argv: list[str], db: str, secret: bytes,
                 idle_seconds: float) -> None:
        self.process = process
        self.argv = argv
        self.db = db
        self.secret = secret
        self.idle_seconds = idle_seconds

    async def run(self) -> None:
        process = self.process
        user = process.get_extra_info("desk_user")
        if process.get_terminal_type() is None:
            process.stderr.write(b"kesu-desk needs a terminal: connect with ssh -t\r\n")
            process.exit(1)
            return
        master, slave = os.openpty()
        _set_size(slave, process.get_terminal_size())
        env = {key: value for key, value in os.environ.items() if key != TICKET_ENV}
        # The database in the environment, not on the command line: a password there is in ps.
        env.update(TERM=process.get_terminal_type() or "xterm-256color", LANG=env.get("LANG", "C.UTF-8"),
                   **{TICKET_ENV: issue_ticket(self.secret, user), "KESU_DESK_DB": self.db})
        child = subprocess.Popen(self.argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                 start_new_session=True, preexec_fn=_controlling_terminal, close_fds=True)
        os.close(slave)
        log.info("ssh: desk for %s started (pid %d, %dx%d)", user, child.pid, *process.get_terminal_size()[:2])
        loop = asyncio.get_running_loop()
        output_done = loop.create_future()

        def readable() -> None:
            try:
                data = os.read(master, READ_CHUNK)
            except OSError:
                data = b""
            if not data:  # the desk ended (or its terminal went)
                loop.remove_reader(master)
                if not output_done.done():
                    output_done.set_result(None)
                return
            process.stdout.write(data)

        loop.add_reader(master, readable)
        reading = asyncio.ensure_future(self._input(master))
        try:
            await asyncio.wait([output_done, reading], return_when=asyncio.FIRST_COMPLETED)
        finally:
            reading.cancel()
            loop.remove_reader(master)
            with contextlib.suppress(OSError):
                os.close(master)  # a dropped connection: the desk's terminal hangs up (SIGHUP)
            code = await loop.run_in_executor(None, self._wait, child)
            log.info("ssh: desk for %s ended (exit %s)", user, code)
            with contextlib.suppress(Exception):
                process.exit(code if code >= 0 else 128 - code)

    async def _input(self, master: int) -> None:
        """The client's keys to the desk, and its terminal size when it changes; the connection
        is closed after ``idle_seconds`` without a key."""
        process = self.process
        while True:
            try:
                data = await asyncio.wait_for(process.stdin.read(READ_CHUNK), self.idle_seconds)
            except asyncssh.TerminalSizeChanged as change:
                _set_size(master, (change.width, change.height, 0, 0))
                continue
            except TimeoutError:
                log.info("ssh: %s idle for %d s: closed", process.get_extra_info("desk_user"),
                         self.idle_seconds)
                process.stderr.write(b"\r\nkesu-desk: closed after a long time without a key\r\n")
                return
            except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                continue
            if not data:  # end of input: the client went away
                return
            os.write(master, data)

    @staticmethod
    def _wait(child: subprocess.Popen[bytes]) -> int:
        try:
            return child.wait(GONE_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
            try:
                return child.wait(GONE_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                return child.wait()


async def serve(desk: Desk, host: str, port: int, *, lang: str | None = None, idle_minutes: float = 30.0,
                ready: asyncio.Event | None = None) -> None:
    """Serve until cancelled: each connection gets a desk on ``desk``'s database."""
    folder = data_dir()
    secret = ticket_secret(folder)
    argv = [sys.executable, "-m", "kesu_desk"] + (["--lang", lang] if lang else [])
    db = desk.settings.db  # as given: the same draft file as the desk started at the machine

    async def handle(process: asyncssh.SSHServerProcess[bytes]) -> None:
        await _Session(process, argv, db, secret, idle_minutes * 60).run()

    server = await asyncssh.create_server(
        lambda: _Server(desk), host, port, server_host_keys=[str(host_key(folder))],
        process_factory=handle, encoding=None, line_editor=False, login_timeout=60,
    )
    log.info("ssh: serving the desk on %s:%d", host, port)
    if ready is not None:
        ready.set()
    try:
        await asyncio.Event().wait()
    finally:
        server.close()
        await server.wait_closed()


def parse_address(text: str) -> tuple[str, int]:
    """``[HOST:]PORT`` → (host, port); the host defaults to every interface."""
    host, _, port = text.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(text)
    return host.strip("[]") or "0.0.0.0", int(port)


def run(desk: Desk, address: str, lang: str | None, idle_minutes: float) -> Any:
    host, port = parse_address(address)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(desk, host, port, lang=lang, idle_minutes=idle_minutes))
