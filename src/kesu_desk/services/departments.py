"""The departments as data an admin manages: add, rename, retire and restore (names in zh, en
and es). The seven of DOMAIN.md come with every new database; the seeds' organisations add
their own (R&D, production, warehouse, PE, planning…). A retired department keeps its cases and
its users, and is no longer offered for assignment, for new users or to the rules."""

from __future__ import annotations

import re

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.errors import InvalidInput, NotFoundError
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import DepartmentView, department_views, view_of_department
from kesu_desk.sla import utcnow
from kesu_desk.store.models import Department
from kesu_desk.text import CONTROL

__all__ = [
    "LANGUAGES",
    "add_department",
    "list_departments",
    "rename_department",
    "restore_department",
    "retire_department",
]

LANGUAGES = ("zh", "en", "es")
# Upper-case letters, digits and "_", starting with a letter: what a rules file, a queue filter
# and a user's --dept can carry without quoting (the column holds 16).
_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,15}")
_NAME_LIMIT = 64


def _code(code: str) -> str:
    code = code.strip().upper()
    if not _CODE.fullmatch(code):
        raise InvalidInput("invalid_input", errors={"code": "department_code"})
    return code


def _names(names: dict[str, str | None], *, required: bool) -> dict[str, str]:
    clean: dict[str, str] = {}
    for lang in LANGUAGES:
        value = names.get(lang)
        if value is None:
            if required:
                raise InvalidInput("invalid_input", errors={f"name_{lang}": "missing"})
            continue
        value = " ".join(value.split())
        if not value:
            raise InvalidInput("invalid_input", errors={f"name_{lang}": "missing"})
        if CONTROL.search(value):
            raise InvalidInput("invalid_input", errors={f"name_{lang}": "control_characters"})
        if len(value) > _NAME_LIMIT:
            raise InvalidInput("invalid_input", errors={f"name_{lang}": "department_name_too_long"})
        clean[lang] = value
    return clean


def list_departments(desk: Desk) -> list[DepartmentView]:
    """Every department, retired ones included (they say so)."""
    require(desk.reader, Use.USERS)
    return department_views(desk)


def add_department(desk: Desk, code: str, *, zh: str, en: str, es: str) -> DepartmentView:
    require(desk.reader, Use.MANAGE)
    code = _code(code)
    names = _names({"zh": zh, "en": en, "es": es}, required=True)
    with desk.uow() as uow:
        department = Department(code=code, name_zh=names["zh"], name_en=names["en"], name_es=names["es"])
        uow.users.add_department(department)
        uow.commit()
        return view_of_department(department)


def rename_department(desk: Desk, code: str, *, zh: str | None = None, en: str | None = None,
                      es: str | None = None) -> DepartmentView:
    require(desk.reader, Use.MANAGE)
    names = _names({"zh": zh, "en": en, "es": es}, required=False)
    if not names:
        raise InvalidInput("invalid_input", errors={"name": "missing"})
    with desk.uow() as uow:
        department = _existing(uow.users.department(code.strip().upper()), code)
        for lang, value in names.items():
            setattr(department, f"name_{lang}", value)
        uow.commit()
        return view_of_department(department)


def retire_department(desk: Desk, code: str) -> DepartmentView:
    return _set_retired(desk, code, retired=True)


def restore_department(desk: Desk, code: str) -> DepartmentView:
    return _set_retired(desk, code, retired=False)


def _set_retired(desk: Desk, code: str, *, retired: bool) -> DepartmentView:
    require(desk.reader, Use.MANAGE)
    with desk.uow() as uow:
        department = _existing(uow.users.department(code.strip().upper()), code)
        if retired and department.retired_at is None:
            department.retired_at = utcnow()
        elif not retired:
            department.retired_at = None
        uow.commit()
        return view_of_department(department)


def _existing(department: Department | None, code: str) -> Department:
    if department is None:
        raise NotFoundError("unknown_department", department=code)
    return department
