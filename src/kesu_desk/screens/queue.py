"""The case queue: every case a screenful at a time, filtered, sorted and searched as you type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Header, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from kesu_desk.domain.vocabulary import Role, Severity, Status
from kesu_desk.screens.base import DeskChanged, DeskModal, DeskScreen
from kesu_desk.services import preferences
from kesu_desk.services import queue as q
from kesu_desk.widgets.case_table import CaseTable, PageRequest
from kesu_desk.widgets.keys import DeskFooter
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.text import OneLineInput
from kesu_desk.widgets.tick_list import TickList

SEARCH_PAUSE = 0.2  # seconds of no typing before a search runs


@dataclass(frozen=True)
class QueueView:
    """What the queue shows: the filters and the sort, as saved in the config's queue_filters."""

    mine: bool = False
    my_department: bool = False
    overdue: bool = False
    at_risk: bool = False
    statuses: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    sort: str = q.Sort.NEWEST.value

    @classmethod
    def load(cls, saved: dict[str, Any]) -> QueueView:
        """From the config; anything unknown in it is ignored rather than refused."""
        known = {s.value for s in Status}
        levels = {s.value for s in Severity}
        sorts = {s.value for s in q.Sort}
        return cls(
            mine=bool(saved.get("mine", False)),
            my_department=bool(saved.get("my_department", False)),
            overdue=bool(saved.get("overdue", False)),
            at_risk=bool(saved.get("at_risk", False)) and not bool(saved.get("overdue", False)),
            statuses=tuple(s for s in saved.get("statuses", ()) if s in known),
            severities=tuple(s for s in saved.get("severities", ()) if s in levels),
            sort=str(saved["sort"]) if saved.get("sort") in sorts else q.Sort.NEWEST.value,
        )

    def saved(self) -> dict[str, Any]:
        data = asdict(self)
        data["statuses"] = list(self.statuses)
        data["severities"] = list(self.severities)
        return data

    @property
    def active(self) -> bool:
        return self != QueueView(sort=self.sort)


