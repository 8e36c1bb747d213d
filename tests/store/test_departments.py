"""Departments are data an admin manages (issue 13): R&D and the others the seeds need can be
added, named in three languages, used by users, assignment and rules, and retired — on both
engines."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from casesteps import desk_settings
from kesu_desk.domain.access import Identity
from kesu_desk.domain.errors import AccessDenied, DeskError, InvalidInput, NotFoundError
from kesu_desk.i18n import describe
from kesu_desk.services import cases, departments, suggestions, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

RND = {"zh": "研发部", "en": "R&D", "es": "I+D"}


def signed_in(desk: Desk, name: str = "adm") -> Desk:
    """The same database, signed in as ``name`` (the desk of the other steps stays as it was)."""
    return desk.signed_in_as(Identity(user=users.whoami(desk, name), login=name))


def test_an_admin_adds_rnd_and_it_serves_users_and_cases(
    desk: Desk, people: dict[str, users.UserView], register: Callable[..., CaseView]
) -> None:
    with pytest.raises(NotFoundError):
        users.add_user(desk, "rd", "handler", "RND")
    added = departments.add_department(signed_in(desk), "rnd", **RND)
    assert (added.code, added.name("zh"), added.name("es"), added.active) == ("RND", "研发部", "I+D", True)
    users.add_user(desk, "rd", "handler", "RND")
    view = register()
    view = cases.decide_validity(desk, "ag", view.number, founded=True, version=view.version)
    view = cases.assign(desk, "ag", view.number, department="RND", handler="rd", version=view.version)
    assert view.department == "RND"
    assert [d.code for d in departments.list_departments(signed_in(desk, "ag"))].count("RND") == 1


def test_a_retired_department_keeps_its_cases_and_takes_nothing_new(
    desk: Desk, people: dict[str, users.UserView], register: Callable[..., CaseView]
) -> None:
    admin = signed_in(desk)
    departments.add_department(admin, "WH", zh="仓库", en="Warehouse", es="Almacén")
    users.add_user(desk, "wh", "handler", "WH")
    view = register()
    view = cases.decide_validity(desk, "ag", view.number, founded=True, version=view.version)
    view = cases.assign(desk, "ag", view.number, department="WH", handler="wh", version=view.version)
    retired = departments.retire_department(admin, "WH")
    assert not retired.active
    assert cases.get_case(desk, view.number).department == "WH"  # its case stays where it was
    with pytest.raises(NotFoundError) as refused:
        users.add_user(desk, "wh2", "handler", "WH")
    assert describe(refused.value, "en") == "Unknown department 'WH'."
    other = register(phone="13900139001")
    other = cases.decide_validity(desk, "ag", other.number, founded=True, version=other.version)
    with pytest.raises(NotFoundError):
        cases.assign(desk, "ag", other.number, department="WH", version=other.version)
    assert departments.restore_department(admin, "WH").active
    cases.assign(desk, "ag", other.number, department="WH", version=other.version)


def test_renaming_changes_only_the_languages_given(desk: Desk, people: dict[str, users.UserView]) -> None:
    admin = signed_in(desk)
    departments.add_department(admin, "PE", zh="工程部", en="PE", es="Ingeniería")
    renamed = departments.rename_department(admin, "pe", en="Process Engineering")
    assert renamed.names == {"zh": "工程部", "en": "Process Engineering", "es": "Ingeniería"}


@pytest.mark.parametrize(("code", "names", "field"), [
    ("R D", RND, "code"), ("1RND", RND, "code"), ("R" * 17, RND, "code"),
    ("RND", {**RND, "zh": "研发\x1b[31m部"}, "name_zh"), ("RND", {**RND, "en": " "}, "name_en"),
    ("RND", {**RND, "es": "x" * 65}, "name_es"),
])
def test_bad_codes_and_names_are_refused_with_the_field_named(
    desk: Desk, people: dict[str, users.UserView], code: str, names: dict[str, str], field: str
) -> None:
    admin = signed_in(desk)
    with pytest.raises(InvalidInput) as refused:
        departments.add_department(admin, code, **names)
    assert field in refused.value.params["errors"]
    assert "RND" not in [d.code for d in departments.list_departments(admin)]


def test_only_an_admin_changes_the_departments(desk: Desk, people: dict[str, users.UserView]) -> None:
    supervisor = signed_in(desk, "sup")
    with pytest.raises(AccessDenied):
        departments.add_department(supervisor, "RND", **RND)
    with pytest.raises(AccessDenied):
        departments.retire_department(supervisor, "QA")


def test_two_admins_adding_the_same_code_at_once_one_is_told(
    desk: Desk, people: dict[str, users.UserView]
) -> None:
    results: list[object] = []
    start = threading.Barrier(2)

    def add(name: str) -> None:
        other = signed_in(desk)
        start.wait()
        try:
            results.append(departments.add_department(other, "PLAN", zh="计划部", en=name, es=name))
        except DeskError as exc:
            results.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in ("Planning", "Plan")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [r for r in results if isinstance(r, DeskError)]
    assert len(errors) == 1, results
    assert errors[0].code in {"department_exists", "concurrent_change"}
    assert "PLAN" in describe(errors[0], "en") or errors[0].code == "concurrent_change"
    assert [d.code for d in departments.list_departments(signed_in(desk))].count("PLAN") == 1


def test_rules_may_route_to_a_department_of_the_database(tmp_path: Path, sqlite_url: str) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rules]]\nid = "filter-rnd"\ndescription = "filter design"\n'
                     'when.keywords = ["滤芯设计"]\nthen.department = "RND"\nthen.mode = "set"\n',
                     encoding="utf-8")
    settings = desk_settings(sqlite_url).model_copy(update={"rules": rules})
    desk = Desk.open(settings)
    users.add_user(desk, "adm", "admin")
    departments.add_department(signed_in(desk), "RND", **RND)
    desk.close()
    desk = Desk.open(settings)
    try:
        assert desk.rule_problems == []
        assert suggestions.suggest_case(desk, "滤芯设计有问题，水流很小", similar=0).department == "RND"
    finally:
        desk.close()


def test_retiring_a_default_department_leaves_its_rules_without_a_department(sqlite_url: str) -> None:
    desk = Desk.open(desk_settings(sqlite_url))
    users.add_user(desk, "adm", "admin")
    departments.retire_department(signed_in(desk), "LOG")
    desk.close()
    desk = Desk.open(desk_settings(sqlite_url))
    try:
        suggestion = suggestions.suggest_case(desk, "快递三天了还没到，物流太慢", similar=0)
        assert desk.rule_problems == []
        assert suggestion.department != "LOG"
    finally:
        desk.close()
