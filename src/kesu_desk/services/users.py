"""Users and departments: who may do what (role) and for which department."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from kesu_desk.domain.errors import DeskError, InvalidInput, NotFoundError
from kesu_desk.domain.vocabulary import Role
from kesu_desk.domain.workflow import Actor
from kesu_desk.services.cases import load_actor
from kesu_desk.services.desk import Desk
from kesu_desk.store.models import Department, User


@dataclass(frozen=True)
class UserView:
    name: str
    display_name: str
    role: Role
    department: str | None
    active: bool


def add_user(
    desk: Desk, name: str, role: Role | str, department: str | None = None, display_name: str = ""
) -> UserView:
    name = name.strip()
    if not name:
        raise InvalidInput("invalid_input", errors={"name": "missing"})
    try:
        chosen = Role(role)
    except ValueError:
        raise InvalidInput("invalid_input", errors={"role": "unknown_role"}) from None
    if chosen is Role.HANDLER and not department:
        raise DeskError("handler_needs_department")
    with desk.uow() as uow:
        session = uow.session
        if department and session.get(Department, department) is None:
            raise NotFoundError("unknown_department", department=department)
        if session.exec(select(User).where(User.name == name)).first() is not None:
            raise DeskError("user_exists", user=name)
        user = User(name=name, display_name=display_name or name, role=chosen.value,
                    department_code=department)
        session.add(user)
        uow.commit()
        return _view(user)


def list_users(desk: Desk) -> list[UserView]:
    with desk.uow(write=False) as uow:
        users = uow.session.exec(select(User).order_by(col(User.name))).all()
        return [_view(u) for u in users]


def whoami(desk: Desk, name: str) -> Actor:
    """The actor behind a login name; NotFoundError('unknown_user') if the database has none."""
    with desk.uow(write=False) as uow:
        return load_actor(uow.session, name)[1]


def departments(desk: Desk) -> list[Department]:
    with desk.uow(write=False) as uow:
        return list(uow.session.exec(select(Department).order_by(col(Department.code))).all())


def _view(user: User) -> UserView:
    return UserView(user.name, user.display_name, Role(user.role), user.department_code, user.active)


@dataclass(frozen=True)
class DepartmentView:
    code: str
    names: dict[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.code


def department_views(desk: Desk) -> list[DepartmentView]:
    """The departments as plain data, with their names in each language, by code."""
    with desk.uow(write=False) as uow:
        rows = uow.session.exec(select(Department).order_by(col(Department.code))).all()
        return [DepartmentView(d.code, {"zh": d.name_zh, "en": d.name_en, "es": d.name_es}) for d in rows]
