"""Who is at the keyboard: the login name of the process (or the database role), mapped to a
desk user. ``--user``/``KESU_DESK_USER`` are honoured for a desk admin only.

Not an environment variable: ``USER``/``LOGNAME`` can be set by anybody to anything, so the name
is read from the operating system's account of the process (its effective user id).
"""

from __future__ import annotations

import os

from kesu_desk.config import data_dir
from kesu_desk.domain.access import Identity, Use, may
from kesu_desk.domain.errors import AccessDenied, DeskError, NotFoundError
from kesu_desk.domain.vocabulary import Role
from kesu_desk.services.desk import Desk
from kesu_desk.services.ssh_keys import TICKET_ENV, read_ticket, ticket_secret
from kesu_desk.store import access
from kesu_desk.store.engine import is_sqlite


def login_name() -> str:
    """The name of the account the process runs as."""
    try:
        import pwd
    except ImportError:  # Windows: the account that logged on (not an environment variable)
        return os.getlogin()
    return pwd.getpwuid(os.geteuid()).pw_name


def who_is_connected(desk: Desk) -> str:
    """The name the identity is taken from: the login name, or the database role."""
    if desk.settings.identity == "login":
        return login_name()
    if is_sqlite(desk.engine):
        raise DeskError("identity_needs_postgresql")
    with desk.uow(write=False) as uow:
        return access.connected_role(uow.session)


def has_cases(desk: Desk) -> bool:
    with desk.uow(write=False) as uow:
        return access.has_cases(uow.session)


def bootstrapping(desk: Desk) -> bool:
    """True while the database has no users: anyone may then add the first one (an admin) or
    fill it with demo data."""
    with desk.uow(write=False) as uow:
        return not access.has_users(uow.session)


def sign_in(desk: Desk, act_as: str | None = None) -> Identity:
    """Sign ``desk`` in as the person at the keyboard; AccessDenied for an unknown login or a
    non-admin asking to act as somebody else, NotFoundError for an unknown ``act_as``. A desk
    started by the desk's SSH server for a connection signs in as the user its ticket names."""
    ticket = os.environ.pop(TICKET_ENV, None)  # read once, and passed on to nothing started later
    if ticket is not None:
        return _sign_in_by_ticket(desk, ticket, act_as)
    login = who_is_connected(desk)
    with desk.uow(write=False) as uow:
        person = access.active_user(uow.session, login)
        if person is None:
            raise AccessDenied("unknown_login", login=login)
        if act_as is None or act_as == login:
            identity = Identity(user=person, login=login)
        elif not may(person, Use.ACT_AS):
            raise AccessDenied("act_as_refused", login=login, role=person.role.value)
        else:
            other = access.active_user(uow.session, act_as)
            if other is None:
                raise NotFoundError("unknown_user", user=act_as)
            identity = Identity(user=other, login=login, admin=person)
    desk.sign_in(identity)
    return identity


def _sign_in_by_ticket(desk: Desk, ticket: str, act_as: str | None) -> Identity:
    name = read_ticket(ticket_secret(data_dir()), ticket)
    with desk.uow(write=False) as uow:
        person = access.active_user(uow.session, name)
    if person is None:
        raise AccessDenied("unknown_login", login=name)
    if act_as is not None and act_as != name:  # the key decides who the user is
        raise AccessDenied("act_as_refused", login=name, role=person.role.value)
    identity = Identity(user=person, login=f"ssh:{name}")
    desk.sign_in(identity)
    return identity


def check_first_user(role: str) -> None:
    """The first user of a new database adds the others, so they must be an admin."""
    if role != Role.ADMIN.value:
        raise DeskError("first_user_admin")
