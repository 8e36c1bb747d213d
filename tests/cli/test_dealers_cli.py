"""Issue 13, dealers: ``kesu-desk dealers show|purchase|charge`` (managers and admins)."""

from __future__ import annotations

import pytest

from casesteps import PEOPLE, desk_settings
from kesu_desk.cli import main
from kesu_desk.services import users
from kesu_desk.services.desk import Desk
from kesu_desk.store.models import Customer


def _said(capsys: pytest.CaptureFixture[str], *args: str, code: int) -> str:
    assert main(list(args)) == code
    out = capsys.readouterr()
    return out.err + out.out


def test_purchase_charge_and_a_used_up_allowance_on_the_command_line(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    with desk.uow() as uow:
        dealer = Customer(name="清泉商贸", customer_class="a_dealer", phone="13800000001")
        uow.session.add(dealer)
        uow.flush()
        dealer_id = str(dealer.id)
        uow.commit()
    desk.close()
    db = ("--db", sqlite_url, "--lang", "en")
    assert "left 100.00" in _said(capsys, *db, "dealers", "purchase", dealer_id, "20,000.00",
                                  "--date", "2026-11-30", code=0)
    assert "left 40.00" in _said(capsys, *db, "dealers", "charge", dealer_id, "60", "--note", "PP-10 ×2", code=0)
    refused = _said(capsys, *db, "dealers", "charge", dealer_id, "60", code=1)
    assert "has 40.00 left, the charge is 60.00" in refused and refused.count("\n") == 1
    approved = _said(capsys, *db, "dealers", "charge", dealer_id, "60", "--approved-by", "王经理", code=0)
    assert "left -20.00" in approved and "used up" in approved
    assert "不是A类经销商" in _said(capsys, "--db", sqlite_url, "--lang", "zh", "dealers", "show", "999", code=1)
    negative = _said(capsys, *db, "dealers", "purchase", dealer_id, "-5", code=1)
    assert negative.startswith("kesu-desk: ") and negative.count("\n") == 1 and "Traceback" not in negative
    assert "purchases 20000.00" in _said(capsys, *db, "dealers", "show", dealer_id, code=0)
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: "ag")
    assert "may not manage dealers" in _said(capsys, *db, "dealers", "show", dealer_id, code=1)


def test_parts_advise_gives_one_line_for_the_case(
    sqlite_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import date, timedelta

    from casesteps import draft
    from kesu_desk.services import cases

    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    case = cases.register_case(desk, "ag", draft(customer_class="direct", purchase_date=(date.today() - timedelta(days=40)).isoformat()))
    desk.close()
    said = _said(capsys, "--db", sqlite_url, "--lang", "es", "parts", "advise", case.number, code=0)
    assert said == "Repuesto: gratuito, el producto está en garantía.\n"
    outside = _said(capsys, "--db", sqlite_url, "--lang", "zh", "parts", "advise", case.number,
                    "--warranty-months", "1", code=0)
    assert outside == "配件：在维修期外，客户按零售价购买。\n"
    with pytest.raises(SystemExit) as usage:
        main(["--db", sqlite_url, "parts", "advise", case.number, "--warranty-months", "-3"])
    assert usage.value.code == 2 and "months from 0 to 120" in capsys.readouterr().err
    missing = _said(capsys, "--db", sqlite_url, "--lang", "en", "parts", "advise", "NOPE", code=1)
    assert missing.count("\n") == 1 and "Traceback" not in missing


def test_link_and_list(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    with desk.uow() as uow:
        made = [Customer(name=n, customer_class=k, phone=p) for n, k, p in
                (("清泉商贸", "a_dealer", "13800000001"), ("小店", "sub_dealer", "13800000002"))]
        uow.session.add_all(made)
        uow.flush()
        dealer_id, shop_id = str(made[0].id), str(made[1].id)
        uow.commit()
    desk.close()
    db = ("--db", sqlite_url, "--lang", "en")
    assert "now served by A-class dealer" in _said(capsys, *db, "dealers", "link", shop_id, "--dealer", dealer_id,
                                                   code=0)
    wrong = _said(capsys, *db, "dealers", "link", dealer_id, "--dealer", dealer_id, code=1)
    assert "not a sub-dealer or end user" in wrong
    listed = _said(capsys, *db, "dealers", "list", code=0)
    assert "清泉商贸" in listed and "小店" not in listed
