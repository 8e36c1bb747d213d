"""The intake form: a new complaint taken while the customer talks, never lost, never waiting."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import date, tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.events import DescendantBlur, Resize
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Digits, Header, Input, Label, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.vocabulary import Channel, CustomerClass, Mood, Severity
from kesu_desk.i18n import catalogue, field_params
from kesu_desk.rules import Suggestion
from kesu_desk.screens.base import DeskChanged, DeskModal, DeskScreen
from kesu_desk.services.cases import register_case
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.services.intake import (
    CustomerHistory,
    DraftStore,
    department_names,
    find_customer,
    known_categories,
)
from kesu_desk.services.suggestions import suggest_case
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.customer_card import CustomerCard
from kesu_desk.widgets.form import field_row
from kesu_desk.widgets.keys import DeskFooter, key_of
from kesu_desk.widgets.suggestion_panel import SuggestionPanel, local_time
from kesu_desk.widgets.text import ControlPictures, TypedTextArea

# Pauses after which the form acts on what was typed (seconds): the customer lookup and the
# draft on disk as soon as the agent stops, the suggestion a little later (it reads more).
LOOKUP_DELAY = 0.3
DRAFT_DELAY = 0.3
SUGGEST_DELAY = 0.4
# Below this many columns the suggestion goes under the form, where F2 opens it.
WIDE = 110

TEXT_FIELDS = ("phone", "email", "customer_name", "product", "order_no", "batch", "purchase_date",
               "customer_request", "category")
SELECT_DEFAULTS: dict[str, str | None] = {
    "channel": Channel.PHONE.value,
    "customer_class": CustomerClass.END_USER.value,
    "caller_mood": None,
    "severity": Severity.NORMAL.value,
}
# Every field of the form, in the order of a call (and of Tab).
FIELDS = ("phone", "email", "customer_name", "channel", "customer_class", "product", "order_no",
          "batch", "purchase_date", "description", "customer_request", "caller_mood", "category",
          "severity", "urgent")
CONTACT_FIELDS = frozenset({"phone", "email"})
SUGGEST_FIELDS = frozenset({"description", "product", "batch", "category", "channel",
                            "customer_class", "purchase_date"})
# Errors worth showing as soon as the agent leaves the field; "missing" ones wait for Ctrl+S.
CHECKED_ON_LEAVING = frozenset({*TEXT_FIELDS, "description"})
FORMAT_ERRORS = frozenset({"bad_phone", "bad_email", "date_in_future", "date_parsing",
                           "date_from_datetime_parsing", "string_too_long"})

Fields = dict[str, Any]


def empty_form() -> Fields:
    return {**dict.fromkeys(TEXT_FIELDS, ""), "description": "", **SELECT_DEFAULTS, "urgent": False}


def is_empty(fields: Fields) -> bool:
    """Nothing the agent entered: no draft worth keeping."""
    blank = empty_form()
    return all(fields.get(name) == blank[name] for name in blank)


def restored_form(saved: dict[str, Any]) -> Fields:
    """The form from a saved draft; a value of the wrong kind (a hand-edited file) is left out."""
    form = empty_form()
    for name, blank in form.items():
        value = saved.get(name)
        if isinstance(blank, bool):
            if isinstance(value, bool):
                form[name] = value
        elif isinstance(value, str) or (value is None and blank is None):
            form[name] = value
    return form


def draft_input(fields: Fields, region: str) -> dict[str, Any]:
    """What CaseDraft.parse reads, from the form's values."""
    data = {name: fields.get(name) for name in FIELDS}
    data["purchase_date"] = fields.get("purchase_date") or None
    data["region"] = region
    return data


