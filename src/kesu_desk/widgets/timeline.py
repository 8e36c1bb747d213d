"""The case timeline: one focusable row per event, oldest first, long ones folded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical
from textual.events import Resize
from textual.widgets import Static

from kesu_desk.domain.remedies import CompensationRange
from kesu_desk.domain.vocabulary import Action, Visibility
from kesu_desk.i18n import money, t
from kesu_desk.present.formats import category_name, compensation_range, local_time, who
from kesu_desk.rules import in_language
from kesu_desk.services.views import EventView
from kesu_desk.widgets.text import one_line, visible

# A folded event shows this many lines of its text; Enter shows the rest.
FOLDED_LINES = 2
# Events that say something to or about the customer carry a visible mark, not only a colour.
_MARKED = frozenset({Action.NOTE.value, Action.CALL.value})


def amount_text(value: Any, currency: str = "", lang: str = "en") -> str:
    """An amount as the desk shows money: two decimals, with the currency's sign when given."""
    try:
        return money(f"{Decimal(str(value)):.2f}", lang, currency)
    except (InvalidOperation, ValueError):
        return one_line(str(value))


def remedies_text(remedies: Sequence[tuple[str, Any]], amount: Any, lang: str, currency: str = "") -> str:
    """A proposal's remedies in one line (issue 13): "exchange + compensation 600.00 = 600.00";
    one remedy reads as :func:`remedy_text`."""
    if len(remedies) < 2:
        remedy, given = remedies[0] if remedies else (None, amount)
        return remedy_text(remedy, given, lang, currency)
    joined = " + ".join(remedy_text(r, a, lang, currency) for r, a in remedies)
    return f"{joined} = {amount_text(amount, currency, lang)}" if amount is not None else joined


def range_note(suggested: CompensationRange | None, price: Decimal | None, lang: str, currency: str = "") -> str:
    """The compensation range a price suggests, in words (issue 13), or that none is known."""
    if suggested is None or not price:
        return t("remedies.no_range", lang)
    times = [f"{(bound / price).normalize():f}" for bound in (suggested.low, suggested.high)]
    return t("remedies.range", lang, low=amount_text(suggested.low, currency, lang),
             high=amount_text(suggested.high, currency, lang), min=times[0], max=times[1],
             price=amount_text(price, currency, lang))


def remedy_text(remedy: str | None, amount: Any, lang: str, currency: str = "") -> str:
    """A remedy in words, with its amount where money moves."""
    if not remedy:
        return "–"
    name = _name("remedy", remedy, lang)
    return f"{name} {amount_text(amount, currency, lang)}" if amount is not None else name


def _date(value: Any, tz: tzinfo) -> str:
    if isinstance(value, str):
        try:
            return local_time(datetime.fromisoformat(value), tz)
        except ValueError:
            return one_line(value)
    return one_line(str(value))


def _name(table: str, value: Any, lang: str) -> str:
    """A vocabulary value in words; something unknown (an older release's value) as it is."""
    key = f"{table}.{value}"
    name = t(key, lang)
    return one_line(str(value)) if name == key else name


def headline(event: EventView, lang: str) -> str:
    """What happened, in a few words: the event's name and the status change it made."""
    words = _name("timeline.event", event.action, lang)
    if words == one_line(event.action):
        # An action this timeline has no noun for yet: its name from the [action] table.
        named = _name("action", event.action, lang)
        words = named[:1].upper() + named[1:]
    before, after = event.from_status, event.to_status
    if before and after and before != after:
        words += "  " + t("timeline.status_change", lang, before=_name("status", before, lang),
                          after=_name("status", after, lang))
    return words


def mark(event: EventView, lang: str) -> str:
    """The word and symbol telling who may read the event ('' when it needs none)."""
    if event.visibility == Visibility.CUSTOMER.value:
        return t("timeline.customer_visible", lang)
    if event.action in _MARKED:
        return t("timeline.internal", lang)
    return ""


def _accountability_lines(d: dict[str, Any], lang: str, currency: str) -> list[str]:
    """Issue 13: who answers for the complaint, their penalty, the loss, who delayed it (internal)."""
    lines = []
    if d.get("responsible"):
        lines.append(t("timeline.responsible", lang, name=visible(str(d["responsible"]))))
    if d.get("penalty_percent"):
        lines.append(t("timeline.penalty_percent", lang, percent=one_line(str(d["penalty_percent"]))))
    if d.get("penalty") is not None:
        lines.append(t("timeline.penalty_amount", lang, amount=amount_text(d["penalty"], currency, lang)))
    if d.get("loss") is not None:
        lines.append(t("timeline.loss", lang, amount=amount_text(d["loss"], currency, lang)))
    if d.get("delayed_by"):
        lines.append(t("timeline.delayed", lang, name=visible(str(d["delayed_by"])),
                       reason=visible(str(d.get("delay_reason") or "-"))))
    return lines


