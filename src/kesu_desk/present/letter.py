"""The customer's written answer as Markdown text (services/letter.py says what goes in it): in
the customer's language, the decision, the remedy and amount, what happens next, the contact."""

from __future__ import annotations

from typing import Any

from kesu_desk.domain.vocabulary import Status
from kesu_desk.i18n import money, t
from kesu_desk.present.markup import md_text
from kesu_desk.services.letter import Letter

NEXT = {Status.APPROVED: "next_approved", Status.IMPLEMENTING: "next_implementing",
        Status.FOLLOW_UP: "next_follow_up", Status.CLOSED: "next_closed"}


def render_letter(letter: Letter, tz: Any) -> str:
    lang = letter.lang

    def w(key: str, **params: Any) -> str:
        return t(f"letter.{key}", lang, **params)

    def amount(value: Any) -> str:
        return money(f"{value:,.2f}", lang, letter.currency)

    lines = [f"# {w('title')}", ""]
    if letter.store:
        lines += [w("from_store", store=md_text(letter.store), code=letter.store_code), ""]
    lines += [w("case", number=letter.number), w("date", date=f"{letter.issued_at.astimezone(tz):%Y-%m-%d}"), "",
              w("greeting", name=md_text(letter.customer) if letter.customer else w("customer")), "",
              w("received", date=f"{letter.registered_at.astimezone(tz):%Y-%m-%d}",
                product=md_text(letter.product) if letter.product else w("your_purchase")), ""]
    if not letter.founded:
        lines += [w("not_founded"), ""]
        if letter.reason:
            lines += [w("reason", reason=md_text(letter.reason)), ""]
    else:
        remedy = t(f"remedy.{letter.remedy}", lang)
        lines += [w("founded"), ""]
        if len(letter.remedies) > 1:  # issue 13: several remedies, each with its amount
            lines += [t("remedies.letter_offer", lang), ""]
            lines += [f"- {t(f'remedy.{r}', lang)}" + (f" {amount(a)}" if a is not None else "")
                      for r, a in letter.remedies]
            if letter.amount is not None:
                lines += ["", t("remedies.letter_total", lang, amount=amount(letter.amount))]
            lines += [""]
        elif letter.amount is not None:
            lines += [w("remedy_amount", remedy=remedy, amount=amount(letter.amount)), ""]
        else:
            lines += [w("remedy", remedy=remedy), ""]
    lines += [w(NEXT.get(letter.status, "next_closed")), ""]
    lines += [w("contact_store", store=md_text(letter.store)) if letter.store else w("contact"), "",
              w("valid"), "", w("closing"), ""]
    return "\n".join(lines)
