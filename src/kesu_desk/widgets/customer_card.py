"""Who is calling: the known customer's name, class and past cases, as the intake form shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from kesu_desk.domain.vocabulary import OPEN_STATUSES
from kesu_desk.i18n import t
from kesu_desk.widgets.text import fit, one_line

if TYPE_CHECKING:
    from kesu_desk.services.dealer_flow import CaseDealer
    from kesu_desk.services.intake import CustomerHistory

# Past cases listed on the card: open ones first, then the newest; the rest are counted.
CARD_CASES = 5


class CustomerCard(Static, can_focus=False):
    """Empty (and hidden by the form's stylesheet) until a contact matches, or matches nobody."""

    def show(self, history: CustomerHistory | None, lang: str, *, searched: bool = True) -> None:
        """Show ``history``; with none, say that the contact is new (when one was looked up)."""
        self.set_class(history is not None and bool(history.open_cases), "-open")
        if history is None:
            self.set_class(searched, "-shown")
            self.update(Text(t("intake.new_customer", lang)) if searched else "")
            return
        self.add_class("-shown")
        self.update(card_text(history, lang))

    def clear(self) -> None:
        self.show(None, "en", searched=False)


def card_text(history: CustomerHistory, lang: str) -> Text:
    """The card's lines; everything the customer or an agent typed is shown as typed."""
    customer = history.customer
    contact = " · ".join(one_line(c) for c in (customer.phone, customer.email) if c)
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(t("intake.customer_line", lang, name=one_line(customer.name) or t("intake.unnamed", lang),
                 customer_class=t(f"intake.class.{customer.customer_class}", lang), contact=contact),
               style="bold")
    rows = sorted(history.cases, key=lambda c: (c.status not in OPEN_STATUSES, -c.id))
    statuses = [t(f"status.{c.status.value}", lang) for c in rows[:CARD_CASES]]
    width = max((cell_len(s) for s in statuses), default=0)
    for case, status in zip(rows, statuses, strict=False):
        mark = "▶" if case.status in OPEN_STATUSES else " "
        out.append(f"\n{mark} {case.number}  {fit(status, width)}  {one_line(case.summary)}",
                   style="bold" if case.status in OPEN_STATUSES else "")
    hidden = len(rows) - CARD_CASES
    if hidden > 0 or history.more:
        count = f"{max(hidden, 0)}+" if history.more else str(hidden)
        out.append("\n" + t("intake.more_cases", lang, count=count), style="dim")
    return out


def dealer_text(info: CaseDealer, lang: str) -> Text:
    """Issue 13, "who sells, serves": the case's serving dealer with its contact and allowance
    balance, and the spare-part advice line (the case detail, under the facts)."""
    from kesu_desk.services.dealers import money

    out = Text()
    serving = info.serving
    if serving is not None:
        key = "dealers.flow.serving_self" if serving.is_customer else "dealers.flow.serving"
        out.append(t(key, lang, dealer=one_line(serving.name), contact=one_line(serving.contact) or "-",
                     phone=serving.phone or "-", left=money(serving.left_cents)) + "\n",
                   style="bold red" if serving.left_cents <= 0 else "bold")
    out.append(info.advice, style="dim")
    return out
