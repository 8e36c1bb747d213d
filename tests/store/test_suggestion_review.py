"""What the desk learns from its own history (issue 14), on SQLite and PostgreSQL: the cases whose
department or remedy differed from the rules' suggestion, grouped by the words they share, with
keywords proposed for the rules; ``kesu-desk rules review`` and the overview's share of
suggestions taken. Every case is registered and assigned through the services."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from casesteps import draft, signed_in, to_approved, to_assigned
from kesu_desk.cli import main
from kesu_desk.domain.errors import AccessDenied
from kesu_desk.domain.vocabulary import Role
from kesu_desk.i18n import describe
from kesu_desk.services import cases, stores, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.overview import overview
from kesu_desk.services.suggestion_review import DepartmentTaken, review_suggestions
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.store import figures
from kesu_desk.store.figures import Period

# The business's own rule for the quality department: its keyword is never proposed again.
RULES = """
[[rules]]
id = "qa-seal"
[rules.when]
keywords = ["密封圈"]
[rules.then]
department = "QA"
remedies = ["exchange"]
"""

# Sent to logistics by the rules, moved to quality by the agent: they share 旋钮松脱 (and 密封圈,
# already a keyword of qa-seal), nothing else.
KNOB = ["早上用的时候旋钮松脱了。密封圈", "刚买一周，旋钮松脱，掉在地上。密封圈", "旋钮松脱，没法调温度。密封圈"]
# Sent to quality with an exchange suggested; the refund approved instead. They share 蜂鸣器乱叫.
BUZZER = ["用了三天蜂鸣器乱叫", "开机后蜂鸣器乱叫"]
# Taken as suggested: never listed.
TAKEN_QA = ["壶身有划痕，外观很差", "盖子合不上，旋钮松脱"]
TAKEN_LOG = ["包裹送错地址，旋钮松脱"]


def suggestion(department: str, *remedies: str) -> dict[str, Any]:
    """What the intake records of the rules' suggestion (services/intake_form.suggested_values)."""
    return {"department": department, "category": "quality_defect", "severity": "normal",
            "remedies": list(remedies), "rules": ["some-rule"]}


# In every case: as frequent among those taken as suggested, it says nothing, and is not proposed.
BOILERPLATE = "。ok 麻烦尽快看看"


def registered(desk: Desk, text: str, suggested: dict[str, Any], phone: str, **fields: Any) -> CaseView:
    text += BOILERPLATE
    return cases.register_case(desk, "ag", draft(description=text, phone=phone, **fields), suggested=suggested,
                               chosen={"department": suggested["department"]})


@dataclass
class Made:
    desk: Desk  # with the business's rules file
    knob: list[str]
    buzzer: list[str]
    taken: list[str]
    unassigned: str
    day: date


def today(made: Made) -> str:
    return made.day.isoformat()


@pytest.fixture
def made(desk: Desk, people: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Made]:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    monkeypatch.setenv("KESU_DESK_RULES", str(rules))  # for the command line too
    own = Desk.open(desk.settings.model_copy(update={"rules": rules}))
    stores.add_store(own, "M01", "Madrid Centro", limit="150")
    users.add_user(own, "ana", Role.STORE_MANAGER, store="M01")
    phones = iter(f"1380013{n:04d}" for n in range(100))
    knob = [to_assigned(own, registered(own, text, suggestion("LOG", "exchange"), next(phones),
                                        store="M01" if i == 0 else None)).number
            for i, text in enumerate(KNOB)]
    buzzer = [to_approved(own, registered(own, text, suggestion("QA", "exchange"), next(phones))).number
              for text in BUZZER]
    taken = [to_assigned(own, registered(own, text, suggestion("QA", "exchange"), next(phones))).number
             for text in TAKEN_QA]
    taken += [to_assigned(own, registered(own, text, suggestion("LOG"), next(phones)), department="LOG",
                          handler="hl").number for text in TAKEN_LOG]
    # not yet with a department: nothing to compare
    unassigned = registered(own, "旋钮松脱了", suggestion("LOG"), next(phones)).number
    try:
        yield Made(own, knob, buzzer, taken, unassigned, own.calendar.local_date(utcnow()))
    finally:
        own.close()


