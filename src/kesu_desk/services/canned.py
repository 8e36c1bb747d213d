"""Canned replies: ready-made texts in the user's language (assets/replies/), filled from a case."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, datetime

from kesu_desk.i18n import money, t
from kesu_desk.services.cases import OUTCOME_UNDECIDED
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import department_views
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.wordlists import reply_templates

# Placeholders that tell the customer the outcome: a reply using one is offered only once a
# remedy is approved (DOMAIN.md step 7).
OUTCOME_PLACEHOLDERS = frozenset({"outcome", "remedy", "amount"})


@dataclass(frozen=True)
class CannedReply:
    key: str
    title: str
    text: str


def local_date(desk: Desk, lang: str, moment: datetime | date) -> str:
    """A date as people of ``lang`` write it, in the desk's time zone."""
    day = desk.calendar.local_date(moment) if isinstance(moment, datetime) else moment
    return t("canned.date", lang, year=day.year, month=day.month, day=day.day)


def placeholder_values(
    desk: Desk, view: CaseView, lang: str, *, agent: str = "", now: datetime | None = None
) -> dict[str, str]:
    """What the case can fill in; a placeholder it cannot fill is left out."""
    values = {
        "customer": view.customer.name,
        "number": view.number,
        "product": view.product,
        "order": view.order_no,
        "registered": local_date(desk, lang, view.registered_at),
        "today": local_date(desk, lang, now or utcnow()),
        "agent": agent,
    }
    answer_due = view.deadlines.get("answer")
    if answer_due is not None:
        values["answer_due"] = local_date(desk, lang, answer_due)
    follow_up_due = view.deadlines.get("follow_up")
    if follow_up_due is not None:
        values["follow_up_due"] = local_date(desk, lang, follow_up_due)
    if view.department:
        names = {d.code: d.name(lang) for d in department_views(desk)}
        values["department"] = names.get(view.department, view.department)
    if view.remedy and view.status not in OUTCOME_UNDECIDED:
        values["remedy"] = t(f"remedy.{view.remedy}", lang)
        values["amount"] = money(f"{view.amount:.2f}", lang, desk.settings.currency) if view.amount is not None else ""
        values["outcome"] = (
            t("canned.outcome_amount", lang, remedy=values["remedy"], amount=values["amount"])
            if view.amount is not None else values["remedy"]
        )
    return {k: v for k, v in values.items() if v}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def canned_replies(
    desk: Desk, view: CaseView, lang: str, *, agent: str = "", now: datetime | None = None
) -> list[CannedReply]:
    """The replies this case can fill completely, in the order of the replies file."""
    values = placeholder_values(desk, view, lang, agent=agent, now=now)
    replies = []
    for reply in reply_templates(lang):
        if not _placeholders(reply.text) <= set(values):
            continue  # e.g. no department yet, or no approved remedy to tell
        # Values are inserted, never parsed: braces a customer typed stay as typed.
        replies.append(CannedReply(reply.key, reply.title, reply.text.format_map(values)))
    return replies
