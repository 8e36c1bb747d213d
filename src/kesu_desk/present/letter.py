"""The customer's written answer (`kesu-desk print CASE --letter`): in the customer's language,
what was decided, the remedy and what happens next — never the internal accountability, the
causes, who handled it or the internal notes. The store chain's seed: no promise to the customer
is valid without this written handling document. Until a remedy is approved it names none (the
outcome guard): it says when the answer will come."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from kesu_desk.domain.vocabulary import Status
from kesu_desk.i18n import t
from kesu_desk.present.formats import local_time, name_of
from kesu_desk.present.record import FormField, FormSection, RecordForm
from kesu_desk.services.views import CaseView

__all__ = ["letter"]

# What the customer may be told: a remedy approved (and perhaps carried out) and not refused.
_DECIDED = frozenset({Status.APPROVED, Status.IMPLEMENTING, Status.FOLLOW_UP, Status.CLOSED})


def letter(view: CaseView, lang: str, tz: tzinfo, follow_up_days: int) -> RecordForm:
    def w(key: str, **params: object) -> str:
        return t(f"letter.{key}", lang, **params)

    name = view.customer.name or w("customer")
    paragraphs = [w("greeting", name=name),
                  w("received", date=local_time(view.registered_at, tz), number=view.number)]
    if view.validity == "not_founded":
        paragraphs.append(w("not_founded", reason=view.validity_reason or w("no_reason")))
    elif view.first_contact:
        paragraphs.append(w("first_contact", done=view.implementation))
    elif view.status in _DECIDED and view.remedy:
        remedy = name_of("remedy", view.remedy, lang)
        if view.amount is not None:
            remedy = w("with_amount", remedy=remedy, amount=f"{view.amount:,.2f}")
        paragraphs.append(w("remedy", remedy=remedy))
        paragraphs.append(_next_step(view, w, follow_up_days))
    else:
        answer = view.deadlines.get("answer")
        paragraphs.append(w("pending", date=local_time(answer, tz) if answer else "-"))
    paragraphs += [w("contact", number=view.number), w("closing")]
    return RecordForm(
        kind="letter", number=view.number, title=w("title", number=view.number),
        subtitle=w("subtitle", number=view.number), lang=lang,
        sections=[FormSection("letter", w("section"), [FormField(w("body"), "\n\n".join(paragraphs), long=True)])],
    )


def _next_step(view: CaseView, w: Callable[..., str], follow_up_days: int) -> str:
    if view.status is Status.APPROVED:
        return w("next_agree")
    if view.status is Status.IMPLEMENTING:
        return w("next_implementing")
    if view.status is Status.FOLLOW_UP:
        return w("next_follow_up", days=follow_up_days)
    return w("next_closed")
