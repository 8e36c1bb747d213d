"""The Desk: what every use case needs besides its arguments (engine, settings, deadlines)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from kesu_desk.config import Settings
from kesu_desk.domain.access import Identity, Scope, case_scope
from kesu_desk.domain.errors import AccessDenied, DeskError
from kesu_desk.domain.workflow import Actor
from kesu_desk.sla import Calendar, DeadlinePolicy
from kesu_desk.store.engine import make_engine, shown_url, sqlite_file
from kesu_desk.store.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kesu_desk.rules import RuleProblem, RuleSet


class Desk:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine if engine is not None else make_engine(settings.db)
        # Who is at the keyboard (services/identity.py signs in); None is the desk itself:
        # migrations, the demo generator, a test calling a service directly.
        self.identity: Identity | None = None

    def sign_in(self, identity: Identity) -> None:
        self.identity = identity

    def signed_in_as(self, identity: Identity) -> Desk:
        """Another desk on the same database (and connection pool), signed in as ``identity``;
        this one stays as it was."""
        other = Desk(self.settings, self.engine)
        other.sign_in(identity)
        return other

    @property
    def reader(self) -> Actor | None:
        """The user whose view of the data every read takes (domain/access.py)."""
        return self.identity.user if self.identity else None

    @property
    def scope(self) -> Scope:
        """The cases the reader may see."""
        return case_scope(self.reader)

    def check_actor(self, name: str) -> None:
        """A change made in ``name``'s name on a signed-in desk must be by the person signed in."""
        if self.identity is not None and name != self.identity.user.name:
            raise AccessDenied("not_you", user=name, signed_in=self.identity.user.name)

    @classmethod
    def open(cls, settings: Settings, *, create: bool = True) -> Desk:
        """Connect and bring the database up to date with the migrations.

        With ``create=False`` (the commands that only read) a database that is not the desk's is
        refused, DeskError "no_database", and nothing is made: an SQLite file that is not there
        (neither it nor its folder is created), or a database without the desk's tables.
        """
        from kesu_desk.store import schema

        if not create:
            file = sqlite_file(settings.db)
            if file is not None and not file.is_file():
                raise DeskError("no_database", url=shown_url(settings.db))
        desk = cls(settings)
        try:
            if not create and schema.current_revision(desk.engine) is None:
                raise DeskError("no_database", url=shown_url(settings.db))
            schema.upgrade(desk.engine)
        except BaseException:
            desk.close()
            raise
        return desk

    @cached_property
    def calendar(self) -> Calendar:
        s = self.settings
        return Calendar(s.country, s.closed_days, s.timezone)

    @cached_property
    def deadlines(self) -> DeadlinePolicy:
        return DeadlinePolicy(self.calendar, self.settings.deadlines)

    @cached_property
    def _rules(self) -> tuple[RuleSet, list[RuleProblem]]:
        from kesu_desk.rules import load_rules_safely  # loaded when a suggestion is first asked

        # A rule may route to any department of this database that is not retired.
        with self.uow(write=False) as uow:
            departments = [d.code for d in uow.users.departments(active_only=True)]
        return load_rules_safely(self.settings.rules, departments)

    @property
    def rules(self) -> RuleSet:
        """The rules in force: the defaults with the business's file, or the defaults alone
        when that file is broken (see :attr:`rule_problems`)."""
        return self._rules[0]

    @property
    def rule_problems(self) -> list[RuleProblem]:
        return self._rules[1]

    def uow(self, *, write: bool = True) -> UnitOfWork:
        admin = self.identity.admin if self.identity else None
        return UnitOfWork(self.engine, write=write, admin_id=admin.id if admin else None)

    def close(self) -> None:
        self.engine.dispose()

