"""Stores of a chain (issue 13, seed 003): list, add, rename and retire them (admins), and the
checks the rest of the desk asks before giving a user or a case a store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kesu_desk.domain.access import Scope, Use, require
from kesu_desk.domain.amounts import amount_cents, parse_amount
from kesu_desk.domain.errors import InvalidInput, StoreProblem
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.store.models import Store, column_length
from kesu_desk.store.uow import UnitOfWork


@dataclass(frozen=True)
class StoreView:
    code: str
    name: str
    region: str
    approval_limit: Decimal
    retired_at: datetime | None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


def _view(store: Store) -> StoreView:
    return StoreView(store.code, store.name, store.region,
                     Decimal(store.approval_limit_cents) / 100, store.retired_at)


def _code(code: str) -> str:
    code = code.strip().upper()
    if not code or len(code) > column_length(Store, "code") or not code.replace("-", "").isalnum():
        raise StoreProblem("bad_code", store=code, max=column_length(Store, "code"))
    return code


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > column_length(Store, "name"):
        raise StoreProblem("bad_name", max=column_length(Store, "name"))
    return name


def _limit(text: str) -> int:
    cents = amount_cents(parse_amount(text))
    if cents is None:
        raise InvalidInput("invalid_input", errors={"amount": "missing"})
    return cents


def list_stores(desk: Desk) -> list[StoreView]:
    require(desk.reader, Use.USERS)  # names and limits only: no customer data
    with desk.uow(write=False) as uow:
        return [_view(s) for s in uow.stores.all()]


def add_store(desk: Desk, code: str, name: str, *, region: str = "", limit: str = "0") -> StoreView:
    require(desk.reader, Use.MANAGE)
    code, name, cents = _code(code), _name(name), _limit(limit)
    region = " ".join(region.split())
    if len(region) > column_length(Store, "region"):
        raise StoreProblem("bad_region", max=column_length(Store, "region"))
    with desk.uow() as uow:
        if uow.stores.get(code) is not None:
            raise StoreProblem("store_exists", store=code)
        store = Store(code=code, name=name, region=region, approval_limit_cents=cents)
        uow.stores.add(store)
        uow.commit()
        return _view(store)


def rename_store(desk: Desk, code: str, name: str, *, limit: str | None = None) -> StoreView:
    require(desk.reader, Use.MANAGE)
    name = _name(name)
    cents = _limit(limit) if limit is not None else None
    with desk.uow() as uow:
        store = _existing(uow, code)
        store.name = name
        if cents is not None:
            store.approval_limit_cents = cents
        uow.session.add(store)
        uow.commit()
        return _view(store)


def retire_store(desk: Desk, code: str) -> StoreView:
    """The store takes no new cases nor store managers; its cases and figures stay."""
    require(desk.reader, Use.MANAGE)
    with desk.uow() as uow:
        store = _existing(uow, code)
        if store.retired_at is not None:
            raise StoreProblem("store_retired", store=store.code)
        store.retired_at = utcnow()
        uow.session.add(store)
        uow.commit()
        return _view(store)


def _existing(uow: UnitOfWork, code: str) -> Store:
    store = uow.stores.get(code.strip().upper())
    if store is None:
        raise StoreProblem("unknown_store", store=code.strip())
    return store


def open_store(uow: UnitOfWork, code: str) -> Store:
    """The store ``code`` for a new user or case: StoreProblem if it is unknown or retired."""
    store = _existing(uow, code)
    if store.retired_at is not None:
        raise StoreProblem("store_retired", store=store.code)
    return store


def store_scope(desk: Desk, code: str | None) -> Scope:
    """The reader's scope kept to store ``code`` (None: the reader's own scope). Those who see
    every case may ask for any store; a store manager for their own only (it is their scope
    already); a handler's scope is a department, not a store."""
    scope = desk.scope
    if not code:
        return scope
    with desk.uow(write=False) as uow:
        code = _existing(uow, code).code
    if scope.everything:
        return Scope(frozenset(), frozenset({code}))
    if scope.stores and code in scope.stores:
        return scope
    raise StoreProblem("store_not_yours", store=code)
