"""The case screen's review dialogs (DOMAIN.md step 10): open a corrective action, record its
progress, record its effectiveness check, keep the case as typical for training.

The corrective dialogs save through services/corrective.py, which writes on the case's timeline
without changing its version; each returns the case as it is afterwards (a check found not
effective has reopened it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.events import Mount
from textual.message import Message
from textual.widgets import Select, Static

from kesu_desk.domain.errors import ConflictError, InvalidInput
from kesu_desk.domain.vocabulary import Action, CorrectiveStatus
from kesu_desk.screens.actions import ActionDialog
from kesu_desk.services import cases, corrective
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.users import list_users
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.form import choice, line_input, row, text_area
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.text import one_line, plain

# A new (or reopened) corrective action is due this many days from today unless changed.
DEFAULT_DUE_DAYS = 30

__all__ = [
    "CheckDialog",
    "OpenCorrectiveDialog",
    "ProgressDialog",
    "TypicalDialog",
    "unfinished",
]


def unfinished(actions: list[CorrectiveView], status: CorrectiveStatus) -> CorrectiveView | None:
    """The newest action in ``status`` (a case has one unfinished action, a batch one more)."""
    found = [a for a in actions if a.status is status]
    return found[-1] if found else None


class _ReviewDialog(ActionDialog):
    """No canned replies here: these texts are internal, not for the customer."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "canned":
            return False
        return super().check_action(action, parameters)

    @property
    def today(self) -> date:
        return self.desk.calendar.local_date(self.desk_app.now())

    def due(self, id: str, field: str = "corrective_due") -> date | None:
        typed = self.text(id)
        if not typed:
            return None
        try:
            return date.fromisoformat(typed)
        except ValueError:
            raise InvalidInput("invalid_input", errors={field: "date_parsing"}) from None

    def fresh(self) -> CaseView:
        return cases.get_case(self.desk, self.opened.number)


def _summary(a: CorrectiveView, lang_t: Any) -> Text:
    """The action as it stands: what, who, by when, how far."""
    text = Text(lang_t("corrective.summary", id=a.id, owner=one_line(a.owner), due=a.due_date.isoformat(),
                       status=lang_t(f"report.corrective_status.{a.status.value}"), rounds=a.rounds))
    if a.for_batch:
        text.append("  ")
        text.append_text(plain(lang_t("corrective.batch", product=one_line(a.product),
                                      batch=one_line(a.batch))))
    text.append("\n")
    text.append_text(plain(one_line(a.action)))
    if a.progress:
        text.append("\n" + lang_t("corrective.progress_so_far") + " ")
        text.append_text(plain(one_line(a.progress)))
    if a.check_due is not None:
        text.append("\n" + lang_t("corrective.check_due", date=a.check_due.isoformat()))
    return text


class OpenCorrectiveDialog(_ReviewDialog):
    """Who does what by when; for the case alone or for its product batch."""

    ACTION = Action.CORRECTIVE_ACTION

    def form(self) -> ComposeResult:
        yield row(self.t("field.corrective_owner"), choice("owner", [], prompt=self.t("dialog.loading")),
                  required=True)
        yield row(self.t("field.corrective_due"),
                  line_input("due", (self.today + timedelta(days=DEFAULT_DUE_DAYS)).isoformat(), "YYYY-MM-DD"),
                  required=True)
        if self.opened.product and self.opened.batch:
            batch = self.t("corrective.batch", product=one_line(self.opened.product),
                           batch=one_line(self.opened.batch))
            yield row(self.t("corrective.scope"), choice("scope", [
                (self.t("corrective.this_case"), False), (batch, True),
            ], value=False, blank=False), hint=self.t("corrective.hint.scope"))
        yield row(self.t("field.corrective_text"), text_area("text"), required=True)

    @on(Mount)
    def _start_loading(self) -> None:
        self._load_people()

    class PeopleLoaded(Message):
        """Who may own the action: (name, how the list shows them)."""

        def __init__(self, people: list[tuple[str, str]]) -> None:
            super().__init__()
            self.people = people

    @work(thread=True, exclusive=True, exit_on_error=False, group="people")
    def _load_people(self) -> None:
        with outcome(self) as post:
            people = []
            for user in list_users(self.desk):
                if user.active:
                    shown = one_line(user.name)
                    if user.display_name and user.display_name != user.name:
                        shown += "  " + one_line(user.display_name)
                    shown += f"  ({self.t(f'role.{user.role.value}')}" + (
                        f", {user.department})" if user.department else ")")
                    people.append((user.name, shown))
            post(self.PeopleLoaded(people))

    @on(PeopleLoaded)
    def _people_loaded(self, message: PeopleLoaded) -> None:
        result = message.people
        select = self.query_one("#owner", Select)
        select.prompt = self.t("dialog.choose")
        select.set_options((Text(shown), name) for name, shown in result)
        names = {name for name, _ in result}
        if self.opened.handler in names:  # the department's handler, most often
            select.value = self.opened.handler

    def collect(self) -> dict[str, Any]:
        owner = self.chosen("owner")
        if owner is None:
            raise InvalidInput("invalid_input", errors={"corrective_owner": "missing"})
        scope = self.query("#scope")
        return {"owner": owner, "due": self.due("due"), "text": self.text("text"),
                "for_batch": bool(scope) and bool(self.chosen("scope"))}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        corrective.open_action(self.desk, self.actor.name, self.opened.number, **values)
        return self.fresh()


