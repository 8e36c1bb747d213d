"""The period review on screen (总结评价): the same tables as ``kesu-desk report``, one under the
other, scrolled with the arrows and the page keys; ``d`` changes the dates."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.message import Message
from textual.widgets import Button, Header, Input, Static

from kesu_desk.domain.errors import DeskError, InvalidInput
from kesu_desk.present.report import Table, report_tables, subtitle, title
from kesu_desk.screens.base import DeskModal, DeskScreen
from kesu_desk.services.report import PeriodReport, build_report
from kesu_desk.widgets import outcomes
from kesu_desk.widgets.charts import aligned_table
from kesu_desk.widgets.form import field_row
from kesu_desk.widgets.keys import DeskFooter
from kesu_desk.widgets.outcomes import outcome
from kesu_desk.widgets.text import OneLineInput


def table_text(table: Table) -> Text:
    """One section's rows, columns aligned in terminal cells (CJK two cells), numbers right."""
    return aligned_table(table.headers, [[c.text for c in row] for row in table.rows], table.numeric)


class ReportBody(ScrollableContainer):
    """The review: scrolls both ways (wide tables), focused so the arrows and page keys move it."""


class ReportScreen(DeskScreen[None]):
    """The cases registered from ``start`` to ``end`` (local dates, inclusive), as they stand."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="review.back"),
        Binding("d", "dates", "Dates", id="review.dates"),
        Binding("f5", "reload", "Refresh", id="review.reload"),
    ]

    class Loaded(Message):
        def __init__(self, report: PeriodReport, tables: list[Table]) -> None:
            super().__init__()
            self.report = report
            self.tables = tables

    class Failed(outcomes.Failed):
        """The review could not be made (said where its title goes)."""

    def __init__(self, start: date, end: date) -> None:
        super().__init__()
        self.start, self.end = start, end
        self.report: PeriodReport | None = None
        self.tables: list[Table] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-title")
        with ReportBody(id="review-body"):
            yield Static(Text(self.t("dialog.loading")), id="review-loading")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(ReportBody).focus()
        self.reload()

    def reload(self) -> None:
        self._title(self.t("review.loading_period", start=self.start.isoformat(), end=self.end.isoformat()))
        self._build(self.start, self.end)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def _build(self, start: date, end: date) -> None:
        with outcome(self, self.Failed) as post:
            report = build_report(self.desk, start, end, now=self.desk_app.now())
            post(self.Loaded(report, report_tables(report, self.lang, self.desk.settings.currency)))

    @on(Loaded)
    async def _built(self, message: Loaded) -> None:
        await self.show(message.report, message.tables)

    @on(Failed)
    def _not_built(self, message: Failed) -> None:
        self._title(self.failure(message), error=True)

    def _title(self, message: str | Text, *, error: bool = False) -> None:
        box = self.query_one("#review-title", Static)
        box.update(message if isinstance(message, Text) else Text(message))
        box.set_class(error, "-error")

    async def show(self, report: PeriodReport, tables: list[Table]) -> None:
        self.report, self.tables = report, tables
        heading = Text(title(report, self.lang), style="bold")
        heading.append("\n")
        heading.append(subtitle(report, self.lang), style="")
        self._title(heading)
        body = self.query_one(ReportBody)
        sections: list[Static] = []
        for table in tables:
            sections.append(Static(Text(table.title), classes="review-section-title"))
            sections.append(Static(table_text(table) if table.rows else Text(self.t("report.empty")),
                                   id=f"review-{table.key}", classes="review-table"))
        async with body.batch():
            await body.remove_children()
            await body.mount_all(sections)
        body.scroll_home(animate=False)

    # -- keys -------------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.reload()

    def action_dates(self) -> None:
        def chosen(period: tuple[date, date] | None) -> None:
            if period is not None:
                self.start, self.end = period
                self.reload()

        self.app.push_screen(PeriodDialog(self.start, self.end), chosen)


class PeriodDialog(DeskModal[tuple[date, date] | None]):
    """From and to, as YYYY-MM-DD; a date that is not one is said under the fields."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f2", "apply", "Show", id="review.apply", priority=True),
    ]

    def __init__(self, start: date, end: date) -> None:
        super().__init__(classes="period-dialog")
        self.start, self.end = start, end

    def compose(self) -> ComposeResult:
        with Vertical(id="period"):
            yield Static(Text(self.t("review.period_title"), style="bold"))
            yield field_row(self.t("review.from"), OneLineInput(self.start.isoformat(), placeholder="YYYY-MM-DD",
                                                                id="period-start", compact=True))
            yield field_row(self.t("review.to"), OneLineInput(self.end.isoformat(), placeholder="YYYY-MM-DD",
                                                              id="period-end", compact=True))
            yield Static(id="period-error")
            with Horizontal(id="period-buttons"):
                yield Button(self.t("review.show"), id="period-apply", variant="primary", compact=True)
                yield Button(self.t("review.cancel"), id="period-cancel", compact=True)
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#period-start", Input).focus()

    def period(self) -> tuple[date, date]:
        """The dates typed; InvalidInput naming each one that is not a date, or a period that
        ends before it starts."""
        values: dict[str, date] = {}
        errors: dict[str, str] = {}
        for name in ("start", "end"):
            typed = self.query_one(f"#period-{name}", Input).value.strip()
            try:
                values[name] = date.fromisoformat(typed)
            except ValueError:
                errors[f"period_{name}"] = "date_parsing"
        if errors:
            raise InvalidInput("invalid_input", errors=errors)
        if values["end"] < values["start"]:
            raise InvalidInput("bad_period", start=values["start"].isoformat(), end=values["end"].isoformat())
        return values["start"], values["end"]

    @on(Input.Submitted)
    @on(Button.Pressed, "#period-apply")
    def action_apply(self) -> None:
        try:
            period = self.period()
        except DeskError as error:
            box = self.query_one("#period-error", Static)
            box.update(Text(self.explain(error)))
            box.add_class("-shown")
            return
        self.dismiss(period)

    @on(Button.Pressed, "#period-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
