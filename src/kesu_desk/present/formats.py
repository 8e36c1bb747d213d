"""How the desk writes times, codes and departments for people, wherever it shows them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from kesu_desk.i18n import catalogue, t
from kesu_desk.rules import Suggestion
from kesu_desk.services.suggestions import SecondOpinion
from kesu_desk.services.views import EventView
from kesu_desk.sla import as_utc
from kesu_desk.text import one_line, visible

TIME_FORMAT = "%Y-%m-%d %H:%M"


def local_time(moment: datetime | None, tz: tzinfo) -> str:
    """``moment`` on the desk's clock as YYYY-MM-DD HH:MM ("" for none); a naive moment is UTC."""
    return "" if moment is None else as_utc(moment).astimezone(tz).strftime(TIME_FORMAT)


def local_time_with_weekday(moment: datetime, tz: tzinfo, lang: str) -> str:
    """``moment`` as the customer's clock shows it, with the weekday: 2025-03-21 (Fri) 14:30."""
    local = as_utc(moment).astimezone(tz)
    weekdays = t("intake.weekdays", lang).split()
    day = weekdays[local.weekday()] if len(weekdays) == 7 else ""
    return f"{local:%Y-%m-%d} ({day}) {local:%H:%M}" if day else local.strftime(TIME_FORMAT)


def name_of(table: str, code: str, lang: str) -> str:
    """A code in words (``report.<table>.<code>``, else the shared ``<table>.<code>``), or the
    code itself when no catalogue names it: categories and factors can be anything."""
    if not code:
        return t("report.none", lang)
    names = catalogue(lang)
    return names.get(f"report.{table}.{code}") or names.get(f"{table}.{code}") or code


def category_name(code: str | None, lang: str) -> str:
    """A suggested or chosen category in words ("质量缺陷", not quality_defect); a category only a
    business's rules know is shown as written, "-" for none."""
    return visible(name_of("category", code, lang)) if code else "-"


def department_label(code: str, names: Mapping[str, Mapping[str, str]], lang: str) -> str:
    """"QA 质量管理部": the code and its name in ``lang`` (``names``: code -> language -> name),
    the code alone when the department has no name there."""
    name = names.get(code, {}).get(lang, "")
    return f"{code} {name}" if name else code


def who(event: EventView, lang: str) -> str:
    """Who did it, on one line: the user, or "admin X acting as Y" (kesu-desk --user)."""
    if event.admin:
        return one_line(t("access.acting_as", lang, admin=event.admin, user=event.actor))
    return one_line(event.actor)


def compensation_range(value: Mapping[str, Any]) -> str:
    """The rules' compensation range as kept with a case: "2–5×", with the amounts when known."""
    text = f"{value.get('min_multiple')}–{value.get('max_multiple')}×"
    if value.get("min_amount") is not None and value.get("max_amount") is not None:
        text += f" ({value['min_amount']}–{value['max_amount']})"
    return text


def rules_advice(timeline: list[EventView], lang: str) -> str:
    """One line for the proposer (issue 14): the remedies and compensation range the rules advised
    at registration; "" when they advised neither."""
    for event in reversed(timeline):
        if event.action != "suggestion":
            continue
        suggested: dict[str, Any] = event.details.get("suggested") or {}
        parts = [", ".join(name_of("remedy", str(r), lang) for r in suggested.get("remedies") or [])]
        if isinstance(suggested.get("compensation"), dict):
            parts.append(t("advice.inbox_compensation_short", lang,
                           range=compensation_range(suggested["compensation"])))
        parts = [p for p in parts if p]
        return t("advice.proposer", lang, advice=" · ".join(parts)) if parts else ""
    return ""


def second_opinion_text(s: Suggestion, other: SecondOpinion, lang: str,
                        departments: Mapping[str, Mapping[str, str]]) -> str:
    """The closed cases' view beside the rules', each with its why (issue 14)."""
    return t("intake.second_opinion", lang, cases=other.cases, of=other.of,
             department=department_label(other.department, departments, lang), number=other.closest.number,
             likeness=round(other.closest.likeness * 100), rules_department=department_label(s.department, departments, lang),
             rule=visible(other.rule_id) or "-", words=", ".join(visible(w) for w in other.words) or "-")
