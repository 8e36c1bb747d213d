"""`kesu-desk suggest` checks its amount and purchase date as the intake and the proposal do
(issue 11.13): one clear line in the user's language and exit 1, never a suggestion from
nonsense."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from kesu_desk.cli import main
from kesu_desk.i18n import describe
from kesu_desk.services.drafts import CaseDraft


@pytest.mark.parametrize(("amount", "needle"), [
    ("-5", "cannot be negative"), ("NaN", "not an amount"), ("Infinity", "not an amount"),
    ("1e30", "not an amount"), ("0.001", "at most two decimals"), ("1,500", "reads two ways"),
    ("99999999999", "too large"),
])
def test_a_bad_amount_is_one_line_naming_the_range(
    amount: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", "--json", "--amount", amount, "菜里有苍蝇"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Amount" in lines[0] and needle in lines[0], captured.err
    assert "10 000 000.00" in lines[0]


def test_a_bad_amount_in_the_users_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh", "suggest", "--amount", "-5", "菜里有苍蝇"]) == 1
    err = capsys.readouterr().err
    assert "金额" in err and "不能为负数" in err and "Traceback" not in err


def test_a_future_purchase_date_is_refused_as_the_intake_refuses_it(
    capsys: pytest.CaptureFixture[str]
) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert main(["suggest", "--purchase-date", tomorrow, "水壶漏水"]) == 1
    err = capsys.readouterr().err.strip()
    with pytest.raises(Exception) as intake:  # the same rule, the same words, at registration
        CaseDraft.parse({"phone": "13800138000", "description": "水壶漏水", "purchase_date": tomorrow})
    assert err.endswith(describe(intake.value, "en")), err  # type: ignore[arg-type]


def test_amounts_as_people_write_them_reach_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "--json", "--amount", "1 500,50",
                 "--purchase-date", date.today().isoformat(),
                 "菜里有苍蝇，好几个人吃了，已经发到微博上了"]) == 0
    out = json.loads(capsys.readouterr().out)
    # The compensation range of the built-in rules is a multiple of the price given.
    assert out["compensation"]["min_amount"] == "3001.00"