class FilterDialog(DeskModal[QueueView]):
    """Statuses and severities to show (space ticks, Enter applies)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f10", "apply", "Apply", id="filters.apply"),
    ]

    def __init__(self, view: QueueView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-dialog"):
            yield Label(self.t("queue.filter_title"), id="filter-title")
            with Horizontal(id="filter-lists"):
                yield TickList(
                    *[Selection(self.t(f"status.{s.value}"), s.value, s.value in self.view.statuses)
                      for s in Status],
                    id="filter-statuses",
                )
                yield TickList(
                    *[Selection(self.t(f"severity.{s.value}"), s.value, s.value in self.view.severities)
                      for s in Severity],
                    id="filter-severities",
                )
            yield Static(self.shown(self.view.statuses, self.view.severities), id="filter-shown")
            with Horizontal(id="filter-buttons"):
                yield Button(self.t("queue.filter_apply"), id="apply", variant="primary")
                yield Button(self.t("queue.filter_cancel"), id="cancel")

    def shown(self, statuses: Sequence[str], severities: Sequence[str]) -> Text:
        """Which cases the ticks will show, in words (ticking "closed" shows only closed cases)."""
        either = self.t("queue.filter_or")
        names = either.join(self.t(f"status.{s.value}") for s in Status if s.value in statuses)
        levels = either.join(self.t(f"severity.{s.value}") for s in Severity if s.value in severities)
        if names and levels:
            return Text(self.t("queue.filter_shows_both", statuses=names, severities=levels))
        if names:
            return Text(self.t("queue.filter_shows_statuses", statuses=names))
        if levels:
            return Text(self.t("queue.filter_shows_severities", severities=levels))
        return Text(self.t("queue.filter_shows_all"))

    def _ticked(self) -> tuple[list[str], list[str]]:
        return (self.query_one("#filter-statuses", TickList).selected,
                self.query_one("#filter-severities", TickList).selected)

    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        self.query_one("#filter-shown", Static).update(self.shown(*self._ticked()))

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        statuses, severities = self._ticked()
        self.dismiss(replace(self.view, statuses=tuple(statuses), severities=tuple(severities)))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


class QueueScreen(DeskScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,ctrl+n", "new_case", "New case", id="queue.new"),
        Binding("slash", "search", "Search", id="queue.search"),
        Binding("escape", "end_search", "Back", id="queue.back", show=False),
        Binding("m", "flip('mine')", "My cases", id="queue.mine"),
        Binding("d", "flip('my_department')", "My dept", id="queue.my_department"),
        Binding("o", "flip('overdue')", "Overdue", id="queue.overdue"),
        Binding("r", "flip('at_risk')", "At risk", id="queue.at_risk"),
        Binding("f", "filters", "Filters", id="queue.filters"),
        Binding("x", "clear_filters", "Clear", id="queue.clear"),
        Binding("s,f6", "sort", "Sort", id="queue.sort"),
    ]

    class Counted(Message):
        """How many cases ``filter`` selects, to be shown in ``sort`` order."""

        def __init__(self, filter: q.QueueFilter, sort: q.Sort, total: int, keep_cursor: bool) -> None:
            super().__init__()
            self.filter = filter
            self.sort = sort
            self.total = total
            self.keep_cursor = keep_cursor

    class OwnView(Message):
        def __init__(self, view: QueueView) -> None:
            super().__init__()
            self.view = view

    def __init__(self) -> None:
        super().__init__()
        # The terminal's default until the user's own view comes from the database.
        self.view = QueueView.load(self.desk.settings.queue_filters.model_dump(mode="json"))
        self._view_chosen = False  # the user changed the view on this screen
        self._before_overview: QueueView | None = None  # the view to go back to (show_view)
        self.searching = ""
        self._search_timer: Timer | None = None
        self._stale = False  # another terminal changed something while this screen was hidden

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="queue-status")
        yield OneLineInput(id="search", placeholder=self.t("queue.search_placeholder"), compact=True)
        yield CaseTable(self.lang, self.desk_app.now, id="cases")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one(CaseTable).focus()
        self.reload()
        self._load_own_view()

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue-own-view")
    def _load_own_view(self) -> None:
        """The view this user saved (issue 15: per user, in the database), shown when it comes
        unless they have changed the view meanwhile."""
        with outcome(self) as post:
            saved = preferences.queue_view(self.desk, self.actor)
            if saved is not None:
                post(self.OwnView(QueueView.load(saved)))

    @on(OwnView)
    def _own_view(self, message: OwnView) -> None:
        if self._view_chosen or message.view == self.view:
            return
        self.view = message.view
        self.reload()

    # -- what to show ----------------------------------------------------------------------------

    def queue_filter(self) -> q.QueueFilter:
        v, now = self.view, self.desk_app.now()
        return q.QueueFilter(
            statuses=tuple(Status(s) for s in v.statuses),
            department=self.actor.department if v.my_department else None,
            severities=tuple(Severity(s) for s in v.severities),
            # "My cases": an agent's are those they registered, anyone else's those they handle.
            handler_id=self.actor.id if v.mine and self.actor.role is not Role.AGENT else None,
            registered_by=self.actor.id if v.mine and self.actor.role is Role.AGENT else None,
            overdue_at=now if v.overdue else None,
            at_risk_at=now if v.at_risk else None,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "My department" is not offered to someone without one (issue 15 item 13).
        if action == "flip" and parameters == ("my_department",):
            return bool(self.actor.department)
        return True

    @property
    def department_only(self) -> bool:
        """Handlers see their department's cases only (the services keep them to it): shown as
        the "my department" filter."""
        return self.actor.role is Role.HANDLER

    def reload(self, *, keep_cursor: bool = False) -> None:
        if self.searching:
            self._run_search(self.searching)
            return
        self._count(self.queue_filter(), q.Sort(self.view.sort), keep_cursor)

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue-count")
    def _count(self, flt: q.QueueFilter, sort: q.Sort, keep_cursor: bool) -> None:
        with outcome(self) as post:
            post(self.Counted(flt, sort, q.queue_count(self.desk, flt), keep_cursor))

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        if not self.searching:
            self.query_one(CaseTable).reset(self._loader(message.filter, message.sort), message.total,
                                            keep_cursor=message.keep_cursor)
            self._show_status(message.total)

    def _loader(self, flt: q.QueueFilter, sort: q.Sort) -> Any:
        desk = self.desk

        def load(request: PageRequest) -> list[q.QueueRow]:
            neighbour = request.neighbour
            after = q.row_key(neighbour, sort) if neighbour is not None else None
            if request.kind == "first":
                return q.queue_page(desk, flt, sort, limit=request.limit)
            if request.kind == "after":
                return q.queue_page(desk, flt, sort, after=after, limit=request.limit)
            if request.kind == "last":
                return q.queue_page(desk, flt, sort, limit=request.limit, from_end=True)
            if request.kind == "before":
                return q.queue_page(desk, flt, sort, after=after, limit=request.limit, from_end=True)
            return q.queue_page_at(desk, flt, sort, request.index, request.limit)

        return load

    def _show_status(self, total: int | None) -> None:
        v = self.view
        parts = []
        if self.searching:
            parts.append(self.t("queue.search_status", query=self.searching))
        else:
            parts.append(self.t("queue.count", total=total if total is not None else "?"))
            names = [self.t(f"queue.filter_{k}") for k in ("mine", "my_department", "overdue", "at_risk")
                     if getattr(v, k) or (k == "my_department" and self.department_only)]
            names += [self.t(f"status.{s}") for s in v.statuses]
            names += [self.t(f"severity.{s}") for s in v.severities]
            parts.append(self.t("queue.filters_shown", filters=", ".join(names)) if names
                         else self.t("queue.no_filters"))
            parts.append(self.t("queue.sorted", sort=self.t(f"queue.sort_{v.sort}")))
        if self._before_overview is not None:
            parts.append(self.t("queue.back_to_overview"))
        self.query_one("#queue-status", Static).update(Text(" · ".join(parts)))

    def show_view(self, *, from_overview: bool = False, **filters: Any) -> None:
        """Show only what ``filters`` select (QueueView fields; ``sort`` too). From the overview
        it is a look at one figure's cases: not saved as the user's view, and Esc goes back to
        the overview with the view as it was."""
        view = QueueView(**{"sort": self.view.sort, **filters})
        if not from_overview:
            self._change_view(view)
            return
        if self._before_overview is None:
            self._before_overview = self.view
        self.view = view
        self.reload()

    def _change_view(self, view: QueueView) -> None:
        self._before_overview = None  # the user changed the view: it is theirs now
        self._view_chosen = True
        self.view = view
        self.reload()
        self._save(view)

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue-save")
    def _save(self, view: QueueView) -> None:
        """Saved as this user's own view (issue 15: the terminal's shared config file made one
        user's "oldest first" everybody's default)."""
        with outcome(self):
            preferences.save_queue_view(self.desk, self.actor, view.saved())

    # -- actions ---------------------------------------------------------------------------------

    def action_new_case(self) -> None:
        self.desk_app.new_case()

    def action_flip(self, name: str) -> None:
        if name == "my_department" and not self.actor.department:
            self.notify(self.t("queue.no_department"), severity="warning")
            return
        changes: dict[str, Any] = {name: not getattr(self.view, name)}
        # Overdue and at risk exclude each other: an overdue case is no longer "at risk".
        if name == "overdue" and changes[name]:
            changes["at_risk"] = False
        if name == "at_risk" and changes[name]:
            changes["overdue"] = False
        self._change_view(replace(self.view, **changes))

    def action_filters(self) -> None:
        def done(view: QueueView | None) -> None:
            if view is not None:
                self._change_view(view)

        self.app.push_screen(FilterDialog(self.view), done)

    def action_clear_filters(self) -> None:
        self._change_view(QueueView(sort=self.view.sort))

    def action_sort(self) -> None:
        order = [s.value for s in q.Sort]
        self._change_view(replace(self.view, sort=order[(order.index(self.view.sort) + 1) % len(order)]))

    @on(CaseTable.Failed)
    def _failed(self, event: CaseTable.Failed) -> None:
        if event.error is not None:  # else the app has said what went wrong
            self.notify(self.explain(event.error), severity="error", timeout=8, markup=False)

    @on(CaseTable.Opened)
    def _open(self, event: CaseTable.Opened) -> None:
        self.desk_app.open_case(event.row.number)

    def on_desk_changed(self, event: DeskChanged) -> None:
        if not self.is_current:  # under a case or the inbox: one reload when shown again
            self._stale = True
            return
        self.reload(keep_cursor=True)

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload(keep_cursor=True)

    # -- search ----------------------------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    def action_end_search(self) -> None:
        box = self.query_one("#search", Input)
        if not box.display:
            if self._before_overview is not None:  # a figure's cases, opened from the overview
                self.view, self._before_overview = self._before_overview, None
                self.reload()
                app: Any = self.app
                app.action_overview()
            return
        box.value = ""
        box.display = False
        self.searching = ""
        self.query_one(CaseTable).focus()
        self.reload()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_PAUSE, lambda: self._run_search(event.value))

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        self.query_one(CaseTable).focus()

    def _run_search(self, query: str) -> None:
        query = query.strip()
        if not query:
            if self.searching:
                self.searching = ""
                self.reload()
            return
        self.searching = query
        desk = self.desk

        def load(request: PageRequest) -> list[q.QueueRow]:
            before = request.neighbour.id if request.neighbour is not None else None
            return q.search_cases(desk, query, limit=request.limit, before_id=before)

        self.query_one(CaseTable).reset(load, None)
        self._show_status(None)