class IntakeScreen(DeskScreen[None]):
    """Fields top to bottom in the order of a call; the suggestion beside them (or below)."""

    # The most used first: a narrow footer shows the start of the list.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Register", id="intake.save", priority=True),
        Binding("f3", "accept", "Accept suggestion", id="intake.accept", priority=True),
        Binding("escape", "back", "Back", id="intake.back"),
        Binding("f4", "open_case", "Open case", id="intake.open_case", priority=True),
        Binding("f2", "toggle_panel", "Suggestion", id="intake.panel", priority=True),
        Binding("f8", "discard", "Discard", id="intake.discard", priority=True),
    ]

    class CustomerLooked(Message):
        def __init__(self, seq: int, history: CustomerHistory | None, searched: bool) -> None:
            super().__init__()
            self.seq = seq
            self.history = history
            self.searched = searched

    class SuggestionReady(Message):
        def __init__(self, seq: int, key: tuple[Any, ...], suggestion: Suggestion) -> None:
            super().__init__()
            self.seq = seq
            self.key = key
            self.suggestion = suggestion

    class Registered(Message):
        def __init__(self, case: CaseView) -> None:
            super().__init__()
            self.case = case

    class ReferenceLoaded(Message):
        def __init__(self, departments: dict[str, dict[str, str]], categories: list[str]) -> None:
            super().__init__()
            self.departments = departments
            self.categories = categories

    def __init__(self) -> None:
        super().__init__()
        self._store = DraftStore.for_desk(self.desk, self.actor.name)
        # Read here, not in a worker: the draft must be in the fields before a key can land there
        # (one small local file).
        saved = self._store.load()
        restored = saved.fields if saved is not None else {}
        start = restored_form(restored)
        self._restored_from = saved.saved_at if saved is not None and not is_empty(start) else None
        self._start = start
        accepted = restored.get("accepted")
        self._accepted: dict[str, Any] | None = accepted if isinstance(accepted, dict) else None
        self._fields: Fields = dict(start)
        self._generation = 0
        self._debouncers: dict[str, asyncio.TimerHandle] = {}
        self._keys_shown: tuple[bool, bool] = (False, False)
        self._field_widgets: tuple[dict[str, Input], TextArea, dict[str, Select[str]], Checkbox] | None = None
        self._lookup_seq = 0
        self._suggest_seq = 0
        self._suggestion: Suggestion | None = None
        self._suggestion_key: tuple[Any, ...] | None = None
        self._history: CustomerHistory | None = None
        self._departments: dict[str, dict[str, str]] = {}
        self._errors: dict[str, str] = {}
        self._registering = False

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        s = self._start
        yield Header()
        yield Static(id="intake-banner")
        with Container(id="intake-body"):
            with VerticalScroll(id="intake-form"):
                yield from self._row("phone", self._input("phone", placeholder=self.t("intake.placeholder.phone")))
                yield from self._row("email", self._input("email", placeholder=self.t("intake.placeholder.email")))
                yield CustomerCard(id="customer-card")
                yield from self._row("customer_name", self._input("customer_name"))
                yield from self._row("channel", self._select("channel", Channel, "channel"))
                yield from self._row("customer_class", self._select("customer_class", CustomerClass, "class"))
                yield from self._row("product", self._input("product"))
                yield from self._row("order_no", self._input("order_no"))
                yield from self._row("batch", self._input("batch"))
                yield from self._row("purchase_date", self._input(
                    "purchase_date", placeholder=self.t("intake.placeholder.purchase_date"),
                    restrict=r"[0-9-]*"))
                yield from self._row("description", TypedTextArea(
                    s["description"], id="description", compact=True, soft_wrap=True, tab_behavior="focus",
                    placeholder=self.t("intake.placeholder.description")))
                yield from self._row("customer_request", self._input("customer_request"))
                yield from self._row("caller_mood", self._select("caller_mood", Mood, "mood"))
                yield from self._row("category", self._input(
                    "category", placeholder=self.t("intake.placeholder.category", shortcut=key_of(self, "intake.accept"))))
                yield from self._row("severity", Select(
                    [(self.t(f"severity.{v.value}"), v.value) for v in Severity], id="severity",
                    value=s["severity"] or Severity.NORMAL.value, allow_blank=False, compact=True))
                yield from self._row("urgent", Tick(self.t("intake.urgent_hint"), s["urgent"], id="urgent",
                                                    compact=True))
            yield SuggestionPanel(id="suggestion")
        yield DeskFooter()

    def _row(self, field: str, widget: Widget) -> ComposeResult:
        yield field_row(self.t(f"intake.label.{field}"), widget, id=f"row-{field}")
        yield Static(classes="field-error", id=f"error-{field}")

    def _input(self, field: str, *, placeholder: str = "", restrict: str | None = None) -> Input:
        value = str(self._start[field] or "")
        if restrict is not None and value and not _fully(restrict, value):
            value = ""  # a hand-edited draft must not crash the form
        return Input(value, placeholder=placeholder, id=field, compact=True, restrict=restrict,
                     select_on_focus=False, highlighter=ControlPictures())

    def _select(self, field: str, kind: type[Channel] | type[CustomerClass] | type[Mood], names: str) -> Select[str]:
        options = [(self.t(f"intake.{names}.{v.value}"), v.value) for v in kind]
        value = self._start[field]
        blank = SELECT_DEFAULTS[field] is None
        if value not in {v for _, v in options}:
            value = SELECT_DEFAULTS[field]
        return Select(options, id=field, value=value if value is not None else Select.NULL,
                      allow_blank=blank, compact=True, prompt=self.t("intake.placeholder.caller_mood"))

    def on_mount(self) -> None:
        self.title = self.t("intake.title")
        self._layout(self.app.size.width)
        self._show_suggestion()
        self.query_one(CustomerCard).clear()
        self._show_banner()
        self._load_reference()
        self.query_one("#phone", Input).focus()
        if self._restored_from is not None:
            # When it was saved, not "as you left it": after a kill -9 the last keys may be missing.
            self.notify(self.t("intake.draft_restored", time=local_time(self._restored_from, self._tz, self.lang)))
            self._lookup_now()
            self._suggest_now()

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")

    # -- what the agent types --------------------------------------------------------------------

    def _widgets(self) -> tuple[dict[str, Input], TextArea, dict[str, Select[str]], Checkbox]:
        """The form's fields, found once: a keystroke reads them all, and a DOM query for each
        on every keystroke would cost more than the typing itself."""
        if self._field_widgets is None:
            self._field_widgets = (
                {name: self.query_one(f"#{name}", Input) for name in TEXT_FIELDS},
                self.query_one("#description", TextArea),
                {name: self.query_one(f"#{name}", Select) for name in SELECT_DEFAULTS},
                self.query_one("#urgent", Checkbox),
            )
        return self._field_widgets

    def _collect(self) -> Fields:
        inputs, description, selects, urgent = self._widgets()
        fields: Fields = {name: box.value for name, box in inputs.items()}
        fields["description"] = description.text
        for name, select in selects.items():
            value = select.value
            fields[name] = value if isinstance(value, str) else None
        fields["urgent"] = urgent.value
        return fields

    def _changed(self, field: str, value: Any) -> None:
        self._fields[field] = value  # this field only: this runs on every key typed
        self._draft_changed()
        if field in CONTACT_FIELDS:
            self._debounce("lookup", LOOKUP_DELAY, self._lookup_now)
        if field in SUGGEST_FIELDS:
            self._debounce("suggest", SUGGEST_DELAY, self._suggest_now)
        if field in self._errors:
            self._check({field}, format_only=False)

    def _draft_changed(self) -> None:
        self._generation += 1
        # Not put off while the agent keeps typing: a kill -9 loses at most this pause's keys.
        self._debounce("draft", DRAFT_DELAY, self._save_draft, restart=False)

    def _debounce(self, name: str, delay: float, callback: Callable[[], None], *, restart: bool = True) -> None:
        """Run ``callback`` once the form has not changed for ``delay`` seconds; without
        ``restart``, ``delay`` seconds after the first change it has not run for yet. An
        event-loop timer, not Textual's ``set_timer``: that starts (and here cancels) a task,
        on every key."""
        pending = self._debouncers.get(name)
        if pending is not None:
            if not restart:
                return
            pending.cancel()
        self._debouncers[name] = asyncio.get_running_loop().call_later(delay, self._due, name, callback)

    def _due(self, name: str, callback: Callable[[], None]) -> None:
        self._debouncers.pop(name, None)
        self.call_later(callback)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id in TEXT_FIELDS:
            self._changed(event.input.id, event.value)

    @on(TextArea.Changed, "#description")
    def _description_changed(self, event: TextArea.Changed) -> None:
        self._changed("description", event.text_area.text)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id in SELECT_DEFAULTS:
            self._changed(event.select.id, event.value if isinstance(event.value, str) else None)

    @on(Checkbox.Changed, "#urgent")
    def _urgent_changed(self, event: Checkbox.Changed) -> None:
        self._changed("urgent", event.value)

    @on(Input.Submitted)
    def _next_field(self) -> None:
        # Enter in a one-line field moves on, as on a paper form.
        self.focus_next()

    @on(DescendantBlur)
    def _left_field(self, event: DescendantBlur) -> None:
        # Told on leaving the field: a wrong format, or a text over its limit.
        if event.widget.id in CHECKED_ON_LEAVING:
            self._check({event.widget.id}, format_only=True)

    # -- inline errors ---------------------------------------------------------------------------

    def _parse(self) -> tuple[CaseDraft | None, dict[str, str]]:
        try:
            return CaseDraft.parse(draft_input(self._fields, self.desk.settings.country)), {}
        except InvalidInput as exc:
            return None, dict(exc.params.get("errors", {}))

    def _check(self, fields: set[str], *, format_only: bool) -> None:
        """Show (or clear) the errors of ``fields`` as they stand now."""
        _, errors = self._parse()
        for name in fields:
            code = errors.get(name)
            if code is not None and format_only and code not in FORMAT_ERRORS:
                code = None
            self._set_error(name, code)

    def _set_error(self, field: str, code: str | None) -> None:
        if code is None:
            self._errors.pop(field, None)
        else:
            self._errors[field] = code
        try:
            line = self.query_one(f"#error-{field}", Static)
        except Exception:  # a field the form does not show (e.g. region): the notice says it
            return
        line.set_class(code is not None, "-shown")
        line.update(Text(self.t("intake.error_mark", message=self._message(field, code))) if code else "")

    def _message(self, field: str, code: str) -> str:
        key = f"error.{code}"
        return self.t(key, **field_params(field)) if key in catalogue(self.lang) else code

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            self._set_error(name, errors.get(name))
        first = next((name for name in FIELDS if name in errors), None)
        if first is not None:
            self.query_one(f"#{first}").focus()
        unknown = {k: v for k, v in errors.items() if k not in FIELDS}
        message = self.t("intake.fix_fields", count=len(errors))
        if unknown:
            message += " " + self.explain(InvalidInput("invalid_input", errors=unknown))
        self.notify(message, severity="error", timeout=6)

    # -- the customer ----------------------------------------------------------------------------

    def _lookup_now(self) -> None:
        self._lookup_seq += 1
        self._lookup(self._lookup_seq, self._fields["phone"], self._fields["email"])

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-lookup")
    def _lookup(self, seq: int, phone: str, email: str) -> None:
        history = find_customer(self.desk, phone=phone, email=email, region=self.desk.settings.country)
        searched = history is not None or self._contact_complete(phone, email)
        self.post_message(self.CustomerLooked(seq, history, searched))

    def _contact_complete(self, phone: str, email: str) -> bool:
        """Whether what was typed is a whole phone number or e-mail (so "new customer" is true)."""
        data = draft_input({**empty_form(), "phone": phone, "email": email, "description": "x"},
                           self.desk.settings.country)
        try:
            CaseDraft.parse(data)
        except InvalidInput:
            return False
        return bool(phone.strip() or email.strip())

    @on(CustomerLooked)
    def _customer_looked(self, message: CustomerLooked) -> None:
        if message.seq != self._lookup_seq:
            return  # the agent has typed since: a newer look is on its way
        self._history = message.history
        self.query_one(CustomerCard).show(message.history, self.lang, searched=message.searched)
        self._show_banner()
        self._refresh_keys()
        customer = message.history.customer if message.history else None
        if customer is None:
            return
        name = self.query_one("#customer_name", Input)
        if not name.value.strip() and customer.name:
            name.value = customer.name
        kind = self.query_one("#customer_class", Select)
        if kind.value == SELECT_DEFAULTS["customer_class"] and customer.customer_class in set(CustomerClass):
            kind.value = customer.customer_class

    def _show_banner(self) -> None:
        banner = self.query_one("#intake-banner", Static)
        history = self._history
        lines: list[str] = []
        if history is not None and history.open_cases:
            case = history.open_cases[0]
            lines.append(self.t("intake.open_banner", number=case.number, status=self.t(f"status.{case.status.value}"),
                                shortcut=key_of(self, "intake.open_case")))
        if history is not None and history.repeat:
            count = f"{len(history.cases)}+" if history.more else str(len(history.cases))
            lines.append(self.t("intake.repeat_banner", count=count))
        banner.set_class(bool(lines), "-shown")
        banner.set_class(bool(history and history.open_cases), "-open")
        banner.update(Text("\n".join(lines)))

    def on_desk_changed(self, _: DeskChanged) -> None:
        # Another terminal may have registered or closed a case of this caller.
        if self._history is not None:
            self._lookup_now()

    # -- the suggestion --------------------------------------------------------------------------

    def _suggest_key(self) -> tuple[Any, ...]:
        f = self._fields
        return (f["description"].strip(), f["product"].strip(), f["batch"].strip(), f["category"].strip(),
                f["channel"], f["customer_class"], self._purchase_date(), f["urgent"])

    def _purchase_date(self) -> date | None:
        try:
            return date.fromisoformat(self._fields["purchase_date"])
        except (TypeError, ValueError):
            return None

    def _suggest_now(self) -> None:
        key = self._suggest_key()
        if not key[0]:
            return  # nothing described yet: the rules have nothing to read
        if key == self._suggestion_key:
            return
        self._suggest_seq += 1
        self._suggest(self._suggest_seq, key)

    def _ask_rules(self, key: tuple[Any, ...]) -> Suggestion:
        text, product, batch, category, channel, customer_class, purchase_date, urgent = key
        return suggest_case(
            self.desk, text, category=category or None, channel=channel, product=product or None,
            batch=batch or None, customer_class=customer_class, purchase_date=purchase_date,
            urgent=urgent, now=self.desk_app.now(),
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-suggest")
    def _suggest(self, seq: int, key: tuple[Any, ...]) -> None:
        self.post_message(self.SuggestionReady(seq, key, self._ask_rules(key)))

    @on(SuggestionReady)
    def _suggestion_ready(self, message: SuggestionReady) -> None:
        if message.seq != self._suggest_seq:
            return
        self._suggestion = message.suggestion
        self._suggestion_key = message.key
        self._show_suggestion()
        self._refresh_keys()

    def _show_suggestion(self) -> None:
        accepted = self._accepted is not None and self._suggestion is not None and (
            self._accepted.get("department") == self._suggestion.department)
        self.query_one(SuggestionPanel).show(
            self._suggestion, lang=self.lang, tz=self._tz, departments=self._departments,
            accept_key=key_of(self, "intake.accept"), accepted=accepted,
        )

    @property
    def _tz(self) -> tzinfo:
        return self.desk.calendar.tz

    @work(thread=True, exit_on_error=False, group="intake-reference")
    def _load_reference(self) -> None:
        self.post_message(self.ReferenceLoaded(department_names(self.desk), known_categories(self.desk)))

    @on(ReferenceLoaded)
    def _reference_loaded(self, message: ReferenceLoaded) -> None:
        self._departments = message.departments
        self.query_one("#category", Input).suggester = SuggestFromList(message.categories, case_sensitive=False)
        self._show_suggestion()

    # -- actions ---------------------------------------------------------------------------------

    def _refresh_keys(self) -> None:
        """Redraw the footer only when a key comes or goes: the footer rebuilds all its keys,
        which costs more than a keystroke may while the agent types."""
        shown = (self._suggestion is not None, bool(self._history and self._history.open_cases))
        if shown != self._keys_shown:
            self._keys_shown = shown
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept":
            return True if self._suggestion is not None else None
        if action == "open_case":
            return bool(self._history and self._history.open_cases)
        return True

    def action_accept(self) -> None:
        s = self._suggestion
        if s is None:
            self.notify(self.t("intake.no_suggestion"), severity="warning")
            return
        if s.category:
            self.query_one("#category", Input).value = s.category
        self.query_one("#severity", Select).value = s.severity.value
        urgent = self.query_one("#urgent", Checkbox)
        # Accepting never lowers urgency the agent set: a safety risk they heard stays urgent.
        urgent.value = urgent.value or s.urgent
        self._accepted = suggested_values(s)
        self._draft_changed()  # what was accepted is kept in the draft with the fields
        self._show_suggestion()

    def action_toggle_panel(self) -> None:
        self.query_one(SuggestionPanel).toggle_class("-toggled")
        if self.focused is not None:
            # The panel took or gave back room: keep the field being typed in in sight.
            self.call_after_refresh(self.focused.scroll_visible)

    def action_open_case(self) -> None:
        if self._history and self._history.open_cases:
            self.desk_app.open_case(self._history.open_cases[0].number)
        else:
            self.notify(self.t("intake.no_open_case"), severity="warning")

    def action_back(self) -> None:
        self.dismiss(None)

    def action_discard(self) -> None:
        def answered(discard: bool | None) -> None:
            if discard:
                self._clear_form()
                self._store.discard(self._generation)
                self.notify(self.t("intake.draft_discarded"))

        self.app.push_screen(DiscardDialog(), answered)

    def action_save(self) -> None:
        if self._registering:
            self.notify(self.t("intake.busy"), severity="warning")
            return
        self._fields = self._collect()
        draft, errors = self._parse()
        if draft is None:
            self._show_errors(errors)
            return
        for name in FIELDS:
            self._set_error(name, None)
        key = self._suggest_key()
        known = self._suggestion if key == self._suggestion_key else None
        self._registering = True
        self.notify(self.t("intake.registering"), timeout=2)
        self._register(draft, key, known, self._accepted, self._generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-register")
    def _register(self, draft: CaseDraft, key: tuple[Any, ...], known: Suggestion | None,
                  accepted: dict[str, Any] | None, generation: int) -> None:
        # The timeline records what the rules said about the text as registered, even when the
        # agent was quicker than the suggestion.
        suggestion = known or (self._ask_rules(key) if key[0] else None)
        suggested = suggested_values(suggestion) if suggestion is not None else None
        chosen = {
            "department": accepted.get("department") if accepted else None,
            "category": draft.category,
            "severity": draft.severity.value,
        }
        case = register_case(self.desk, self.actor.name, draft, suggested=suggested,
                             chosen=chosen if suggested is not None else None)
        self._store.discard(generation)
        self.post_message(self.Registered(case))

    @on(Registered)
    def _registered(self, message: Registered) -> None:
        self._registering = False
        case = message.case
        self._clear_form()
        self.notify(self.t("intake.registered", number=case.number))
        answer = case.deadlines.get("answer")
        when = local_time(answer, self._tz, self.lang) if answer else "-"
        self.app.push_screen(RegisteredDialog(case.number, when), lambda _: self._focus_phone())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "intake-register" or event.state not in (WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self._registering = False  # the app says what failed; the form keeps everything
        if isinstance(worker.error, InvalidInput):
            self._show_errors(dict(worker.error.params.get("errors", {})))

    def _focus_phone(self) -> None:
        self.query_one("#phone", Input).focus()

    def _clear_form(self) -> None:
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#description", TextArea).load_text("")
        for name, default in SELECT_DEFAULTS.items():
            select = self.query_one(f"#{name}", Select)
            if default is None:
                select.clear()
            else:
                select.value = default
        self.query_one("#urgent", Checkbox).value = False
        for name in FIELDS:
            self._set_error(name, None)
        self._accepted = None
        self._suggestion = None
        self._suggestion_key = None
        self._suggest_seq += 1  # a suggestion still on its way is for the previous call
        self._lookup_seq += 1
        self._history = None
        self.query_one(CustomerCard).clear()
        self._show_banner()
        self._show_suggestion()
        self._fields = self._collect()
        self._generation += 1
        self._refresh_keys()
        self._focus_phone()

    # -- the draft on disk -----------------------------------------------------------------------

    def _save_draft(self) -> None:
        self._write_draft(self._document(), self._generation)

    def _document(self) -> Fields:
        return {**self._fields, "accepted": self._accepted}

    def _document_now(self) -> Fields:
        """The form as the fields show it this instant, even a key whose change message has not
        been handled yet (a signal can come between the two)."""
        try:
            fields = self._collect()
        except Exception:  # not composed yet, or already taken apart: what the messages said
            fields = self._fields
        return {**fields, "accepted": self._accepted}

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-draft")
    def _write_draft(self, document: Fields, generation: int) -> None:
        self._flush(document, generation)

    def _flush(self, document: Fields, generation: int) -> None:
        if is_empty(document):
            self._store.discard(generation)
        else:
            self._store.save(document, generation)

    def save_unsaved(self, *, last: bool) -> None:
        """The form as it is now becomes the draft at once, whatever a worker is writing: the
        form closes, or the desk is being ended from outside (the app's signal handler)."""
        document = self._document_now()
        self._store.save_now(None if is_empty(document) else document, self._generation, last=last)

    def on_unmount(self) -> None:
        for pending in self._debouncers.values():
            pending.cancel()
        self.save_unsaved(last=False)


class Tick(Checkbox):
    """A checkbox whose state shows without colour (NO_COLOR): a mark when on, blank when off."""

    def __init__(self, label: str, value: bool = False, **kwargs: Any) -> None:
        super().__init__(label, value, **kwargs)
        self.BUTTON_INNER = "X" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()


def suggested_values(s: Suggestion) -> dict[str, Any]:
    """The part of a suggestion the timeline keeps."""
    return {"department": s.department, "category": s.category, "severity": s.severity.value,
            "remedies": [r.value for r in s.remedies]}


def _fully(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None


class RegisteredDialog(DeskModal[None]):
    """The new case number, large enough to read out, and when the customer hears back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "cancel", "Next call", id="intake.next_call"),
    ]

    def __init__(self, number: str, answer_by: str) -> None:
        super().__init__()
        self.number = number
        self.answer_by = answer_by

    def compose(self) -> ComposeResult:
        with Vertical(id="registered"):
            yield Label(self.t("intake.result_title"), markup=False)
            yield Digits(self.number.removeprefix("KS-"), id="registered-digits")
            yield Static(Text(self.number, style="bold"), id="registered-number")
            yield Static(Text(self.t("intake.result_answer", date=self.answer_by)), id="registered-answer")
            yield Static(Text(self.t("intake.result_hint"), style="dim"))


class DiscardDialog(DeskModal[bool]):
    """Throwing a draft away is the one way to lose it: asked once more."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", "Discard", id="intake.discard_confirm"),
        Binding("escape", "cancel", "Keep", id="intake.discard_keep"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard"):
            yield Static(Text(self.t("intake.discard_question")))
            yield Static(Text(self.t("intake.discard_hint"), style="dim"))

    def action_confirm(self) -> None:
        self.dismiss(True)
