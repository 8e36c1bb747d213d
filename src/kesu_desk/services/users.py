"""Users and departments: who may do what (role) and for which department."""

from __future__ import annotations

from dataclasses import dataclass

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.errors import DeskError, InvalidInput, StoreProblem
from kesu_desk.domain.vocabulary import Role
from kesu_desk.domain.workflow import Actor
from kesu_desk.services.desk import Desk
from kesu_desk.services.stores import open_store
from kesu_desk.store.models import Department, User


@dataclass(frozen=True)
class UserView:
    name: str
    display_name: str
    role: Role
    department: str | None
    active: bool
    store: str | None = None


def add_user(
    desk: Desk, name: str, role: Role | str, department: str | None = None, display_name: str = "",
    store: str | None = None,
) -> UserView:
    require(desk.reader, Use.MANAGE)
    name = name.strip()
    if not name:
        raise InvalidInput("invalid_input", errors={"name": "missing"})
    try:
        chosen = Role(role)
    except ValueError:
        raise InvalidInput("invalid_input", errors={"role": "unknown_role"}) from None
    if chosen is Role.HANDLER and not department:
        raise DeskError("handler_needs_department")
    if (chosen is Role.STORE_MANAGER) != bool(store):  # issue 13: a store manager runs one store
        raise StoreProblem("store_manager_needs_store" if not store else "store_only_for_manager")
    with desk.uow() as uow:
        if store:
            store = open_store(uow, store).code
        if department:
            uow.users.active_department(department)  # a retired one takes no new users
        if uow.users.find(name) is not None:
            raise DeskError("user_exists", user=name)
        user = User(name=name, display_name=display_name or name, role=chosen.value,
                    department_code=department, store_code=store)
        uow.users.add(user)
        uow.commit()
        return _view(user)


def list_users(desk: Desk) -> list[UserView]:
    require(desk.reader, Use.USERS)
    with desk.uow(write=False) as uow:
        return [_view(u) for u in uow.users.all()]


def whoami(desk: Desk, name: str) -> Actor:
    """The actor behind a login name; NotFoundError('unknown_user') if the database has none."""
    with desk.uow(write=False) as uow:
        return uow.users.actor(name)


def departments(desk: Desk) -> list[Department]:
    with desk.uow(write=False) as uow:
        return uow.users.departments()


def _view(user: User) -> UserView:
    return UserView(user.name, user.display_name, Role(user.role), user.department_code, user.active,
                    user.store_code)


@dataclass(frozen=True)
class DepartmentView:
    code: str
    names: dict[str, str]
    active: bool = True  # False once retired: kept for the cases it has, offered for nothing new

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.code


def view_of_department(d: Department) -> DepartmentView:
    return DepartmentView(d.code, {"zh": d.name_zh, "en": d.name_en, "es": d.name_es},
                          d.retired_at is None)


def department_views(desk: Desk) -> list[DepartmentView]:
    """The departments as plain data, with their names in each language, by code (retired ones
    too: their cases still name them)."""
    with desk.uow(write=False) as uow:
        return [view_of_department(d) for d in uow.users.departments()]


def active_department_codes(desk: Desk) -> list[str]:
    """The departments a case can be assigned to, a user added to, a rule route to."""
    with desk.uow(write=False) as uow:
        return [d.code for d in uow.users.departments(active_only=True)]