class ActionConflicted(ActionDialog.Conflicted):
    """Someone changed the corrective action first: it as it is now, besides its case."""

    def __init__(self, error: ConflictError, fresh: CaseView, action: CorrectiveView) -> None:
        super().__init__(error, fresh)
        self.action = action


def action_changes(old: CorrectiveView, new: CorrectiveView, lang_t: Any) -> list[str]:
    """What another terminal changed in a corrective action, in words, field by field."""

    def status(a: CorrectiveView) -> str:
        return str(lang_t(f"report.corrective_status.{a.status.value}"))

    def effective(a: CorrectiveView) -> str:
        return "" if a.effective is None else str(
            lang_t("corrective.effective_yes" if a.effective else "corrective.effective_no"))

    fields: list[tuple[str, Callable[[CorrectiveView], str]]] = [
        ("field.status", status),
        ("field.corrective_owner", lambda a: one_line(a.owner)),
        ("field.corrective_due", lambda a: a.due_date.isoformat()),
        ("field.corrective_text", lambda a: one_line(a.action)),
        ("field.corrective_note", lambda a: one_line(a.progress)),
        ("corrective.effective", effective),
        ("field.comment", lambda a: one_line(a.check_comment)),
    ]
    lines = []
    for label, value in fields:
        before, after = value(old), value(new)
        if before != after:
            lines.append(lang_t("conflict.changed", field=lang_t(label), before=before or "—",
                                after=after or "—"))
    return lines


class _OnAction(_ReviewDialog):
    """A dialog about one corrective action, shown above the fields. It saves against the
    version of the action it was opened on; after a conflict it shows what changed in the action
    and saves against the action as it is now."""

    def __init__(self, view: CaseView, action: CorrectiveView, **kwargs: Any) -> None:
        super().__init__(view, **kwargs)
        self.corrective = action

    def form(self) -> ComposeResult:
        yield Static(_summary(self.corrective, self.t), id="corrective-summary", classes="dialog-note")
        yield from self.fields()

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def conflicted(self, error: ConflictError) -> ActionDialog.Conflicted:
        return ActionConflicted(error, self.fresh(), corrective.get_action(self.desk, self.corrective.id))

    def show_conflict(self, conflict: ActionDialog.Conflicted) -> None:
        if not isinstance(conflict, ActionConflicted):
            super().show_conflict(conflict)
            return
        self.show_changes(action_changes(self.corrective, conflict.action, self.t))
        self.corrective = conflict.action
        self.query_one("#corrective-summary", Static).update(_summary(self.corrective, self.t))
        self.opened = conflict.fresh
        if self.reloaded is not None:
            self.reloaded(conflict.fresh)


class ProgressDialog(_OnAction):
    """The owner (or a supervisor) says how far the action is, or that it is done."""

    ACTION = Action.CORRECTIVE_PROGRESS

    def fields(self) -> ComposeResult:
        yield row(self.t("field.corrective_note"), text_area("note", self.corrective.progress), required=True)
        yield row(self.t("corrective.done"), choice("done", [
            (self.t("corrective.not_done_yet"), False), (self.t("corrective.done_now"), True),
        ], value=False, blank=False), hint=self.t("corrective.hint.done"))

    def collect(self) -> dict[str, Any]:
        return {"note": self.text("note"), "done": bool(self.chosen("done"))}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        corrective.record_progress(self.desk, self.actor.name, self.corrective.id,
                                   version=self.corrective.version, **values)
        return self.fresh()


class CheckDialog(_OnAction):
    """Did the problem come back? Not effective reopens the action (and a closed case)."""

    ACTION = Action.EFFECTIVENESS_CHECK

    def fields(self) -> ComposeResult:
        yield row(self.t("corrective.effective"), choice("effective", [
            (self.t("corrective.effective_yes"), True), (self.t("corrective.effective_no"), False),
        ], prompt=self.t("dialog.choose")), required=True)
        yield row(self.t("field.comment"), text_area("comment"), hint=self.t("corrective.hint.comment"))
        yield row(self.t("corrective.new_due"),
                  line_input("due", (self.today + timedelta(days=DEFAULT_DUE_DAYS)).isoformat(), "YYYY-MM-DD"),
                  hint=self.t("corrective.hint.new_due"))

    def collect(self) -> dict[str, Any]:
        effective = self.chosen("effective")
        if effective is None:
            raise InvalidInput("invalid_input", errors={"effective": "missing"})
        return {"effective": bool(effective), "comment": self.text("comment"),
                "due": None if effective else self.due("due")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        corrective.record_check(self.desk, self.actor.name, self.corrective.id,
                                version=self.corrective.version, **values)
        return self.fresh()


class TypicalDialog(_ReviewDialog):
    """Keep the case for training, or stop keeping it; why, for whoever trains with it."""

    ACTION = Action.TYPICAL

    def form(self) -> ComposeResult:
        kept = self.opened.typical
        yield Static(Text(self.t("corrective.typical_now" if kept else "corrective.typical_not")),
                     classes="dialog-note")
        yield row(self.t("corrective.typical"), choice("typical", [
            (self.t("corrective.typical_yes"), True), (self.t("corrective.typical_no"), False),
        ], value=not kept, blank=False), required=True)
        yield row(self.t("field.comment"), line_input("comment"), hint=self.t("corrective.hint.typical"))

    def collect(self) -> dict[str, Any]:
        return {"typical": bool(self.chosen("typical")), "comment": self.text("comment")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        return cases.mark_typical(self.desk, self.actor.name, self.opened.number, version=version, **values)

