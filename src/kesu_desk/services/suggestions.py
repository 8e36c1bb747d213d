"""The desk's suggestion for a case being taken: the rules' answer with what only the desk knows —
how many cases share the batch, the deadlines the case would get, and similar closed cases (of
those the reader may see)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from kesu_desk.domain.access import Scope
from kesu_desk.domain.vocabulary import Remedy, Severity
from kesu_desk.rules import SimilarCase, SuggestedDeadlines, Suggestion, fold, suggest
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.store import queries
from kesu_desk.store.search import tokens
from kesu_desk.store.uow import UnitOfWork

SIMILAR_CASES = 5
_CANDIDATES = 100  # newest closed cases sharing a term (founded, and not), ranked afterwards
_TERMS = 8
_MIN_LIKENESS = 0.08


def suggest_case(
    desk: Desk,
    text: str,
    *,
    category: str | None = None,
    channel: str | None = None,
    kind: str | None = None,
    product: str | None = None,
    batch: str | None = None,
    customer_class: str | None = None,
    purchase_date: date | None = None,
    amount: Decimal | None = None,
    urgent: bool = False,
    units: int = 1,
    similar: int = SIMILAR_CASES,
    now: datetime | None = None,
) -> Suggestion:
    """Everything the intake form and ``kesu-desk suggest`` show for this complaint."""
    now = now or utcnow()
    count = 0
    with desk.uow(write=False) as uow:
        if product and batch:
            # the units already recorded and this call's: the threshold's unit fires the rule
            count = queries.batch_count(uow.session, product, batch) + units
        result = suggest(
            text, rules=desk.rules, category=category, channel=channel, kind=kind,
            product=product, batch=batch, customer_class=customer_class, purchase_date=purchase_date,
            amount=amount, batch_count=count, today=desk.calendar.local_date(now),
        )
        alike = _similar(uow, desk.scope, text, result, similar) if similar > 0 else []
    return result.model_copy(update={"deadlines": deadlines_for(desk, result, now, urgent=urgent),
                                     "similar": alike})


def deadlines_for(desk: Desk, result: Suggestion, now: datetime, *, urgent: bool = False) -> SuggestedDeadlines:
    severity = Severity.CRITICAL if urgent or result.urgent else result.severity
    due = desk.deadlines.on_register(now, severity)
    assert due.acknowledge is not None and due.answer is not None
    d = desk.settings.deadlines
    days = d.critical_department_working_days if severity is Severity.CRITICAL else d.department_working_days
    return SuggestedDeadlines(acknowledge=due.acknowledge, answer=due.answer, department_working_days=days)


def features(text: str) -> dict[str, None]:
    """Words (two letters or more) and pairs of adjacent Chinese characters, folded, in order."""
    feats: dict[str, None] = {}
    previous: str | None = None
    for tok, cjk in tokens(fold(text)):
        if cjk:
            if previous is not None:
                feats[previous + tok] = None
            previous = tok
        else:
            previous = None
            if len(tok) >= 2:
                feats[tok] = None
    return feats


def _terms(result: Suggestion, found: dict[str, None]) -> list[str]:
    """What to look for: the words the rules matched first, then the text's own words."""
    terms: list[str] = []
    for reason in result.reasons:
        terms.extend(w for w in reason.words if w not in terms)
    terms.extend(f for f in found if f not in terms)
    return terms[:_TERMS]


def _similar(
    uow: UnitOfWork, scope: Scope, text: str, result: Suggestion, limit: int
) -> list[SimilarCase]:
    found = features(text)
    mine = set(found)
    if not mine:
        return []
    scored: list[tuple[float, queries.ClosedCase]] = []
    terms = _terms(result, found)
    candidates = [
        case for founded in (True, False)
        for case in queries.closed_cases_with_any(uow.session, terms, founded=founded,
                                                  limit=_CANDIDATES, scope=scope)
    ]
    for case in candidates:
        theirs = set(features(case.description))
        if not theirs:
            continue
        likeness = len(mine & theirs) / math.sqrt(len(mine) * len(theirs))
        if likeness >= _MIN_LIKENESS:
            scored.append((likeness, case))
    # Equally alike: a case that went to a department and got a remedy says more than one found
    # not founded; then the newest.
    scored.sort(key=lambda s: (-round(s[0], 2), s[1].department is None, -s[1].id))
    return [
        SimilarCase(
            number=c.number,
            summary=c.description[: queries.SUMMARY_CHARS],
            department=c.department,
            remedy=Remedy(c.remedy) if c.remedy else None,
            satisfaction=c.satisfaction,
            validity=c.validity,
            likeness=round(likeness, 3),
        )
        for likeness, c in scored[:limit]
    ]


# -- a second opinion: the closed cases against the rules (issue 14) ---------------------------------

# Closed cases this alike or more are the ones worth weighing against the rules; one case alone
# speaks only when it is nearly the same complaint.
OPINION_LIKENESS = 0.25
OPINION_ALONE_LIKENESS = 0.5


@dataclass(frozen=True)
class SecondOpinion:
    """Where the closed cases most like a new complaint went, when that is not where the rules send
    it: the intake shows both, with why."""

    department: str  # where most of them went
    cases: int  # how many of them went there
    of: int  # of how many alike closed cases with a department
    closest: SimilarCase  # the most alike of those that went there
    rule_id: str  # the rules' why: the rule that chose their department …
    words: tuple[str, ...]  # … and the words it found


def second_opinion(s: Suggestion) -> SecondOpinion | None:
    """The closed cases' view when it differs from the rules', else None: they agree, too few are
    alike to say, or they do not agree among themselves (no majority)."""
    alike = [c for c in s.similar if c.department and c.validity != "not_founded" and c.likeness >= OPINION_LIKENESS]
    if not alike:
        return None
    department, cases = Counter(c.department for c in alike).most_common(1)[0]
    closest = max((c for c in alike if c.department == department), key=lambda c: c.likeness)
    if department is None or department == s.department or cases * 2 <= len(alike):
        return None
    if cases < 2 and closest.likeness < OPINION_ALONE_LIKENESS:
        return None
    ruling = next((r for r in s.reasons if r.department == s.department), None)
    return SecondOpinion(department, cases, len(alike), closest, ruling.rule_id if ruling else "",
                         tuple(ruling.words) if ruling else ())
