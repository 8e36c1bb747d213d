"""The ticket the desk's SSH server gives the desk it starts for a connection (issue 17): only a
genuine, fresh ticket signs a desk in, as the user it names."""

from __future__ import annotations

import pytest

from kesu_desk.domain.errors import AccessDenied
from kesu_desk.services.ssh_keys import TICKET_SECONDS, issue_ticket, read_ticket

SECRET = b"s" * 32
NOW = 1_800_000_000.0


def test_a_fresh_ticket_names_its_user() -> None:
    assert read_ticket(SECRET, issue_ticket(SECRET, "yang.hong", NOW), NOW + 5) == "yang.hong"
    assert read_ticket(SECRET, issue_ticket(SECRET, "a:b", NOW), NOW) == "a:b"  # a name with a colon


@pytest.mark.parametrize("forge", [
    lambda t: t.replace("yang.hong", "admin"),  # another user
    lambda t: t[:-1] + ("x" if t[-1] != "x" else "y"),
    lambda t: "0" * 64 + t[64:],  # a made-up code
    lambda t: "",
    lambda t: "garbage",
    lambda t: t.split(":", 1)[1],  # the code left out
])
def test_a_changed_or_made_up_ticket_is_refused(forge: object) -> None:
    ticket = issue_ticket(SECRET, "yang.hong", NOW)
    with pytest.raises(AccessDenied):
        read_ticket(SECRET, forge(ticket), NOW)  # type: ignore[operator]


def test_a_ticket_from_another_server_or_too_old_is_refused() -> None:
    ticket = issue_ticket(SECRET, "yang.hong", NOW)
    with pytest.raises(AccessDenied):
        read_ticket(b"t" * 32, ticket, NOW)
    with pytest.raises(AccessDenied):
        read_ticket(SECRET, ticket, NOW + TICKET_SECONDS + 1)
