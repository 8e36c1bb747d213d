"""What every screen of the desk shares: the desk, the user, the language, localised keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Protocol, TypeVar, cast

from textual import on
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.events import Mount
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from kesu_desk.domain.errors import DeskError
from kesu_desk.domain.workflow import Actor
from kesu_desk.i18n import describe, t
from kesu_desk.services.desk import Desk
from kesu_desk.widgets.keys import key_of, localise_bindings
from kesu_desk.widgets.outcomes import Failed, RelaysWorkerFailures
from kesu_desk.widgets.textual_private import crop_repaints

__all__ = ["DeskApp", "DeskChanged", "DeskModal", "DeskScreen", "explain", "localise_bindings"]

ResultT = TypeVar("ResultT")


class DeskApp(Protocol):
    """What screens may use of the application (kesu_desk.app.KesuDesk)."""

    desk: Desk
    actor: Actor
    lang: str

    def now(self) -> datetime: ...
    def open_case(self, number: str) -> None: ...
    def new_case(self) -> None: ...
    def check_changes(self) -> None: ...
    def open_queue(self, **view: Any) -> None: ...
    def action_approvals(self) -> None: ...


class DeskChanged(Message):
    """Another terminal (or this one) changed something: screens showing cases reload them."""

    def __init__(self, last_event_id: int) -> None:
        super().__init__()
        self.last_event_id = last_event_id


def explain(error: DeskError, lang: str) -> str:
    """A refusal of the desk as one sentence in the user's language (never a traceback)."""
    return describe(error, lang)


class _DeskMixin(RelaysWorkerFailures):
    app: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        crop_repaints(cast(Screen[Any], self))
        localise_bindings(cast(DOMNode, self), cast(DeskApp, self.app).lang)

    @property
    def desk_app(self) -> DeskApp:
        return cast(DeskApp, self.app)

    @property
    def desk(self) -> Desk:
        return self.desk_app.desk

    @property
    def actor(self) -> Actor:
        return self.desk_app.actor

    @property
    def lang(self) -> str:
        return self.desk_app.lang

    def t(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def explain(self, error: DeskError) -> str:
        return explain(error, self.lang)

    def failure(self, failed: Failed) -> str:
        """What a failed worker leaves to say here: the desk's refusal, or (when the app has
        reported something else) that the work was not done."""
        return self.explain(failed.error) if failed.error is not None else self.t("app.not_done")

    def save_unsaved(self, *, last: bool) -> None:
        """Write at once what this screen keeps on disk for the user (the intake's draft): the
        desk is being ended from outside, and with ``last`` the process ends right after."""


class DeskScreen(_DeskMixin, Screen[ResultT]):
    """A full screen of the desk. Subclasses give every Binding an id (for the keymap and the
    catalogue's [keys] section)."""


class DeskModal(_DeskMixin, ModalScreen[ResultT]):
    """A dialog over a screen; Esc closes it without doing anything. When that would throw away
    text typed in it, the first Esc says so and the dialog stays; a second Esc closes it (typing
    on asks again)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="modal.cancel"),
    ]
    # A dialog whose caller keeps what is typed as it is typed (the intake's F6 text) loses
    # nothing on Esc, so it does not ask.
    KEEPS_TYPED: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._opened_with: dict[Widget, str] = {}  # each text field as the dialog opened
        self._asked_to_leave = False

    @on(Mount)
    def _remember_what_was_there(self) -> None:
        self._opened_with = {field: _typed(field) for field in self.query("Input, TextArea")}

    def unsaved_text(self) -> bool:
        """Whether a text field holds something typed since the dialog opened (a value it
        opened with, such as a cause recorded earlier, is not the user's to lose here)."""
        if self.KEEPS_TYPED:
            return False
        return any(_typed(field) != self._opened_with.get(field, "") for field in self.query("Input, TextArea"))

    def action_cancel(self) -> None:
        if not self._asked_to_leave and self.unsaved_text():
            self._asked_to_leave = True
            self.say_unsaved(self.t("dialog.leave_unsaved", shortcut=key_of(self, "modal.cancel")))
            return
        self.dismiss(None)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typing_on(self) -> None:
        if self._asked_to_leave:
            self._asked_to_leave = False
            self.say_unsaved("")

    def say_unsaved(self, message: str) -> None:
        """Show that Esc would lose what is typed (``""``: typing went on, the question is
        gone). A dialog with a message line of its own shows it there."""
        if message:
            self.notify(message, severity="warning")


def _typed(field: Widget) -> str:
    text = field.text if isinstance(field, TextArea) else cast(Input, field).value
    return text.strip()
