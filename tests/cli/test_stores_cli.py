"""Issue 13: kesu-desk stores list|add|rename|retire and users add --store on the command line:
one line in the user's language and a non-zero exit for a wrong input, nothing written."""

from __future__ import annotations

import pytest

from casesteps import PEOPLE, desk_settings
from kesu_desk.cli import main
from kesu_desk.services import users
from kesu_desk.services.desk import Desk


def run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", url, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stores_on_the_command_line(sqlite_url: str, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    desk.close()
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: "adm")
    code, out, _ = run(sqlite_url, capsys, "--lang", "es", "stores", "add", "m01", "Madrid Centro",
                       "--region", "Madrid", "--limit", "150")
    assert code == 0 and out == "Tienda M01 añadida: Madrid Centro, límite de aprobación 150.00.\n"
    code, out, err = run(sqlite_url, capsys, "--lang", "es", "stores", "add", "M01", "Otra")
    assert code != 0 and out == "" and err == "kesu-desk: La tienda M01 ya existe.\n"
    code, out, err = run(sqlite_url, capsys, "--lang", "en", "stores", "add", "X1", "Otra", "--limit", "-5")
    assert code != 0 and err.count("\n") == 1 and "amount" in err.lower()
    code, out, err = run(sqlite_url, capsys, "--lang", "en", "users", "add", "ana", "--role", "store_manager")
    assert code != 0 and err == "kesu-desk: A store manager runs one store: give --store CODE.\n"
    code, out, _ = run(sqlite_url, capsys, "--lang", "en", "users", "add", "ana", "--role", "store_manager",
                       "--store", "M01")
    assert code == 0 and "M01" in out
    code, out, _ = run(sqlite_url, capsys, "stores", "retire", "M01")
    assert code == 0
    code, out, _ = run(sqlite_url, capsys, "--lang", "en", "stores", "list")
    assert code == 0 and out.startswith("M01") and "150.00" in out and "(retired)" in out
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: "ag")
    code, out, err = run(sqlite_url, capsys, "--lang", "en", "stores", "add", "S02", "Sevilla")
    assert code != 0 and out == "" and err.count("\n") == 1
