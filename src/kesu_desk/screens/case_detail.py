"""One case: where it stands, the customer and the facts, its timeline, and the actions this user
may take now, each on its own key."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

from kesu_desk.domain.vocabulary import Action, CorrectiveStatus
from kesu_desk.domain.workflow import STAFF
from kesu_desk.screens.actions import ActionDialog, dialog_for
from kesu_desk.screens.base import DeskChanged, DeskScreen
from kesu_desk.screens.corrective import (
    CheckDialog,
    OpenCorrectiveDialog,
    ProgressDialog,
    TypicalDialog,
    unfinished,
)
from kesu_desk.screens.parts import HandoverDialog, PartsDialog
from kesu_desk.services import cases, corrective, dealer_flow
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.dealer_flow import CaseDealer
from kesu_desk.services.users import department_views
from kesu_desk.services.views import CaseView
from kesu_desk.widgets import outcomes
from kesu_desk.widgets.case_header import CaseHeader, facts
from kesu_desk.widgets.customer_card import dealer_text
from kesu_desk.widgets.keys import DeskFooter
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.timeline import EventRow, Timeline

# How often the deadline's state is looked at again while the case is open (it moves with time).
DEADLINE_TICK_SECONDS = 30.0


def _act(key: str, action: Action, name: str, description: str) -> Binding:
    return Binding(key, f"act('{action.value}')", description, id=f"case.{name}")


class CaseScreen(DeskScreen[None]):
    """The case ``number``; keys offer only what the workflow lets this user do in this state."""

    # The newest event takes the focus once the case is loaded (``show``); Textual's own automatic
    # focus, which may land on the scrolling body after that, would take the highlight away.
    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="case.back"),
        _act("v", Action.DECIDE_VALIDITY, "validity", "Validity"),
        _act("a", Action.ASSIGN, "assign", "Assign"),
        _act("c", Action.RECORD_CAUSE, "cause", "Cause"),
        _act("p", Action.PROPOSE, "propose", "Propose"),
        _act("o", Action.APPROVE, "approve", "Approve"),
        _act("b", Action.RETURN, "return", "Return"),
        _act("g", Action.CUSTOMER_ANSWER, "answer", "Answer"),
        _act("i", Action.IMPLEMENT, "implement", "Implement"),
        _act("s", Action.FOLLOW_UP, "survey", "Survey"),
        _act("n", Action.NOTE, "note", "Note"),
        _act("l", Action.CALL, "call", "Call"),
        _act("e", Action.ESCALATE, "escalate", "Escalate"),
        _act("w", Action.AWAIT_CUSTOMER, "wait", "Wait"),
        _act("y", Action.CUSTOMER_REPLIED, "replied", "Replied"),
        _act("m", Action.MERGE, "merge", "Merge"),
        _act("x", Action.CLOSE, "close", "Close"),
        _act("r", Action.REOPEN, "reopen", "Reopen"),
        # Review (DOMAIN.md step 10): corrective actions and typical cases, for supervisors
        # (progress: for the action's owner too). Rarely needed on a given case, so only the
        # keys about an action already under way take room in the footer; F1 lists them all.
        Binding("k", "corrective('open')", "Corrective action", id="case.corrective", show=False),
        Binding("u", "corrective('progress')", "Progress", id="case.corrective_progress"),
        Binding("f", "corrective('check')", "Effective?", id="case.effectiveness"),
        Binding("t", "typical(True)", "Typical", id="case.typical", show=False),
        Binding("t", "typical(False)", "Not typical", id="case.not_typical", show=False),
        # Issue 13, dealers in the case's work (screens/parts.py): D only on a dealer's customer's
        # case; P (any open case) is listed by F1, not in the footer.
        Binding("D", "dealer('handover')", "Dealer", id="case.handover"),
        Binding("P", "dealer('parts')", "Parts", id="case.parts", show=False),
    ]

    class Loaded(Message):
        """The case, the actions this user may take on it now, the departments' names."""

        def __init__(self, view: CaseView, allowed: list[Action], departments: dict[str, str]) -> None:
            super().__init__()
            self.view = view
            self.allowed = allowed
            self.departments = departments

    class Failed(outcomes.Failed):
        """The case could not be (re)loaded."""

    class DealerLoaded(Message):
        def __init__(self, info: CaseDealer) -> None:
            super().__init__()
            self.info = info

    class CorrectiveLoaded(Message):
        def __init__(self, actions: list[CorrectiveView]) -> None:
            super().__init__()
            self.actions = actions

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.view: CaseView | None = None
        self.allowed: frozenset[Action] = frozenset()
        self.departments: dict[str, str] = {}
        self.corrective: list[CorrectiveView] = []  # this case's corrective actions
        self.dealer: CaseDealer | None = None  # its serving dealer and the spare-part advice

    def compose(self) -> ComposeResult:
        yield Header()
        yield CaseHeader(id="case-header")
        with VerticalScroll(id="case-body"):
            yield Static(Text(self.t("dialog.loading")), id="case-facts")
            yield Static(id="case-dealer")
            yield Static(Text(self.t("case.timeline")), id="case-timeline-title")
            yield Timeline(self.lang, self.desk.calendar.tz, self.desk.settings.currency, id="timeline")
        yield Static(id="case-message")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(DEADLINE_TICK_SECONDS, self._show_header)

    # -- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        self._load()
        self._load_corrective()
        self._load_dealer()

    @work(thread=True, exclusive=True, exit_on_error=False, group="case")
    def _load(self) -> None:
        with outcome(self, self.Failed) as post:
            # the case and what this user may do with it, from one unit of work
            snapshot = cases.case_snapshot(self.desk, self.actor.name, self.number)
            departments = self.departments or {d.code: d.name(self.lang) for d in department_views(self.desk)}
            post(self.Loaded(snapshot.view, snapshot.actions, departments))

    def on_desk_changed(self, message: DeskChanged) -> None:
        self.reload()

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        self.allowed, self.departments = frozenset(message.allowed), message.departments
        await self.show(message.view)
        self.refresh_bindings()

    @on(Failed)
    def _not_loaded(self, message: Failed) -> None:
        # Keep showing what was loaded last; say why it could not be refreshed.
        self.say(self.failure(message))

    async def show(self, view: CaseView) -> None:
        first = self.view is None
        self.view = view
        self.say("")
        self._show_header()
        self.query_one("#case-facts", Static).update(
            facts(view, self.desk.calendar.tz, self.lang, self.departments, self.desk.settings.currency)
        )
        timeline = self.query_one(Timeline)
        rows = timeline.rows
        followed = not rows or self.focused is rows[-1] or self.focused is None
        new = await timeline.show(view.timeline)
        if new and (first or followed):
            # Like a log: whoever watches the newest event keeps watching the newest one.
            new[-1].focus(scroll_visible=False)
            self.call_after_refresh(self.query_one("#case-body", VerticalScroll).scroll_end, animate=False)

    def _show_header(self) -> None:
        if self.view is not None:
            self.query_one(CaseHeader).show(self.view, self.desk_app.now(), self.desk.calendar.tz,
                                            self.lang, self.departments)

    def say(self, message: str) -> None:
        box = self.query_one("#case-message", Static)
        box.update(Text(message))
        box.set_class(bool(message), "-shown")

    # -- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            return Action(str(parameters[0])) in self.allowed
        if action == "corrective":
            return self._corrective_dialog(str(parameters[0])) is not None
        if action == "dealer":
            return self._dealer_dialog(str(parameters[0])) is not None
        if action == "typical":
            return (Action.TYPICAL in self.allowed and self.view is not None
                    and self.view.typical != bool(parameters[0]))
        return True

    def action_act(self, name: str) -> None:
        action = Action(name)
        if self.view is None or action not in self.allowed:
            return
        self.app.push_screen(dialog_for(action, self.view, reloaded=self._reloaded), self._after_dialog)

    # -- review: corrective actions and typical cases ------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-corrective")
    def _load_corrective(self) -> None:
        with outcome(self) as post:
            post(self.CorrectiveLoaded(corrective.list_actions(self.desk, case_number=self.number)))

    @on(CorrectiveLoaded)
    def _corrective_loaded(self, message: CorrectiveLoaded) -> None:
        self.corrective = message.actions
        self.refresh_bindings()

    def _corrective_dialog(self, step: str) -> ActionDialog | None:
        """The dialog for ``step`` (open, progress, check) if this user may take it now."""
        view = self.view
        if view is None:
            return None
        if step == "open":
            under_way = any(a.status is not CorrectiveStatus.EFFECTIVE for a in self.corrective)
            if Action.CORRECTIVE_ACTION not in self.allowed or under_way:
                return None
            return OpenCorrectiveDialog(view, reloaded=self._reloaded)
        if step == "progress":
            action = unfinished(self.corrective, CorrectiveStatus.OPEN)
            if (Action.CORRECTIVE_PROGRESS not in self.allowed or action is None
                    or (action.owner != self.actor.name and self.actor.role not in STAFF)):
                return None
            return ProgressDialog(view, action, reloaded=self._reloaded)
        if step == "check":
            action = unfinished(self.corrective, CorrectiveStatus.DONE)
            if Action.EFFECTIVENESS_CHECK not in self.allowed or action is None:
                return None
            return CheckDialog(view, action, reloaded=self._reloaded)
        return None

    def action_corrective(self, step: str) -> None:
        dialog = self._corrective_dialog(step)
        if dialog is not None:
            self.app.push_screen(dialog, self._after_dialog)

    def action_typical(self, typical: bool) -> None:
        if self.view is not None and self.check_action("typical", (typical,)):
            self.app.push_screen(TypicalDialog(self.view, reloaded=self._reloaded), self._after_dialog)

    # -- dealers in the case's work (issue 13) ---------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-dealer")
    def _load_dealer(self) -> None:
        with outcome(self) as post:
            post(self.DealerLoaded(dealer_flow.case_dealer(self.desk, self.number, self.lang)))

    @on(DealerLoaded)
    def _dealer_loaded(self, message: DealerLoaded) -> None:
        self.dealer = message.info
        # Only where a dealer serves the customer (or it is one): other cases are not the
        # dealers' business; their advice is in the P dialog and `kesu-desk parts advise`.
        box = self.query_one("#case-dealer", Static)
        box.update(dealer_text(message.info, self.lang) if message.info.serving is not None else "")
        box.display = message.info.serving is not None
        self.refresh_bindings()

    def _dealer_dialog(self, which: str) -> ActionDialog | None:
        view, info = self.view, self.dealer
        if view is None or info is None:
            return None
        if which == "handover":
            if Action.DEALER_HANDOVER not in self.allowed or info.serving is None or info.serving.is_customer:
                return None
            return HandoverDialog(view, info, reloaded=self._reloaded)
        if Action.PARTS_SENT not in self.allowed:
            return None
        return PartsDialog(view, info, reloaded=self._reloaded)

    def action_dealer(self, which: str) -> None:
        dialog = self._dealer_dialog(which)
        if dialog is not None:
            self.app.push_screen(dialog, self._after_dialog)

    def _reloaded(self, view: CaseView) -> None:
        self.run_worker(self.show(view), group="show")

    def _after_dialog(self, view: CaseView | None) -> None:
        if view is not None:
            self.run_worker(self.show(view), group="show")
            self.notify(self.t("case.saved", number=view.number))
        self.reload()  # what the user may do next depends on the new state

    def action_back(self) -> None:
        self.app.pop_screen()

    @property
    def focused_event(self) -> EventRow | None:
        return self.focused if isinstance(self.focused, EventRow) else None