def detail_lines(event: EventView, lang: str, tz: tzinfo, currency: str = "") -> list[str]:
    """The event's details in words, one per line, before its comment."""
    d = event.details
    lines: list[str] = []

    def add(key: str, **params: Any) -> None:
        lines.append(t(f"timeline.{key}", lang, **params))

    action = event.action
    if action == Action.REGISTER.value:
        if "channel" in d:
            add("channel", channel=_name("case.channel", d["channel"], lang))
        if "answer_due" in d:
            add("answer_due", date=_date(d["answer_due"], tz))
    elif action == Action.SUGGESTION.value:
        lines += _suggestion_lines(d, lang)
    elif action == Action.EVIDENCE.value and d.get("file"):
        add("evidence_added", file=visible(str(d["file"])), size=d.get("size", "?"))
    elif action == Action.TASK.value and d.get("change") in ("added", "done", "assigned"):
        add(f"task_{d['change']}", template=one_line(str(d.get("template", ""))), step=one_line(str(d.get("step", ""))),
            steps=d.get("steps", ""), owner=one_line(str(d.get("owner", ""))))
        if d.get("note"):
            lines.append(visible(str(d["note"])))
    elif action == Action.MAIL.value and "kind" in d:
        add("mail_kind", kind=_name("mail.kind", d["kind"], lang))
    elif action == Action.DECIDE_VALIDITY.value and "validity" in d:
        add("validity", validity=_name("case.validity", d["validity"], lang))
    elif action == Action.ASSIGN.value:
        add("assigned", department=one_line(str(d.get("department", "-"))))
        if d.get("handler"):
            add("handler", handler=one_line(str(d["handler"])))
        if d.get("department_due"):
            add("department_due", date=_date(d["department_due"], tz))
    elif action == Action.RECORD_CAUSE.value:
        if d.get("fishbone"):
            add("fishbone", factor=_name("case.fishbone", d["fishbone"], lang))
        for name in ("what", "why", "when", "where", "who", "how", "how_much"):
            if d.get(name):
                add("labelled", label=t(f"case.cause.{name}", lang), value=visible(str(d[name])))
    elif action in (Action.PROPOSE.value, Action.APPROVE.value, Action.RETURN.value):
        lines += remedy_lines(d, lang, currency)
        if action == Action.PROPOSE.value and d.get("approvals_needed", 1) > 1:
            add("approvals_needed", count=d["approvals_needed"])
        if action == Action.APPROVE.value and "level" in d:
            add("approval_level", level=d["level"], of=d.get("of", d["level"]))
    elif action == Action.PRICE.value:
        lines.append(t("remedies.price_set", lang, price=amount_text(d["price"], currency, lang)) if d.get("price") is not None
                     else t("remedies.price_cleared", lang))
    elif action == Action.CUSTOMER_ANSWER.value:
        add("agrees" if d.get("agrees") else "disagrees")
    elif action in (Action.CLOSE.value, Action.IMPLEMENT.value) and d.get("first_contact"):
        add("first_contact")
        if d.get("remedy"):
            add("remedy", remedy=_name("remedy", d["remedy"], lang))
    elif action == Action.IMPLEMENT.value:
        if (d.get("implementation_no") or 1) > 1:  # a second one after a reopening: the first is kept
            add("implementation_no", n=d["implementation_no"])
        if d.get("accountability"):
            add("accountability", text=visible(str(d["accountability"])))
        if d.get("preventive_action"):
            add("preventive", text=visible(str(d["preventive_action"])))
        lines.extend(_accountability_lines(d, lang, currency))
    elif action == Action.FOLLOW_UP.value:
        if "score" in d:
            add("score", score=d["score"], word=_name("case.score", d["score"], lang))
        if d.get("solved") is not None:
            add("solved", answer=t("case.yes" if d["solved"] else "case.no", lang))
    elif action == Action.ESCALATE.value and d.get("severity"):
        add("severity", severity=_name("severity", d["severity"], lang))
    elif action == Action.CALL.value:
        add("call_out" if d.get("direction") == "out" else "call_in")
    elif action == Action.MERGE.value and d.get("into"):
        add("merged_into", number=one_line(str(d["into"])))
    elif action == Action.CUSTOMER_MERGED.value and d.get("merged"):
        add("customer_merged", merged=", ".join(f"#{i}" for i in d["merged"]), into=d.get("into"))
    elif action == Action.NOTE.value and d.get("merged_from"):
        add("merged_from", number=one_line(str(d["merged_from"])))
    elif action == Action.DEALER_HANDOVER.value:  # issue 13, dealers in the case's work
        lines.append(t("dealers.timeline.handover", lang, dealer=one_line(str(d.get("dealer", "-"))),
                       contact=one_line(str(d.get("contact") or "-")), phone=d.get("phone") or "-"))
    elif action == Action.PARTS_SENT.value:
        lines.append(t("dealers.timeline.parts", lang, qty=d.get("qty", 1), part=one_line(str(d.get("part", ""))),
                       name=one_line(str(d.get("name", ""))), price=d.get("unit_price", "-"),
                       charged_to=t(f"dealers.charge.{d.get('charged_to', 'customer')}", lang)))
        if d.get("approved_by"):
            lines.append(t("dealers.timeline.approved", lang, name=one_line(str(d["approved_by"]))))
    elif action == Action.CUSTOMER_REPLIED.value:
        if d.get("waited_hours") is not None:
            add("waited", hours=d["waited_hours"])
        if d.get("department_due"):
            add("department_due", date=_date(d["department_due"], tz))
    return lines


