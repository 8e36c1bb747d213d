"""`kesu-desk print CASE --letter` (issue 13): the customer's written answer in their language —
the decision, the remedy and what happens next, none of the internal accountability; nothing
about the outcome before it is approved; its issuing is on the timeline."""

from __future__ import annotations

import pytest

from casesteps import desk_settings, draft, to_approved, to_proposed
from kesu_desk.cli import main
from kesu_desk.services import cases, users
from kesu_desk.services.desk import Desk

PEOPLE = (("adm", "admin", None), ("ag", "agent", None), ("hq", "handler", "QA"),
          ("sup", "supervisor", None), ("mgr", "manager", None))


def letter(capsys: pytest.CaptureFixture[str], url: str, number: str, *extra: str) -> str:
    assert main(["--db", url, "print", number, "--letter", *extra]) == 0
    return capsys.readouterr().out


def test_a_spanish_customer_gets_the_answer_in_spanish_without_the_internals(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    case = cases.register_case(desk, "ag", draft(phone="+34 612 345 678", customer_name="Ana Pérez",
                                                  description="La tetera gotea"))
    waiting = letter(capsys, sqlite_url, case.number)
    assert "Estimada/o" not in waiting and "Estimado/a Ana Pérez:" in waiting
    assert "Seguimos estudiando su reclamación" in waiting
    proposed = to_proposed(desk, cases.get_case(desk, case.number), remedy="refund", amount="300")
    assert "300" not in letter(capsys, sqlite_url, case.number)  # proposed, not yet approved
    approved = cases.approve(desk, "sup", proposed.number, version=proposed.version)
    done = cases.record_customer_answer(desk, "ag", approved.number, agrees=True, version=approved.version)
    cases.implement(desk, "hq", done.number, implementation="Reembolso hecho",
                    accountability="operario Li: 5% de la prima", version=done.version)
    answer = letter(capsys, sqlite_url, case.number)
    assert "le ofrecemos lo siguiente: reembolso por 300.00" in answer
    assert "le llamaremos para saber si está satisfecho" in answer
    for internal in ("operario Li", "hq", "Li", "5%"):
        assert internal not in answer
    timeline = cases.get_case(desk, case.number).timeline
    assert [e.comment for e in timeline if e.action == "note"][-1] == "Respuesta escrita emitida (es)."
    assert timeline[-1].visibility == "customer"
    desk.close()


def test_the_letter_language_can_be_chosen(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    case = to_approved(desk, cases.register_case(desk, "ag", draft()))
    desk.close()
    zh = letter(capsys, sqlite_url, case.number)
    assert "尊敬的李雷：" in zh and "请告知您是否接受该方案" in zh
    en = letter(capsys, sqlite_url, case.number, "--letter-lang", "en", "--format", "html")
    assert "Dear 李雷," in en and "<html" in en
