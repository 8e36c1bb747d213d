"""`kesu-desk departments …` (issue 13): an admin adds R&D in three languages; then a handler of
R&D can be added and a rules file routing to R&D passes `rules check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kesu_desk.cli import main


def said(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    assert main(list(args)) == code
    out = capsys.readouterr()
    return out.err + out.out


def test_departments_from_the_command_line(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", sqlite_url, "--lang", "en"]
    said(capsys, "users", "add", "adm", "--role", "admin", *db)
    refused = said(capsys, "users", "add", "rd", "--role", "handler", "--dept", "RND", *db, code=1)
    assert "Unknown department 'RND'" in refused
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rules]]\nid = "rnd"\ndescription = "design"\nwhen.keywords = ["设计缺陷"]\n'
                     'then.department = "RND"\n', encoding="utf-8")
    assert "RND" in said(capsys, "rules", "check", str(rules), *db, code=1)

    assert "Department RND added: R&D." in said(
        capsys, "departments", "add", "RND", "--zh", "研发部", "--en", "R&D", "--es", "I+D", *db)
    said(capsys, "users", "add", "rd", "--role", "handler", "--dept", "RND", *db)
    said(capsys, "rules", "check", str(rules), *db)  # exit 0: RND is a department now

    assert "Department RND is now called Research" in said(
        capsys, "departments", "rename", "RND", "--en", "Research", *db)
    said(capsys, "departments", "retire", "RND", *db)
    listing = said(capsys, "departments", "list", *db)
    assert "RND" in listing and "研发部 / Research / I+D  (retired)" in listing
    assert "QA" in listing

    bad = said(capsys, "departments", "add", "R&D", "--zh", "x", "--en", "x", "--es", "x", *db, code=1)
    assert "Department code: A-Z, 0-9 and _" in bad
    assert "Traceback" not in bad
