"""The case screen's dialogs, one per action: each saves against the version of the case the user
opened, and on any failure stays open with everything typed (after a conflict, showing what
changed, ready to save again against the new version)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Mount
from textual.message import Message
from textual.widgets import Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from kesu_desk.domain.amounts import amount_params, parse_amount
from kesu_desk.domain.errors import ConflictError, DeskError, InvalidInput
from kesu_desk.domain.remedies import MAX_REMEDIES
from kesu_desk.domain.vocabulary import Action, Fishbone, Remedy, Role, Visibility
from kesu_desk.i18n import t
from kesu_desk.present.formats import local_time, rules_advice
from kesu_desk.screens.base import DeskModal
from kesu_desk.services import cases
from kesu_desk.services.canned import CannedReply, canned_replies
from kesu_desk.services.intake import other_open_cases
from kesu_desk.services.users import department_views, list_users
from kesu_desk.services.views import CaseView
from kesu_desk.widgets import outcomes
from kesu_desk.widgets.case_header import pending_proposal
from kesu_desk.widgets.form import Form, choice, line_input, row, text_area
from kesu_desk.widgets.keys import DeskFooter, key_of
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.text import one_line, plain
from kesu_desk.widgets.timeline import amount_text, event_summary, range_note, remedies_text

# -- what changed between two versions of a case ------------------------------------------------


def _compared(lang: str, tz: tzinfo) -> list[tuple[str, Callable[[CaseView], str]]]:
    def name(table: str, value: object) -> str:
        return t(f"{table}.{value}", lang) if value else ""

    fields: list[tuple[str, Callable[[CaseView], str]]] = [
        (t("field.status", lang), lambda v: name("status", v.status.value)),
        (t("field.severity", lang), lambda v: name("severity", v.severity.value)),
        (t("case.urgent", lang), lambda v: t("case.yes" if v.urgent else "case.no", lang)),
        (t("case.validity_label", lang), lambda v: name("case.validity", v.validity)),
        (t("field.reason", lang), lambda v: one_line(v.validity_reason)),
        (t("field.department", lang), lambda v: v.department or ""),
        (t("case.handler", lang), lambda v: one_line(v.handler)),
        (t("field.fishbone", lang), lambda v: name("case.fishbone", v.fishbone_factor)),
    ]
    fields += [(t(f"case.cause.{key}", lang), _cause(key)) for key in cases.CAUSE_FIELDS]
    fields += [
        (t("field.remedy", lang), lambda v: name("remedy", v.remedy)),
        (t("field.amount", lang), lambda v: f"{v.amount:.2f}" if v.amount is not None else ""),
        (t("field.implementation", lang), lambda v: one_line(v.implementation)),
        (t("field.accountability", lang), lambda v: one_line(v.accountability)),
        (t("case.preventive_action", lang), lambda v: one_line(v.preventive_action)),
        (t("case.satisfaction", lang), lambda v: str(v.satisfaction or "")),
        (t("case.closure_label", lang), lambda v: name("case.closure", v.closure)),
        (t("case.waiting", lang), lambda v: local_time(v.waiting_since, tz) if v.waiting_since else ""),
        (t("case.next_due", lang), lambda v: local_time(v.next_due_at, tz) if v.next_due_at else ""),
    ]
    return fields


def _cause(key: str) -> Callable[[CaseView], str]:
    return lambda v: one_line(v.cause.get(key))


def case_changes(old: CaseView, new: CaseView, lang: str, tz: tzinfo) -> list[str]:
    """What another terminal changed, in words: each field that differs, then each new event."""
    lines = []
    for label, value in _compared(lang, tz):
        before, after = value(old), value(new)
        if before != after:
            lines.append(t("conflict.changed", lang, field=label, before=before or "—", after=after or "—"))
    seen = {e.id for e in old.timeline}
    lines += [t("conflict.event", lang, event=event_summary(e, lang, tz))
              for e in new.timeline if e.id not in seen]
    return lines


# -- the dialog every action shares -----------------------------------------------------------------


class ActionDialog(DeskModal[CaseView | None]):
    """A form for one action; Ctrl+S saves, F3 inserts a canned reply, Esc cancels."""

    ACTION: ClassVar[Action]
    # Canned replies this dialog lists first (by key in assets/replies/).
    CANNED_FIRST: ClassVar[tuple[str, ...]] = ()

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "submit", "Save", id="case.save", priority=True),
        Binding("f3,ctrl+t", "canned", "Canned reply", id="case.canned"),
    ]

    class Saved(Message):
        """Saved: ``view`` is the case as it is now."""

        def __init__(self, view: CaseView) -> None:
            super().__init__()
            self.view = view

    class Conflicted(Message):
        """Someone changed the case first: nothing was saved; ``fresh`` is the case as it is now."""

        def __init__(self, error: ConflictError, fresh: CaseView) -> None:
            super().__init__()
            self.error = error
            self.fresh = fresh

    class Failed(outcomes.Failed):
        """Not saved: the desk's refusal (said under the fields), or a failure the app reported."""

    class CannedLoaded(Message):
        def __init__(self, replies: list[CannedReply]) -> None:
            super().__init__()
            self.replies = replies

    def __init__(self, view: CaseView, *, reloaded: Callable[[CaseView], None] | None = None) -> None:
        super().__init__(classes="action-dialog")
        self.opened = view  # the version the user's input is measured against
        self.reloaded = reloaded
        self.saving = False

    @property
    def tz(self) -> tzinfo:
        return self.desk.calendar.tz

    def compose(self) -> ComposeResult:
        name = t(f"action.{self.ACTION.value}", self.lang)
        with Vertical(id="dialog"):
            yield Static(Text(name[:1].upper() + name[1:], style="bold"), id="dialog-title")
            context = Text(f"{self.opened.number}  ")
            context.append_text(plain(one_line(self.opened.customer.name)))
            yield Static(context, id="dialog-context")
            with Form(id="dialog-form"):
                yield from self.form()
            yield Static(id="dialog-changes")
            yield Static(id="dialog-error")
        yield DeskFooter(compact=True)

    def form(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        fields = self.query_one(Form).query("Input, Select, TextArea")
        if fields:
            fields.first().focus()

    def collect(self) -> dict[str, Any]:
        """The fields' values (on the interface thread); DeskError for input that cannot be sent."""
        raise NotImplementedError

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        """Call the service (in a worker thread)."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "canned":
            return self.is_mounted and bool(self.query(TextArea))
        return True

    # -- reading fields -------------------------------------------------------------------------

    def text(self, id: str) -> str:
        widget = self.query_one(f"#{id}")
        if isinstance(widget, TextArea):
            return widget.text.strip()
        assert isinstance(widget, Input)
        return widget.value.strip()

    def chosen(self, id: str) -> Any:
        value = self.query_one(f"#{id}", Select).value
        return None if value is Select.NULL else value

    # -- saving ---------------------------------------------------------------------------------

    def action_submit(self) -> None:
        if self.saving:
            return
        try:
            values = self.collect()
        except DeskError as error:
            self.show_error(self.explain(error))
            return
        self.saving = True
        self.show_error(self.t("dialog.saving"), error=False)
        self._save(values, self.opened.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, values: dict[str, Any], version: int) -> None:
        with outcome(self, self.Failed) as post:
            try:
                saved: Message = self.Saved(self.save(values, version))
            except ConflictError as error:
                saved = self.conflicted(error)
            post(saved)

    def conflicted(self, error: ConflictError) -> ActionDialog.Conflicted:
        """What the conflict is measured against (in the worker thread): the case as it is now."""
        return self.Conflicted(error, cases.get_case(self.desk, self.opened.number))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.dismiss(message.view)

    @on(Conflicted)
    def _conflicted(self, message: Conflicted) -> None:
        self.saving = False
        self.show_conflict(message)

    @on(Failed)
    def _not_saved(self, message: Failed) -> None:
        self.saving = False
        self.show_error(self.failure(message))

    def show_conflict(self, conflict: ActionDialog.Conflicted) -> None:
        fresh = conflict.fresh
        self.show_changes(case_changes(self.opened, fresh, self.lang, self.tz))
        # From now on the input is measured against the case as it is now.
        self.opened = fresh
        if self.reloaded is not None:
            self.reloaded(fresh)

    def show_changes(self, changes: list[str]) -> None:
        """What changed meanwhile, above the fields the user typed (kept as they are)."""
        text = Text(self.t("conflict.title"), style="bold")
        for line in changes or [self.t("conflict.nothing_visible")]:
            text.append("\n• ")
            text.append(line)
        text.append("\n" + self.t("conflict.again", shortcut=key_of(self, "case.save")), style="italic")
        box = self.query_one("#dialog-changes", Static)
        box.update(text)
        box.add_class("-shown")
        self.show_error("")

    def say_unsaved(self, message: str) -> None:
        self.show_error(message, error=False)

    def show_error(self, message: str, *, error: bool = True) -> None:
        box = self.query_one("#dialog-error", Static)
        box.update(Text(message))
        box.set_class(bool(message), "-shown")
        box.set_class(error, "-error")

    # -- canned replies ---------------------------------------------------------------------------

    def _target(self) -> TextArea | None:
        focused = self.focused
        if isinstance(focused, TextArea):
            return focused
        areas = list(self.query(TextArea))
        return areas[0] if areas else None

    def action_canned(self) -> None:
        if self._target() is None:
            self.notify(self.t("dialog.no_text_field"), severity="warning")
            return
        self._load_canned()

    @work(thread=True, exclusive=True, exit_on_error=False, group="canned")
    def _load_canned(self) -> None:
        with outcome(self) as post:
            replies = canned_replies(self.desk, self.opened, self.lang, agent=self.actor.name,
                                     now=self.desk_app.now())
            first = [r for key in self.CANNED_FIRST for r in replies if r.key == key]
            post(self.CannedLoaded(first + [r for r in replies if r not in first]))

    @on(CannedLoaded)
    def pick_canned(self, message: CannedLoaded) -> None:
        replies = message.replies
        target = self._target()
        if target is None:
            return

        def insert(text: str | None) -> None:
            if text:
                target.insert(text)
            target.focus()

        self.app.push_screen(CannedPicker(replies), insert)


class CannedPicker(DeskModal[str | None]):
    """Choose a canned reply (Enter), its filled text shown below the list."""

    def __init__(self, replies: list[CannedReply]) -> None:
        super().__init__(classes="canned-picker")
        self.replies = replies

    def compose(self) -> ComposeResult:
        with Vertical(id="canned"):
            yield Static(Text(self.t("canned.title"), style="bold"), id="canned-title")
            if self.replies:
                yield OptionList(*(Option(Text(r.title), id=r.key) for r in self.replies), id="canned-list")
                yield Static(Text(self.replies[0].text), id="canned-preview")
            else:
                yield Static(Text(self.t("canned.none")), id="canned-preview")
        yield DeskFooter(compact=True)

    def _reply(self, key: str | None) -> CannedReply | None:
        return next((r for r in self.replies if r.key == key), None)

    @on(OptionList.OptionHighlighted, "#canned-list")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        reply = self._reply(event.option.id)
        if reply is not None:
            self.query_one("#canned-preview", Static).update(Text(reply.text))

    @on(OptionList.OptionSelected, "#canned-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        reply = self._reply(event.option.id)
        self.dismiss(reply.text if reply else None)


# -- one dialog per action --------------------------------------------------------------------------


class ValidityDialog(ActionDialog):
    ACTION = Action.DECIDE_VALIDITY
    CANNED_FIRST = ("not_founded",)

    def form(self) -> ComposeResult:
        yield row(self.t("field.founded"), choice("founded", [
            (self.t("case.validity.founded"), True), (self.t("case.validity.not_founded"), False),
        ], value=True, blank=False), required=True)
        yield row(self.t("field.reason"), text_area("reason"), hint=self.t("dialog.hint.reason"))

    def collect(self) -> dict[str, Any]:
        return {"founded": bool(self.chosen("founded")), "reason": self.text("reason")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.decide_validity(self.desk, self.actor.name, self.opened.number, version=version, **values)


class AssignDialog(ActionDialog):
    ACTION = Action.ASSIGN

    def __init__(self, view: CaseView, **kwargs: Any) -> None:
        super().__init__(view, **kwargs)
        self.handlers: dict[str, list[tuple[str, str]]] = {}

    def suggested_department(self) -> str | None:
        """The department the case has, else the one chosen (or suggested) at registration."""
        if self.opened.department:
            return self.opened.department
        for event in reversed(self.opened.timeline):
            if event.action == Action.SUGGESTION.value:
                picked = event.details.get("chosen") or {}
                offered = event.details.get("suggested") or {}
                found = picked.get("department") or offered.get("department")
                return str(found) if found else None
        return None

    def form(self) -> ComposeResult:
        yield row(self.t("field.department"), choice("department", [], prompt=self.t("dialog.loading")),
                  required=True)
        yield row(self.t("case.handler"), choice("handler", [], prompt=self.t("case.no_handler")))
        yield row(self.t("field.comment"), line_input("comment"))

    @on(Mount)
    def _start_loading(self) -> None:
        self._load_people()

    class PeopleLoaded(Message):
        """The departments (code, name) and each one's active handlers (name, display name)."""

        def __init__(self, departments: list[tuple[str, str]],
                     handlers: dict[str, list[tuple[str, str]]]) -> None:
            super().__init__()
            self.departments = departments
            self.handlers = handlers

    @work(thread=True, exclusive=True, exit_on_error=False, group="people")
    def _load_people(self) -> None:
        with outcome(self) as post:
            departments = [(d.code, d.name(self.lang)) for d in department_views(self.desk) if d.active]
            handlers: dict[str, list[tuple[str, str]]] = {}
            for user in list_users(self.desk):
                if user.role is Role.HANDLER and user.active and user.department:
                    handlers.setdefault(user.department, []).append((user.name, user.display_name))
            post(self.PeopleLoaded(departments, handlers))

    @on(PeopleLoaded)
    def _people_loaded(self, message: PeopleLoaded) -> None:
        departments, self.handlers = message.departments, message.handlers
        select = self.query_one("#department", Select)
        select.prompt = self.t("dialog.choose")  # read by set_options for the blank entry
        select.set_options((Text(f"{code}  {name}"), code) for code, name in departments)
        suggested = self.suggested_department()
        if suggested in {code for code, _ in departments}:
            select.value = suggested
        self._offer_handlers()

    @on(Select.Changed, "#department")
    def _department_changed(self) -> None:
        self._offer_handlers()

    def _offer_handlers(self) -> None:
        department = self.chosen("department")
        people = self.handlers.get(department, []) if department else []
        select = self.query_one("#handler", Select)
        select.set_options(
            (Text(name if display in ("", name) else f"{name}  {display}"), name) for name, display in people
        )
        if self.opened.handler in {name for name, _ in people}:
            select.value = self.opened.handler

    def collect(self) -> dict[str, Any]:
        return {"department": self.chosen("department") or "", "handler": self.chosen("handler"),
                "comment": self.text("comment")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.assign(self.desk, self.actor.name, self.opened.number, version=version, **values)


class CauseDialog(ActionDialog):
    ACTION = Action.RECORD_CAUSE

    def form(self) -> ComposeResult:
        factors = [(self.t(f"case.fishbone.{f.value}"), f.value) for f in Fishbone]
        yield row(self.t("dialog.fishbone"), choice("fishbone", factors, prompt=self.t("dialog.choose"),
                                                   value=self.opened.fishbone_factor or Select.NULL),
                  required=True)
        for name in cases.CAUSE_FIELDS:
            yield row(self.t(f"case.cause.{name}"), line_input(f"cause-{name}", self.opened.cause.get(name, ""),
                                                               self.t(f"dialog.hint.cause_{name}")),
                      required=name in ("what", "why"))
        yield row(self.t("field.comment"), line_input("comment"))

    def collect(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: self.text(f"cause-{name}") for name in cases.CAUSE_FIELDS}
        values["fishbone"] = self.chosen("fishbone")
        values["comment"] = self.text("comment")
        return values

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.record_cause(self.desk, self.actor.name, self.opened.number, version=version, **values)


class ProposeDialog(ActionDialog):
    """A remedy with its amount; F4 adds a second and a third (issue 13: an exchange and a
    compensation), each with its own amount. The price shows the compensation range it suggests;
    a compensation outside it needs the reason."""

    ACTION = Action.PROPOSE
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4", "add_remedy", "Another remedy", id="case.add_remedy"),
    ]

    def form(self) -> ComposeResult:
        why = self.opened.cause.get("why")
        if why:
            yield Static(plain(self.t("dialog.cause_context", why=one_line(why))), classes="dialog-note")
        if advised := rules_advice(self.opened.timeline, self.lang):  # issue 14: the rules' advice
            yield Static(plain(advised), classes="dialog-note")
        remedies = [(self.t(f"remedy.{r.value}"), r.value) for r in Remedy]
        yield row(self.t("field.remedy"), choice("remedy", remedies, prompt=self.t("dialog.choose")), required=True)
        yield row(self.t("field.amount"), line_input("amount", placeholder="0.00"),
                  hint=self.t("dialog.hint.amount", **amount_params()))
        for n in range(2, MAX_REMEDIES + 1):
            with Vertical(id=f"remedy-line-{n}", classes="remedy-line"):
                yield row(self.t("remedies.remedy_n", n=n),
                          choice(f"remedy-{n}", remedies, prompt=self.t("dialog.choose")))
                yield row(self.t("remedies.amount_n", n=n), line_input(f"amount-{n}", placeholder="0.00"))
        price = f"{self.opened.price:.2f}" if self.opened.price is not None else ""
        yield row(self.t("remedies.price"), line_input("price", price, placeholder="0.00"))
        yield Static(id="range-note", classes="field-hint")
        yield row(self.t("remedies.reason"), line_input("range-reason"))
        yield row(self.t("case.details"), text_area("details"),
                  hint=self.t("remedies.hint", shortcut=key_of(self, "case.add_remedy")))

    def on_mount(self) -> None:
        super().on_mount()
        for line in self.query(".remedy-line"):
            line.display = False
        self._show_range()

    def action_add_remedy(self) -> None:
        hidden = [line for line in self.query(".remedy-line") if not line.display]
        if not hidden:
            self.notify(self.t("remedies.too_many", most=MAX_REMEDIES), severity="warning")
            return
        hidden[0].display = True
        hidden[0].query_one(Select).focus()

    @on(Input.Changed, "#price")
    def _price_changed(self) -> None:
        self._show_range()

    def _show_range(self) -> None:
        try:
            price = parse_amount(self.text("price"))
        except DeskError:
            price = None
        note = range_note(cases.suggested_range(self.desk, price), price, self.lang, self.desk.settings.currency)
        self.query_one("#range-note", Static).update(Text(note))

    def collect(self) -> dict[str, Any]:
        remedy = self.chosen("remedy")
        if remedy is None:
            raise InvalidInput("invalid_input", errors={"remedy": "missing"})
        lines = [(remedy, parse_amount(self.text("amount")))]
        for n in range(2, MAX_REMEDIES + 1):
            if not self.query_one(f"#remedy-line-{n}").display:
                continue
            more, amount = self.chosen(f"remedy-{n}"), parse_amount(self.text(f"amount-{n}"))
            if more is None and amount is not None:  # an amount for no remedy is not dropped unsaid
                raise InvalidInput("invalid_input", errors={"remedy": "missing"})
            if more is not None:
                lines.append((more, amount))
        try:
            price = parse_amount(self.text("price"))
        except InvalidInput as refused:
            raise InvalidInput("invalid_input", errors={"price": refused.params["errors"]["amount"]}) from None
        return {"remedies": lines, "price": price, "reason": self.text("range-reason"),
                "details": self.text("details")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        if values["price"] == self.opened.price:
            values = {**values, "price": None}  # unchanged: no price event, nothing overwritten
        return cases.propose(self.desk, self.actor.name, self.opened.number, version=version, **values)


def _proposal_text(view: CaseView, lang: str, currency: str = "") -> Text:
    pending = pending_proposal(view)
    if pending is None:
        return Text(t("dialog.no_proposal", lang))
    d = pending.details
    proposal = t(f"remedy.{d.get('remedy')}", lang)
    if d.get("amount") is not None:
        proposal += f" {amount_text(d['amount'], currency, lang)}"
    if d.get("remedies"):  # issue 13: several remedies in one proposal
        proposal = remedies_text([(r["remedy"], r.get("amount")) for r in d["remedies"]], d.get("amount"), lang,
                                 currency)
    text = Text(t("dialog.proposal", lang, proposal=proposal, actor=one_line(pending.actor)))
    if d.get("range_reason"):
        text.append("\n" + t("remedies.range_reason", lang, reason=one_line(str(d["range_reason"]))))
    if pending.comment:
        text.append("\n")
        text.append_text(plain(pending.comment))
    return text


class ApproveDialog(ActionDialog):
    ACTION = Action.APPROVE

    def form(self) -> ComposeResult:
        yield Static(_proposal_text(self.opened, self.lang, self.desk.settings.currency), classes="dialog-note")
        yield row(self.t("field.comment"), line_input("comment"))

    def collect(self) -> dict[str, Any]:
        return {"comment": self.text("comment")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.approve(self.desk, self.actor.name, self.opened.number, version=version, **values)


class ReturnDialog(ActionDialog):
    ACTION = Action.RETURN

    def form(self) -> ComposeResult:
        yield Static(_proposal_text(self.opened, self.lang, self.desk.settings.currency), classes="dialog-note")
        yield row(self.t("field.comment"), text_area("comment"), required=True)

    def collect(self) -> dict[str, Any]:
        return {"comment": self.text("comment")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.return_proposal(self.desk, self.actor.name, self.opened.number, version=version, **values)


class AnswerDialog(ActionDialog):
    ACTION = Action.CUSTOMER_ANSWER
    CANNED_FIRST = ("remedy_offer",)

    def form(self) -> ComposeResult:
        if self.opened.remedy:
            offer = self.t(f"remedy.{self.opened.remedy}")
            if self.opened.amount is not None:
                offer += f" {self.opened.amount:.2f}"
            if len(self.opened.remedies) > 1:
                offer = remedies_text(self.opened.remedies, self.opened.amount, self.lang, self.desk.settings.currency)
            yield Static(Text(self.t("dialog.approved_remedy", remedy=offer)), classes="dialog-note")
        yield row(self.t("field.agrees"), choice("agrees", [
            (self.t("timeline.agrees"), True), (self.t("timeline.disagrees"), False),
        ], prompt=self.t("dialog.choose")), required=True)
        yield row(self.t("field.comment"), text_area("comment"), hint=self.t("dialog.hint.disagrees"))

    def collect(self) -> dict[str, Any]:
        agrees = self.chosen("agrees")
        if agrees is None:
            raise InvalidInput("invalid_input", errors={"agrees": "missing"})
        return {"agrees": bool(agrees), "comment": self.text("comment")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.record_customer_answer(self.desk, self.actor.name, self.opened.number, version=version,
                                            **values)


class ImplementDialog(ActionDialog):
    ACTION = Action.IMPLEMENT

    def form(self) -> ComposeResult:
        yield row(self.t("field.implementation"), text_area("implementation"), required=True)
        yield row(self.t("field.accountability"), line_input("accountability"), required=True,
                  hint=self.t("dialog.hint.accountability"))
        yield row(self.t("case.preventive_action"), line_input("preventive"))
        # Issue 13, accountability: internal, never told to the customer.
        yield row(self.t("field.responsible"), line_input("responsible"))
        yield row(self.t("field.penalty"), line_input("penalty", placeholder="10% / 200"),
                  hint=self.t("dialog.hint.penalty"))
        yield row(self.t("field.loss"), line_input("loss", placeholder="0.00"))
        yield row(self.t("field.delayed_by"), line_input("delayed_by"))
        yield row(self.t("field.delay_reason"), line_input("delay_reason"))

    def collect(self) -> dict[str, Any]:
        return {"implementation": self.text("implementation"), "accountability": self.text("accountability"),
                "preventive_action": self.text("preventive"), "responsible": self.text("responsible"),
                "penalty": self.text("penalty"), "loss": self.text("loss"),
                "delayed_by": self.text("delayed_by"), "delay_reason": self.text("delay_reason")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.implement(self.desk, self.actor.name, self.opened.number, version=version, **values)


class FollowUpDialog(ActionDialog):
    ACTION = Action.FOLLOW_UP
    CANNED_FIRST = ("follow_up",)

    def form(self) -> ComposeResult:
        scores = [(f"{n} {self.t(f'case.score.{n}')}", n) for n in range(5, 0, -1)]
        yield row(self.t("field.score"), choice("score", scores, prompt=self.t("dialog.choose")), required=True)
        yield row(self.t("field.solved"), choice("solved", [(self.t("case.yes"), True), (self.t("case.no"), False)],
                                                 prompt=self.t("dialog.unknown")))
        yield row(self.t("field.comment"), text_area("comments"))

    def collect(self) -> dict[str, Any]:
        score = self.chosen("score")
        if score is None:
            raise InvalidInput("invalid_input", errors={"score": "missing"})
        return {"score": int(score), "solved": self.chosen("solved"), "comments": self.text("comments")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.record_follow_up(self.desk, self.actor.name, self.opened.number, version=version, **values)


class NoteDialog(ActionDialog):
    ACTION = Action.NOTE

    def form(self) -> ComposeResult:
        yield row(self.t("field.visibility"), choice("visibility", [
            (self.t("timeline.internal"), Visibility.INTERNAL.value),
            (self.t("timeline.customer_visible"), Visibility.CUSTOMER.value),
        ], value=Visibility.INTERNAL.value, blank=False), hint=self.t("dialog.hint.visibility"))
        yield row(self.t("field.text"), text_area("text"), required=True)

    def collect(self) -> dict[str, Any]:
        if not self.text("text"):
            raise InvalidInput("invalid_input", errors={"text": "missing"})
        return {"text": self.text("text"), "visibility": self.chosen("visibility")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.add_note(self.desk, self.actor.name, self.opened.number, version=version, **values)


class CallDialog(ActionDialog):
    ACTION = Action.CALL

    def form(self) -> ComposeResult:
        yield row(self.t("field.direction"), choice("direction", [
            (self.t("timeline.call_in"), "in"), (self.t("timeline.call_out"), "out"),
        ], value="in", blank=False))
        yield row(self.t("field.summary"), text_area("summary"), required=True,
                  hint=self.t("dialog.hint.call"))

    def collect(self) -> dict[str, Any]:
        if not self.text("summary"):
            raise InvalidInput("invalid_input", errors={"summary": "missing"})
        return {"summary": self.text("summary"), "direction": self.chosen("direction")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.log_call(self.desk, self.actor.name, self.opened.number, version=version, **values)


class MergeDialog(ActionDialog):
    """The same customer about the same problem twice: this case closes, merged into the one kept."""

    ACTION = Action.MERGE

    def form(self) -> ComposeResult:
        yield Static(Text(self.t("dialog.merge_explained", number=self.opened.number)), classes="dialog-note")
        yield row(self.t("field.into"), line_input("into", placeholder="KS-YYYYMMDD-NNNN"), required=True)
        yield Static(Text(self.t("dialog.loading")), id="merge-candidates-title", classes="field-hint")
        yield OptionList(id="merge-candidates")
        yield row(self.t("field.comment"), text_area("comment"), required=True)

    @on(Mount)
    def _start_loading(self) -> None:
        self._load_candidates()

    class CandidatesLoaded(Message):
        """The customer's other open cases: (number, how the list shows it)."""

        def __init__(self, candidates: list[tuple[str, str]]) -> None:
            super().__init__()
            self.candidates = candidates

    @work(thread=True, exclusive=True, exit_on_error=False, group="candidates")
    def _load_candidates(self) -> None:
        with outcome(self) as post:
            found = other_open_cases(self.desk, self.opened.customer.id, excluding=self.opened.number)
            post(self.CandidatesLoaded([
                (r.number, f"{r.number}  {t(f'status.{r.status.value}', self.lang)}  {one_line(r.summary)}")
                for r in found]))

    @on(CandidatesLoaded)
    def _candidates_loaded(self, message: CandidatesLoaded) -> None:
        result = message.candidates
        title = self.query_one("#merge-candidates-title", Static)
        options = self.query_one("#merge-candidates", OptionList)
        title.update(Text(self.t("dialog.merge_candidates" if result else "dialog.merge_no_candidates")))
        options.add_options(Option(Text(label), id=number) for number, label in result)
        options.display = bool(result)
        if result:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#merge-candidates")
    def _candidate(self, event: OptionList.OptionSelected) -> None:
        # The focus stays on the list (issue 15): Tab goes on to the reason, as from any field.
        self.query_one("#into", Input).value = event.option.id or ""

    def collect(self) -> dict[str, Any]:
        into = self.text("into").upper()
        if not into:
            raise InvalidInput("invalid_input", errors={"into": "missing"})
        return {"into": into, "comment": self.text("comment")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.merge(self.desk, self.actor.name, self.opened.number, version=version, **values)


class CommentDialog(ActionDialog):
    """Actions that take a comment alone: close, reopen, escalate, wait for / hear from the customer."""

    REQUIRED: ClassVar[bool] = True
    SERVICE: ClassVar[Callable[..., CaseView]]

    def form(self) -> ComposeResult:
        yield row(self.t("field.comment"), text_area("comment"), required=self.REQUIRED,
                  hint=self.t(f"dialog.hint.{self.ACTION.value}"))

    def collect(self) -> dict[str, Any]:
        return {"comment": self.text("comment")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        service = type(self).SERVICE
        return service(self.desk, self.actor.name, self.opened.number, version=version, **values)


class CloseDialog(CommentDialog):
    ACTION = Action.CLOSE
    SERVICE = cases.close


class ReopenDialog(CommentDialog):
    ACTION = Action.REOPEN
    SERVICE = cases.reopen


class EscalateDialog(CommentDialog):
    ACTION = Action.ESCALATE
    SERVICE = cases.escalate


class AwaitCustomerDialog(CommentDialog):
    ACTION = Action.AWAIT_CUSTOMER
    SERVICE = cases.await_customer
    CANNED_FIRST = ("need_photo", "need_receipt")


class CustomerRepliedDialog(CommentDialog):
    ACTION = Action.CUSTOMER_REPLIED
    SERVICE = cases.customer_replied
    REQUIRED = False
    CANNED_FIRST = ("thanks_received",)


DIALOGS: dict[Action, type[ActionDialog]] = {
    d.ACTION: d
    for d in (
        ValidityDialog, AssignDialog, CauseDialog, ProposeDialog, ApproveDialog, ReturnDialog,
        AnswerDialog, ImplementDialog, FollowUpDialog, NoteDialog, CallDialog, MergeDialog,
        CloseDialog, ReopenDialog, EscalateDialog, AwaitCustomerDialog, CustomerRepliedDialog,
    )
}


def dialog_for(action: Action, view: CaseView, *,
               reloaded: Callable[[CaseView], None] | None = None) -> ActionDialog:
    return DIALOGS[action](view, reloaded=reloaded)
