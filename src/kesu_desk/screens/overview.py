"""The supervisor's home (F10): today's figures, open work, deadlines, approvals, satisfaction,
escalations and open corrective actions at a glance, each list one Enter away; how often the
rules' suggested department is taken; charts of the cases per day and of their causes, each
with its numbers as a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from time import monotonic
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from kesu_desk.domain.vocabulary import OPEN_STATUSES, CorrectiveStatus, Status
from kesu_desk.domain.workflow import STAFF
from kesu_desk.present.formats import local_time, name_of
from kesu_desk.screens.base import DeskChanged, DeskScreen
from kesu_desk.services import corrective
from kesu_desk.services import queue as q
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.overview import Overview, overview
from kesu_desk.services.users import department_views
from kesu_desk.widgets import outcomes
from kesu_desk.widgets.charts import (
    LINE_MARKER,
    MARKERS,
    Pareto,
    Series,
    StackedDays,
    aligned_table,
    legend,
)
from kesu_desk.widgets.keys import DeskFooter
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.text import fit, one_line

# Another terminal's change reloads the overview at most this often (every figure is a query).
RELOAD_SECONDS = 3.0
# The categories drawn one by one; the others are drawn together as one more series.
CATEGORIES_DRAWN = len(MARKERS) - 1
# From this width each chart has its table beside it rather than under it.
WIDE_COLUMNS = 140
ACTIONABLE = "▸ "
CORRECTIVE_TEXT_CELLS = 28


@dataclass(frozen=True)
class OverviewData:
    """What the screen shows, read in its worker."""

    figures: Overview
    corrective: list[CorrectiveView]
    departments: dict[str, str]
    today: date


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    value: str
    actionable: bool


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


class OverviewScreen(DeskScreen[None]):
    """Figures first (Enter on ▸ opens the cases behind them), then open corrective actions
    (Enter opens the case), then the charts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="overview.back"),
        Binding("p", "period", "Review", id="overview.period"),
        # The page scrolls whichever list has the focus (issue 15: PgDn did nothing until Tab).
        Binding("pagedown", "page(1)", "Page down", id="overview.page_down", show=False, priority=True),
        Binding("pageup", "page(-1)", "Page up", id="overview.page_up", show=False, priority=True),
    ]

    class Loaded(Message):
        def __init__(self, data: OverviewData) -> None:
            super().__init__()
            self.data = data

    class Failed(outcomes.Failed):
        """Said where the figures would be, rather than in a notification."""

    def __init__(self) -> None:
        super().__init__()
        self.data: OverviewData | None = None
        self.departments: dict[str, str] = {}
        self._loaded_at = float("-inf")
        self._reload_timer: Timer | None = None
        self._stale = False
        self._corrective_cases: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(self.t("dialog.loading")), id="ov-status")
        with VerticalScroll(id="ov-body"):
            yield OptionList(id="ov-figures", compact=True)
            with Horizontal(id="ov-open"):
                yield Static(id="ov-open-status", classes="ov-open-table")
                yield Static(id="ov-open-department", classes="ov-open-table")
            yield Static(id="ov-suggestions-title", classes="ov-title")
            yield Static(id="ov-suggestions")
            yield Static(Text(self.t("overview.corrective_title")), classes="ov-title")
            yield OptionList(id="ov-corrective", compact=True)
            yield Static(Text(self.t("overview.corrective_none")), id="ov-corrective-none")
            yield from self._chart_block("daily", "supervisor.figure.per_day", StackedDays)
            yield from self._chart_block("causes", "supervisor.figure.causes", Pareto)
        yield DeskFooter(compact=True)

    def _chart_block(self, name: str, title: str, chart: type[Widget]) -> ComposeResult:
        """A chart with its title and legend, and beside it the same figures as a table."""
        with Container(id=f"ov-{name}", classes="ov-chart-block"):
            with Vertical(classes="ov-chart-side"):
                yield Static(Text(self.t(title)), classes="ov-title")
                yield chart(id=f"ov-{name}-chart", classes="ov-chart")
                yield Static(id=f"ov-{name}-legend", classes="ov-legend")
            yield Static(id=f"ov-{name}-table", classes="ov-table")

    def on_mount(self) -> None:
        self.query_one("#ov-figures", OptionList).focus()
        self.query_one("#ov-corrective", OptionList).display = False
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#ov-body").set_class(event.size.width >= WIDE_COLUMNS, "-wide")

    # -- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        if self._reload_timer is not None:
            self._reload_timer.stop()
            self._reload_timer = None
        self._loaded_at = monotonic()
        self._load(self.desk_app.now())

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def _load(self, now: datetime) -> None:
        with outcome(self, self.Failed) as post:
            figures = overview(self.desk, self.actor.name, now)  # refuses agents and handlers
            actions = corrective.list_actions(self.desk, statuses=(CorrectiveStatus.OPEN, CorrectiveStatus.DONE))
            departments = self.departments or {d.code: d.name(self.lang) for d in department_views(self.desk)}
            post(self.Loaded(OverviewData(figures, actions, departments, self.desk.calendar.local_date(now))))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.show(message.data)

    @on(Failed)
    def _not_loaded(self, message: Failed) -> None:
        self.say(self.failure(message), error=True)

    def on_desk_changed(self, message: DeskChanged) -> None:
        if not self.is_current:
            self._stale = True  # looked at again when the screen is shown
            return
        self._reload_soon()

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self._reload_soon()

    def _reload_soon(self) -> None:
        """Reload now, or when RELOAD_SECONDS have passed since the last load."""
        if self._reload_timer is not None:
            return
        wait = self._loaded_at + RELOAD_SECONDS - monotonic()
        if wait <= 0:
            self.reload()
        else:
            self._reload_timer = self.set_timer(wait, self.reload)

    def say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#ov-status", Static)
        status.update(Text(message))
        status.set_class(error, "-error")

    # -- showing ----------------------------------------------------------------------------------

    def show(self, data: OverviewData) -> None:
        self.data, self.departments = data, data.departments
        o = data.figures
        self.say(self.t("overview.as_of", at=local_time(o.at, self.desk.calendar.tz)))
        self._show_figures(self.figures(data))
        by_status, by_department = self._open_work(o)
        self.query_one("#ov-open-status", Static).update(by_status)
        self.query_one("#ov-open-department", Static).update(by_department)
        self._show_suggestions(o)
        self._show_corrective(data.corrective, data.today)
        self._show_daily(o)
        self._show_causes(o)
        self.refresh_bindings()

    def figures(self, data: OverviewData) -> list[Figure]:
        """Every figure as shown, in order; ``actionable`` ones open the cases behind them."""
        o = data.figures

        def n(value: int) -> str:
            return f"{value:,}"

        def label(key: str) -> str:
            return self.t(f"supervisor.figure.{key}")

        satisfaction = (self.t("supervisor.figure.satisfaction_value", average=f"{o.satisfaction:.2f}",
                               surveys=n(o.surveys))
                        if o.satisfaction is not None else self.t("overview.no_surveys"))
        return [
            Figure("registered_today", label("registered_today"), n(o.registered_today), False),
            Figure("registered_this_week", label("registered_this_week"), n(o.registered_this_week), False),
            Figure("open", label("open"), n(o.open_total), True),
            Figure("overdue", label("overdue"), n(o.overdue), True),
            Figure("at_risk", label("at_risk"), n(o.at_risk), True),
            Figure("waiting_for_me", label("waiting_for_me"), n(o.waiting_for_me), True),
            Figure("waiting_total", label("waiting_total"), n(o.waiting_total), True),
            Figure("satisfaction", label("satisfaction"), satisfaction, False),
            Figure("urgent_open", label("urgent_open"), n(o.urgent_open), False),
            Figure("batch_problems", label("batch_problems"),
                   self.t("supervisor.figure.batch_problems_value", batches=n(o.batch_problems),
                          cases=n(o.batch_problem_cases)), False),
            Figure("corrective", self.t("overview.corrective_open"), n(len(data.corrective)), True),
        ] + ([Figure("mail_failed", label("mail_failed"), n(o.mail_failed), False)]
             if o.mail_failed is not None else [])

    def _show_figures(self, figures: list[Figure]) -> None:
        box = self.query_one("#ov-figures", OptionList)
        highlighted = box.highlighted_option.id if box.highlighted_option is not None else None
        width = max(cell_len(f.label) for f in figures)
        options = []
        for f in figures:
            prompt = Text(ACTIONABLE if f.actionable else " " * cell_len(ACTIONABLE))
            prompt.append(fit(f.label, width) + "  ")
            prompt.append(f.value, style="bold")
            options.append(Option(prompt, id=f.id))
        box.set_options(options)
        ids = [f.id for f in figures]
        box.highlighted = ids.index(highlighted) if highlighted in ids else 0

    def _open_work(self, o: Overview) -> tuple[Text, Text]:
        """Open cases by status and by department, two small tables."""
        cases = self.t("overview.col.cases")
        statuses = [[self.t(f"status.{s.value}"), f"{o.open_by_status.get(s, 0):,}"]
                    for s in Status if s in OPEN_STATUSES and o.open_by_status.get(s, 0)]
        departments = [[self.department(code), f"{n:,}"]
                       for code, n in sorted(o.open_by_department.items(), key=lambda kv: (-kv[1], kv[0]))
                       if n]
        return (aligned_table([self.t("overview.open_by_status"), cases], statuses, (1,)),
                aligned_table([self.t("overview.open_by_department"), cases], departments, (1,)))

    def _show_suggestions(self, o: Overview) -> None:
        """Issue 14: per department suggested, how many of the period's cases went there."""
        self.query_one("#ov-suggestions-title", Static).update(
            Text(self.t("overview.suggestions_title", days=o.suggestions_days)))
        rows = [[self.department(d.department) if d.department else self.t("overview.no_suggested_department"),
                 f"{d.cases:,}", f"{d.taken:,}", f"{d.share:.0f}%" if d.share is not None else "–"]
                for d in o.suggestions_taken]
        self.query_one("#ov-suggestions", Static).update(
            aligned_table([self.t("overview.col.suggested"), self.t("overview.col.cases"),
                           self.t("overview.col.taken"), self.t("overview.col.share")], rows, (1, 2, 3))
            if rows else Text(self.t("overview.no_suggestions", days=o.suggestions_days)))

    def department(self, code: str) -> str:
        if not code:
            return self.t("supervisor.figure.not_assigned")
        name = self.departments.get(code)
        return f"{code} {name}" if name else code

    def _show_corrective(self, actions: list[CorrectiveView], today: date) -> None:
        box = self.query_one("#ov-corrective", OptionList)
        highlighted = box.highlighted_option.id if box.highlighted_option is not None else None

        def when(a: CorrectiveView) -> date:
            return a.check_due or a.due_date if a.status is CorrectiveStatus.DONE else a.due_date

        ordered = sorted(actions, key=lambda a: (when(a), a.id))
        self._corrective_cases = {str(a.id): a.case_number for a in ordered}
        box.set_options(Option(self.corrective_line(a, today), id=str(a.id)) for a in ordered)
        box.display = bool(ordered)
        self.query_one("#ov-corrective-none").display = not ordered
        ids = [str(a.id) for a in ordered]
        if ids:
            box.highlighted = ids.index(highlighted) if highlighted in ids else 0

    def corrective_line(self, a: CorrectiveView, today: date) -> Text:
        if a.status is CorrectiveStatus.DONE:
            due = self.t("overview.check_due", date=a.check_due.isoformat() if a.check_due else "–")
        else:
            due = self.t("overview.due", date=a.due_date.isoformat())
        text = Text(f"#{a.id}  {a.case_number}  ")
        text.append(fit(one_line(a.owner), 8) + "  ")
        text.append(due, style="bold" if a.overdue(today) else "")
        if a.overdue(today):
            text.append(" " + self.t("overview.late"), style="bold reverse")
        text.append("  ")
        action = one_line(a.action)
        text.append(action if cell_len(action) <= CORRECTIVE_TEXT_CELLS else fit(action, CORRECTIVE_TEXT_CELLS))
        return text

    def category(self, code: str) -> str:
        return name_of("category", code, self.lang) if code else self.t("supervisor.figure.no_category")

    def daily_series(self, o: Overview) -> list[Series]:
        """The most frequent categories one by one, the rest together."""
        items = list(o.per_day.by_category.items())
        drawn = items if len(items) <= len(MARKERS) else items[:CATEGORIES_DRAWN]
        series = [Series(self.category(code), values) for code, values in drawn]
        rest = items[len(drawn):]
        if rest:
            together = tuple(sum(day) for day in zip(*(v for _, v in rest), strict=True))
            series.append(Series(self.t("overview.other_categories", count=len(rest)), together))
        return series

    def _show_daily(self, o: Overview) -> None:
        days = o.per_day.days
        series = self.daily_series(o)
        self.query_one(StackedDays).show([d.strftime("%m-%d") for d in days], series)
        self.query_one("#ov-daily-legend", Static).update(
            legend([(m, c, s.name) for (m, c), s in zip(MARKERS, series, strict=False)])
            if series else Text(self.t("overview.no_cases"))
        )
        headers = ["", *(f"{d.day:02d}" for d in days), self.t("overview.col.total")]
        rows = [[f"{m} {s.name}", *(_count(v) for v in s.values), f"{sum(s.values):,}"]
                for (m, _), s in zip(MARKERS, series, strict=False)]
        rows.append([self.t("overview.col.total"), *(_count(v) for v in o.per_day.totals),
                     f"{sum(o.per_day.totals):,}"])
        self.query_one("#ov-daily-table", Static).update(
            aligned_table(headers, rows, range(1, len(headers)), gap=1))

    def _show_causes(self, o: Overview) -> None:
        shares = o.causes
        names = [name_of("fishbone", c.factor, self.lang) for c in shares]
        chart = self.query_one(Pareto)
        chart.show(names, [c.cases for c in shares], [c.cumulative_percent for c in shares])
        chart.display = bool(shares)
        bar, bar_colour = MARKERS[0]
        dot, dot_colour = LINE_MARKER
        self.query_one("#ov-causes-legend", Static).update(
            legend([(bar, bar_colour, self.t("overview.col.cases")),
                    (dot, dot_colour, self.t("overview.col.cumulative"))])
            if shares else Text(self.t("overview.no_causes"))
        )
        rows = [[str(i), name, f"{c.cases:,}", f"{c.percent:.1f}%", f"{c.cumulative_percent:.1f}%"]
                for i, (name, c) in enumerate(zip(names, shares, strict=True), start=1)]
        table = self.query_one("#ov-causes-table", Static)
        table.update(aligned_table(
            ["#", self.t("overview.col.cause"), self.t("overview.col.cases"), self.t("overview.col.share"),
             self.t("overview.col.cumulative")], rows, (0, 2, 3, 4)))
        table.display = bool(shares)

    # -- keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "period":
            return self.actor.role in STAFF
        return True

    @on(OptionList.OptionSelected, "#ov-figures")
    def _figure_chosen(self, event: OptionList.OptionSelected) -> None:
        self.open_figure(event.option.id or "")

    def open_figure(self, figure: str) -> None:
        """The cases (or approvals, or corrective actions) behind ``figure``."""
        app: Any = self.app
        if figure == "open":
            app.open_queue(statuses=tuple(s.value for s in Status if s in OPEN_STATUSES), from_overview=True)
        elif figure in ("overdue", "at_risk"):
            # most overdue (or nearest its deadline) first; Esc comes back here
            app.open_queue(**{figure: True}, sort=q.Sort.DUE.value, from_overview=True)
        elif figure in ("waiting_for_me", "waiting_total"):
            app.action_approvals()
        elif figure == "corrective":
            box = self.query_one("#ov-corrective", OptionList)
            if box.option_count:
                box.focus()

    @on(OptionList.OptionSelected, "#ov-corrective")
    def _corrective_chosen(self, event: OptionList.OptionSelected) -> None:
        number = self._corrective_cases.get(event.option.id or "")
        if number:
            self.desk_app.open_case(number)

    def action_page(self, direction: int) -> None:
        body = self.query_one("#ov-body", VerticalScroll)
        if direction > 0:
            body.scroll_page_down()
        else:
            body.scroll_page_up()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_period(self) -> None:
        from kesu_desk.screens.report import ReportScreen

        start, end = month_of(self.desk.calendar.local_date(self.desk_app.now()))
        self.app.push_screen(ReportScreen(start, end))


def _count(value: int) -> str:
    return f"{value:,}" if value else "·"
