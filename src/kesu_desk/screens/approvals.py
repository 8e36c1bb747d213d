"""The supervisor's approval inbox: every proposal waiting for this user's approval, oldest first;
approve one or several at once (each its own four-eyes check and timeline event), or return one
to its department with a comment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import ScreenResume
from textual.message import Message
from textual.widgets import Header, Input, OptionList, Static

from kesu_desk.domain.errors import WorkflowError
from kesu_desk.present.formats import compensation_range, local_time
from kesu_desk.screens.actions import ReturnDialog
from kesu_desk.screens.base import DeskChanged, DeskModal, DeskScreen
from kesu_desk.services import cases
from kesu_desk.services.approvals import (
    INBOX_PAGE,
    BatchResult,
    InboxItem,
    approval_inbox,
    approve_many,
    inbox_matches,
    waiting_in,
)
from kesu_desk.services.queue import search_cases
from kesu_desk.services.views import CaseView
from kesu_desk.widgets import outcomes
from kesu_desk.widgets.case_table import DEADLINE_SYMBOLS
from kesu_desk.widgets.desk_list import REDRAW_SECONDS, DeskList, deadline_cell, list_bindings
from kesu_desk.widgets.keys import DeskFooter, key_of
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.text import ControlPictures, OneLineInput, one_line, plain
from kesu_desk.widgets.timeline import range_note, remedies_text, remedy_text

# The inbox is small (what one person approves in a day); a runaway one stops here.
MAX_ITEMS = 1000


class InboxList(DeskList[InboxItem]):
    BINDINGS: ClassVar[list[BindingType]] = list_bindings("approvals")

    def key(self, item: InboxItem) -> str:
        return str(item.proposal_id)


class ApproveBatchDialog(DeskModal[str | None]):
    """Confirms the proposals about to be approved; an optional comment goes with each approval.
    Enter (or Ctrl+S) approves, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "confirm", "Approve", id="approvals.confirm", priority=True),
    ]

    def __init__(self, items: list[InboxItem], left_out: Sequence[InboxItem] = ()) -> None:
        super().__init__(classes="inbox-dialog")
        self.items = items  # those this user may approve
        self.left_out = list(left_out)  # marked, but not theirs to approve (their own…)

    def compose(self) -> ComposeResult:
        with Vertical(id="inbox-dialog"):
            yield Static(Text(self.t("inbox.approve_title", count=len(self.items)), style="bold"))
            lines = Text()
            for item in self.items:
                if lines:
                    lines.append("\n")
                lines.append(f"{item.number}  ")
                lines.append(remedies_text(item.remedies, item.amount, self.lang, self.desk.settings.currency))
                lines.append(" · ")
                lines.append(self.t("inbox.by", actor=one_line(item.proposed_by)))
            for item in self.left_out:
                lines.append("\n")
                reason = self.explain(item.reason) if item.reason is not None else ""
                lines.append(self.t("inbox.left_out", number=item.number, reason=reason), style="italic")
            with VerticalScroll(id="inbox-dialog-items"):
                yield Static(lines)
            yield Static(Text(self.t("inbox.comment")), classes="inbox-dialog-label")
            yield OneLineInput(id="inbox-comment", compact=True, placeholder=self.t("inbox.comment_placeholder"),
                        highlighter=ControlPictures())
            yield Static(Text(self.t("inbox.approve_hint", shortcut=key_of(self, "approvals.confirm"))),
                         classes="inbox-dialog-hint")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#inbox-comment", Input).focus()

    @on(Input.Submitted, "#inbox-comment")
    def action_confirm(self) -> None:
        self.dismiss(self.query_one("#inbox-comment", Input).value.strip())


class ReturnWithComment(ReturnDialog):
    """The case screen's return dialog; the comment is checked before anything is sent."""

    def collect(self) -> dict[str, Any]:
        values = super().collect()
        if not values["comment"]:
            raise WorkflowError("missing_field", field="comment")
        return values