def test_the_review_lists_exactly_the_overridden_cases_with_the_words_they_share(made: Made) -> None:
    with signed_in(made.desk, "sup"):
        review = review_suggestions(made.desk, made.day, made.day)

    assert review.with_suggestion == 8  # the unassigned case is not decided yet
    assert review.with_department == 8 and review.taken == 5
    assert review.by_department == [DepartmentTaken("LOG", 4, 1), DepartmentTaken("QA", 4, 4)]

    [moved] = review.departments
    assert (moved.suggested, moved.final, moved.cases) == ("LOG", "QA", 3)
    assert moved.numbers == made.knob
    [proposal] = moved.proposals  # nor 麻烦尽快看看, in every case
    assert proposal.words == ["旋钮松脱"]  # 密封圈 is already qa-seal's keyword
    assert proposal.numbers == made.knob and proposal.cases == 3
    assert proposal.rules[0] == "qa-seal"  # of the final department, its keyword in the cases

    [refund] = review.remedies
    assert (refund.final, refund.numbers) == ("refund", made.buzzer)
    [proposal] = refund.proposals
    assert proposal.words == ["蜂鸣器乱叫"] and proposal.numbers == made.buzzer
    listed = {n for o in [*review.departments, *review.remedies] for n in o.numbers}
    assert listed.isdisjoint([*made.taken, made.unassigned])