def remedy_lines(d: dict[str, Any], lang: str, currency: str = "") -> list[str]:
    """A proposal's remedies in words (an event's details): each with its amount, the total when
    there are several (issue 13), the price it was proposed with and the reason for a
    compensation outside the suggested range."""
    several: list[dict[str, Any]] = d.get("remedies") or []
    lines = [t("timeline.remedy", lang, remedy=remedy_text(r.get("remedy"), r.get("amount"), lang, currency))
             for r in several]
    if several and d.get("amount") is not None:
        lines.append(t("remedies.total", lang, amount=amount_text(d["amount"], currency, lang)))
    elif d.get("remedy"):
        remedy = _name("remedy", d["remedy"], lang)
        if d.get("amount") is not None:
            lines.append(t("timeline.remedy_amount", lang, remedy=remedy, amount=amount_text(d["amount"], currency, lang)))
        else:
            lines.append(t("timeline.remedy", lang, remedy=remedy))
    if d.get("price") is not None:
        lines.append(t("remedies.price_set", lang, price=amount_text(d["price"], currency, lang)))
    if d.get("range_reason"):
        lines.append(t("remedies.range_reason", lang, reason=visible(str(d["range_reason"]))))
    return lines


def _suggestion_lines(d: dict[str, Any], lang: str) -> list[str]:
    suggested: dict[str, Any] = d.get("suggested") or {}
    chosen: dict[str, Any] = d.get("chosen") or {}
    lines = [t("timeline.suggestion_taken" if d.get("taken") else "timeline.suggestion_overridden", lang)]
    for name, value in suggested.items():
        field = _field(name, lang)
        if name in chosen and chosen[name] is None and value is not None:  # the agent left it open
            lines.append(t("timeline.suggested_unchosen", lang, field=field, suggested=_value(name, value, lang)))
        elif name in chosen and chosen[name] != value:
            lines.append(t("timeline.suggested_chosen", lang, field=field,
                           suggested=_value(name, value, lang), chosen=_value(name, chosen[name], lang)))
        else:
            lines.append(t("timeline.suggested_kept", lang, field=field, value=_value(name, value, lang)))
    return lines


def _field(name: str, lang: str) -> str:
    """A suggested field's name; the rules' advice kept since issue 14 has names of its own."""
    words = _name("advice", name, lang)
    return words if words != one_line(name) else _name("field", name, lang)


def _value(field: str, value: Any, lang: str) -> str:
    """A suggested or chosen value in words where the vocabulary names it."""
    if value is None:  # never Python's "None" on a screen
        return "–"
    if field == "compensation" and isinstance(value, dict):
        return compensation_range(value)
    if field == "escalations" and isinstance(value, list):
        return ", ".join(_name("escalation", v, lang) for v in value)
    if isinstance(value, bool):
        return t("advice.yes" if value else "advice.no", lang)
    if field == "spare_parts":
        return _name("advice", f"parts_{value}", lang)
    if field in ("severity", "remedy"):
        return _name(field, value, lang)
    if field == "category" and value:
        return category_name(str(value), lang)
    if field == "notes" and isinstance(value, list):
        return " · ".join(one_line(in_language(v, lang)) for v in value if isinstance(v, str | dict))
    if isinstance(value, list):
        return ", ".join(_value(field, v, lang) for v in value)
    return one_line(str(value))


def event_body(event: EventView, lang: str, tz: tzinfo, currency: str = "") -> str:
    """Everything under the headline: details, then the comment exactly as typed."""
    lines = detail_lines(event, lang, tz, currency)
    if event.comment:
        lines.append(visible(event.comment))
    return "\n".join(lines)


