"""The core (domain, rules, SLA, store, services, CLI parsing) never imports Textual."""

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
        "kesu_desk.store.queries, kesu_desk.sla, kesu_desk.domain.workflow, kesu_desk.config"
    )
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_importing_the_package_costs_nothing() -> None:
    loaded = _modules_after("import kesu_desk")
    assert not {"sqlalchemy", "sqlmodel", "textual", "pydantic"} & loaded
