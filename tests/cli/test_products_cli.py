"""kesu-desk products import and list (issue 13): one line per refusal, nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from kesu_desk.cli import main

GOOD = "code,name,name_zh,warranty_months,retail_price\nRO-400,RO-400 purifier,RO-400 净水器,24,1299\n"


def test_import_list_and_a_bad_row_refused_in_the_users_language(
        sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_url, "users", "add", "adm", "--role", "admin"]) == 0
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    assert main(["--db", sqlite_url, "products", "import", str(tmp_path / "good.csv")]) == 0
    assert "1 added, 0 updated" in capsys.readouterr().out
    bad = GOOD + "F-1,filter,,999,5\n"
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    assert main(["--db", sqlite_url, "--lang", "es", "products", "import", str(tmp_path / "bad.csv")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Fila 3, columna warranty_months" in err and "No se importó nada" in err
    assert main(["--db", sqlite_url, "--lang", "zh", "products", "list", "--search", "净水"]) == 0
    out = capsys.readouterr().out
    assert "RO-400 净水器" in out and "24 个月" in out and "1 299.00" in out and "F-1" not in out


def test_only_an_admin_imports(sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["--db", sqlite_url, "users", "add", "adm", "--role", "admin"]) == 0
    assert main(["--db", sqlite_url, "users", "add", "ag", "--role", "agent"]) == 0
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: "ag")
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", sqlite_url, "products", "import", str(tmp_path / "good.csv")]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["--db", sqlite_url, "products", "list"]) == 0
    assert capsys.readouterr().out == ""