def event_summary(event: EventView, lang: str, tz: tzinfo) -> str:
    """The event on one line (for lists of what changed)."""
    body = one_line(event_body(event, lang, tz).replace("\n", " · "))
    text = f"{local_time(event.at, tz)} {who(event, lang)}: {headline(event, lang)}"
    return f"{text} — {body}" if body else text


class EventRow(Vertical, can_focus=True):
    """One event; Enter folds or unfolds it when it is long."""

    def __init__(self, event: EventView, lang: str, tz: tzinfo, currency: str = "") -> None:
        super().__init__(id=f"event-{event.id}", classes="event")
        self.event = event
        self.lang = lang
        self.tz = tz
        self.body = event_body(event, lang, tz, currency)
        self.foldable = False
        self.folded = True
        visibility = "-customer" if event.visibility == Visibility.CUSTOMER.value else "-internal"
        self.add_class(visibility, f"-{event.action.replace('_', '-')}")
        if event.from_status and event.to_status and event.from_status != event.to_status:
            self.add_class("-status-change")

    def compose(self) -> ComposeResult:
        yield Static(self._head(), classes="event-head")
        if self.body:
            yield Static(Text(self.body), classes="event-body")

    def _head(self) -> Text:
        e = self.event
        head = Text()
        head.append("› " if self.has_focus else "  ")
        head.append(local_time(e.at, self.tz))
        head.append("  ")
        head.append(who(e, self.lang), style="bold")
        head.append("  ")
        head.append(headline(e, self.lang), style="bold")
        marked = mark(e, self.lang)
        if marked:
            head.append("  ")
            head.append(marked, style="reverse" if e.visibility == Visibility.CUSTOMER.value else "")
        if self.foldable:
            head.append("  ")
            head.append(t("timeline.more" if self.folded else "timeline.less", self.lang), style="italic")
        return head

    def toggle(self) -> None:
        if self.foldable:
            self.folded = not self.folded
            self._update()
            # Unfolded, the whole event should be on the screen, not just its first lines.
            self.call_after_refresh(self.scroll_visible, animate=False)

    def on_resize(self, event: Resize) -> None:
        width = max(self.size.width - 4, 10)  # the body's indent and the scroll bar
        lines = len(Text(self.body).wrap(self.app.console, width)) if self.body else 0
        self.foldable = lines > FOLDED_LINES + 1
        self._update()

    def on_focus(self) -> None:
        self._update()

    def on_blur(self) -> None:
        self._update()

    def _update(self) -> None:
        if not self.is_mounted:
            return
        self.set_class(self.foldable and self.folded, "-folded")
        self.query_one(".event-head", Static).update(self._head())


class Timeline(Vertical):
    """Every event of a case, oldest at the top; up/down move between them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "previous", "Previous event", show=False, id="case.event_previous"),
        Binding("down", "next", "Next event", show=False, id="case.event_next"),
        Binding("home", "first", "First event", show=False, id="case.event_first"),
        Binding("end", "last", "Last event", show=False, id="case.event_last"),
        Binding("enter", "fold", "Fold/unfold", show=False, id="case.event_fold"),
    ]

    def __init__(self, lang: str, tz: tzinfo, currency: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.tz = tz
        self.currency = currency
        # Claimed before mounting, so two refreshes in quick succession never add an event twice.
        self._shown: set[int] = set()

    @property
    def rows(self) -> list[EventRow]:
        return list(self.query_children(EventRow))

    async def show(self, events: Iterable[EventView]) -> list[EventRow]:
        """Add the events not shown yet (a timeline only ever grows); returns the new rows."""
        new = [EventRow(e, self.lang, self.tz, self.currency) for e in events if e.id not in self._shown]
        self._shown.update(row.event.id for row in new)
        if new:
            await self.mount_all(new)
        return new

    def _focused_index(self) -> int | None:
        rows = self.rows
        focused = self.screen.focused
        return rows.index(focused) if isinstance(focused, EventRow) and focused in rows else None

    def focus_row(self, index: int) -> None:
        rows = self.rows
        if rows:
            rows[max(0, min(index, len(rows) - 1))].focus()

    def action_previous(self) -> None:
        index = self._focused_index()
        if index == 0:
            # Above the oldest event are the case's facts: bring them into view.
            for node in self.ancestors:
                if isinstance(node, ScrollableContainer):
                    node.scroll_home()
                    break
            return
        self.focus_row(len(self.rows) - 1 if index is None else index - 1)

    def action_next(self) -> None:
        index = self._focused_index()
        self.focus_row(0 if index is None else index + 1)

    def action_first(self) -> None:
        self.focus_row(0)

    def action_last(self) -> None:
        self.focus_row(len(self.rows) - 1)

    def action_fold(self) -> None:
        focused = self.screen.focused
        if isinstance(focused, EventRow):
            focused.toggle()
