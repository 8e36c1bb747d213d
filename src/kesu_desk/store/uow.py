"""Unit of work: one transaction per use case, committed or rolled back as a whole, and the
repositories the use case reads and changes through (store/repositories.py)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from kesu_desk.domain.errors import ConflictError
from kesu_desk.store.corrective import CorrectiveRepository
from kesu_desk.store.engine import WRITE_OPTION
from kesu_desk.store.products import ProductRepository
from kesu_desk.store.repositories import (
    CaseRepository,
    CustomerRepository,
    DayCounter,
    EventWriter,
    UserRepository,
)
from kesu_desk.store.stores import StoreRepository

# PostgreSQL's deadlock_detected and serialization_failure: another transaction got in the way;
# this one was rolled back whole, and the same change may simply be made again.
CONCURRENT_STATES = frozenset({"40P01", "40001"})


class Repositories:
    """The repositories over one session."""

    cases: CaseRepository
    customers: CustomerRepository
    events: EventWriter
    counters: DayCounter
    users: UserRepository
    corrective: CorrectiveRepository
    products: ProductRepository
    stores: StoreRepository

    def __init__(self, session: Session | None = None, *, admin_id: int | None = None) -> None:
        # The admin acting as the user whose changes these are (kesu-desk --user), or None:
        # every timeline event written through them names that admin.
        self.admin_id = admin_id
        if session is not None:
            self._attach(session)

    def _attach(self, session: Session) -> None:
        self.cases = CaseRepository(session)
        self.customers = CustomerRepository(session)
        self.events = EventWriter(session, admin_id=self.admin_id)
        self.counters = DayCounter(session)
        self.users = UserRepository(session)
        self.corrective = CorrectiveRepository(session)
        self.products = ProductRepository(session)
        self.stores = StoreRepository(session)


class UnitOfWork(Repositories):
    """``with uow: …; uow.commit()`` — leaving the block without commit rolls everything back.
    Inside the block ``uow.cases``, ``uow.events``… are the repositories of its transaction."""

    def __init__(self, engine: Engine, *, write: bool = True, admin_id: int | None = None) -> None:
        super().__init__(admin_id=admin_id)
        self.engine = engine
        self.write = write
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._session

    def __enter__(self) -> Self:
        self._session = Session(self.engine, expire_on_commit=False)
        # Procure the connection now so the write option reaches the BEGIN.
        self._session.connection(execution_options={WRITE_OPTION: self.write})
        self._attach(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None
        if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in CONCURRENT_STATES:
            # Told as a conflict (nothing saved, try again), not as a broken database.
            raise ConflictError("concurrent_change") from exc

    def commit(self) -> None:
        self.session.commit()
        # Keep the session usable for reads after commit, in a new transaction of the same kind.
        self.session.connection(execution_options={WRITE_OPTION: self.write})

    def rollback(self) -> None:
        self.session.rollback()

    def flush(self) -> None:
        """Write what the use case changed so far, inside its transaction (ids, constraints)."""
        self.session.flush()