def test_the_cases_stream_page_by_page_in_registration_order(made: Made) -> None:
    whole = Period(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    with made.desk.uow(write=False) as uow:
        at_once = list(figures.suggested_cases(uow.session, whole))
        paged = list(figures.suggested_cases(uow.session, whole, page=3))
        bare = list(figures.suggested_cases(uow.session, whole, page=1, descriptions=False, remedies=False))
    assert [c.number for c in at_once] == sorted([*made.knob, *made.buzzer, *made.taken])
    assert paged == at_once
    assert [c.number for c in bare] == [c.number for c in at_once]
    assert {c.description for c in bare} == {""} and {c.remedies for c in bare} == {()}
    assert {c.remedies for c in at_once if c.number in made.buzzer} == {("refund",)}


def test_words_of_fewer_cases_than_asked_are_not_proposed(made: Made) -> None:
    with signed_in(made.desk, "sup"):
        review = review_suggestions(made.desk, made.day, made.day, min_cases=4)
    assert [o.proposals for o in review.departments] == [[]]


def test_a_handler_or_store_manager_reviews_their_cases_and_an_agent_may_not(made: Made) -> None:
    with signed_in(made.desk, "hl"):
        review = review_suggestions(made.desk, made.day, made.day)
    assert review.with_suggestion == 1 and review.departments == [] and review.remedies == []
    with signed_in(made.desk, "ana"):  # the store's one case, sent to quality against the suggestion
        review = review_suggestions(made.desk, made.day, made.day)
    assert review.with_suggestion == 1 and review.by_department == [DepartmentTaken("LOG", 1, 0)]
    assert [o.numbers for o in review.departments] == [made.knob[:1]]
    with signed_in(made.desk, "ag"), pytest.raises(AccessDenied) as info:
        review_suggestions(made.desk, made.day, made.day)
    assert "{" not in describe(info.value, "zh")


def test_the_overview_shows_how_often_the_suggested_department_is_taken(made: Made) -> None:
    with signed_in(made.desk, "sup"):
        shown = overview(made.desk, "sup", utcnow()).suggestions_taken
    assert shown == [DepartmentTaken("LOG", 4, 1), DepartmentTaken("QA", 4, 4)]
    assert [round(d.share or 0) for d in shown] == [25, 100]
    with signed_in(made.desk, "mgr"):  # the figure is of the cases registered in the last 30 days
        assert overview(made.desk, "mgr", utcnow() + timedelta(days=29)).suggestions_taken == shown
        assert overview(made.desk, "mgr", utcnow() + timedelta(days=31)).suggestions_taken == []


# -- kesu-desk rules review ----------------------------------------------------------------------


def review_cli(made: Made, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", made.desk.settings.db, "rules", "review", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_rules_review_prints_the_groups_and_proposals(made: Made, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = review_cli(made, capsys, "--lang", "en", "--from", today(made), "--to", today(made))
    assert code == 0, err
    assert "Cases with a suggestion: 8; with a department: 8; sent to the suggested department: 5 (62.5%)." in out
    assert "Suggested LOG Logistics, went to QA Quality Management: 3 case(s): " + ", ".join(made.knob) in out
    assert f"旋钮松脱 — 3 case(s): {', '.join(made.knob)}" in out
    assert "Given refund, not suggested: 2 case(s)" in out
    assert f"蜂鸣器乱叫 — 2 case(s): {', '.join(made.buzzer)}" in out
    assert not any(number in out for number in made.taken)
    assert "Nothing was written to the rules file" in out

    code, out, err = review_cli(made, capsys, "--lang", "zh", "--from", today(made), "--to", today(made))
    assert code == 0 and "建议 LOG 储运部，最终交给 QA 质量管理部：3 个案件：" + ", ".join(made.knob) in out
    assert "建议为 qa-seal" in out  # the rule whose keyword the cases already hold


def test_rules_review_as_json(made: Made, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = review_cli(made, capsys, "--json", "--from", today(made), "--to", today(made))
    assert code == 0, err
    data = json.loads(out)
    assert (data["with_suggestion"], data["taken"], data["share"]) == (8, 5, 62.5)
    assert data["by_department"] == [{"department": "LOG", "cases": 4, "taken": 1, "share": 25.0},
                                     {"department": "QA", "cases": 4, "taken": 4, "share": 100.0}]
    [moved] = data["departments"]
    assert (moved["suggested"], moved["final"], moved["numbers"]) == ("LOG", "QA", made.knob)
    [refund] = data["remedies"]
    assert refund["final"] == "refund"
    assert [p["words"] for p in refund["proposals"]] == [["蜂鸣器乱叫"]]
    assert refund["proposals"][0]["numbers"] == made.buzzer


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-13-01", "--to", "2026-12-31"], "不是有效日期（YYYY-MM-DD）：2026-13-01"),
    (["--from", "2026-12-01", "--to", "yesterday"], "不是有效日期（YYYY-MM-DD）：yesterday"),
    (["--from", "2026-12-02", "--to", "2026-12-01"], "期间结束日期（2026-12-01）早于开始日期（2026-12-02）。"),
    (["--from", "2026-12-01", "--to", "2026-12-01", "--min-cases", "0"], "--min-cases 必须是 1 或以上的整数：0"),
])
def test_a_wrong_date_or_period_is_one_line_in_the_language_and_exit_2(
    made: Made, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = review_cli(made, capsys, "--lang", "zh", *args)
    assert code == 2 and out == ""
    assert err == f"kesu-desk: {message}\n"


def test_an_agent_may_not_run_the_review(made: Made, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kesu_desk.services.identity.login_name", lambda: "ag")
    code, out, err = review_cli(made, capsys, "--lang", "en", "--from", today(made), "--to", today(made))
    assert code == 1 and out == ""
    assert err.strip() == "kesu-desk: ag (agent) may not read the period review."


def test_the_help_says_what_the_review_does(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["rules", "review", "--help"])
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for needle in ("--from YYYY-MM-DD", "--to YYYY-MM-DD", "--min-cases N", "--json",
                   "Nothing is written to the rules file", "Exit code 2 for a wrong date or period"):
        assert needle in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "kesu-desk rules review --from" in capsys.readouterr().out
