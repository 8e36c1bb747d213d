"""The Textual application: starts on the case queue; intake, case detail and help are pushed
over it. Every action has a key (remappable through the config's keymap), a footer entry, a
line on the help screen (F1) and a command-palette entry."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from importlib.resources import files
from types import FrameType
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.actions import parse
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from kesu_desk import logfile
from kesu_desk.domain.errors import DeskError
from kesu_desk.domain.workflow import Actor
from kesu_desk.i18n import describe, t
from kesu_desk.screens.base import DeskChanged, DeskModal, DeskScreen, localise_bindings
from kesu_desk.services.changes import Change, Listener
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.widgets.keys import key_name, mapped_bindings
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.textual_private import DeskCommandPalette

# How often the desk looks for other terminals' changes (one indexed max() per look) where the
# database does not announce them (SQLite).
CHANGE_CHECK_SECONDS = 1.0
# Where it does (PostgreSQL's LISTEN/NOTIFY), a look now and then all the same: a change nobody
# announced (a user's role) or a notification lost with its connection.
SAFETY_CHECK_SECONDS = 60.0
# How often a running desk sends the e-mails that are due (issue 17; with a [mail] server).
MAIL_SECONDS = 60.0
# Signals that end the desk from outside: the terminal went away (SIGHUP), a shutdown or a
# `kill` (SIGTERM). What the user typed is on disk before the process ends.
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))
# After SIGTERM the desk puts the terminal back as Ctrl+Q does; when that takes longer (a worker
# stuck on the database, a terminal that reads nothing), it ends without.
EXIT_GRACE_SECONDS = 2.0

__all__ = ["HelpScreen", "KesuDesk", "database_unreachable", "key_help", "localise_bindings"]


def database_unreachable(error: BaseException) -> bool:
    """The database did not answer (down, locked, the connection lost): not a bug of the desk."""
    from sqlalchemy.exc import OperationalError

    return isinstance(error, OperationalError)


def first_line(error: BaseException) -> str:
    reason = getattr(error, "orig", None) or error  # the driver's own words under SQLAlchemy's
    text = str(reason).strip()
    return text.splitlines()[0] if text else type(error).__name__


def key_help(node: DOMNode) -> list[tuple[str, str]]:
    """(keys, description) of every binding of ``node``, as currently mapped (footer or not),
    that it offers this user now (its check_action)."""
    rows: dict[str, list[str]] = {}
    for key, bindings in mapped_bindings(node).items():
        for b in bindings:
            name, params = parse(b.action)[1:]
            if b.description and not b.system and node.check_action(name, params) is not False:
                rows.setdefault(b.description, []).append(node.app.get_key_display(replace(b, key=key)))
    return [(", ".join(keys), description) for description, keys in rows.items()]


class HelpScreen(DeskModal[None]):
    """Every key of the screen below and of the whole app, as mapped now, in the user's language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "cancel", "Close", id="help.close"),
    ]

    def __init__(self, under: Screen[Any] | None = None) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        rows = key_help(self.app)
        nodes: list[DOMNode] = []
        if self.under is not None:
            nodes.append(self.under)
            focused = self.under.focused
            if focused is not None:  # the focused widget's own keys (the table's, a form's)
                nodes += [n for n in reversed(focused.ancestors_with_self) if n is not self.under
                          and isinstance(n, DOMNode) and n is not self.app]
        for node in [*nodes, self]:
            rows += [r for r in key_help(node) if r not in rows]
        width = max(cell_len(k) for k, _ in rows)
        lines = [self.t("app.help_title"), ""]
        lines += [k + " " * (width - cell_len(k) + 2) + d for k, d in rows]
        with VerticalScroll(id="help"):
            yield Static(Text("\n".join(lines)))


