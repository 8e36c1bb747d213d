"""The plan: everything Python decides before the database works.

Small tables, not cases: the registration days with the calendar days to each following working
day, complete complaint texts with their search tokens, customer names, the hash constants that
make each case's choices, and the profiles (paths.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kesu_desk.demo.paths import BUCKETS, Profile, profiles
from kesu_desk.demo.texts import (
    ACCOUNTABILITY,
    CATEGORIES,
    CAUSES,
    CAUSES_AT,
    CLOSED_BY_SUPERVISOR,
    CLOSERS,
    DEPARTMENTS,
    EN_DEALER,
    EN_FIRST,
    EN_LAST,
    ES_DEALER,
    ES_FIRST,
    ES_LAST,
    FACTORY,
    FAULTS,
    HOTLINE,
    IMPLEMENTED,
    IMPLEMENTED_AT,
    LANG_SHARE,
    LANGS,
    NOT_FOUNDED,
    NOT_FOUNDED_AT,
    NOT_FOUNDED_FOR,
    OFFERINGS,
    OPENERS,
    PREVENTION,
    PREVENTION_AT,
    PROPOSALS,
    PROPOSALS_AT,
    REFUSED,
    REQUESTS,
    REQUESTS_AT,
    RESTAURANT,
    RETURNED,
    STORE,
    SURVEY_BAD,
    SURVEY_GOOD,
    ZH_CITIES,
    ZH_DEALER,
    ZH_GIVEN,
    ZH_SHOP,
    ZH_SURNAMES,
    ZH_TRADES,
    Fault,
    Offering,
)
from kesu_desk.domain.vocabulary import MONEY_REMEDIES, Remedy, Severity
from kesu_desk.store.search import index_text

if TYPE_CHECKING:
    from kesu_desk.services.desk import Desk

R = Remedy


def _hash_constants(rng: random.Random, n: int) -> list[tuple[int, int, int]]:
    return [(rng.randrange(1 << 20, 1 << 31), rng.randrange(1 << 20, 1 << 31),
             rng.randrange(1 << 31)) for _ in range(n)]


P = 2_147_483_647  # a prime: hashes are quadratic polynomials of the id modulo it
DAY = 86_400
OPENING = 8 * 3600  # complaints arrive between 08:00 and 22:00 local time
HOURS_OPEN = 14 * 3600


@dataclass
class Plan:
    n: int
    days: list[date]  # registration days, oldest first
    templates: list[dict[str, Any]]  # complete complaints, rows of demo_tpl
    names: list[tuple[int, str, str]]  # (k, name, its search tokens)
    segments: dict[str, dict[str, int]]  # per language: template, customer and name ranges
    hashes: list[tuple[int, int, int]]
    profiles: list[Profile]
    day_rows: list[tuple[Any, ...]]
    fixed_offset: bool  # the time zone keeps one UTC offset over the whole period


def _fill_in(text: str, item: str, n: int) -> str:
    return text.replace("{item}", item).replace("{n}", str(n))


def fitting(fault: Fault) -> list[Offering]:
    """The offerings this fault can happen to: those that have all it needs."""
    return [o for o in OFFERINGS if fault.fits(o)]


def _faults() -> dict[str, tuple[list[Fault], list[Fault]]]:
    """Per category: its everyday faults and its dangerous ones."""
    by: dict[str, tuple[list[Fault], list[Fault]]] = {c.code: ([], []) for c in CATEGORIES}
    for fault in FAULTS:
        by[fault.category][int(fault.danger)].append(fault)
    return by


def _templates(rng: random.Random, lang: str, size: int) -> list[dict[str, Any]]:
    """``size`` rows, categories in proportion to their weight; each a complete complaint about an
    offering its fault fits, with the remedies, cause and wording of that offering's setting."""
    rows: list[dict[str, Any]] = []
    total = sum(c.weight for c in CATEGORIES)
    at = LANGS.index(lang)
    faults = _faults()
    for cat in CATEGORIES:
        count = max(2, round(size * cat.weight / total))
        everyday, dangerous = faults[cat.code]
        for j in range(count):
            danger = bool(dangerous) and j % 12 == 0
            fault = rng.choice(dangerous if danger else everyday)
            offering = rng.choice(fitting(fault))
            setting, dept = offering.setting, cat.department
            item = offering.item[at]
            products = [names[at] for names in offering.products()] or [""]
            product = rng.choice(products)
            sentence = _fill_in(fault.texts[lang], item, rng.randint(2, 9))
            description = rng.choice(OPENERS[lang]) + sentence + rng.choice(CLOSERS[lang])
            if lang == "zh" and not description.endswith(("。", "！", "？")):
                description += "。" if description[-1] not in "，" else ""
            remedy = rng.choice(fault.remedies)
            request = rng.choice(REQUESTS_AT.get((remedy, setting), REQUESTS[remedy])[lang])
            price = offering.price
            if remedy is R.REFUND:
                base = price * 100
            elif remedy is R.COMPENSATION:
                # Food: 2 to 5 times the product's price (DOMAIN.md).
                base = price * 350 if "food" in offering.traits else max(price * 30, 20_000)
            elif remedy is R.DISCOUNT:
                base = max(price * 20, 5_000)
            else:
                base = 0
            cause = CAUSES_AT.get((dept, setting), CAUSES[dept])[lang]
            # A few products have one production batch with many complaints: batch problems.
            hot = cat.batch and offering.key in ("rice_cooker", "dumplings", "purifier") and product == products[0]
            has_product = bool(offering.products())
            fishbone = rng.choice(cat.fishbone).value
            rows.append({
                "fault": FAULTS.index(fault),  # for the tests; not a column of demo_tpl
                "offering": offering.key,
                "lang": at,
                "category": cat.code,
                "dept": dept,
                "dept_idx": DEPARTMENTS.index(dept),
                "danger": int(danger),
                "sev_lo": 2 if danger else cat.severities[0],
                "sev_n": 2 if danger else cat.severities[1] - cat.severities[0] + 1,
                "product": product,
                # Bought and shipped: an order number and a purchase date (a dish or a night in a
                # hotel room is not ordered from the online shop).
                "ordered": int("shipped" in offering.traits),
                # Sold through dealers ("who sells, serves", seed 002): the maker's goods, its
                # store and hotline; not the restaurant, the hotel, the food or the books.
                "dealt": int(setting in (FACTORY, STORE, HOTLINE)),
                "batch": int(cat.batch and has_product and setting != RESTAURANT),
                "hot": int(hot),
                "description": description,
                "request": request,
                "remedy": remedy.value,
                "money": int(remedy in MONEY_REMEDIES),
                "amount": base,
                "fishbone": fishbone,
                "cause_what": f"{item}{cause[0]}" if lang == "zh" and has_product else cause[0],
                "cause_why": cause[1],
                "cause_where": cause[2],
                "cause_who": cause[3],
                "cause_how": cause[4],
                "cause_how_much": cause[5],
                "proposal": PROPOSALS_AT.get((remedy, setting), PROPOSALS[remedy])[lang],
                "implementation": IMPLEMENTED_AT.get((remedy, setting), IMPLEMENTED[remedy])[lang],
                "accountability": ACCOUNTABILITY[lang],
                "prevention": PREVENTION_AT.get((dept, setting), PREVENTION[dept])[lang],
                "not_founded": rng.choice(NOT_FOUNDED_AT.get(
                    (dept, setting), NOT_FOUNDED_FOR.get(cat.code, NOT_FOUNDED[dept]))[lang]),
                "survey_good": rng.choice(SURVEY_GOOD[lang]),
                "survey_bad": rng.choice(SURVEY_BAD[lang]),
                "returned": RETURNED[lang][0 if remedy in MONEY_REMEDIES else 1],
                "refused": REFUSED[lang],
                "closed": CLOSED_BY_SUPERVISOR[lang],
                "tokens": index_text(description, request, product),
                # Timeline details, written the way services.cases writes them (json.dumps).
                "d_assign": f'{{"department": "{dept}"}}',
                "d_cause": f'{{"fishbone": "{fishbone}"}}',
                "d_prop1": f'{{"remedy": "{remedy.value}", "approvals_needed": 1}}',
                "d_prop2": f'{{"remedy": "{remedy.value}", "approvals_needed": 2}}',
                "d_appr11": f'{{"level": 1, "of": 1, "remedy": "{remedy.value}"}}',
                "d_appr12": f'{{"level": 1, "of": 2, "remedy": "{remedy.value}"}}',
                "d_appr22": f'{{"level": 2, "of": 2, "remedy": "{remedy.value}"}}',
            })
    rng.shuffle(rows)
    return rows


