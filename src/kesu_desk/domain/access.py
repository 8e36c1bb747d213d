"""Who is acting and what they may read and do: the desk's one access policy.

Every screen and command reaches the data through the services, and the services ask this module,
so a rule written here holds for the queue, a search, a case, the inbox, the follow-ups, the
overview, the period review, ``export``, ``print``, ``report`` and ``suggest --similar`` alike.

- Agents, supervisors, managers and admins see every case; a handler sees their department's
  cases only (cases not yet assigned to it included in none); a store manager sees the cases of
  their store only (issue 13).
- What each role may ask for beyond cases (a report, an export, the access log…) is the table
  :data:`PERMISSIONS`.
- Only an admin may act as somebody else (``--user``); the events then say "admin X acting as Y".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kesu_desk.domain.errors import AccessDenied
from kesu_desk.domain.vocabulary import Role
from kesu_desk.domain.workflow import STAFF, Actor

__all__ = [
    "EVERYTHING", "NOTHING", "PERMISSIONS", "AccessDenied", "Identity", "Scope", "Use", "case_scope",
    "check_case", "may", "may_see_case", "require",
]


@dataclass(frozen=True)
class Scope:
    """The cases a reader may see: every case (``departments is None``) or those of some
    departments. Read models add ``department_code IN departments`` when it is not everything.
    Issue 13: a store manager's scope is no department but their store (``stores``): a read
    model that knows stores adds ``OR store_code IN stores``; one that does not reads nothing."""

    departments: frozenset[str] | None = None
    stores: frozenset[str] | None = None

    @property
    def everything(self) -> bool:
        return self.departments is None

    def sees(self, department: str | None, store: str | None = None) -> bool:
        return (self.departments is None or (department is not None and department in self.departments)
                or (store is not None and store in (self.stores or ())))


EVERYTHING = Scope()
NOTHING = Scope(frozenset())


@dataclass(frozen=True)
class Identity:
    """The person at the keyboard, as the desk knows them.

    ``user`` is who acts (whose name goes on the timeline); ``admin`` is the admin who chose to
    act as ``user`` with ``--user``, or None; ``login`` is what the identity was taken from (the
    process's login name, or the database role).
    """

    user: Actor
    login: str
    admin: Actor | None = None

    @property
    def person(self) -> Actor:
        """The human being responsible: the admin when acting as somebody else."""
        return self.admin or self.user


class Use(StrEnum):
    """What somebody may ask for, besides seeing a case."""

    WORK = "work"  # the desk itself: queue, cases, intake, suggest, rules check
    REPORT = "report"  # the period review (a handler: of their department's cases)
    OVERVIEW = "overview"  # the supervisor's summary screen
    EXPORT = "export"  # every visible case with its customer, as a file
    IMPORT = "import"
    PRINT = "print"  # one case's full record form
    USERS = "users"  # list the desk's users (names, roles, departments: no customer data)
    MANAGE = "manage"  # add users, demo data, db upgrade, backup
    AUDIT = "audit"  # read the access log
    ERASE = "erase"  # erase a customer's personal data
    ACT_AS = "act_as"  # --user: act as somebody else
    DEALERS = "dealers"  # issue 13: dealers, their allowance ledger, spare parts sent


EVERYONE = frozenset(Role)
ADMINS = frozenset({Role.ADMIN})

PERMISSIONS: dict[Use, frozenset[Role]] = {
    Use.WORK: EVERYONE,
    Use.REPORT: STAFF | {Role.HANDLER, Role.STORE_MANAGER},
    Use.OVERVIEW: STAFF,
    Use.EXPORT: STAFF,
    Use.IMPORT: STAFF,
    Use.PRINT: EVERYONE,
    Use.USERS: EVERYONE,  # colleagues' names and roles: an agent picks the handler to assign
    Use.MANAGE: ADMINS,
    Use.AUDIT: ADMINS,
    Use.ERASE: ADMINS,
    Use.ACT_AS: ADMINS,
    Use.DEALERS: frozenset({Role.MANAGER, Role.ADMIN}),
}


def may(actor: Actor | None, use: Use) -> bool:
    """``None`` is the desk itself (migrations, the demo generator, a test's direct call)."""
    return actor is None or actor.role in PERMISSIONS[use]


def require(actor: Actor | None, use: Use) -> None:
    if not may(actor, use):
        assert actor is not None
        raise AccessDenied("not_allowed", use=use.value, user=actor.name, role=actor.role.value)


def case_scope(actor: Actor | None) -> Scope:
    """The cases ``actor`` may see."""
    if actor is not None and actor.role is Role.STORE_MANAGER:
        return Scope(frozenset(), frozenset({actor.store}) if actor.store else frozenset())
    if actor is None or actor.role is not Role.HANDLER:
        return EVERYTHING
    return Scope(frozenset({actor.department})) if actor.department else NOTHING


def may_see_case(actor: Actor | None, department: str | None, store: str | None = None) -> bool:
    return case_scope(actor).sees(department, store)


def check_case(actor: Actor | None, department: str | None, number: str, store: str | None = None) -> None:
    """AccessDenied ``case_not_visible`` — the same whether the case exists or not would be
    kinder to secrecy, but the desk's users are colleagues: they are told it is not theirs."""
    if not may_see_case(actor, department, store):
        assert actor is not None
        code = "case_not_in_store" if actor.role is Role.STORE_MANAGER else "case_not_visible"
        raise AccessDenied(code, case=number, user=actor.name)