class KesuDesk(App[None]):
    CSS_PATH = [
        str(files("kesu_desk.assets") / name)
        for name in ("app.tcss", "queue.tcss", "intake.tcss", "case.tcss", "supervisor.tcss", "overview.tcss")
        if (files("kesu_desk.assets") / name).is_file()
    ]
    TITLE = "kesu-desk"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f5", "refresh", "Refresh", id="app.refresh"),
        Binding("f7", "approvals", "Approvals", id="app.approvals"),
        Binding("f9", "follow_ups", "Follow-ups", id="app.follow_ups"),
        Binding("f10", "overview", "Overview", id="app.overview"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", "Commands", id="app.commands", show=False, priority=True),
    ]

    class ChangesSeen(Message):
        """The newest event in the database (None: not looked at), and how many approvals wait
        for this user."""

        def __init__(self, last_event_id: int | None, waiting: int) -> None:
            super().__init__()
            self.last_event_id = last_event_id
            self.waiting = waiting

    class ChangesAnnounced(Message):
        """The database announced other terminals' (or this one's) committed changes."""

        def __init__(self, change: Change) -> None:
            super().__init__()
            self.change = change

    class ListeningChanged(Message):
        """The connection that hears announced changes was made, lost (``reason``) or made again."""

        def __init__(self, connected: bool, reason: str) -> None:
            super().__init__()
            self.connected = connected
            self.reason = reason

    def __init__(
        self, desk: Desk, actor: Actor, lang: str, *, clock: Callable[[], datetime] | None = None,
        watch_changes: bool = True, listen: bool = True, **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._log_file = logfile.open_log()  # first: what follows may have something to log
        if desk.identity is None:  # every read takes this user's view (domain/access.py)
            from kesu_desk.domain.access import Identity

            desk = desk.signed_in_as(Identity(user=actor, login=actor.name))
        self.desk = desk
        self.actor = actor
        self.lang = lang
        self._clock = clock or utcnow
        self._watch_changes = watch_changes
        self._listen = listen  # False: look every second even where changes are announced (benchmarks)
        self.listener: Listener | None = None
        self._listen_lost = False
        self._last_event_id: int | None = None
        self._waiting: int | None = None  # approvals waiting for this user
        self._previous_handlers: dict[int, Any] = {}
        self._ending = False
        localise_bindings(self, lang)

    def now(self) -> datetime:
        """The current moment (fixed in snapshot tests)."""
        return self._clock()

    def on_mount(self) -> None:
        self._install_ending_signals()
        self._remove_stale_drafts()
        self._show_who()
        self.set_keymap(self.desk.settings.keymap)
        self.check_changes()  # the baseline, taken with the first page, and the approvals badge
        if self._watch_changes:
            self._watch()
            if self.desk.settings.mail.enabled:  # issue 17: the desk sends what is due while it runs
                self.set_interval(MAIL_SECONDS, self._send_mail)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mail")
    def _send_mail(self) -> None:
        """Due e-mails to customers, each claimed first, so terminals sending at once never send
        one twice; a failure is the outbox's to keep (and the overview's to show), not the user's."""
        from kesu_desk.services.mail import send_pending

        try:
            send_pending(self.desk)
        except Exception:  # the database is away for a moment: the next round tries again
            logfile.log.warning("sending e-mail failed", exc_info=True)

    def _watch(self) -> None:
        from kesu_desk.services.changes import announces_changes, listen

        if self._listen and announces_changes(self.desk):
            self.listener = listen(
                self.desk, lambda change: self.post_message(self.ChangesAnnounced(change)),
                lambda connected, reason: self.post_message(self.ListeningChanged(connected, reason)),
            )
            self.set_interval(SAFETY_CHECK_SECONDS, self.check_changes)
        else:
            self.set_interval(CHANGE_CHECK_SECONDS, self.check_changes)

    def on_unmount(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        for signum, previous in self._previous_handlers.items():
            if signal.getsignal(signum) == self._on_ending_signal:
                signal.signal(signum, signal.SIG_DFL if previous is None else previous)
        self._previous_handlers.clear()
        logfile.close_log(self._log_file)

    # -- ended from outside ----------------------------------------------------------------------

    def _install_ending_signals(self) -> None:
        """Python-level handlers, not the event loop's (``loop.add_signal_handler``): they run
        in the main thread between any two bytecodes, even while the loop waits for something
        that never comes, such as a write to a terminal that has gone."""
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in ENDING_SIGNALS:
            previous = signal.getsignal(signum)
            if previous == signal.SIG_IGN:
                continue  # started under nohup: meant to outlive its terminal
            signal.signal(signum, self._on_ending_signal)
            self._previous_handlers[signum] = previous

    def _on_ending_signal(self, signum: int, frame: FrameType | None) -> None:
        """Write what the user typed (the intake's draft, even under a dialog), then end: a
        second signal meanwhile (SIGTERM and then SIGHUP, as a session ends) changes nothing."""
        if self._ending:
            return  # the first signal's handler, which this one interrupted, carries on
        self._ending = True
        # A handler someone installed before (an embedding program, a test) decides what
        # follows; then the desk may go on, and so may its draft.
        previous = self._previous_handlers.get(signum)
        for screen in reversed(self.screen_stack):
            if isinstance(screen, DeskScreen | DeskModal):
                with contextlib.suppress(Exception):  # a full disk must not keep the process from ending
                    screen.save_unsaved(last=not callable(previous))
        if callable(previous):
            self._ending = False
            previous(signum, frame)
        elif signum == getattr(signal, "SIGHUP", None):
            # The terminal has gone: there is nothing to put back, and writing to it may block.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        else:
            watchdog = threading.Timer(EXIT_GRACE_SECONDS, os._exit, (128 + signum,))
            watchdog.daemon = True
            watchdog.start()
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # between the app's loop and its end: nothing left to put back
                os._exit(128 + signum)
            loop.call_soon_threadsafe(self.exit, None, 128 + signum)

    @work(thread=True, exit_on_error=False, group="drafts")
    def _remove_stale_drafts(self) -> None:
        """The temporaries a killed desk of this user left in the drafts folder."""
        from kesu_desk.services.intake import DraftStore

        DraftStore.for_desk(self.desk, self.actor.name).remove_stale()

    def get_default_screen(self) -> Screen[Any]:
        """The desk starts on the case queue."""
        from kesu_desk.screens.queue import QueueScreen

        return QueueScreen()

    # -- navigation ------------------------------------------------------------------------------

    def open_case(self, number: str) -> None:
        from kesu_desk.screens.case_detail import CaseScreen

        self.push_screen(CaseScreen(number))

    def new_case(self) -> None:
        from kesu_desk.screens.intake import IntakeScreen

        # One intake at a time: its draft is the agent's one draft. Screens opened from it
        # (a caller's open case) close to bring it back.
        self._bring(IntakeScreen, IntakeScreen)

    def _bring(self, screen_type: type[Screen[Any]], make: Callable[[], Screen[Any]]) -> None:
        """Show ``screen_type``: the one already open (closing what is above it) or a new one."""
        if any(isinstance(s, screen_type) for s in self.screen_stack):
            while not isinstance(self.screen, screen_type):
                self.pop_screen()
            return
        self.push_screen(make())

    def action_approvals(self) -> None:
        from kesu_desk.screens.approvals import ApprovalsScreen

        self._bring(ApprovalsScreen, ApprovalsScreen)

    def action_follow_ups(self) -> None:
        from kesu_desk.screens.follow_ups import FollowUpsScreen

        self._bring(FollowUpsScreen, FollowUpsScreen)

    def action_overview(self) -> None:
        from kesu_desk.screens.overview import OverviewScreen

        self._bring(OverviewScreen, OverviewScreen)

    def open_queue(self, *, from_overview: bool = False, **view: Any) -> None:
        """Back to the queue, showing ``view`` (filters of screens.queue.QueueView, e.g. overdue=True);
        ``from_overview``: Esc there goes back to the overview."""
        from kesu_desk.screens.queue import QueueScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, QueueScreen):
            self.pop_screen()
        if isinstance(self.screen, QueueScreen) and view:
            self.screen.show_view(from_overview=from_overview, **view)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_command_palette(self) -> None:
        """Textual's command palette, in the user's language."""
        if self.use_command_palette and not DeskCommandPalette.is_open(self):  # type: ignore[arg-type]
            palette = DeskCommandPalette(
                id="--command-palette", placeholder=t("app.palette_placeholder", self.lang),
                no_matches=t("app.palette_no_matches", self.lang),
            )
            localise_bindings(palette, self.lang)
            self.push_screen(palette)

    def get_key_display(self, binding: Binding) -> str:
        """A key as Textual shows it, its names (space, super) as the user's keyboard labels them."""
        shown = super().get_key_display(binding)
        if binding.key_display:
            return shown
        return "+".join(key_name(part, self.lang) for part in shown.split("+")) if shown != "+" else shown

    @on(events.DescendantFocus)
    def _localise_focused(self, event: events.DescendantFocus) -> None:
        """The keys of Textual's own widgets (a list's Esc, a scrolling box's arrows) in the
        user's language in the footer, F1 and the palette: the focused widget's and those around it."""
        for node in event.widget.ancestors_with_self:
            if isinstance(node, Screen | App):
                break
            localise_bindings(node, self.lang)
        self.screen.refresh_bindings()

    def action_refresh(self) -> None:
        self._waiting = None
        self.check_changes()
        self._broadcast(self._last_event_id or 0)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding of the app and of the current screen is also a palette command."""
        seen: set[str] = set()
        for node in (screen, self):
            for key, bindings in mapped_bindings(node).items():
                for b in bindings:
                    if not b.description or b.system or b.action in seen or b.action == "command_palette":
                        continue
                    name, params = parse(b.action)[1:]
                    if not node.check_action(name, params):
                        continue  # not offered to this user here (the case screen's actions)
                    seen.add(b.action)
                    key = self.get_key_display(replace(b, key=key))
                    yield SystemCommand(
                        b.description, f"{b.description} ({key})",
                        lambda node=node, action=b.action: self._run_binding(node, action),
                    )

    def _run_binding(self, node: DOMNode, action: str) -> None:
        self.call_later(self.run_action, action, node)

    # -- other terminals' changes ----------------------------------------------------------------

    def check_changes(self) -> None:
        self._look_for_changes()

    @work(thread=True, exclusive=True, exit_on_error=False, group="changes")
    def _look_for_changes(self) -> None:
        from kesu_desk.services.approvals import waiting_count
        from kesu_desk.services.queue import last_change

        with outcome(self) as post:
            try:
                last = last_change(self.desk)
                if last == self._last_event_id and self._waiting is not None:
                    waiting = self._waiting  # nothing changed: the count cannot have either
                else:
                    waiting = waiting_count(self.desk, self.actor.name)
            except Exception as error:
                if database_unreachable(error):
                    return  # looked at again in a second; the screens' own work says what failed
                raise
            post(self.ChangesSeen(last, waiting))

    def _show_who(self) -> None:
        """Who works here, and how many approvals wait for them (seen from every screen)."""
        who = f"{self.actor.name} · {t(f'role.{self.actor.role.value}', self.lang)}"
        identity = self.desk.identity
        if identity is not None and identity.admin is not None:  # kesu-desk --user, by an admin
            who = t("access.acting_as", self.lang, admin=identity.admin.name, user=who)
        if self._waiting:
            who += " · " + t("app.waiting_approvals", self.lang, count=self._waiting)
        self.sub_title = who

    def _broadcast(self, last_event_id: int) -> None:
        for screen in self.screen_stack:
            screen.post_message(DeskChanged(last_event_id))

    @on(ChangesAnnounced)
    def _changes_announced(self, message: ChangesAnnounced) -> None:
        """What the announcement says is all it costs: the screens reload what they show, and
        the badge is counted again only when proposals or approvals changed."""
        from kesu_desk.services.approvals import may_approve

        change = message.change
        last = change.last_event_id
        if last is not None:  # each announcement is a commit, even of an older id (committed late)
            self._last_event_id = max(last, self._last_event_id or 0)
            self._broadcast(self._last_event_id)
        if change.approvals and may_approve(self.actor):
            self._count_waiting()

    @work(thread=True, exclusive=True, exit_on_error=False, group="badge")
    def _count_waiting(self) -> None:
        from kesu_desk.services.approvals import waiting_count

        with outcome(self) as post:
            try:
                waiting = waiting_count(self.desk, self.actor.name)
            except Exception as error:
                if database_unreachable(error):
                    return  # the connection's loss is said by ListeningChanged
                raise
            post(self.ChangesSeen(None, waiting))

    @on(ListeningChanged)
    def _listening_changed(self, message: ListeningChanged) -> None:
        if not message.connected:
            self._listen_lost = True
            self.notify(t("app.listen_lost", self.lang, reason=message.reason),
                        severity="error", timeout=8, markup=False)
        elif self._listen_lost:  # what was announced meanwhile was not heard: look once
            self._listen_lost = False
            self.notify(t("app.listen_back", self.lang), timeout=4, markup=False)
            self._waiting = None
            self.check_changes()

    @on(ChangesSeen)
    def _changes_seen(self, message: ChangesSeen) -> None:
        last, waiting = message.last_event_id, message.waiting
        if last is not None:
            if self._last_event_id is not None and last != self._last_event_id:
                self._broadcast(last)
            self._last_event_id = last
        if waiting != self._waiting:
            self._waiting = waiting
            self._show_who()

    # -- what went wrong -------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker's failure in the desk ends here (screens and widgets relay theirs,
        widgets.outcomes): said once, as a notification."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            self.report_failure(error, f"{type(event.worker.node).__name__}.{event.worker.name}")

    def report_failure(self, error: BaseException, where: str) -> None:
        """A refusal of the desk that no screen showed, the database out of reach, or else a
        bug: its traceback goes to the log file, which the notification names."""
        if isinstance(error, DeskError):
            message = describe(error, self.lang)
        elif database_unreachable(error):
            message = t("app.db_error", self.lang, reason=first_line(error))
        else:
            logfile.log.error("Internal error in %s", where, exc_info=error)
            message = t("app.internal_error", self.lang, path=logfile.log_file())
        self.notify(message, severity="error", timeout=8, markup=False)