class ApprovalsScreen(DeskScreen[None]):
    """What waits for this user's approval (F7): Enter opens the case, Space marks, ``o``
    approves the marked proposals (or the highlighted one), ``r`` returns one with a comment,
    ``/`` searches the inbox as you type (a case number jumps to its proposal)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="approvals.back"),
        Binding("enter", "open_case", "Open", id="approvals.open"),
        Binding("space", "mark", "Mark", id="approvals.mark"),
        Binding("asterisk", "mark_all", "Mark all", id="approvals.mark_all", show=False),
        # ``o`` as on the case screen; ``a`` as before.
        Binding("o,a", "approve", "Approve", id="approvals.approve"),
        Binding("r,b", "return_proposal", "Return", id="approvals.return"),
        Binding("slash", "search", "Search", id="approvals.search"),
    ]

    class Loaded(Message):
        def __init__(self, items: list[InboxItem]) -> None:
            super().__init__()
            self.items = items

    class Failed(outcomes.Failed):
        """The inbox could not be (re)loaded."""

    class Approved(Message):
        """Each chosen proposal with what became of it."""

        def __init__(self, results: list[tuple[InboxItem, BatchResult]], left_out: list[InboxItem]) -> None:
            super().__init__()
            self.results = results
            self.left_out = left_out  # marked, not this user's to approve: not sent

    class NotApproved(outcomes.Failed):
        """The batch failed as a whole."""

    class Found(Message):
        """The case numbers the queue's search finds for ``text`` (words of the whole case)."""

        def __init__(self, text: str, numbers: set[str]) -> None:
            super().__init__()
            self.text = text
            self.numbers = numbers

    class ReturnOpened(Message):
        """The case of the proposal to return, as it is now."""

        def __init__(self, view: CaseView) -> None:
            super().__init__()
            self.view = view

    def __init__(self) -> None:
        super().__init__()
        self.items: list[InboxItem] = []
        self.marked: set[int] = set()  # proposal ids
        self.refusal: str | None = None  # this user approves nothing: why
        self.loaded = False
        self.busy = False  # a batch is being approved
        self.search = ""  # what ``/`` filters the list by
        self.found: set[str] = set()  # case numbers the search service found for it

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(self.t("inbox.loading")), id="inbox-status")
        yield OneLineInput(id="inbox-search", compact=True, placeholder=self.t("inbox.search_placeholder"),
                    highlighter=ControlPictures())
        yield InboxList(self.lang, id="inbox")
        yield Static(id="inbox-detail")
        yield Static(id="inbox-results")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.title = self.t("inbox.title")
        self.query_one("#inbox-search", Input).display = False
        self.query_one(InboxList).focus()
        self.reload()
        self.set_interval(REDRAW_SECONDS, self._draw)

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox")
    def _load(self) -> None:
        with outcome(self, self.Failed) as post:
            items: list[InboxItem] = []
            after: int | None = None
            while len(items) < MAX_ITEMS:
                page = approval_inbox(self.desk, self.actor.name, after_id=after, limit=INBOX_PAGE,
                                      now=self.desk_app.now())
                items += page
                if len(page) < INBOX_PAGE:
                    break
                after = page[-1].proposal_id
            post(self.Loaded(items))

    def on_desk_changed(self, event: DeskChanged) -> None:
        if self.is_current:  # else reloaded when shown again (_resumed)
            self.reload()

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self.loaded:  # back from a case, where a proposal may have been decided
            self.reload()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.refusal = None
        self.loaded = True
        self.items = message.items
        self.marked &= {i.proposal_id for i in self.items}
        self._draw()
        self.refresh_bindings()

    @on(Failed)
    def _load_failed(self, message: Failed) -> None:
        error = message.error
        if isinstance(error, WorkflowError) and error.code == "wrong_role":
            # Agents and handlers approve nothing: say so instead of showing an error.
            self.refusal = self.t("inbox.not_for_role", role=self.t(f"role.{self.actor.role.value}"))
            self.items, self.marked = [], set()
            self.loaded = True
            self._draw()
        else:
            # Keep what was shown; say why it could not be refreshed.
            self.query_one("#inbox-status", Static).update(
                Text(self.t("inbox.failed", reason=self.failure(message))))
        self.refresh_bindings()

    # -- drawing ---------------------------------------------------------------------------------

    def _draw(self, *, jump: bool = False) -> None:
        """Draw the list; with ``jump`` (the search just changed) a typed case number takes the
        highlight."""
        if not self.loaded:
            return
        now = self.desk_app.now()
        inbox = self.query_one(InboxList)
        shown = self.shown
        inbox.show(shown, lambda i: self._prompt(i, now))
        to = self._jump_to(shown) if jump else None
        if to is not None:
            inbox.highlighted = to
        self._show_status()
        self._show_detail()
        self.refresh_bindings()

    @property
    def shown(self) -> list[InboxItem]:
        """The items the search (``/``) leaves, in list order; all without one."""
        if not self.search:
            return self.items
        return [i for i in self.items if i.number in self.found or inbox_matches(i, self.search)]

    def _jump_to(self, shown: list[InboxItem]) -> int | None:
        """A typed case number (or its end: ``0042``) highlights that case's proposal."""
        text = self.search.strip().upper()
        if not text:
            return None
        return next((n for n, i in enumerate(shown) if i.number.upper().endswith(text)), None)

    def _show_status(self) -> None:
        if self.refusal is not None:
            text = self.refusal
        else:
            # The header's badge counts the same (services.approvals.waiting_in).
            waiting = waiting_in(self.items)
            text = self.t("inbox.count", count=waiting) if waiting else self.t("inbox.none")
            others = len(self.items) - waiting
            if others:
                text += " · " + self.t("inbox.not_yours", count=others)
            if self.marked:
                text += " · " + self.t("inbox.marked", count=len(self.marked))
            if self.search:
                text += " · " + self.t("inbox.found", count=len(self.shown))
        self.query_one("#inbox-status", Static).update(Text(text))

    def _prompt(self, item: InboxItem, now: datetime) -> Content:
        marked = item.proposal_id in self.marked
        due, due_style = deadline_cell(item.due_at, item.deadline_state(now), now)
        if item.suggested_remedies:
            suggestion = (self.t("inbox.as_suggested") if item.as_suggested else self.t(
                "inbox.suggested", remedies=", ".join(remedy_text(r, None, self.lang) for r in item.suggested_remedies)))
        else:
            suggestion = self.t("inbox.no_suggestion")
        first = Content.assemble(
            ("[x]" if marked else "[ ]", ".desk-list--marked" if marked else ""), " ",
            (f"{due:<7}", due_style), " ", item.number, "  ",
            (remedies_text(item.remedies, item.amount, self.lang, self.desk.settings.currency), ".desk-list--strong"),
            f" {suggestion} · ", self.t("inbox.by", actor=one_line(item.proposed_by)),
        )
        second = [("‼ ", ".desk-list--urgent")] if item.urgent else []
        if item.approvals_needed > 1:
            second.append((self.t("inbox.level", level=item.level, of=item.approvals_needed) + " · ", ""))
        body = Content.assemble("    ", *second, one_line(item.customer), " · ", one_line(item.summary))
        lines = [first, body]
        if item.suggested_compensation:  # issue 14: the rules' advice at registration, one line
            lines.append(Content.assemble("    ", (self.t(
                "advice.inbox_compensation", range=compensation_range(item.suggested_compensation)), ".desk-list--muted")))
        if not item.approvable and item.reason is not None:
            lines.append(Content.assemble(
                "    ", (self.t("inbox.refused_mark", reason=self.explain(item.reason)), ".desk-list--muted")
            ))
        prompt = Content("\n").join(lines)
        if not item.approvable:
            prompt = prompt.stylize_before(".desk-list--muted")
        return prompt

    @property
    def current(self) -> InboxItem | None:
        return self.query_one(InboxList).current

    @on(OptionList.OptionHighlighted, "#inbox")
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()  # approve is offered on what this user may approve

    def _show_detail(self) -> None:
        box = self.query_one("#inbox-detail", Static)
        item = self.current
        box.display = item is not None
        if item is None:
            return
        tz, now = self.desk.calendar.tz, self.desk_app.now()
        text = Text(" · ".join([
            item.number, one_line(item.customer), one_line(item.product) or "–", item.department or "–",
            self.t(f"severity.{item.severity.value}"),
        ]), style="bold")
        text.append("\n" + self.t("inbox.proposed", actor=one_line(item.proposed_by),
                                  date=local_time(item.proposed_at, tz),
                                  remedy=remedies_text(item.remedies, item.amount, self.lang, self.desk.settings.currency)))
        if any(r == "compensation" for r, _ in item.remedies):  # issue 13: the range it is measured by
            text.append("\n" + range_note(item.suggested_range, item.price, self.lang, self.desk.settings.currency))
            if item.range_reason is not None:
                text.append("\n" + self.t("remedies.outside") + " · ")
                text.append(self.t("remedies.range_reason", reason=one_line(item.range_reason)))
        if item.approved_by:
            text.append(" · " + self.t("inbox.approved_by", names=", ".join(one_line(n) for n in item.approved_by)))
        if item.details:
            text.append("\n" + self.t("inbox.details", details=""))
            text.append_text(plain(one_line(item.details)))
        state = item.deadline_state(now)
        if item.due_at is not None and state is not None:
            text.append("\n" + self.t("inbox.due", mark=DEADLINE_SYMBOLS[state], date=local_time(item.due_at, tz),
                                      state=self.t(f"inbox.state.{state.value}")))
        else:
            text.append("\n" + self.t("inbox.no_deadline"))
        if not item.approvable and item.reason is not None:
            text.append("\n" + self.t("inbox.refused_mark", reason=self.explain(item.reason)), style="italic")
        box.update(text)

    def _show_results(self, text: Text | None) -> None:
        box = self.query_one("#inbox-results", Static)
        box.update(text or "")
        box.set_class(text is not None, "-shown")

    # -- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "mark_all", "approve", "return_proposal", "open_case", "search"):
            if self.refusal is not None:
                return False  # nothing here is for this user
            if not self.items or (self.busy and action not in ("open_case", "search")):
                return None
        # Four-eyes: one's own proposal (or one above this user's reach) is not offered;
        # approving still refuses it (workflow).
        return action != "approve" or any(i.approvable for i in self._chosen())

    def action_back(self) -> None:
        box = self.query_one("#inbox-search", Input)
        if box.display:  # Esc ends the search first: the whole inbox again
            box.value, self.search, self.found = "", "", set()
            box.display = False
            self.query_one(InboxList).focus()
            self._draw()
            return
        self.app.pop_screen()

    @on(OptionList.OptionSelected, "#inbox")
    def action_open_case(self) -> None:
        item = self.current
        if item is not None:
            self.desk_app.open_case(item.number)

    def action_mark(self) -> None:
        item = self.current
        if item is None:
            return
        self.marked ^= {item.proposal_id}
        self._show_results(None)
        self.query_one(InboxList).redraw(item, self._prompt(item, self.desk_app.now()))
        self._show_status()
        # Like a file manager: marking moves on, so Space Space Space marks three — and stays on
        # the last row rather than wrapping to the top.
        inbox = self.query_one(InboxList)
        if inbox.highlighted is not None and inbox.highlighted < inbox.option_count - 1:
            inbox.action_cursor_down()
        self.refresh_bindings()

    def action_mark_all(self) -> None:
        """Mark every proposal this user may approve; again: unmark all."""
        approvable = {i.proposal_id for i in self.shown if i.approvable}
        self.marked = set() if approvable and approvable <= self.marked else approvable
        self._show_results(None)
        self._draw()

    def _chosen(self) -> list[InboxItem]:
        """The marked proposals in list order, or else the highlighted one."""
        if self.marked:
            return [i for i in self.items if i.proposal_id in self.marked]
        return [self.current] if self.current is not None else []

    def action_approve(self) -> None:
        marked = self._chosen()
        # One's own proposals (four-eyes) are left out of the batch, and the dialog says so.
        chosen = [i for i in marked if i.approvable]
        if not chosen or self.busy:
            return
        left_out = [i for i in marked if not i.approvable]

        def confirmed(comment: str | None) -> None:
            if comment is None:
                return
            self.busy = True
            self._show_results(Text(self.t("inbox.approving")))
            self.refresh_bindings()
            self._approve(chosen, left_out, comment)

        self.app.push_screen(ApproveBatchDialog(chosen, left_out), confirmed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="approve")
    def _approve(self, chosen: list[InboxItem], left_out: list[InboxItem], comment: str) -> None:
        with outcome(self, self.NotApproved) as post:
            results = approve_many(self.desk, self.actor.name, [(i.number, i.version) for i in chosen],
                                   comment=comment)
            post(self.Approved(list(zip(chosen, results, strict=True)), left_out))

    @on(NotApproved)
    def _not_approved(self, message: NotApproved) -> None:
        self.busy = False
        self._show_results(Text(self.failure(message)))
        self._changed()
        self.refresh_bindings()

    @on(Approved)
    def _approved(self, message: Approved) -> None:
        self.busy = False
        results = message.results
        text = Text(self.t("inbox.results_title"), style="bold")
        approved = 0
        for item, result in results:
            text.append("\n")
            if result.approved:
                approved += 1
                key = "inbox.result_first_of_two" if result.awaits_second_approval else "inbox.result_approved"
                text.append(self.t(key, number=item.number))
            else:
                reason = self.explain(result.error) if result.error is not None else ""
                text.append(self.t("inbox.result_refused", number=item.number, reason=reason), style="bold")
        for item in message.left_out:
            text.append("\n")
            reason = self.explain(item.reason) if item.reason is not None else ""
            text.append(self.t("inbox.left_out", number=item.number, reason=reason), style="italic")
        refused = len(results) - approved
        self.marked = set()
        self._show_results(text)
        self.notify(self.t("inbox.summary", approved=approved, refused=refused),
                    severity="warning" if refused else "information")
        self.reload()
        self._changed()
        self.refresh_bindings()

    def _changed(self) -> None:
        """This terminal changed the desk: the approvals badge and the other screens follow now,
        not at the next change check."""
        self.desk_app.check_changes()

    # -- search (``/``) -----------------------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#inbox-search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#inbox-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search, self.found = event.value.strip(), set()
        self._draw(jump=True)  # what the list itself shows matches at once; the words follow
        if self.search:
            self._find(self.search)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox-search")
    def _find(self, text: str) -> None:
        with outcome(self) as post:
            rows = search_cases(self.desk, text, limit=MAX_ITEMS)
            post(self.Found(text, {r.number for r in rows}))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.text == self.search:
            self.found = message.numbers
            self._draw(jump=True)

    @on(Input.Submitted, "#inbox-search")
    def _search_done(self) -> None:
        self.query_one(InboxList).focus()  # the found proposals stay listed

    def action_return_proposal(self) -> None:
        item = self.current
        if item is not None:
            self._load_case(item.number)

    @work(thread=True, exclusive=True, exit_on_error=False, group="return-open")
    def _load_case(self, number: str) -> None:
        with outcome(self) as post:
            post(self.ReturnOpened(cases.get_case(self.desk, number)))

    @on(ReturnOpened)
    def _open_return(self, message: ReturnOpened) -> None:
        view = message.view

        def done(saved: CaseView | None) -> None:
            if saved is None:
                return
            self._show_results(Text(self.t("inbox.returned", number=saved.number)))
            self.marked.discard(next((i.proposal_id for i in self.items if i.number == saved.number), -1))
            self.reload()
            self._changed()

        self.app.push_screen(ReturnWithComment(view), done)
