"""Who may sign in over the desk's SSH server (issue 17): each desk user's public keys, and the
ticket the server hands the desk it starts for a connection.

The key decides who the user is — no passwords, no ``--user``. The desk the server starts runs as
the server's own operating-system account, so it cannot take its user from the login name: the
server gives it a ticket (the user's name, a time limit and an HMAC made with a secret only that
account can read, in the data folder), and the desk signs in as that user only if the ticket is
genuine and fresh.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.errors import AccessDenied, InvalidInput, SshKeyProblem
from kesu_desk.services.desk import Desk
from kesu_desk.store import user_keys as store
from kesu_desk.store.models import UserKey, column_length
from kesu_desk.text import one_line

# A ticket is used at once (the desk starts within seconds); a copied one soon is worth nothing.
TICKET_SECONDS = 60
TICKET_ENV = "KESU_DESK_SSH_TICKET"
MAX_KEY_FILE = 16 * 1024  # an OpenSSH public key line is a few hundred characters


@dataclass(frozen=True)
class KeyView:
    user: str
    fingerprint: str
    algorithm: str
    comment: str
    added_at: datetime


def _parse(text: str) -> tuple[str, str, str, str]:
    """(fingerprint, algorithm, the key as one OpenSSH line, comment) of a public key; the
    private key or anything else is refused."""
    import asyncssh

    if "PRIVATE KEY" in text:  # the user's secret has no business on the server
        raise InvalidInput("invalid_input", errors={"key": "not_a_public_key"})
    try:
        key = asyncssh.import_public_key(text.strip())
    except (asyncssh.KeyImportError, ValueError, UnicodeError):
        raise InvalidInput("invalid_input", errors={"key": "not_a_public_key"}) from None
    comment = one_line(key.get_comment() or "", column_length(UserKey, "comment"))
    line = key.export_public_key("openssh").decode("ascii").split()[:2]
    return key.get_fingerprint("sha256"), key.get_algorithm(), " ".join(line), comment


def add_key(desk: Desk, name: str, path: Path) -> KeyView:
    """Give desk user ``name`` the public key in the file ``path`` (an admin)."""
    require(desk.reader, Use.MANAGE)
    try:
        if path.stat().st_size > MAX_KEY_FILE:
            raise InvalidInput("invalid_input", errors={"key": "not_a_public_key"})
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        raise SshKeyProblem("key_file_unreadable", path=str(path)) from None
    fingerprint, algorithm, line, comment = _parse(text)
    with desk.uow() as uow:
        user, _ = uow.users.load(name)
        assert user.id is not None
        key = UserKey(user_id=user.id, fingerprint=fingerprint, key=line, comment=comment)
        store.add(uow.session, key)
        uow.commit()
        return KeyView(user.name, fingerprint, algorithm, comment, key.added_at)


def list_keys(desk: Desk, name: str | None = None) -> list[KeyView]:
    require(desk.reader, Use.MANAGE)
    with desk.uow(write=False) as uow:
        user_id = uow.users.load(name)[0].id if name else None
        return [KeyView(owner, k.fingerprint, k.key.split()[0], k.comment, k.added_at)
                for k, owner in store.of_user(uow.session, user_id)]


def remove_key(desk: Desk, name: str, fingerprint: str) -> None:
    """Take the key away from ``name``: it signs nobody in any more (an admin)."""
    require(desk.reader, Use.MANAGE)
    with desk.uow() as uow:
        user, _ = uow.users.load(name)
        key = store.by_fingerprint(uow.session, fingerprint.strip())
        if key is None or key.user_id != user.id:
            raise SshKeyProblem("key_unknown", user=name, fingerprint=fingerprint)
        store.remove(uow.session, key)
        uow.commit()


def owner_of(desk: Desk, fingerprint: str) -> str | None:
    """The active desk user the key with ``fingerprint`` signs in, or None (the server asks)."""
    with desk.uow(write=False) as uow:
        return store.owner(uow.session, fingerprint)


# -- the ticket --------------------------------------------------------------------------------


def ticket_secret(folder: Path) -> bytes:
    """The server's secret (made once, readable by its own account only)."""
    path = folder / "ssh_ticket.key"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as out:
        secret = secrets.token_bytes(32)
        out.write(secret)
    return secret


def _mac(secret: bytes, body: str) -> str:
    return hmac.new(secret, body.encode("utf-8"), hashlib.sha256).hexdigest()


def issue_ticket(secret: bytes, user: str, now: float | None = None) -> str:
    expires = int((time.time() if now is None else now) + TICKET_SECONDS)
    body = f"{expires}:{secrets.token_hex(8)}:{user}"
    return f"{_mac(secret, body)}:{body}"


def read_ticket(secret: bytes, ticket: str, now: float | None = None) -> str:
    """The user a genuine, fresh ticket names; AccessDenied otherwise."""
    mac, _, body = ticket.partition(":")
    expires, _, rest = body.partition(":")
    _, _, user = rest.partition(":")
    genuine = hmac.compare_digest(mac, _mac(secret, body))
    if not genuine or not expires.isdigit() or int(expires) < (time.time() if now is None else now) or not user:
        raise AccessDenied("ssh_ticket_refused")
    return user
