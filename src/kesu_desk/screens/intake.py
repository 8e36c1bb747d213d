"""The intake form: a new complaint taken while the customer talks, never lost, never waiting."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import tzinfo
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

from kesu_desk.domain.amounts import range_text
from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.limits import TEXT_LIMITS
from kesu_desk.domain.products import ProductInfo, warranty_end, within_warranty
from kesu_desk.domain.vocabulary import Channel, CustomerClass, Kind, Mood, Remedy, Severity
from kesu_desk.i18n import catalogue, field_params
from kesu_desk.present.formats import category_name, local_time_with_weekday
from kesu_desk.rules import Suggestion
from kesu_desk.screens.base import DeskChanged, DeskModal, DeskScreen
from kesu_desk.services import products
from kesu_desk.services.cases import register_case, resolve_at_first_contact
from kesu_desk.services.intake import (
    CustomerHistory,
    DraftStore,
    department_names,
    find_customer,
    known_categories,
)
from kesu_desk.services.intake_form import (
    CHECKED_ON_LEAVING,
    CONTACT_FIELDS,
    FIELDS,
    SELECT_DEFAULTS,
    SUGGEST_FIELDS,
    TEXT_FIELDS,
    Fields,
    IntakeForm,
    Registration,
    SuggestKey,
    is_empty,
)
from kesu_desk.services.suggestions import suggest_case
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.widgets import outcomes
from kesu_desk.widgets.customer_card import CustomerCard
from kesu_desk.widgets.form import field_row
from kesu_desk.widgets.keys import DeskFooter, key_of
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.suggestion_panel import SuggestionPanel
from kesu_desk.widgets.text import ControlPictures, OneLineInput, TypedTextArea

# Pauses after which the form acts on what was typed (seconds): the customer lookup and the
# draft on disk as soon as the agent stops, the suggestion a little later (it reads more).
LOOKUP_DELAY = 0.3
DRAFT_DELAY = 0.3
SUGGEST_DELAY = 0.4
PRODUCT_DELAY = 0.3
# Below this many columns the suggestion goes under the form, where F2 opens it.
WIDE = 110

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
        Binding("f6", "resolve", "Resolved now", id="intake.resolve", priority=True),
    ]

    class CustomerLooked(Message):
        def __init__(self, seq: int, history: CustomerHistory | None, searched: bool) -> None:
            super().__init__()
            self.seq = seq
            self.history = history
            self.searched = searched

    class SuggestionReady(Message):
        def __init__(self, seq: int, key: SuggestKey, suggestion: Suggestion) -> None:
            super().__init__()
            self.seq = seq
            self.key = key
            self.suggestion = suggestion

    class Registered(Message):
        def __init__(self, case: CaseView) -> None:
            super().__init__()
            self.case = case

    class NotRegistered(outcomes.Failed):
        """The form keeps everything; wrong fields are marked where they are."""

    class ProductsFound(Message):
        """The catalogue's answer for what the product field held: the products it matches,
        or (Enter) the one picked."""

        def __init__(self, text: str, found: list[ProductInfo], pick: bool) -> None:
            super().__init__()
            self.text = text
            self.found = found
            self.pick = pick

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
        self.form = IntakeForm.restored(saved.fields if saved is not None else {}, self.desk.settings.country)
        self._restored_from = saved.saved_at if saved is not None and not self.form.is_empty() else None
        self._start = dict(self.form.fields)  # what the widgets are built with
        self._debouncers: dict[str, asyncio.TimerHandle] = {}
        self._keys_shown: tuple[bool, bool] = (False, False)
        self._field_widgets: tuple[dict[str, Input], TextArea, dict[str, Select[str]], Checkbox] | None = None
        self._departments: dict[str, dict[str, str]] = {}
        self._registering = False
        self._product: ProductInfo | None = None  # the catalogue product picked, for its warranty line

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
                # issue 13: the store the case belongs to (a store manager's own when left empty)
                yield from self._row("store", self._input("store", placeholder=self.t("intake.placeholder.store")))
                yield from self._row("customer_class", self._select("customer_class", CustomerClass, "class"))
                yield from self._row("product", self._input("product"))
                yield Static(id="product-info")
                yield from self._row("order_no", self._input("order_no"))
                yield from self._row("batch", self._input("batch"))
                # issue 13: the units of one batch this call is about; the batch threshold counts them
                yield from self._row("units", self._input("units", placeholder="1", restrict=r"[0-9]*"))
                yield from self._row("purchase_date", self._input(
                    "purchase_date", placeholder=self.t("intake.placeholder.purchase_date"),
                    restrict=r"[0-9-]*"))
                yield from self._row("price", self._input("price", placeholder="0.00"))  # issue 13
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
                yield from self._row("kind", self._select("kind", Kind, "kind"))
            yield SuggestionPanel(id="suggestion")
        yield DeskFooter()

    def _row(self, field: str, widget: Widget) -> ComposeResult:
        yield field_row(self.t(f"intake.label.{field}"), widget, id=f"row-{field}")
        yield Static(classes="field-error", id=f"error-{field}")

    def _input(self, field: str, *, placeholder: str = "", restrict: str | None = None) -> Input:
        value = str(self._start[field] or "")
        if restrict is not None and value and not _fully(restrict, value):
            value = ""  # a hand-edited draft must not crash the form
        return OneLineInput(value, placeholder=placeholder, id=field, compact=True, restrict=restrict,
                            select_on_focus=False, highlighter=ControlPictures())

    def _select(self, field: str, kind: type[Channel] | type[CustomerClass] | type[Mood] | type[Kind],
                names: str) -> Select[str]:
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
            restored = local_time_with_weekday(self._restored_from, self._tz, self.lang)
            self.notify(self.t("intake.draft_restored", time=restored))
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
        self.form.change(field, value)  # this field only: this runs on every key typed
        self._draft_changed()
        if field in CONTACT_FIELDS:
            self._debounce("lookup", LOOKUP_DELAY, self._lookup_now)
        if field == "product":
            self._debounce("products", PRODUCT_DELAY, self._products_now)
        if field == "purchase_date" and self._product is not None and self.form.product_code() is not None:
            self._show_product_info(self._product_line(self._product))  # within the warranty or not
        if field in SUGGEST_FIELDS:
            self._debounce("suggest", SUGGEST_DELAY, self._suggest_now)
        if field in self.form.errors:
            self._check({field}, format_only=False)

    def _draft_changed(self) -> None:
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
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a one-line field moves on, as on a paper form. In the product field it also
        # picks the product a scanned barcode (a scanner types digits, then Enter) or a code
        # names, in a worker: the keys typed meanwhile go to the next field.
        if event.input.id == "product" and event.value.strip():
            pending = self._debouncers.pop("products", None)
            if pending is not None:
                pending.cancel()
            self._pick_product(event.value)
        if event.input.id in ("phone", "email") and event.value.strip():
            # On a call: the caller's number, Enter, and what happened (issue 15: ring to case
            # number in a few keys). A known caller's card fills the name and class; Shift+Tab
            # goes back to them, Tab from the contact still walks every field in order.
            self.query_one("#description").focus()
            return
        self.focus_next()

    # -- the product -----------------------------------------------------------------------------

    def _products_now(self) -> None:
        if self.form.product_code() is not None:
            return  # the field shows the product picked: nothing to look for
        self._find_products(self.query_one("#product", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-products")
    def _find_products(self, text: str) -> None:
        self.post_message(self.ProductsFound(text, products.search(self.desk, text), pick=False))

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-product-pick")
    def _pick_product(self, text: str) -> None:
        """Enter: the product a barcode or code names exactly, else the only one matching."""
        one = products.lookup(self.desk, text)
        found = [one] if one is not None else products.search(self.desk, text, limit=2)
        self.post_message(self.ProductsFound(text, found if len(found) == 1 else [], pick=True))

    @on(ProductsFound)
    def _products_found(self, message: ProductsFound) -> None:
        box = self.query_one("#product", Input)
        if box.value != message.text:
            return  # typed on since, or picked: a newer answer is on its way
        if message.pick and message.found:
            product = message.found[0]
            name = product.name_in(self.lang)
            self.form.pick(product.code, name)
            self._product = product
            box.value = name  # told to the form by Input.Changed
            self._show_product_info(self._product_line(product))
            price = self.query_one("#price", Input)
            if not price.value.strip() and product.retail_price is not None:
                price.value = f"{product.retail_price:.2f}"  # issue 13: what a compensation is measured by
        elif message.found:
            self._show_product_info(self.t("products.matches", matches=" · ".join(
                f"{p.code} {p.name_in(self.lang)}" for p in message.found)))
        else:
            self._show_product_info(self.t("products.no_match") if message.text.strip() and message.pick else "")

    def _show_product_info(self, line: str) -> None:
        info = self.query_one("#product-info", Static)
        info.set_class(bool(line), "-shown")
        info.update(Text(line))

    def _product_line(self, product: ProductInfo) -> str:
        none = self.t("products.none")
        months = (self.t("products.months", months=product.warranty_months)
                  if product.warranty_months is not None else none)
        price = range_text(product.retail_price) if product.retail_price is not None else none
        line = self.t("products.picked", code=product.code, name=product.name_in(self.lang),
                      warranty=months, price=price)
        bought = self.form.suggest_key().purchase_date
        covered = within_warranty(product, bought, self.desk.calendar.local_date(utcnow()))
        if covered is None:
            return f"{line} · {self.t('products.warranty_unknown')}"
        assert bought is not None and product.warranty_months is not None
        end = warranty_end(bought, product.warranty_months).isoformat()
        return f"{line} · {self.t('products.warranty_in' if covered else 'products.warranty_out', end=end)}"

    @on(DescendantBlur)
    def _left_field(self, event: DescendantBlur) -> None:
        # Told on leaving the field: a wrong format, or a text over its limit.
        if event.widget.id in CHECKED_ON_LEAVING:
            self._check({event.widget.id}, format_only=True)

    # -- inline errors ---------------------------------------------------------------------------

    def _check(self, fields: set[str], *, format_only: bool) -> None:
        """Show (or clear) the errors of ``fields`` as they stand now."""
        for name, code in self.form.check(fields, format_only=format_only).items():
            self._set_error(name, code)

    def _set_error(self, field: str, code: str | None) -> None:
        if code is None:
            self.form.errors.pop(field, None)
        else:
            self.form.errors[field] = code
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
        self._lookup(*self.form.lookup())

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-lookup")
    def _lookup(self, seq: int, phone: str, email: str) -> None:
        history = find_customer(self.desk, phone=phone, email=email, region=self.desk.settings.country)
        searched = history is not None or self.form.contact_complete(phone, email)
        self.post_message(self.CustomerLooked(seq, history, searched))

    @on(CustomerLooked)
    def _customer_looked(self, message: CustomerLooked) -> None:
        self.form.fields = self._collect()  # a key typed may not have been told to the form yet
        fill = self.form.looked_up(message.seq, message.history)
        if fill is None:
            return  # the agent has typed since: a newer look is on its way
        self.query_one(CustomerCard).show(message.history, self.lang, searched=message.searched)
        self._show_banner()
        self._refresh_keys()
        self._fill(fill)

    def _show_banner(self) -> None:
        banner = self.query_one("#intake-banner", Static)
        history = self.form.history
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
        if self.form.history is not None:
            self._lookup_now()

    # -- the suggestion --------------------------------------------------------------------------

    def _suggest_now(self) -> None:
        question = self.form.suggest()
        if question is not None:
            self._suggest(*question)

    def _ask_rules(self, key: SuggestKey) -> Suggestion:
        return suggest_case(
            self.desk, key.text, category=key.category or None, channel=key.channel, kind=key.kind, units=key.units,
            product=key.product or None, batch=key.batch or None, customer_class=key.customer_class,
            purchase_date=key.purchase_date, urgent=key.urgent, now=self.desk_app.now(),
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-suggest")
    def _suggest(self, seq: int, key: SuggestKey) -> None:
        self.post_message(self.SuggestionReady(seq, key, self._ask_rules(key)))

    @on(SuggestionReady)
    def _suggestion_ready(self, message: SuggestionReady) -> None:
        if not self.form.suggested(message.seq, message.key, message.suggestion):
            return
        self._show_suggestion()
        self._refresh_keys()

    def _show_suggestion(self) -> None:
        self.query_one(SuggestionPanel).show(
            self.form.suggestion, lang=self.lang, tz=self._tz, departments=self._departments,
            accept_key=key_of(self, "intake.accept"), accepted=self.form.accepted_shown,
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
        names = [category_name(code, self.lang) for code in message.categories]
        self.query_one("#category", Input).suggester = SuggestFromList(names, case_sensitive=False)
        self._show_suggestion()

    # -- actions ---------------------------------------------------------------------------------

    def _refresh_keys(self) -> None:
        """Redraw the footer only when a key comes or goes: the footer rebuilds all its keys,
        which costs more than a keystroke may while the agent types."""
        history = self.form.history
        shown = (self.form.suggestion is not None, bool(history and history.open_cases))
        if shown != self._keys_shown:
            self._keys_shown = shown
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept":
            return True if self.form.suggestion is not None else None
        if action == "open_case":
            return bool(self.form.history and self.form.history.open_cases)
        return True

    def action_accept(self) -> None:
        self.form.fields = self._collect()  # a key typed may not have been told to the form yet
        fill = self.form.accept()
        if fill is None:
            self.notify(self.t("intake.no_suggestion"), severity="warning")
            return
        self._fill(fill)
        self._draft_changed()  # what was accepted is kept in the draft with the fields
        self._show_suggestion()

    def _fill(self, values: Fields) -> None:
        """Put values the form chose (the lookup's, the suggestion's) in their fields."""
        inputs, _, selects, urgent = self._widgets()
        for name, value in values.items():
            if name == "category" and value:
                inputs[name].value = category_name(str(value), self.lang)  # by name, not its code
            elif name in inputs:
                inputs[name].value = value
            elif name in selects:
                selects[name].value = value
            elif name == "urgent":
                urgent.value = value

    def action_toggle_panel(self) -> None:
        self.query_one(SuggestionPanel).toggle_class("-toggled")
        if self.focused is not None:
            # The panel took or gave back room: keep the field being typed in in sight.
            self.call_after_refresh(self.focused.scroll_visible)

    def action_open_case(self) -> None:
        history = self.form.history
        if history and history.open_cases:
            self.desk_app.open_case(history.open_cases[0].number)
        else:
            self.notify(self.t("intake.no_open_case"), severity="warning")

    def action_back(self) -> None:
        self.dismiss(None)

    def action_discard(self) -> None:
        def answered(discard: bool | None) -> None:
            if discard:
                self._clear_form()
                self._store.discard(self.form.generation)
                self.notify(self.t("intake.draft_discarded"))

        self.app.push_screen(DiscardDialog(), answered)

    def _ready(self) -> Registration | None:
        """The form checked for registering (Ctrl+S or F6), or None with each wrong field marked
        (or the agent told that the previous case is still being registered)."""
        if self._registering:
            self.notify(self.t("intake.busy"), severity="warning")
            return None
        self.form.fields = self._collect()
        registration, errors = self.form.registration()
        if registration is None:
            self._show_errors(errors)
            return None
        for name in FIELDS:
            self._set_error(name, None)
        return registration

    def action_save(self) -> None:
        registration = self._ready()
        if registration is None:
            return
        self._registering = True
        self.notify(self.t("intake.registering"), timeout=2)
        self._register(registration)

    def action_resolve(self) -> None:
        """Resolved at the first contact (a dish replaced at the table, a question answered with
        the Q&A guide): what was done, then registered and closed in one step."""
        registration = self._ready()
        if registration is None:
            return

        def answered(result: tuple[str, str | None] | None) -> None:
            if result is None:
                return
            self.form.resolve_text(result[0])
            self._registering = True
            self.notify(self.t("intake.registering"), timeout=2)
            self._register(registration, result)

        def kept(text: str) -> None:
            self.form.resolve_text(text)  # on disk with the draft: Esc or kill -9 loses none of it
            self._draft_changed()

        self.app.push_screen(ResolveDialog(self.form.resolution, kept), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-register")
    def _register(self, registration: Registration, resolved: tuple[str, str | None] | None = None) -> None:
        with outcome(self, self.NotRegistered) as post:
            # The timeline records what the rules said about the text as registered, even when
            # the agent was quicker than the suggestion.
            suggestion = registration.known or (
                self._ask_rules(registration.key) if registration.described else None)
            suggested, chosen = registration.suggestion_record(suggestion)
            if resolved is None:
                case = register_case(self.desk, self.actor.name, registration.draft,
                                     suggested=suggested, chosen=chosen)
            else:
                text, remedy = resolved
                case = resolve_at_first_contact(
                    self.desk, self.actor.name, registration.draft, resolution=text,
                    remedy=Remedy(remedy) if remedy else None, suggested=suggested, chosen=chosen)
            self._store.discard(registration.generation)
            post(self.Registered(case))

    @on(Registered)
    def _registered(self, message: Registered) -> None:
        self._registering = False
        case = message.case
        self._clear_form()
        # The dialog says it in large digits: no toast ("Registering…", "registered") over it.
        self.app.clear_notifications()
        if case.first_contact:
            self.app.push_screen(RegisteredDialog(case.number, None), lambda _: self._focus_phone())
            return
        answer = case.deadlines.get("answer")
        when = local_time_with_weekday(answer, self._tz, self.lang) if answer else "-"
        self.app.push_screen(RegisteredDialog(case.number, when), lambda _: self._focus_phone())

    @on(NotRegistered)
    def _not_registered(self, message: NotRegistered) -> None:
        self._registering = False  # the form keeps everything
        if isinstance(message.error, InvalidInput):
            self._show_errors(dict(message.error.params.get("errors", {})))
        elif message.error is not None:
            self.notify(self.explain(message.error), severity="error", timeout=8, markup=False)

    def _focus_phone(self) -> None:
        self.query_one("#phone", Input).focus()

    def _clear_form(self) -> None:
        self._show_product_info("")
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
        self.form.clear()  # a lookup or suggestion still on its way is for the previous call
        self.query_one(CustomerCard).clear()
        self._show_banner()
        self._show_suggestion()
        self._refresh_keys()
        self._focus_phone()

    # -- the draft on disk -----------------------------------------------------------------------

    def _save_draft(self) -> None:
        self._write_draft(self.form.document(), self.form.generation)

    def _document_now(self) -> Fields:
        """The form as the fields show it this instant, even a key whose change message has not
        been handled yet (a signal can come between the two)."""
        try:
            fields = self._collect()
        except Exception:  # not composed yet, or already taken apart: what the messages said
            fields = self.form.fields
        return self.form.document(fields)

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
        self._store.save_now(None if is_empty(document) else document, self.form.generation, last=last)

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


def _fully(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None


class RegisteredDialog(DeskModal[None]):
    """The new case number, large enough to read out, and when the customer hears back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "cancel", "Next call", id="intake.next_call"),
    ]

    def __init__(self, number: str, answer_by: str | None) -> None:
        """``answer_by`` None: the case was resolved at the first contact, nothing to promise."""
        super().__init__()
        self.number = number
        self.answer_by = answer_by

    def compose(self) -> ComposeResult:
        with Vertical(id="registered"):
            title = "intake.result_title" if self.answer_by is not None else "intake.resolved_title"
            yield Label(self.t(title), markup=False)
            yield Digits(self.number.removeprefix("KS-"), id="registered-digits")
            yield Static(Text(self.number, style="bold"), id="registered-number")
            if self.answer_by is not None:
                yield Static(Text(self.t("intake.result_answer", date=self.answer_by)), id="registered-answer")
            yield Static(Text(self.t("intake.result_hint"), style="dim"))


