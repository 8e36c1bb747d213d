"""What the desk learns from its own history (issue 14): the rules' suggestions against what the
cases became, and keywords the rules' owner may add (``kesu-desk rules review``); and how often
the suggestion's department is taken, per department (the overview).

What is compared, precisely:

* **The cases**: registered in the period (local days of the desk, both included), within the
  reader's scope, with the suggestion the rules made at registration on their timeline (its
  first ``suggestion`` event), that went to a department or were closed; merged cases are left
  out (store/figures.suggested_cases).
* **Department taken**: the case's department now is the one suggested. Only cases with a
  department count here; a suggestion without a department is never taken.
* **Remedies overridden**: every remedy of the case's approved or accepted proposals (and the
  case's own) that the suggestion did not name.
* **Shared words**: the words of the case's description, folded as the rules fold them — pairs
  of adjacent Chinese characters and other words of two letters or more (services/suggestions
  ``features``) — less those already in a keyword of a rule for that department or remedy (or
  of the suggested department: those words sent the cases there), and less very common words
  (assets/words/common.toml), and less words not at least :data:`LIFT` times as frequent in the
  group as in the period's other cases (boilerplate such as 你好 or 尽快处理 is in every kind of
  complaint). Words found in the same cases (at least ``min_cases``) are proposed together,
  adjacent Chinese pairs joined back into the phrase the cases share.

Nothing is written anywhere: the rules' owner decides what goes into the rules file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from kesu_desk.domain.access import Use, require
from kesu_desk.rules import Rule, RuleSet, fold
from kesu_desk.services.desk import Desk
from kesu_desk.services.report import period_bounds
from kesu_desk.services.suggestions import features
from kesu_desk.store import figures
from kesu_desk.store.figures import Period, SuggestedCase
from kesu_desk.store.uow import UnitOfWork
from kesu_desk.wordlists import common_words

CASES_LISTED = 10  # case numbers shown behind a proposal or a group
PROPOSALS_PER_GROUP = 5
RULES_NAMED = 3  # rules a proposal names, the nearest first
LIFT = 2.0  # a proposed word is at least this many times as frequent in its group as elsewhere
MIN_CASES = 2
TAKEN_DAYS = 30  # the overview's figure: cases registered in these days


@dataclass(frozen=True)
class DepartmentTaken:
    """The cases whose suggestion named ``department`` ("" = none), and how many went there."""

    department: str
    cases: int
    taken: int

    @property
    def share(self) -> float | None:
        """Percent taken; None without cases."""
        return 100.0 * self.taken / self.cases if self.cases else None


@dataclass(frozen=True)
class KeywordProposal:
    """Words the same cases share, proposed as keywords of ``rules`` (none: a new rule): those
    of the final department (or giving the remedy) whose keywords the cases already hold, most
    cases first, else its first rules with keywords."""

    words: list[str]
    rules: list[str]
    cases: int
    numbers: list[str]  # the first CASES_LISTED of them, oldest first


@dataclass(frozen=True)
class Override:
    """The cases whose department (``kind = "department"``: suggested → final) or remedy
    (``"remedy"``: ``final`` given, not suggested) differed from the suggestion."""

    kind: Literal["department", "remedy"]
    suggested: str  # the suggested department ("" = none); "" for a remedy
    final: str  # the department or the remedy the cases got
    cases: int
    numbers: list[str]  # the first CASES_LISTED, oldest first
    proposals: list[KeywordProposal]


@dataclass(frozen=True)
class SuggestionReview:
    start: date
    end: date
    min_cases: int
    with_suggestion: int  # the period's decided cases with a recorded suggestion
    with_department: int  # of those, the ones with a department
    taken: int  # of those, the ones whose department is the suggested one
    by_department: list[DepartmentTaken]
    departments: list[Override]
    remedies: list[Override]
    department_names: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return 100.0 * self.taken / self.with_department if self.with_department else None

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(), "to": self.end.isoformat(), "min_cases": self.min_cases,
            "with_suggestion": self.with_suggestion, "with_department": self.with_department,
            "taken": self.taken, "share": _rounded(self.share),
            "by_department": [{"department": d.department, "cases": d.cases, "taken": d.taken,
                               "share": _rounded(d.share)} for d in self.by_department],
            "departments": [_override_json(o) for o in self.departments],
            "remedies": [_override_json(o) for o in self.remedies],
        }


def _rounded(share: float | None) -> float | None:
    return round(share, 1) if share is not None else None


def _override_json(o: Override) -> dict[str, Any]:
    return {
        **({"suggested": o.suggested} if o.kind == "department" else {}), "final": o.final,
        "cases": o.cases, "numbers": o.numbers,
        "proposals": [{"rules": p.rules, "words": p.words, "cases": p.cases, "numbers": p.numbers}
                      for p in o.proposals],
    }


# -- reading the suggestion ------------------------------------------------------------------------


def _suggested(case: SuggestedCase) -> tuple[str, frozenset[str]]:
    """(department, remedies) the rules suggested; a suggestion that cannot be read (an erased
    customer's event stays JSON) suggests nothing."""
    try:
        details = json.loads(case.suggestion)
    except ValueError:
        return "", frozenset()
    suggested = details.get("suggested") if isinstance(details, dict) else None
    if not isinstance(suggested, dict):
        return "", frozenset()
    remedies = suggested.get("remedies") or ([suggested["remedy"]] if suggested.get("remedy") else [])
    return str(suggested.get("department") or ""), frozenset(str(r) for r in remedies)


class _Taken:
    """Counts of suggested departments and how many were taken."""

    def __init__(self) -> None:
        self.cases: dict[str, int] = {}
        self.taken: dict[str, int] = {}

    def add(self, suggested: str, final: str) -> None:
        self.cases[suggested] = self.cases.get(suggested, 0) + 1
        if suggested and suggested == final:
            self.taken[suggested] = self.taken.get(suggested, 0) + 1

    def rows(self) -> list[DepartmentTaken]:
        return sorted((DepartmentTaken(d, n, self.taken.get(d, 0)) for d, n in self.cases.items()),
                      key=lambda r: (-r.cases, r.department))


def suggestions_taken(desk: Desk, uow: UnitOfWork, now: datetime, days: int = TAKEN_DAYS) -> list[DepartmentTaken]:
    """For the overview: per suggested department, the cases registered in the last ``days``
    days (up to ``now``) that went to a department, and how many went to the suggested one."""
    period = Period(now - timedelta(days=days), now + timedelta(microseconds=1))
    return sorted((DepartmentTaken(d, n, taken) for d, n, taken in figures.suggestions_taken(uow.session, period, desk.scope)),
                  key=lambda r: (-r.cases, r.department))


# -- the review --------------------------------------------------------------------------------


def review_suggestions(desk: Desk, start: date, end: date, *, min_cases: int = MIN_CASES) -> SuggestionReview:
    """The cases of the period whose department or remedy differed from the suggestion, grouped,
    with the keywords their shared words propose (AccessDenied for those who may not ask for the
    period review; a handler's review is of their department's cases)."""
    require(desk.reader, Use.REPORT)
    min_cases = max(1, min_cases)  # every word is in one case at least
    period = Period(*period_bounds(desk, start, end))
    taken = _Taken()
    with_suggestion = 0
    groups: dict[tuple[Literal["department", "remedy"], str, str], _Group] = {}
    everywhere: dict[str, int] = {}  # in how many of the period's cases each word is
    with desk.uow(write=False) as uow:
        for case in figures.suggested_cases(uow.session, period, desk.scope):
            with_suggestion += 1
            words = features(case.description)
            for word in words:
                everywhere[word] = everywhere.get(word, 0) + 1
            department, remedies = _suggested(case)
            if case.department:
                taken.add(department, case.department)
                if department != case.department:
                    groups.setdefault(("department", department, case.department), _Group()).add(case, words)
            for remedy in case.remedies:
                if remedy not in remedies:
                    groups.setdefault(("remedy", "", remedy), _Group()).add(case, words)
        names = figures.department_names(uow.session)
    by_department = taken.rows()
    overrides = [_override(desk.rules, kind, suggested, final, group, min_cases,
                           _Background(everywhere, with_suggestion))
                 for (kind, suggested, final), group in groups.items()]
    overrides.sort(key=lambda o: (-o.cases, o.suggested, o.final))
    return SuggestionReview(
        start=start, end=end, min_cases=min_cases, with_suggestion=with_suggestion,
        with_department=sum(d.cases for d in by_department),
        taken=sum(d.taken for d in by_department), by_department=by_department,
        departments=[o for o in overrides if o.kind == "department"],
        remedies=[o for o in overrides if o.kind == "remedy"],
        department_names=names,
    )


class _Group:
    """The cases of one override, with the words of each (kept as indexes, the numbers once)."""

    def __init__(self) -> None:
        self.numbers: list[str] = []
        self.texts: list[str] = []  # folded descriptions, for joining pairs back into phrases
        self.words: dict[str, list[int]] = {}

    def add(self, case: SuggestedCase, words: Iterable[str]) -> None:
        index = len(self.numbers)
        self.numbers.append(case.number)
        self.texts.append(fold(case.description))
        for word in words:
            self.words.setdefault(word, []).append(index)


@dataclass(frozen=True)
class _Background:
    """How many of the period's cases hold each word, of how many."""

    cases_with: dict[str, int]
    cases: int

    def telling(self, word: str, in_group: int, group: int) -> bool:
        """Whether the word is at least LIFT times as frequent in the group as in the period's
        other cases: a word as frequent among the cases taken as suggested (你好, 处理, 尽快…)
        says nothing about why these were not."""
        others = self.cases - group
        if others <= 0:
            return True
        elsewhere = (self.cases_with.get(word, in_group) - in_group) / others
        return in_group / group >= LIFT * elsewhere


def _override(rules: RuleSet, kind: Literal["department", "remedy"], suggested: str, final: str,
              group: _Group, min_cases: int, background: _Background) -> Override:
    owners = _rules_for(rules, kind, final)
    # The suggested department's keywords are what sent the cases the wrong way: proposing them
    # for the other department too would only make the two rules compete.
    known = _keywords([*owners, *(_rules_for(rules, kind, suggested) if kind == "department" and suggested else [])])
    common = _common()
    by_cases: dict[tuple[int, ...], list[str]] = {}
    for word, cases in group.words.items():
        if (len(cases) < min_cases or word in common or _covered(word, known)
                or not background.telling(word, len(cases), len(group.numbers))):
            continue
        by_cases.setdefault(tuple(cases), []).append(word)
    ranked = sorted(by_cases.items(), key=lambda kv: (-len(kv[0]), kv[0], kv[1]))[:PROPOSALS_PER_GROUP]
    return Override(
        kind=kind, suggested=suggested, final=final, cases=len(group.numbers),
        numbers=group.numbers[:CASES_LISTED],
        proposals=[KeywordProposal(words=phrases, rules=_closest(owners, texts),
                                   cases=len(cases), numbers=[group.numbers[i] for i in cases][:CASES_LISTED])
                   for cases, words in ranked
                   for texts in [[group.texts[i] for i in cases]]
                   for phrases in [_phrases(words, texts)] if phrases],  # nothing left worth adding: none
    )


def _closest(owners: list[Rule], texts: list[str]) -> list[str]:
    """The rules (at most RULES_NAMED) to give the words to: those whose keywords the cases
    already hold, most cases first (they nearly fired), else the first ones with keywords."""
    with_keywords = [r for r in owners if r.when.keywords or r.when.keyword_groups] or owners
    hits = [(sum(any(k in text for k in keywords) for text in texts), i, r.id)
            for i, r in enumerate(with_keywords) if (keywords := _keywords([r]))]
    near = [rule_id for n, _, rule_id in sorted(hits, key=lambda h: (-h[0], h[1])) if n]
    return (near or [r.id for r in with_keywords])[:RULES_NAMED]


def _rules_for(rules: RuleSet, kind: str, final: str) -> list[Rule]:
    """The rules sending to department ``final``, or suggesting remedy ``final``."""
    if kind == "department":
        return [r for r in rules if r.then.department == final]
    return [r for r in rules if final in r.then.remedies]


def _keywords(rules: Iterable[Rule]) -> list[str]:
    return [fold(word) for r in rules
            for word in [*r.when.keywords, *(w for g in r.when.keyword_groups for w in g)]]


def _covered(word: str, keywords: list[str]) -> bool:
    """Already said by a keyword: inside one (a pair of its characters) or holding one."""
    return any(word in k or k in word for k in keywords)


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    return frozenset(fold(w) for w in common_words())


def _phrases(words: list[str], texts: list[str]) -> list[str]:
    """Chinese pairs that follow each other (钢丝, 丝球) joined into the phrase (钢丝球) when every
    case's text holds it; other words as they are, in the order the first case has them."""
    joined: list[str] = []
    for word in words:
        last = joined[-1] if joined else ""
        if (last and _cjk(word) and _cjk(last) and last[-1] == word[0]
                and all(last + word[1:] in t for t in texts)):
            joined[-1] = last + word[1:]
        else:
            joined.append(word)
    return [part for phrase in joined for part in _content(phrase)]


# Characters that glue words together rather than name anything (particles, pronouns, adverbs of
# degree): a proposed keyword never holds one ("器的滤", "量太差" are not words anyone would add).
_FUNCTION_CHARS = re.compile("[的了就才我你他她它们请是在有也都还很太把被给对和与及或而但吗呢吧啊呀要想这那个]+")


def _content(phrase: str) -> list[str]:
    """A Chinese phrase cut at its function characters, the parts of two characters or more;
    other words as they are."""
    if not _cjk(phrase):
        return [phrase]
    return [part for part in _FUNCTION_CHARS.split(phrase) if len(part) >= 2]


def _cjk(word: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in word)

