"""Issue 13, batch part: `kesu-desk inbox` lists, marks read and confirms; `suggest --units`
counts this complaint's units with the batch's."""

from __future__ import annotations

import json

import pytest

from casesteps import PEOPLE, desk_settings, draft
from kesu_desk.cli import main
from kesu_desk.services import cases, users
from kesu_desk.services.desk import Desk


@pytest.fixture
def batch_db(sqlite_url: str) -> str:
    """Five units of batch B5 registered (2 + 3): one corrective action, QA and mgr told."""
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    cases.register_case(desk, "ag", draft(batch="B5", units=2))
    cases.register_case(desk, "ag", draft(batch="B5", units=3, phone="13800138001"))
    desk.close()
    return sqlite_url


def test_inbox_lists_marks_read_and_the_manager_confirms(batch_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", batch_db, "--user", "hq", "--lang", "en", "inbox", "--unread"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "batch problem" in lines[0] and "[QA]" in lines[0] and "unread" in lines[0]
    note_id = lines[0].split()[0]
    assert main(["--db", batch_db, "--user", "hq", "--lang", "en", "inbox", "read", note_id]) == 0
    capsys.readouterr()
    assert main(["--db", batch_db, "--user", "hq", "--lang", "en", "inbox", "--unread"]) == 0
    assert capsys.readouterr().out.strip() == "Your inbox is empty."
    assert main(["--db", batch_db, "--user", "hq", "--lang", "en", "inbox"]) == 0
    assert "read by hq" in capsys.readouterr().out
    # the general manager confirms the batch's corrective action (number 1); a supervisor may not
    assert main(["--db", batch_db, "--user", "sup", "--lang", "en", "inbox", "confirm", "1"]) != 0
    assert "may not confirm as general manager" in capsys.readouterr().err
    assert main(["--db", batch_db, "--user", "mgr", "--lang", "zh", "inbox", "confirm", "1"]) == 0
    assert "总经理已确认" in capsys.readouterr().out


def test_reading_what_is_not_yours_is_one_line_and_non_zero(batch_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", batch_db, "--user", "ag", "--lang", "es", "inbox"]) == 0
    assert "Su bandeja está vacía." in capsys.readouterr().out
    assert main(["--db", batch_db, "--user", "ag", "--lang", "en", "inbox", "read", "1"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no notification 1 in your inbox" in err


def test_suggest_counts_this_calls_units(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    cases.register_case(desk, "ag", draft(batch="B7", units=3))
    desk.close()
    args = ["--db", sqlite_url, "suggest", "--json", "--product", "电水壶 K-200", "--batch", "B7", "漏水"]
    assert main([*args, "--units", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["escalations"] == []  # 3 + 1 units
    assert main([*args, "--units", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["escalations"]  # 3 + 2: the batch rule fires
    assert main([*args, "--units", "0", "--lang", "en"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "a whole number from 1 to 10000" in err