# What can be given on the spot; money (refund, compensation, discount) needs a proposal and its
# approval.
ON_THE_SPOT = (Remedy.APOLOGY, Remedy.EXCHANGE, Remedy.REPAIR)


class ResolveDialog(DeskModal[tuple[str, str | None]]):
    """F6: what was done to resolve the contact on the spot, and the remedy given if any."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", "Register and close", id="intake.resolve_confirm", priority=True),
    ]

    KEEPS_TYPED = True  # told to the form as it is typed: Esc loses nothing

    def __init__(self, text: str, kept: Callable[[str], None]) -> None:
        super().__init__()
        self.text = text
        self.kept = kept  # told what is typed on leaving, so Esc loses nothing

    def compose(self) -> ComposeResult:
        with Vertical(id="resolve"):
            yield Label(self.t("intake.resolve_title"), markup=False)
            yield OneLineInput(self.text, id="resolution", placeholder=self.t("intake.placeholder.resolution"),
                               max_length=TEXT_LIMITS["implementation"], select_on_focus=False,
                               highlighter=ControlPictures())
            yield Label(self.t("intake.resolve_remedy"), markup=False)
            yield Select([(self.t(f"remedy.{r.value}"), r.value) for r in ON_THE_SPOT], id="resolve-remedy",
                         prompt=self.t("intake.resolve_none"), compact=True)
            yield Static(id="resolve-error")
            yield Static(Text(self.t("intake.resolve_hint"), style="dim"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.kept(event.value)

    def action_confirm(self) -> None:
        text = self.query_one("#resolution", Input).value.strip()
        if not text:
            self.query_one("#resolve-error", Static).update(Text(self.t("intake.resolution_missing")))
            self.query_one("#resolution", Input).focus()
            return
        remedy = self.query_one("#resolve-remedy", Select).value
        self.dismiss((text, remedy if isinstance(remedy, str) else None))


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
