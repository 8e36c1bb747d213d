"""The keys desk users sign in with over the desk's SSH server (issue 17), on SQLite and PostgreSQL:
an admin gives and takes keys, a key belongs to one person, and the desk a connection starts
signs in as the key's user by the server's ticket — and as nobody else."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kesu_desk.config import data_dir
from kesu_desk.domain.errors import AccessDenied, DeskError, InvalidInput
from kesu_desk.services import identity, ssh_keys
from kesu_desk.services.desk import Desk
from kesu_desk.services.ssh_keys import TICKET_ENV, issue_ticket, ticket_secret
from kesu_desk.services.users import UserView


def keypair(folder: Path, name: str) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f",
                    str(folder / name)], check=True)
    return folder / f"{name}.pub"


def test_an_admin_gives_and_takes_keys(desk: Desk, people: dict[str, UserView], tmp_path: Path) -> None:
    key = ssh_keys.add_key(desk, "sup", keypair(tmp_path, "sup"))
    assert key.fingerprint.startswith("SHA256:") and key.algorithm == "ssh-ed25519"
    assert ssh_keys.owner_of(desk, key.fingerprint) == "sup"
    assert [(k.user, k.comment) for k in ssh_keys.list_keys(desk)] == [("sup", "sup@laptop")]
    ssh_keys.remove_key(desk, "sup", key.fingerprint)
    assert ssh_keys.owner_of(desk, key.fingerprint) is None and ssh_keys.list_keys(desk) == []


def test_one_key_one_person_and_no_private_keys(desk: Desk, people: dict[str, UserView], tmp_path: Path) -> None:
    public = keypair(tmp_path, "sup")
    ssh_keys.add_key(desk, "sup", public)
    with pytest.raises(DeskError) as twice:
        ssh_keys.add_key(desk, "ag", public)
    assert twice.value.code == "key_exists"
    for wrong in (tmp_path / "sup", tmp_path / "empty.pub"):  # the private key; an empty file
        wrong.touch()
        with pytest.raises(InvalidInput):
            ssh_keys.add_key(desk, "ag", wrong)
    with pytest.raises(DeskError):
        ssh_keys.add_key(desk, "nobody", keypair(tmp_path, "other"))
    assert [k.user for k in ssh_keys.list_keys(desk)] == ["sup"]


def test_a_user_who_left_signs_in_with_no_key(desk: Desk, people: dict[str, UserView], tmp_path: Path) -> None:
    key = ssh_keys.add_key(desk, "ag", keypair(tmp_path, "ag"))
    with desk.uow() as uow:  # the admin made them inactive
        user, _ = uow.users.load("ag")
        user.active = False
        uow.session.add(user)
        uow.commit()
    assert ssh_keys.owner_of(desk, key.fingerprint) is None


def test_the_desk_a_connection_starts_signs_in_by_its_ticket_only(
    desk: Desk, people: dict[str, UserView], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = ticket_secret(data_dir())
    monkeypatch.setenv(TICKET_ENV, issue_ticket(secret, "sup"))
    me = identity.sign_in(desk)
    assert (me.user.name, me.login, me.admin) == ("sup", "ssh:sup", None)
    assert TICKET_ENV not in os.environ  # nothing the desk starts later inherits it
    monkeypatch.setenv(TICKET_ENV, issue_ticket(secret, "sup"))
    with pytest.raises(AccessDenied):  # the key decides: no --user
        identity.sign_in(desk, "ag")
    monkeypatch.setenv(TICKET_ENV, issue_ticket(b"x" * 32, "admin"))  # not this server's
    with pytest.raises(AccessDenied):
        identity.sign_in(desk)
