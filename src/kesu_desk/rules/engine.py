"""Match rules against a complaint and build the Suggestion, with the reasons for it.

All keywords of all rules are compiled into one regular expression shaped as a trie (common
prefixes shared), so a text is scanned once whatever the number of rules. At each position the
longest keyword wins: "服务质量" (service quality) is read as one word, not as "质量" (quality).
A keyword ending in ``*`` also credits longer words it begins ("deliver*" in "delivered").

The keyword pattern is ours (escaped literals in a trie, which cannot backtrack far) and needs
look-behind, so it runs on Python's ``re``. The ``regex`` patterns of a rules file are the user's
and run on RE2, whose time is linear in the text whatever the pattern: Python's ``re`` backtracks,
and ``^(a+)+$`` takes seconds on 28 characters, at every typing pause of the intake.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

import ahocorasick
import re2

from kesu_desk.domain.vocabulary import (
    SEVERITY_BY_LEVEL,
    SEVERITY_LEVELS,
    CustomerClass,
    Kind,
    Remedy,
    Severity,
)
from kesu_desk.i18n import t
from kesu_desk.rules.fold import fold
from kesu_desk.rules.model import (
    RULE_LANGUAGES,
    CompensationRange,
    Escalation,
    Reason,
    Rule,
    RuleText,
    Suggestion,
)

TRIAGE_DEPARTMENT = "CS"
NO_MATCH_RULE = "no-match"
NO_DEPARTMENT_RULE = "no-department"
# DOMAIN.md: five or more units of one production batch with a quality problem are a batch
# problem (the water-purifier seed, 6.5: "同一批产品中的5台以上(包括5台)").
BATCH_PROBLEM_CASES = 5
_VETO = -1
_WORD_CHAR = re.compile(r"[a-z0-9]")
# A reader of Chinese takes 贵 before a business as "your" (贵店: your shop), not as "expensive".
_HONORIFIC = re.compile("贵(?=店|公司|司|方|餐厅|饭店|酒店|单位|厂|平台|商场|超市|门店|品牌|部门)")


# A problem the caller denies is not one they complain of: "不是质量问题", "并非产品缺陷", "没有任何
#质量问题", "it isn't broken", "the box was not damaged", "no está roto". Only a denial of what
# something IS, right before the word: "没有发票" (no invoice was given), "there is not a towel"
# and "no hay agua caliente" say what is missing — a complaint — and still count.
_DENIED = re.compile(
    r"(?:(?<!是)(?<!难道)不是|并非|不存在)$"
    r"|(?<!there\s)\b(?:is|was|are|were)(?:\s+not|n['’]t)\s+(?:(?:a|an|the)\s+)?$"
    r"|\bit['’]s\s+not\s+(?:(?:a|an|the)\s+)?$"
    r"|\bno\s+(?:es|esta|estaba|era|fue|son|estan|estaban)\s+(?:(?:un|una|el|la)\s+)?$"
)
_DENIED_PROBLEM = re.compile(r"(?:没有|没)(?:任何|什么)?$")  # 没有(任何)质量问题: "no X problem"
_PROBLEM = ("问题", "毛病")
_DENIAL_REACH = 24  # characters before a word where its denial is looked for
_DENIAL_CUES = ("不是", "并非", "不存在", "没", "not", "n't", "n’t", "no ")


def denied(text: str, first: int, last: int) -> bool:
    """Whether the word at text[first:last + 1] is denied by what comes right before it."""
    start = max(0, first - _DENIAL_REACH)
    window = text[start:first]
    if not any(cue in window for cue in _DENIAL_CUES):
        return False  # most words: nothing that could deny them (the patterns cost more)
    if _DENIED.search(text, start, first):
        return True
    return text.startswith(_PROBLEM, last + 1) and bool(_DENIED_PROBLEM.search(text, start, first))


def reading(folded: str) -> str:
    """The folded text as a reader understands it before keywords are looked for: an honorific
    贵 becomes 你们 ("贵店的面" is "your shop's noodles")."""
    return _HONORIFIC.sub("你们", folded) if "贵" in folded else folded


@dataclass(frozen=True, slots=True)
class _Posting:
    rule: int
    group: int  # index of the keyword group, or _VETO for not_keywords
    word: str  # the keyword as the rule file spells it


def _keyword_groups(rule: Rule) -> list[list[str]]:
    groups = [rule.when.keywords] if rule.when.keywords else []
    return groups + [g for g in rule.when.keyword_groups if g]


def _split(keyword: str) -> tuple[str, bool]:
    """The folded keyword and whether it matches as a prefix."""
    text = keyword.strip()
    prefix = text.endswith("*")
    return fold(text.rstrip("*").strip()), prefix


def _needs_boundary(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _automaton(words: Iterable[str]) -> Any:
    """Aho-Corasick over every keyword (folded): one pass over the text finds each occurrence of
    each keyword, overlapping ones included, so no rule's keyword hides another's."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


