"""Issue 13: kesu-desk print --letter, the customer's written answer — in the customer's
language, without anything internal, only once the outcome is approved, issued for a store's
case by its store manager (or a supervisor or manager), and recorded on the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from casesteps import PEOPLE, desk_settings, draft, to_follow_up, to_investigating
from kesu_desk.cli import main
from kesu_desk.domain.vocabulary import Role
from kesu_desk.services import cases, stores, users
from kesu_desk.services.desk import Desk


@dataclass
class Chain:
    url: str
    done: str  # the Spanish customer's case of store M01, remedy carried out
    early: str  # a case of M01 still being investigated


@pytest.fixture
def chain(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Chain]:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    stores.add_store(desk, "M01", "Madrid Centro", limit="500")
    stores.add_store(desk, "S02", "Sevilla Triana")
    users.add_user(desk, "ana", Role.STORE_MANAGER, store="M01")
    users.add_user(desk, "luis", Role.STORE_MANAGER, store="S02")
    spanish = draft(phone="612345678", region="ES", customer_name="Lucía García",
                    description="La tetera pierde agua", store="M01")
    done = to_follow_up(desk, cases.register_case(desk, "ag", spanish))
    early = to_investigating(desk, cases.register_case(desk, "ag", draft(phone="13900139000", store="M01")))
    desk.close()
    yield Chain(sqlite_url, done.number, early.number)


def letter(chain: Chain, who: str, number: str, capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: who)
    code = main(["--db", chain.url, "--lang", "en", "print", number, "--letter"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_letter_is_in_spanish_for_a_spanish_customer_and_keeps_the_inside_inside(
    chain: Chain, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = letter(chain, "ana", chain.done, capsys, monkeypatch)
    assert code == 0, err
    assert out.startswith("# Respuesta escrita a su reclamación\n")
    assert "Madrid Centro (tienda M01)" in out and "Estimado/a Lucía García:" in out
    assert "Le ofrecemos: refund" not in out  # the remedy in the customer's language …
    assert "de 300.00" in out and chain.done in out
    # … and nothing internal: the accountability, the cause and who handled it.
    for internal in ("供应商来料检验", "供应商批次胶料老化", "密封圈漏水", "hq", "ag"):
        assert internal not in out.replace("Lucía García", "")
    # Issuing it is on the timeline: who and when.
    desk = Desk(desk_settings(chain.url))
    events = [e for e in cases.get_case(desk, chain.done).timeline if e.action == "letter"]
    desk.close()
    assert [(e.actor, e.details.get("lang")) for e in events] == [("ana", "es")]


def test_only_its_store_manager_or_staff_issue_a_stores_letter_and_only_once_decided(
    chain: Chain, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = letter(chain, "ag", chain.done, capsys, monkeypatch)
    assert code != 0 and out == "" and "store M01" in err and err[-1] == "\n" and err.count("\n") == 1
    code, out, err = letter(chain, "luis", chain.done, capsys, monkeypatch)
    assert code != 0 and out == ""
    code, out, err = letter(chain, "ana", chain.early, capsys, monkeypatch)
    assert code != 0 and out == "" and "no approved outcome" in err
    code, out, err = letter(chain, "sup", chain.done, capsys, monkeypatch)
    assert code == 0 and "Respuesta escrita" in out


def test_print_help_names_the_letter(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["print", "--help"])
    assert "--letter" in capsys.readouterr().out