def _people(rng: random.Random, lang: str, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        if lang == "zh":
            names.add(rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN))
        elif lang == "en":
            names.add(f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}")
        else:
            first, second = rng.sample(ES_LAST, 2)
            names.add(f"{rng.choice(ES_FIRST)} {first} {second}")
    return sorted(names)


def _dealers(lang: str) -> list[str]:
    if lang == "zh":
        return [f"{c}{t}{s}" for c in ZH_CITIES for t in ZH_TRADES for s in ZH_DEALER + ZH_SHOP]
    return list(EN_DEALER if lang == "en" else ES_DEALER)


# Working-day offsets of a day, 7 bits each, PER_WORD to a 64-bit integer: cheaper to take
# apart in SQL than a string.
PER_WORD, WORDS = 9, 8


def _packed(values: list[int]) -> list[int]:
    if len(values) > PER_WORD * WORDS or any(not 0 <= v < 128 for v in values):
        raise ValueError("deadlines too long for the demo generator")
    words = [0] * WORDS
    for c, v in enumerate(values):
        words[c // PER_WORD] |= v << (7 * (c % PER_WORD))
    return words


def make_plan(desk: Desk, cases: int, seed: int, now: datetime) -> Plan:
    rng = random.Random(seed)
    calendar = desk.calendar
    today = calendar.local_date(now)
    # Spread over up to two years, at most 9,000 a day so numbers keep four digits.
    span = max(30, min(730, cases // 200), -(-cases // 9000))
    days = [today - timedelta(days=span - d) for d in range(span)]
    profs = profiles()
    policy = desk.deadlines
    longest = max(policy.follow_up_working_days, *(
        days(s) for s in Severity for days in (policy.answer_working_days,
                                               policy.department_working_days)))
    needed = max(p.span for p in profs) + 2 * longest + 2
    working: dict[date, bool] = {}

    def is_working(d: date) -> bool:
        if d not in working:
            working[d] = calendar.is_working_day(d)
        return working[d]

    def local_noon(d: date) -> int:
        moment = datetime(d.year, d.month, d.day, 12, tzinfo=calendar.tz)
        return int(moment.timestamp())

    offsets = set()
    day_rows = []
    per_day = [0] * span
    first = [0] * span
    for i in range(span):
        # Case ids 1..cases in registration order: day r holds ids with (id-1)*span//cases == r.
        first[i] = -(-i * cases // span) + 1
    for i in range(span):
        per_day[i] = (first[i + 1] if i + 1 < span else cases + 1) - first[i]
    # Working days after each registration day up to yesterday: how old its cases are.
    ages = [0] * span
    for r in range(span - 2, -1, -1):
        ages[r] = ages[r + 1] + is_working(days[r + 1])
    for r, d in enumerate(days):
        e0 = local_noon(d) - DAY // 2
        deltas, shifts = [], []
        w, c = d, 0
        while c < needed:
            if c:
                w += timedelta(days=1)
                while not is_working(w):
                    w += timedelta(days=1)
            shift = local_noon(w) - DAY // 2 - e0 - (w - d).days * DAY
            offsets.add(shift)
            deltas.append((w - d).days)
            shifts.append(64 + shift // 900)
            c += 1
        bucket = max(b for b, least in enumerate(BUCKETS) if ages[r] >= least)
        step = max(1, HOURS_OPEN // max(1, per_day[r]))
        ymd = d.strftime("%Y%m%d")
        day_rows.append((r, ymd, f"KS-{ymd}-", f"SO{ymd}", d.strftime("%Y-%m"), e0, first[r],
                         per_day[r], step, bucket, *_packed(deltas), *_packed(shifts)))

    share = LANG_SHARE
    lang_counts = {lang: ((cases // 100) + 1) * share[lang] for lang in LANGS}
    templates: list[dict[str, Any]] = []
    segments: dict[str, dict[str, int]] = {}
    names: list[tuple[int, str, str]] = []
    customer_base = 0
    start = 0
    for lang in LANGS:
        size = {"zh": 4000, "en": 600, "es": 600}[lang]
        rows = _templates(rng, lang, size)
        people = _people(rng, lang, {"zh": 6000, "en": 400, "es": 1500}[lang])
        dealers = _dealers(lang)
        dealer_base = len(names)
        names += [(dealer_base + j, n, index_text(n)) for j, n in enumerate(dealers)]
        person_base = len(names)
        names += [(person_base + j, n, index_text(n)) for j, n in enumerate(people)]
        expected = max(1, cases * share[lang] // 100)
        customers = max(20, expected * 55 // 100)
        seg = {
            "tbase": len(templates), "tn": len(rows),
            "start": start, "share": share[lang], "nl": lang_counts[lang],
            "cbase": customer_base, "cn": customers,
            "ca": max(2, customers // 250), "cs": max(2, customers // 80),
            "cf": max(5, customers // 40),
            "dbase": dealer_base, "dn": len(dealers), "pbase": person_base, "pn": len(people),
        }
        segments[lang] = seg
        for row in rows:
            row.update({k: seg[k] for k in ("start", "share", "nl", "cbase", "cn", "ca", "cs",
                                             "cf", "dbase", "dn", "pbase", "pn")})
        templates += rows
        customer_base += customers
        start += share[lang]
    return Plan(
        n=cases, days=days, templates=templates, names=names, segments=segments,
        hashes=_hash_constants(rng, 8), profiles=profs, day_rows=day_rows,
        fixed_offset=offsets == {0},
    )

