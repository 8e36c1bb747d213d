"""Issue 14: everything the suggestion says is in the interface language, categories by name; and
where the rules and the closed cases most like a new complaint disagree, the intake shows both,
with why (services/suggestions.second_opinion and the suggestion panel's lines)."""

from __future__ import annotations

from rich.text import Text

from kesu_desk.domain.vocabulary import Remedy
from kesu_desk.rules import Reason, SimilarCase, Suggestion, load_rules, suggest
from kesu_desk.services.suggestions import second_opinion
from kesu_desk.widgets.suggestion_panel import body_text, summary_text


def case(number: str, department: str | None, likeness: float, validity: str = "founded") -> SimilarCase:
    return SimilarCase(number=number, summary="净水器漏水", department=department, remedy=Remedy.REPAIR,
                       satisfaction=4, validity=validity, likeness=likeness)


def rules_say(department: str, *similar: SimilarCase) -> Suggestion:
    return Suggestion(department=department, reasons=[
        Reason(rule_id="safety-injury-media", description="x", words=["冒烟"]),
        Reason(rule_id="fac-premises", description="x", words=["漏水"], department="FAC"),
    ], similar=list(similar))


def test_most_alike_closed_cases_that_went_elsewhere_are_shown_with_the_rules_why() -> None:
    s = rules_say("FAC", case("KS-1", "QA", 0.7), case("KS-2", "QA", 0.4), case("KS-3", "FAC", 0.3))
    other = second_opinion(s)
    assert other is not None
    assert (other.department, other.cases, other.of, other.closest.number) == ("QA", 2, 3, "KS-1")
    assert (other.rule_id, other.words) == ("fac-premises", ("漏水",))  # the rule that chose FAC, not the safety one
    body = body_text(s, "zh", None, {}).plain
    assert "最相似的 3 件中有 2 件由 QA 处理（最像的 KS-1，相似度 70%）；规则建议 FAC，依据 fac-premises（漏水）" in body
    assert "⚑ cases: QA" in summary_text(s, "en", {}, "F3", False, Text()).plain


def test_no_second_opinion_when_the_cases_agree_are_too_few_or_split() -> None:
    assert second_opinion(rules_say("QA", case("KS-1", "QA", 0.7), case("KS-2", "QA", 0.6))) is None  # agree
    assert second_opinion(rules_say("FAC", case("KS-1", "QA", 0.3))) is None  # one, not much alike
    assert second_opinion(rules_say("FAC", case("KS-1", "QA", 0.6))) is not None  # one, nearly the same
    assert second_opinion(rules_say("FAC", case("KS-1", "QA", 0.5), case("KS-2", "LOG", 0.5))) is None  # split
    assert second_opinion(rules_say("FAC", case("KS-1", "QA", 0.9, "not_founded"),
                                    case("KS-2", "QA", 0.9, "not_founded"))) is None  # not founded: no view
    assert second_opinion(rules_say("FAC", case("KS-1", "QA", 0.1), case("KS-2", "QA", 0.1))) is None  # barely alike
    s = rules_say("FAC", case("KS-1", "QA", 0.7), case("KS-2", "QA", 0.4))
    assert "⚑" not in body_text(rules_say("FAC"), "en", None, {}).plain
    assert "⚑" in body_text(s, "en", None, {}).plain


def test_the_panel_speaks_the_users_language_and_names_categories() -> None:
    s = suggest("吃完饭全家上吐下泻进了医院", rules=load_rules())
    zh = body_text(s, "zh", None, {}).plain + summary_text(s, "zh", {}, "F3", False, Text()).plain
    assert "食品质量" in zh and "food_quality" not in zh
    assert "客人用餐后身体不适" in zh and "食品安全：先照顾好客人" in zh
    assert "Guests taken ill" not in zh and "Food safety" not in zh
    es = body_text(s, "es", None, {}).plain
    assert "Clientes enfermos tras la comida" in es and "calidad de la comida" in es
    inquiry = body_text(suggest("我想咨询一下，这款净水器多少钱？", rules=load_rules()), "zh", None, {}).plain
    assert "看起来是：咨询（表单现为投诉）" in inquiry
