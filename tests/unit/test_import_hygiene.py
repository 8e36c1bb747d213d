"""The core (domain, rules, SLA, store, services, demo, CLI parsing) never imports Textual, and
the store never imports the layers above it (pyproject.toml's import-linter contracts check the
code; these tests check what an import really loads)."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        check=True, capture_output=True, text=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_core_does_not_import_textual() -> None:
    loaded = _modules_after(
        "import kesu_desk.services.cases, kesu_desk.services.queue, kesu_desk.services.users, "
        "kesu_desk.store.queries, kesu_desk.sla, kesu_desk.domain.workflow, kesu_desk.config, "
        "kesu_desk.demo, kesu_desk.i18n"
    )
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_importing_the_package_costs_nothing() -> None:
    loaded = _modules_after("import kesu_desk")
    assert not {"sqlalchemy", "sqlmodel", "textual", "pydantic"} & loaded


def test_the_store_loads_neither_the_services_nor_the_demo() -> None:
    loaded = _modules_after(
        "import importlib, pkgutil, kesu_desk.store as store\n"
        "for module in pkgutil.iter_modules(store.__path__):\n"
        "    if module.name != 'migrations':  # its env.py runs Alembic\n"
        "        importlib.import_module(f'kesu_desk.store.{module.name}')"
    )
    assert "kesu_desk.store.queries" in loaded
    assert not {m for m in loaded if m.split(".")[:2] in (["kesu_desk", "services"], ["kesu_desk", "demo"])}
