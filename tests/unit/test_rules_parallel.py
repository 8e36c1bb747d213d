"""The same complaint in zh, zh-Hant, en and es gets the same department (issue 14).

tests/data/parallel.jsonl holds complaints written as callers speak, each in the four languages,
with the department that owns it; benchmarks/suggest_accuracy.py prints the same figures.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from kesu_desk.domain.vocabulary import Severity
from kesu_desk.rules import RuleSet, load_rules, suggest

PARALLEL = Path(__file__).resolve().parents[1] / "data" / "parallel.jsonl"
LANGUAGES = ("zh", "zh-Hant", "en", "es")
DEPARTMENTS = {"CS", "QA", "LOG", "AFS", "SALES", "FIN", "FAC"}


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def complaints() -> list[dict[str, str]]:
    lines = PARALLEL.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_parallel_set_covers_every_department_in_four_languages() -> None:
    rows = complaints()
    assert len(rows) >= 48
    assert len({row["id"] for row in rows}) == len(rows)
    per_department = Counter(row["department"] for row in rows)
    assert set(per_department) == DEPARTMENTS
    assert min(per_department.values()) >= 5, per_department
    for row in rows:
        assert all(row[lang].strip() for lang in LANGUAGES), row["id"]


def test_the_same_complaint_gets_the_same_department_in_every_language(rules: RuleSet) -> None:
    rows = complaints()
    disagree: list[str] = []
    wrong: Counter[str] = Counter()
    misses: list[str] = []
    for row in rows:
        got = {lang: suggest(row[lang], rules=rules).department for lang in LANGUAGES}
        if len(set(got.values())) > 1:
            disagree.append(row["id"])
        for lang in LANGUAGES:
            if got[lang] != row["department"]:
                wrong[lang] += 1
                misses.append(f"{row['id']} {lang}: {row['department']} expected, {got[lang]} suggested")
    report = "\n".join(misses)
    assert len(disagree) <= 0.05 * len(rows), f"languages disagree on {disagree}:\n{report}"
    for lang in LANGUAGES:
        assert wrong[lang] <= 0.10 * len(rows), f"{lang}: {wrong[lang]} wrong of {len(rows)}:\n{report}"


# An emergency word in each language: hospital, vomiting, food poisoning, electric shock,
# smoke, fire, burns.
EMERGENCIES = [
    ("zh", "我女儿昨天晚上被送进了医院"),
    ("zh", "吃完以后一直呕吐"),
    ("zh", "我们全家食物中毒了"),
    ("zh", "插上电源的时候我触电了"),
    ("zh", "机器后面一直冒烟"),
    ("zh", "店里厨房着火了"),
    ("zh", "我的手被烫伤了"),
    ("zh-Hant", "我女兒昨天晚上被送進醫院"),
    ("zh-Hant", "吃完之後一直嘔吐"),
    ("zh-Hant", "我們全家食物中毒"),
    ("zh-Hant", "插電的時候我觸電了"),
    ("zh-Hant", "機器後面一直冒煙"),
    ("zh-Hant", "店裡廚房失火了"),
    ("zh-Hant", "我的手被燙傷了"),
    ("en", "My daughter ended up in hospital last night"),
    ("en", "He kept vomiting all night"),
    ("en", "The whole family got food poisoning"),
    ("en", "I got an electric shock from the plug"),
    ("en", "Smoke coming out of the back of the machine"),
    ("en", "A fire broke out in the kitchen"),
    ("en", "My hand has burns all over"),
    ("es", "Anoche mi hija acabó en el hospital"),
    ("es", "Estuvo vomitando toda la noche"),
    ("es", "Toda la familia tuvo una intoxicación alimentaria"),
    ("es", "Me dio una descarga eléctrica al enchufarlo"),
    ("es", "Salía humo de la parte de atrás"),
    ("es", "Hubo un incendio en la cocina"),
    ("es", "Tengo quemaduras en la mano"),
]


@pytest.mark.parametrize(("lang", "text"), EMERGENCIES, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(EMERGENCIES)])
def test_an_emergency_word_in_any_language_makes_the_case_critical_and_urgent(
    rules: RuleSet, lang: str, text: str
) -> None:
    result = suggest(text, rules=rules)
    assert result.severity is Severity.CRITICAL, (lang, text, [r.rule_id for r in result.reasons])
    assert result.urgent


@pytest.mark.parametrize("text", [
    "净水器插头冒烟了",
    "淨水器的插頭冒煙了",
    "The purifier's plug started smoking",
    "Al purificador le salía humo del enchufe",
])
def test_a_product_that_smokes_goes_to_quality_management(rules: RuleSet, text: str) -> None:
    result = suggest(text, rules=rules)
    assert (result.department, result.severity) == ("QA", Severity.CRITICAL)
