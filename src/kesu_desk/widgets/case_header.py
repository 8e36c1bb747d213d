"""The top of a case: where it stands and its next deadline, the customer's card and the facts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from kesu_desk.domain.vocabulary import Action, Status
from kesu_desk.i18n import t
from kesu_desk.present.formats import category_name, local_time
from kesu_desk.services.views import CaseView, EventView
from kesu_desk.sla import DeadlineState
from kesu_desk.widgets.text import one_line, plain
from kesu_desk.widgets.timeline import amount_text, remedies_text

# The deadline's state as a symbol too: 16-colour and monochrome terminals lose the colour.
DEADLINE_MARKS = {
    DeadlineState.ON_TIME: "✓",
    DeadlineState.AT_RISK: "!",
    DeadlineState.OVERDUE: "✗",
}


def pending_proposal(view: CaseView) -> EventView | None:
    """The proposal waiting for approval (the newest 'propose' event while the case is proposed)."""
    if view.status is not Status.PROPOSED:
        return None
    for event in reversed(view.timeline):
        if event.action == Action.PROPOSE.value:
            return event
    return None


def deadline_text(view: CaseView, now: datetime, tz: tzinfo, lang: str) -> tuple[str, str]:
    """The next deadline in words with its symbol, and the CSS class that colours it."""
    if view.status is Status.CLOSED:
        closure = t(f"case.closure.{view.closure}", lang) if view.closure else ""
        return t("case.due.closed", lang, closure=closure).strip(), "-closed"
    if view.waiting_since is not None:
        return t("case.due.waiting", lang, since=local_time(view.waiting_since, tz)), "-waiting"
    state = view.deadline_state(now)
    if state is None or view.next_due_at is None:
        return t("case.due.none", lang), "-none"
    return (
        t("case.due.at", lang, mark=DEADLINE_MARKS[state], state=t(f"case.due.{state.value}", lang),
          date=local_time(view.next_due_at, tz)),
        f"-{state.value.replace('_', '-')}",
    )


class CaseHeader(Vertical):
    """Number, status, severity, department, handler and the next deadline with its state."""

    def compose(self) -> ComposeResult:
        yield Static(id="case-title")
        with Horizontal(id="case-status-line"):
            yield Static(id="case-due")
            yield Static(id="case-who")

    def show(self, view: CaseView, now: datetime, tz: tzinfo, lang: str,
             departments: Mapping[str, str]) -> None:
        title = Text()
        title.append(view.number, style="bold")
        title.append("  ")
        title.append(t(f"status.{view.status.value}", lang), style="bold reverse")
        title.append("  ")
        title.append(t(f"severity.{view.severity.value}", lang))
        if view.urgent:
            title.append("  ")
            title.append(t("case.urgent", lang), style="bold reverse")
        title.append("  ")
        title.append(one_line(view.customer.name))
        self.query_one("#case-title", Static).update(title)

        due, state = deadline_text(view, now, tz, lang)
        badge = self.query_one("#case-due", Static)
        badge.update(Text(due))
        badge.set_classes(state)
        if view.department:
            department = f"{view.department} {departments.get(view.department, '')}".strip()
            handler = one_line(view.handler) if view.handler else t("case.no_handler", lang)
            who = t("case.who", lang, department=department, handler=handler)
        else:
            who = t("case.no_department", lang)
        self.query_one("#case-who", Static).update(Text(who))


Rows = list[tuple[str, str | Text | None]]


def _grid(rows: Rows, label_width: int) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, style="bold", min_width=label_width)
    grid.add_column(ratio=1, overflow="fold")
    for label, value in rows:
        if value:
            grid.add_row(Text(label), value if isinstance(value, Text) else plain(value))
    return grid


def facts(view: CaseView, tz: tzinfo, lang: str, departments: Mapping[str, str], currency: str = "") -> Group:
    """The customer's card, the complaint as registered and how it is being handled."""
    c = view.customer
    customer: Rows = [
        (t("field.customer_name", lang), c.name),
        (t("field.phone", lang), c.phone),
        (t("field.email", lang), c.email),
        (t("field.customer_class", lang), t(f"case.class.{c.customer_class}", lang)),
    ]
    complaint: Rows = [
        (t("field.channel", lang), t(f"case.channel.{view.channel}", lang)),
        # said only when the contact is not a complaint (most are)
        (t("field.kind", lang), t(f"case.kind.{view.kind}", lang) if view.kind != "complaint" else None),
        (t("field.registered_at", lang), local_time(view.registered_at, tz)),
        (t("field.product", lang), view.product),
        (t("field.order_no", lang), view.order_no),
        (t("field.batch", lang), view.batch),
        (t("field.units", lang), str(view.units) if view.units != 1 else None),  # said when more than one
        (t("field.purchase_date", lang), view.purchase_date.isoformat() if view.purchase_date else None),
        (t("field.category", lang), category_name(view.category, lang) if view.category else ""),
        (t("field.caller_mood", lang), t(f"case.mood.{view.caller_mood}", lang) if view.caller_mood else None),
        (t("field.description", lang), view.description),
        (t("field.customer_request", lang), view.customer_request),
    ]
    handling = _handling(view, lang, currency)
    # One label column for all three sections, measured in cells (a CJK character is two).
    width = max(cell_len(label) for label, value in customer + complaint + handling if value)
    parts: list[Text | Table] = [
        Text(t("case.section.customer", lang), style="bold underline"), _grid(customer, width),
        Text(t("case.section.complaint", lang), style="bold underline"), _grid(complaint, width),
    ]
    if any(value for _, value in handling):
        parts += [Text(t("case.section.handling", lang), style="bold underline"), _grid(handling, width)]
    return Group(*parts)