_PATTERN_TOKEN = re.compile(r"\\.|.", re.DOTALL)  # an escape (kept as written) or one character


def _fold_pattern(pattern: str) -> str:
    """The pattern in the form of the folded text it meets. Non-ASCII characters are literals in a
    pattern: each is folded as the text is (width, accents, traditional to simplified), and what
    folding turns into ASCII punctuation is escaped ("（" folds to "(", still a literal). ASCII is
    left as written, so escapes (\\D, \\p{Han}) and syntax keep their meaning; letter case is
    dealt with by matching case-insensitively."""
    if pattern.isascii():
        return pattern
    out = []
    for token in _PATTERN_TOKEN.findall(pattern):
        if token.isascii() or token.startswith("\\"):
            out.append(token)
        else:
            out.extend("\\" + ch if ch in string.punctuation else ch for ch in fold(token))
    return "".join(out)


def compile_pattern(pattern: str) -> Any:
    """A rules file's regular expression, compiled by RE2 to search folded text encoded in UTF-8
    (encoded once per suggestion, not once per pattern); raises ``re2.error`` for what RE2 does not
    take (look-around, back-references)."""
    options = re2.Options()
    options.log_errors = False  # rules check reports the error; RE2 must not print it too
    options.case_sensitive = False  # the text is folded to lower case, the pattern is not
    return re2.compile(_fold_pattern(pattern).encode("utf-8"), options)


