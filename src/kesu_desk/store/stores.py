"""The stores of a chain (issue 13): read and write the ``stores`` table."""

from __future__ import annotations

from sqlmodel import Session, col, select

from kesu_desk.store.models import Store


class StoreRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, code: str) -> Store | None:
        return self.session.get(Store, code)

    def all(self) -> list[Store]:
        return list(self.session.exec(select(Store).order_by(col(Store.code))).all())

    def add(self, store: Store) -> None:
        self.session.add(store)
