"""Follow-up calls (回访): the cases due for their satisfaction survey, most urgent first, and the
survey itself — a script to read in the interface language, the score on one key, whether the
problem is solved, comments; or a call nobody answered."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import ScreenResume
from textual.message import Message
from textual.widgets import Header, OptionList, Static

from kesu_desk.domain.errors import ConflictError, WorkflowError
from kesu_desk.domain.vocabulary import Status
from kesu_desk.i18n import t
from kesu_desk.present.formats import local_time
from kesu_desk.screens.actions import case_changes
from kesu_desk.screens.base import DeskChanged, DeskScreen
from kesu_desk.services import cases
from kesu_desk.services.follow_ups import (
    FOLLOW_UP_PAGE,
    FollowUpItem,
    follow_ups_due,
    record_no_answer,
    record_survey,
)
from kesu_desk.services.users import department_views
from kesu_desk.services.views import CaseView
from kesu_desk.sla import DeadlineState, deadline_state
from kesu_desk.widgets import outcomes
from kesu_desk.widgets.case_table import DEADLINE_SYMBOLS
from kesu_desk.widgets.desk_list import (
    REDRAW_SECONDS,
    STATE_CLASSES,
    DeskList,
    deadline_cell,
    list_bindings,
)
from kesu_desk.widgets.form import field_row
from kesu_desk.widgets.keys import DeskFooter, key_of
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.text import TypedTextArea, one_line, plain
from kesu_desk.widgets.timeline import remedy_text

MAX_ITEMS = 1000  # a day's calls are a few dozen; a runaway list stops here
SCORES = range(1, 6)
SATISFIED = 4  # 4 and 5 close the case (the workflow decides; the screen only words it)


def follow_up_state(item: FollowUpItem, now: datetime) -> DeadlineState | None:
    """On time, at risk or overdue for the follow-up call, at ``now`` (the list may be minutes old)."""
    return deadline_state(item.clock_start, item.due_at, now) if item.due_at is not None else None


class FollowUpList(DeskList[FollowUpItem]):
    BINDINGS: ClassVar[list[BindingType]] = list_bindings("follow_ups")

    def key(self, item: FollowUpItem) -> str:
        return item.number


class FollowUpsScreen(DeskScreen[None]):
    """Whom to call back (F9): Enter opens the survey for the highlighted case, ``o`` the case."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="follow_ups.back"),
        Binding("enter", "survey", "Survey", id="follow_ups.survey"),
        Binding("o", "open_case", "Open case", id="follow_ups.open"),
    ]

    class Loaded(Message):
        def __init__(self, items: list[FollowUpItem]) -> None:
            super().__init__()
            self.items = items

    class Failed(outcomes.Failed):
        """The list could not be (re)loaded."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[FollowUpItem] = []
        self.refusal: str | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(self.t("follow_ups.loading")), id="follow-ups-status")
        yield FollowUpList(self.lang, id="follow-ups")
        yield Static(id="follow-ups-detail")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.title = self.t("follow_ups.title")
        self.query_one(FollowUpList).focus()
        self.reload()
        self.set_interval(REDRAW_SECONDS, self._draw)

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="follow-ups")
    def _load(self) -> None:
        with outcome(self, self.Failed) as post:
            items: list[FollowUpItem] = []
            now = self.desk_app.now()
            while len(items) < MAX_ITEMS:
                page = follow_ups_due(self.desk, self.actor.name, now, limit=FOLLOW_UP_PAGE,
                                      after=items[-1].key if items else None)
                items += page
                if len(page) < FOLLOW_UP_PAGE:
                    break
            post(self.Loaded(items))

    def on_desk_changed(self, event: DeskChanged) -> None:
        if self.is_current:  # else reloaded when shown again (_resumed)
            self.reload()

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self.loaded:  # back from a survey or a case
            self.reload()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.refusal, self.loaded = None, True
        self.items = message.items
        self._draw()
        self.refresh_bindings()

    @on(Failed)
    def _not_loaded(self, message: Failed) -> None:
        error = message.error
        if isinstance(error, WorkflowError) and error.code == "wrong_role":
            self.refusal = self.t("follow_ups.not_for_role", role=self.t(f"role.{self.actor.role.value}"))
            self.items, self.loaded = [], True
            self._draw()
        else:
            self.query_one("#follow-ups-status", Static).update(
                Text(self.t("follow_ups.failed", reason=self.failure(message))))
        self.refresh_bindings()

    # -- drawing ---------------------------------------------------------------------------------

    def _draw(self) -> None:
        if not self.loaded:
            return
        now = self.desk_app.now()
        self.query_one(FollowUpList).show(self.items, lambda i: self._prompt(i, now))
        if self.refusal is not None:
            status = self.refusal
        elif self.items:
            status = self.t("follow_ups.count", count=len(self.items))
        else:
            status = self.t("follow_ups.none")
        self.query_one("#follow-ups-status", Static).update(Text(status))
        self._show_detail()

    def _prompt(self, item: FollowUpItem, now: datetime) -> Content:
        due, due_style = deadline_cell(item.due_at, follow_up_state(item, now), now)
        contact = one_line(item.phone or item.email) or self.t("follow_ups.no_contact")
        first = Content.assemble(
            (f"{due:<7}", due_style), " ", item.number, "  ", (one_line(item.customer), ".desk-list--strong"),
            "  ", contact,
        )
        if item.attempts:
            first += Content.assemble(
                " · ", (self.t("follow_ups.attempt", attempt=item.attempts + 1, of=item.attempts_allowed),
                        ".desk-list--at-risk"))
        urgent = [("‼ ", ".desk-list--urgent")] if item.urgent else []
        second = Content.assemble("    ", *urgent, remedy_text(item.remedy, item.amount, self.lang, self.desk.settings.currency), " · ",
                                  one_line(item.summary))
        return Content("\n").join([first, second])

    @property
    def current(self) -> FollowUpItem | None:
        return self.query_one(FollowUpList).current

    @on(OptionList.OptionHighlighted, "#follow-ups")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        box = self.query_one("#follow-ups-detail", Static)
        item = self.current
        box.display = item is not None
        if item is not None:
            box.update(promised_and_done(item, self.lang, self.desk.calendar.tz, self.desk.settings.currency))

    # -- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("survey", "open_case"):
            if self.refusal is not None:
                return False
            if not self.items:
                return None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(OptionList.OptionSelected, "#follow-ups")
    def action_survey(self) -> None:
        item = self.current
        if item is not None:
            self.app.push_screen(SurveyScreen(item))

    def action_open_case(self) -> None:
        item = self.current
        if item is not None:
            self.desk_app.open_case(item.number)


def promised_and_done(item: FollowUpItem, lang: str, tz: tzinfo, currency: str = "") -> Text:
    """What the customer was promised and what was done, as the agent needs it before calling."""
    text = Text(t("survey.promised", lang, remedy=remedy_text(item.remedy, item.amount, lang, currency)))
    if item.promised:
        text.append(" — ")
        text.append_text(plain(one_line(item.promised)))
    text.append("\n" + t("survey.done", lang))
    text.append_text(plain(one_line(item.implementation) or "–"))
    if item.implemented_at is not None:
        text.append(" (" + local_time(item.implemented_at, tz) + ")")
    if item.caller_mood:
        key = f"survey.mood.{item.caller_mood}"
        mood = t(key, lang)
        text.append("\n" + t("survey.mood_line", lang, mood=one_line(item.caller_mood) if mood == key else mood))
    return text


# -- the survey -------------------------------------------------------------------------------------


class AnswerPad(Static, can_focus=True):
    """The customer's answers, each on one key: the score (1–5) and solved (y/n)."""