def _handling(view: CaseView, lang: str, currency: str) -> Rows:
    validity = None
    if view.validity != "undecided":
        validity = t(f"case.validity.{view.validity}", lang)
        if view.validity_reason:
            validity = f"{validity}: {view.validity_reason}"
    rows: Rows = [(t("case.validity_label", lang), validity)]
    if view.fishbone_factor:
        rows.append((t("field.fishbone", lang), t(f"case.fishbone.{view.fishbone_factor}", lang)))
    rows += [(t(f"case.cause.{name}", lang), value) for name, value in view.cause.items()]
    pending = pending_proposal(view)
    if pending is not None and pending.details.get("remedy"):
        proposal = t(f"remedy.{pending.details['remedy']}", lang)
        if pending.details.get("amount") is not None:
            proposal += f" {amount_text(pending.details['amount'], currency, lang)}"
        if pending.details.get("remedies"):  # issue 13: several remedies in one proposal
            proposal = remedies_text([(r["remedy"], r.get("amount")) for r in pending.details["remedies"]],
                                     pending.details.get("amount"), lang, currency)
        rows.append((t("case.pending_proposal", lang), t("case.awaiting_approval", lang, proposal=proposal)))
    if len(view.remedies) > 1:
        rows.append((t("field.remedy", lang), remedies_text(view.remedies, view.amount, lang, currency)))
    elif view.remedy:
        rows.append((t("field.remedy", lang), t(f"remedy.{view.remedy}", lang)))
    if view.amount is not None:
        rows.append((t("field.amount", lang), amount_text(view.amount, currency, lang)))
    if view.price is not None:  # issue 13: what a compensation is measured by
        rows.append((t("field.price", lang), amount_text(view.price, currency, lang)))
    rows += [
        (t("field.implementation", lang), view.implementation),
        (t("field.accountability", lang), view.accountability),
        (t("case.preventive_action", lang), view.preventive_action),
        (t("case.satisfaction", lang),
         t("case.score_of", lang, score=view.satisfaction, word=t(f"case.score.{view.satisfaction}", lang))
         if view.satisfaction else None),
    ]
    return rows
