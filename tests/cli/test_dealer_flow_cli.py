"""Issue 13, dealers in the case's work on the command line: ``dealers add|show|handover`` and
``parts send``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from casesteps import PEOPLE, desk_settings, draft
from kesu_desk.cli import main
from kesu_desk.services import cases, dealers, users
from kesu_desk.services.desk import Desk


def _said(capsys: pytest.CaptureFixture[str], *args: str, code: int) -> str:
    assert main(list(args)) == code
    out = capsys.readouterr()
    return out.err + out.out


def test_add_a_dealer_hand_its_end_users_case_over_and_send_parts_against_its_allowance(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    case = cases.register_case(desk, "ag", draft(phone="13900000021", customer_class="end_user"))
    direct = cases.register_case(desk, "ag", draft(phone="13900000022", customer_class="direct"))
    desk.close()
    db = ("--db", sqlite_url, "--lang", "en")
    contract = ("--contract", "JLQ-7", "--representative", "王经理", "--contact", "李娜", "--phone", "13800138000")
    added = _said(capsys, *db, "dealers", "add", "清泉商贸", *contract, code=0)
    assert "A-class dealer 清泉商贸 added as customer" in added
    dealer = added.split("customer ")[1].split(" ")[0]
    again = _said(capsys, *db, "dealers", "add", "另一家", *contract, code=1)
    assert "already another customer's" in again and again.count("\n") == 1
    blank = _said(capsys, "--db", sqlite_url, "--lang", "zh", "dealers", "add", "x", "--contract", " ",
                  "--representative", "王", "--contact", "李", "--phone", "13800138001", code=1)
    assert "协议编号缺失" in blank
    shown = _said(capsys, *db, "dealers", "show", dealer, code=0)
    assert "Contract JLQ-7; business representative 王经理; contact 李娜, +8613800138000" in shown
    desk = Desk.open(desk_settings(sqlite_url))
    dealers.link(desk, case.customer.id, int(dealer))
    dealers.record_purchase(desk, int(dealer), Decimal("20000"))  # 100.00 allowance
    desk.close()
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: "ag")
    handed = _said(capsys, *db, "dealers", "handover", case.number, code=0)
    assert "handed to dealer 清泉商贸: contact 李娜, +8613800138000" in handed
    refused = _said(capsys, *db, "dealers", "handover", direct.number, code=1)
    assert "cannot be handed to a dealer" in refused and refused.count("\n") == 1
    sent = _said(capsys, *db, "parts", "send", case.number, "PP-10", "--qty", "2", "--price", "30", code=0)
    assert "2 × PP-10" in sent and "the dealer's allowance" in sent and "left: 40.00" in sent
    beyond = _said(capsys, *db, "parts", "send", case.number, "PP-10", "--price", "50", code=1)
    assert "--approved-by" in beyond and beyond.count("\n") == 1
    wrong = _said(capsys, "--db", sqlite_url, "--lang", "es", "parts", "send", case.number, "PP-10",
                  "--price", "5", "--charge", "nadie", code=1)
    assert "allowance, customer, free" in wrong
    approved = _said(capsys, *db, "parts", "send", case.number, "PP-10", "--price", "50",
                     "--approved-by", "王经理", code=0)
    assert "left: -10.00" in approved