class SurveyScreen(DeskScreen[None]):
    """One follow-up call: read the script, press the score (1–5), y/n for solved, Tab to the
    comments and type them, Ctrl+S saves; F4 records a call nobody answered."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="survey.back"),
        Binding("ctrl+s,f2", "save", "Save", id="survey.save", priority=True),
        Binding("f4", "no_answer", "No answer", id="survey.no_answer"),
        Binding("ctrl+o", "open_case", "Case", id="survey.open"),
        *[Binding(str(n), f"score({n})", f"Score {n}", show=False, id=f"survey.score_{n}") for n in SCORES],
        Binding("y", "solved(True)", "Solved", show=False, id="survey.solved"),
        Binding("n", "solved(False)", "Not solved", show=False, id="survey.not_solved"),
    ]

    class CaseLoaded(Message):
        def __init__(self, view: CaseView) -> None:
            super().__init__()
            self.view = view

    class Failed(outcomes.Failed):
        """The case could not be looked at (what was typed stays where it is)."""

    class Recorded(Message):
        """The service recorded the call (``answered``: the answers; else a call nobody
        answered): the case as it is now, its department in words."""

        def __init__(self, view: CaseView, department: str, *, answered: bool) -> None:
            super().__init__()
            self.view = view
            self.department = department
            self.answered = answered

    class Changed(Message):
        """Someone changed the case first: nothing was saved; ``fresh`` is the case as it is now."""

        def __init__(self, error: ConflictError, fresh: CaseView) -> None:
            super().__init__()
            self.error = error
            self.fresh = fresh

    class NotSaved(outcomes.Failed):
        """Neither the answers nor the unanswered call were recorded."""

    def __init__(self, item: FollowUpItem) -> None:
        super().__init__()
        self.item = item
        self.version = item.version  # what the answers are saved against
        self.attempts = item.attempts  # unanswered calls so far
        self.opened: CaseView | None = None  # the case as first loaded (to say what changed)
        self.score: int | None = None
        self.solved: bool | None = None
        self.saving = False
        self.finished = False  # the case left follow-up (closed, reopened): nothing more to record
        self.leaving = False  # Esc once with unsaved answers: the next Esc leaves

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="survey-case")
        with Horizontal(id="survey-status"):
            yield Static(id="survey-attempt")
            yield Static(id="survey-due")
        with VerticalScroll(id="survey-body"):
            yield Static(promised_and_done(self.item, self.lang, self.desk.calendar.tz, self.desk.settings.currency), id="survey-facts")
            script = Static(self._script(), id="survey-script")
            script.border_title = self.t("survey.script_title")
            yield script
        yield AnswerPad(id="survey-answers")
        yield field_row(self.t("survey.comments"), TypedTextArea(
            id="survey-comments", compact=True, soft_wrap=True, tab_behavior="focus",
            placeholder=self.t("survey.comments_placeholder")), id="survey-comments-row")
        yield Static(id="survey-message")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.title = self.t("survey.title", number=self.item.number)
        self._show_case()
        self._show_answers()
        self.query_one(AnswerPad).focus()
        self._load_case()

    # -- what the agent reads ----------------------------------------------------------------------

    def _script(self) -> Text:
        item = self.item
        lines = [self.t("survey.script_greeting", customer=one_line(item.customer), number=item.number,
                        product=one_line(item.product) or "–")]
        if item.remedy:
            lines.append(self.t("survey.script_done", remedy=remedy_text(item.remedy, item.amount, self.lang,
                                                                       self.desk.settings.currency),
                                implementation=one_line(item.implementation) or "–"))
        else:
            lines.append(self.t("survey.script_done_plain", implementation=one_line(item.implementation) or "–"))
        lines.append(self.t("survey.script_question"))
        return Text("\n".join(lines))

    def _show_case(self) -> None:
        """Whom to call, which attempt this is, and the follow-up deadline (symbol and colour)."""
        item, now = self.item, self.desk_app.now()
        line = Text(f"{item.number} · ", style="bold")
        line.append_text(plain(one_line(item.customer), "bold"))
        line.append(" · " + (one_line(item.phone or item.email) or self.t("follow_ups.no_contact")))
        self.query_one("#survey-case", Static).update(line)
        attempt = Text()
        if not self.finished:
            attempt.append(self.t("survey.attempt", attempt=self.attempts + 1, of=item.attempts_allowed),
                           style="bold")
            if self.attempts:
                attempt.append(" · " + self.t("survey.unanswered", count=self.attempts))
        self.query_one("#survey-attempt", Static).update(attempt)
        due = self.query_one("#survey-due", Static)
        state = follow_up_state(item, now)
        for name in STATE_CLASSES.values():
            due.set_class(state is not None and STATE_CLASSES[state] == name and not self.finished, f"-{name}")
        if item.due_at is None or state is None or self.finished:
            due.update("")
            return
        due.update(Text(f"{DEADLINE_SYMBOLS[state]} " + self.t(
            "survey.due", date=local_time(item.due_at, self.desk.calendar.tz),
            state=self.t(f"survey.state.{state.value}"))))

    def _show_answers(self) -> None:
        pad = Text()
        pad.append(self.t("survey.score_label", keys=f"{key_of(self, 'survey.score_1')}–"
                                                     f"{key_of(self, 'survey.score_5')}") + "  ")
        for n in SCORES:
            if n == self.score:
                pad.append(f"[{n}]", style="bold reverse")
            else:
                pad.append(f" {n} ")
        pad.append("  ")
        if self.score is None:
            pad.append(self.t("survey.score_hint"), style="italic")
        else:
            pad.append(f"{self.score} = {self.t(f'survey.score.{self.score}')}", style="bold")
        pad.append("\n" + self.t("survey.solved_label", yes=key_of(self, "survey.solved"),
                                 no=key_of(self, "survey.not_solved")) + "  ")
        for value, word in ((True, self.t("survey.yes")), (False, self.t("survey.no"))):
            if self.solved is value:
                pad.append(f"[{word}]", style="bold reverse")
            else:
                pad.append(f" {word} ")
        if self.solved is None:
            pad.append("  " + self.t("survey.not_asked"), style="italic")
        self.query_one(AnswerPad).update(pad)

    def say(self, message: Text | str, kind: str = "error") -> None:
        box = self.query_one("#survey-message", Static)
        box.update(message if isinstance(message, Text) else Text(message))
        box.set_class(bool(message), "-shown")
        for name in ("error", "done", "info"):
            box.set_class(kind == name, f"-{name}")

    # -- loading the case (to tell what changed, and whether it still waits for its call) ----------

    @work(thread=True, exclusive=True, exit_on_error=False, group="survey-case")
    def _load_case(self) -> None:
        with outcome(self, self.Failed) as post:
            post(self.CaseLoaded(cases.get_case(self.desk, self.item.number)))

    @on(Failed)
    def _case_not_loaded(self, message: Failed) -> None:
        self.say(self.failure(message))  # what was typed stays where it is
        self.refresh_bindings()

    @on(NotSaved)
    def _not_saved(self, message: NotSaved) -> None:
        self.saving = False
        self.say(self.failure(message))  # what was typed stays where it is
        self.refresh_bindings()

    def on_desk_changed(self, event: DeskChanged) -> None:
        if not self.finished and not self.saving:
            self._load_case()  # to say at once if someone else took this call

    @on(CaseLoaded)
    def _case_loaded(self, message: CaseLoaded) -> None:
        view = message.view
        if view.version == self.version:
            self.opened = view
        if view.status is not Status.FOLLOW_UP:
            self.say(self.t("survey.not_in_follow_up", number=view.number,
                            status=self.t(f"status.{view.status.value}")))
        self.refresh_bindings()

    # -- recording the call -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "no_answer", "score", "solved"):
            if self.finished:
                return False
            if self.saving:
                return None
        return True

    def action_score(self, score: int) -> None:
        if self.finished or self.saving:
            return
        self.score = score
        self.leaving = False
        self._show_answers()

    def action_solved(self, solved: bool) -> None:
        if self.finished or self.saving:
            return
        self.solved = solved
        self.leaving = False
        # The focus stays on the answers (issue 15): a jump nobody sees sent the habitual Tab
        # away from the comments. Tab goes to them.
        self._show_answers()

    @property
    def comments(self) -> str:
        return self.query_one("#survey-comments", TypedTextArea).text.strip()

    def action_save(self) -> None:
        if self.finished or self.saving:
            return
        if self.score is None:
            self.say(self.t("survey.choose_score", keys=f"{key_of(self, 'survey.score_1')}–"
                                                         f"{key_of(self, 'survey.score_5')}"))
            self.query_one(AnswerPad).focus()
            return
        self.saving = True
        self.say(self.t("survey.saving"), "info")
        self.refresh_bindings()
        self._save(self.score, self.solved, self.comments, self.version)

    def action_no_answer(self) -> None:
        if self.finished or self.saving:
            return
        self.saving = True
        self.say(self.t("survey.saving"), "info")
        self.refresh_bindings()
        self._record_no_answer(self.comments, self.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="survey")
    def _save(self, score: int, solved: bool | None, comments: str, version: int) -> None:
        with outcome(self, self.NotSaved) as post:
            try:
                view = record_survey(self.desk, self.actor.name, self.item.number, version, score=score,
                                     solved=solved, comments=comments)
            except ConflictError as error:
                post(self.Changed(error, cases.get_case(self.desk, self.item.number)))
                return
            post(self.Recorded(view, self._department(view), answered=True))

    @work(thread=True, exclusive=True, exit_on_error=False, group="no-answer")
    def _record_no_answer(self, comment: str, version: int) -> None:
        with outcome(self, self.NotSaved) as post:
            try:
                view = record_no_answer(self.desk, self.actor.name, self.item.number, version, comment=comment)
            except ConflictError as error:
                post(self.Changed(error, cases.get_case(self.desk, self.item.number)))
                return
            post(self.Recorded(view, self._department(view), answered=False))

    def _department(self, view: CaseView) -> str:
        """The case's department in the user's language (runs in the worker)."""
        if not view.department:
            return "–"
        names = {d.code: d.name(self.lang) for d in department_views(self.desk)}
        return names.get(view.department, view.department)

    @on(Changed)
    def _changed_first(self, message: Changed) -> None:
        self.saving = False
        self._conflict(message.fresh)
        self.refresh_bindings()

    @on(Recorded)
    def _recorded(self, message: Recorded) -> None:
        self.saving = False
        if message.answered:
            self._survey_saved(message)
        else:
            self._no_answer_saved(message)
        self.refresh_bindings()

    def _survey_saved(self, result: Recorded) -> None:
        view = result.view
        self._finish()
        assert self.score is not None
        word = self.t(f"survey.score.{self.score}")
        if view.status is Status.CLOSED:
            message = self.t("survey.closed", score=self.score, word=word, number=view.number)
        else:
            message = self.t("survey.reopened", score=self.score, word=word, number=view.number,
                             department=result.department)
        self.say(message + "\n" + self.t("survey.back_hint", shortcut=key_of(self, "survey.back")), "done")
        self.notify(message)
        self._changed()

    def _no_answer_saved(self, result: Recorded) -> None:
        view = result.view
        last = next((e for e in reversed(view.timeline) if e.action == "follow_up"), None)
        details = last.details if last is not None else {}
        attempt = int(details.get("attempt", self.attempts + 1))
        of = int(details.get("of", self.item.attempts_allowed))
        self.attempts, self.version = attempt, view.version
        self.query_one("#survey-comments", TypedTextArea).clear()  # it went with this attempt
        if view.status is Status.CLOSED:
            self._finish()
            message = self.t("survey.closed_no_answer", attempt=attempt, of=of, number=view.number)
            self.say(message + "\n" + self.t("survey.back_hint", shortcut=key_of(self, "survey.back")), "done")
        else:
            message = self.t("survey.no_answer", attempt=attempt, of=of, left=max(0, of - attempt))
            self.say(message, "info")
            self._show_case()
        self.notify(message)
        self._changed()

    def _finish(self) -> None:
        self.finished = True
        self.query_one("#survey-comments", TypedTextArea).read_only = True
        self._show_case()

    def _conflict(self, fresh: CaseView) -> None:
        text = Text(self.t("survey.conflict"), style="bold")
        lines = (case_changes(self.opened, fresh, self.lang, self.desk.calendar.tz)
                 if self.opened is not None else [])
        for line in lines or [self.t("survey.nothing_visible")]:
            text.append("\n• ")
            text.append(line)
        text.append("\n" + self.t("survey.again", shortcut=key_of(self, "survey.save")), style="italic")
        # From now on the answers are measured against the case as it is now.
        self.opened, self.version = fresh, fresh.version
        self.say(text)

    def _changed(self) -> None:
        """Other screens (the list below, the queue, the badge) follow this change now."""
        self.desk_app.check_changes()

    # -- leaving ----------------------------------------------------------------------------------

    def action_open_case(self) -> None:
        self.desk_app.open_case(self.item.number)

    def action_back(self) -> None:
        unsaved = not self.finished and (self.score is not None or self.solved is not None or bool(self.comments))
        if unsaved and not self.leaving:
            self.leaving = True
            self.say(self.t("survey.leave_unsaved", shortcut=key_of(self, "survey.back")), "info")
            return
        self.app.pop_screen()