@dataclass
class _Hit:
    groups: dict[int, set[str]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    vetoed: bool = False


class RuleSet:
    """Rules in order, compiled once on first use."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(r for r in rules if r.enabled)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @cached_property
    def batch_threshold(self) -> int:
        """How many cases of one product batch make a batch problem, for the overview and the
        review alike: the count the rules' batch rule (the one asking for a corrective action)
        fires on, DOMAIN.md's five without one."""
        counts = [r.when.batch_count_min for r in self.rules
                  if r.when.batch_count_min is not None and r.then.corrective_action]
        return min(counts, default=BATCH_PROBLEM_CASES)

    @cached_property
    def _compiled(self) -> _Compiled:
        return _Compiled(self.rules)


class _Compiled:
    def __init__(self, rules: tuple[Rule, ...]) -> None:
        exact: dict[str, list[_Posting]] = {}
        prefixes: dict[str, list[_Posting]] = {}
        self.regexes: dict[int, list[tuple[str, Any]]] = {}  # (as written, compiled)
        self.always: list[int] = []  # rules to evaluate even when no keyword is seen
        self.group_count: list[int] = []
        for index, rule in enumerate(rules):
            groups = _keyword_groups(rule)
            self.group_count.append(len(groups))
            tagged = [(g, w) for g, words in enumerate(groups) for w in words]
            tagged += [(_VETO, w) for w in rule.when.not_keywords]
            for group, word in tagged:
                folded, prefix = _split(word)
                if folded:
                    target = prefixes if prefix else exact
                    target.setdefault(folded, []).append(_Posting(index, group, word))
            if rule.when.regex:
                self.regexes[index] = [(p, compile_pattern(p)) for p in rule.when.regex]
            if rule.when.match == "any" or not groups:
                self.always.append(index)
        self.exact: dict[str, tuple[_Posting, ...]] = {w: tuple(p) for w, p in exact.items()}
        self.prefixes: dict[str, tuple[_Posting, ...]] = {w: tuple(p) for w, p in prefixes.items()}
        self.automaton = _automaton(set(exact) | set(prefixes))
        self.rules = rules

    def scan(self, text: str) -> dict[int, _Hit]:
        """The rules whose keywords ``text`` (folded) holds. Each rule finds its own keywords, so
        no rule's keyword hides another's ("todavia no" of one rule, "no ha llegado" of another,
        both found); a keyword lying wholly inside a longer one of the same rule found there does
        not count again (名不符实 is one word, not 不符 as well). A Latin keyword is a whole word (a
        prefix keyword, ``deliver*``, a word's beginning); Chinese ones match anywhere."""
        hits: dict[int, _Hit] = {}
        if self.automaton is None or not text:
            return hits
        found: list[tuple[int, int, str, tuple[_Posting, ...]]] = []
        for last, word in self.automaton.iter(text):
            first = last - len(word) + 1
            if _needs_boundary(word[0]) and first > 0 and _WORD_CHAR.match(text[first - 1]):
                continue
            if denied(text, first, last):
                continue  # "不是质量问题", "it isn't broken": not a complaint of that
            postings = self.prefixes.get(word, ())
            if not (_needs_boundary(word[-1]) and last + 1 < len(text) and _WORD_CHAR.match(text[last + 1])):
                postings += self.exact.get(word, ())
            if postings:
                found.append((first, -last, word, postings))
        reach: dict[int, int] = {}  # per rule: where the longest of its keywords found so far ends
        for _first, minus_last, word, postings in sorted(found):
            last = -minus_last
            for posting in postings:
                if reach.get(posting.rule, -1) >= last:
                    continue  # inside a longer keyword of the same rule, found here
                reach[posting.rule] = last
                hit = hits.get(posting.rule)
                if hit is None:
                    hit = hits[posting.rule] = _Hit()
                if posting.group == _VETO:
                    hit.vetoed = True
                    continue
                surfaces = hit.groups.setdefault(posting.group, set())
                if word not in surfaces:
                    surfaces.add(word)
                    if posting.word not in hit.words:
                        hit.words.append(posting.word)
        return hits


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


# The kinds of contact (issue 13) that ask for no remedy.
_NO_REMEDY_KINDS = frozenset({Kind.INQUIRY.value, Kind.SUGGESTION.value})


@dataclass(frozen=True)
class _Facts:
    category: str | None
    channel: str | None
    kind: str | None
    product: str | None
    batch: str | None
    customer_class: str | None
    severity: str | None
    purchase_date: date | None
    amount: Decimal | None
    batch_count: int
    today: date


def _conditions(rule: Rule, hit: _Hit | None, regexes: list[tuple[str, Any]] | None,
                text: bytes, facts: _Facts, groups: int) -> tuple[bool, list[str]] | None:
    """Whether the rule fires, and the fields that made it fire."""
    when = rule.when
    checks: list[bool] = []
    fields: list[str] = []
    for group in range(groups):
        checks.append(hit is not None and group in hit.groups)
    if regexes:
        matched = next((written for written, p in regexes if p.search(text)), None)
        checks.append(matched is not None)
        if matched is not None:
            fields.append(f"regex={matched}")

    def one_of(name: str, allowed: Sequence[str], value: str | None) -> None:
        if allowed:
            ok = value is not None and fold(value) in {fold(a) for a in allowed}
            checks.append(ok)
            if ok:
                fields.append(f"{name}={value}")

    one_of("category", when.category, facts.category)
    one_of("channel", when.channel, facts.channel)
    one_of("kind", when.kind, facts.kind)
    one_of("product", when.product, facts.product)
    one_of("customer_class", when.customer_class, facts.customer_class)
    one_of("severity", when.severity, facts.severity)
    if when.amount_min is not None or when.amount_max is not None:
        amount = facts.amount
        ok = amount is not None and (
            (when.amount_min is None or amount >= when.amount_min)
            and (when.amount_max is None or amount <= when.amount_max)
        )
        checks.append(ok)
        if ok:
            fields.append(f"amount={amount}")
    if when.in_warranty is not None and when.warranty_months is not None:
        bought = facts.purchase_date
        ok = bought is not None and (
            (facts.today <= _add_months(bought, when.warranty_months)) == when.in_warranty
        )
        checks.append(ok)
        if ok:
            state = "within" if when.in_warranty else "outside"
            fields.append(f"purchase_date={bought} ({state} {when.warranty_months} months)")
    if when.batch_count_min is not None:
        ok = facts.batch_count >= when.batch_count_min
        checks.append(ok)
        if ok:
            batch = f" batch {facts.batch}" if facts.batch else ""
            fields.append(f"batch_count={facts.batch_count}{batch}")
    if not checks:
        return None
    fired = all(checks) if when.match == "all" else any(checks)
    return (fired, fields) if fired else None


def _in_every_language(key: str) -> dict[str, str]:
    return {lang: t(key, lang) for lang in RULE_LANGUAGES}


def _kind(fired: list[tuple[int, Rule, float, list[str], list[str]]], told: str | None) -> Kind | None:
    """What the text reads as while the contact counts as a complaint (the form's default): the
    first rule in file order that names another kind. Once the agent chose an inquiry or a
    suggestion, the rules for that kind answer and nothing more is advised."""
    if told not in (None, Kind.COMPLAINT.value):
        return None
    kind = next((r.then.kind for _, r, *_ in fired if r.then.kind), None)  # fired is in file order
    return kind if kind != Kind.COMPLAINT else None


def suggest(
    text: str,
    *,
    rules: RuleSet,
    category: str | None = None,
    channel: str | None = None,
    kind: str | None = None,
    product: str | None = None,
    batch: str | None = None,
    customer_class: str | CustomerClass | None = None,
    purchase_date: date | None = None,
    amount: Decimal | float | int | None = None,
    batch_count: int = 0,
    severity: str | Severity | None = None,
    today: date | None = None,
) -> Suggestion:
    """Where the case should go and what the customer can be offered, and why."""
    compiled = rules._compiled
    folded = reading(fold(text))
    hits = compiled.scan(folded)
    encoded = folded.encode("utf-8") if compiled.regexes else b""
    facts = _Facts(
        category=category,
        channel=channel,
        kind=kind,
        product=product,
        batch=batch,
        customer_class=str(customer_class) if customer_class is not None else None,
        severity=str(severity) if severity is not None else None,
        purchase_date=purchase_date,
        amount=Decimal(str(amount)) if amount is not None else None,
        batch_count=batch_count,
        today=today or date.today(),
    )
    candidates = sorted(set(hits) | set(compiled.always) | set(compiled.regexes))
    fired: list[tuple[int, Rule, float, list[str], list[str]]] = []
    for index in candidates:
        hit = hits.get(index)
        if hit is not None and hit.vetoed:
            continue
        rule = compiled.rules[index]
        result = _conditions(
            rule, hit, compiled.regexes.get(index), encoded, facts, compiled.group_count[index]
        )
        if result is None:
            continue
        words = hit.words if hit is not None else []
        distinct = sum(len(s) for s in hit.groups.values()) if hit is not None else 0
        score = rule.then.weight * max(1, distinct)
        fired.append((index, rule, score, list(words), result[1]))

    if not fired:
        return Suggestion(
            department=TRIAGE_DEPARTMENT,
            matched=False,
            reasons=[
                Reason(rule_id=NO_MATCH_RULE, description=_in_every_language("suggest.no_match"))
            ],
        )

    reasons = [
        Reason(rule_id=rule.id, description=rule.description, words=words, fields=fields,
               department=rule.then.department)
        for _, rule, _, words, fields in fired
    ]
    setters = [f for f in fired if f[1].then.mode == "set" and f[1].then.department]
    totals: dict[str, float] = {}
    for _, rule, score, _, _ in fired:
        if rule.then.mode == "score" and rule.then.department:
            totals[rule.then.department] = totals.get(rule.then.department, 0.0) + score
    if setters:
        chosen = max(setters, key=lambda f: (f[2], -f[0]))
        department = chosen[1].then.department or TRIAGE_DEPARTMENT
    elif totals:
        department = max(totals, key=lambda d: totals[d])  # ties: the first department seen
    else:
        department = TRIAGE_DEPARTMENT
        reasons.append(
            Reason(rule_id=NO_DEPARTMENT_RULE, description=_in_every_language("suggest.no_department"))
        )

    # The category comes from the best-scoring rule of the chosen department; remedies, notes
    # and the rest follow the order of the rules file (the department's rules first), so a
    # business ranks remedies by ordering its rules.
    def by_score(f: tuple[int, Rule, float, list[str], list[str]]) -> tuple[int, int, float, int]:
        index, rule, score, _, _ = f
        return (
            0 if rule.then.department == department else 1,
            0 if rule.then.mode == "set" else 1,
            -score,
            index,
        )

    def by_file(f: tuple[int, Rule, float, list[str], list[str]]) -> tuple[int, int]:
        return (0 if f[1].then.department == department else 1, f[0])

    category_out = next(
        (r.then.category for _, r, *_ in sorted(fired, key=by_score) if r.then.category), None
    )
    ordered = sorted(fired, key=by_file)
    remedies: list[Remedy] = []
    escalations: list[Escalation] = []
    notes: list[RuleText] = []
    # Normal unless a rule says otherwise: the most severe a rule names wins, so "minor" only
    # stands when no rule named anything more severe.
    level: int | None = None
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    spare_parts = None
    for _, rule, *_ in ordered:
        then = rule.then
        remedies.extend(r for r in then.remedies if r not in remedies)
        if then.severity is not None and not (
            then.severity == Severity.MINOR and then.department and then.department != department
        ):  # a price remark in a defect complaint does not make the defect minor
            level = SEVERITY_LEVELS[then.severity] if level is None else max(level, SEVERITY_LEVELS[then.severity])
        if then.compensation is not None:
            low, high = then.compensation.min, then.compensation.max
            multiple_min = low if multiple_min is None else max(multiple_min, low)
            multiple_max = high if multiple_max is None else max(multiple_max, high)
        if then.spare_parts and spare_parts is None:
            spare_parts = then.spare_parts
        if then.note and then.note not in notes:
            notes.append(then.note)
    for _, rule, *_ in fired:  # escalations in the order of the rules file
        escalations.extend(e for e in rule.then.escalations if e not in escalations)

    compensation = None
    if facts.kind in _NO_REMEDY_KINDS:
        # An inquiry or a suggestion asks for nothing to be put right: no remedy, no money.
        remedies, multiple_min, multiple_max = [], None, None
    if multiple_min is not None and multiple_max is not None:
        price = facts.amount
        compensation = CompensationRange(
            min_multiple=multiple_min,
            max_multiple=multiple_max,
            min_amount=price * multiple_min if price is not None else None,
            max_amount=price * multiple_max if price is not None else None,
        )
    kind = _kind(fired, facts.kind)
    if kind is not None:
        # The text reads as an inquiry or a suggestion: answer as the rules for that kind would
        # (issue 14), saying why; the agent's F3 makes it the contact's kind.
        as_kind = suggest(text, rules=rules, category=category, channel=channel, kind=kind.value, product=product,
                          batch=batch, customer_class=customer_class, purchase_date=purchase_date, amount=amount,
                          batch_count=batch_count, severity=severity, today=today)
        return as_kind.model_copy(update={"kind": kind})
    return Suggestion(
        department=department,
        category=category_out,
        remedies=remedies,
        severity=SEVERITY_BY_LEVEL[level] if level is not None else Severity.NORMAL,
        escalations=escalations,
        urgent=any(r.then.urgent for _, r, *_ in fired),
        corrective_action=any(r.then.corrective_action for _, r, *_ in fired),
        compensation=compensation,
        spare_parts=spare_parts,
        route_to_dealer=any(r.then.route_to_dealer for _, r, *_ in fired),
        notes=notes,
        matched=True,
        reasons=reasons,
    )
