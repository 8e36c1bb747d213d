"""The case queue as a Line API table: only the rows on screen are fetched and drawn, so a
million cases open, scroll and jump to the end as fast as a hundred do."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any, ClassVar, Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kesu_desk.domain.vocabulary import Severity, Status
from kesu_desk.i18n import t
from kesu_desk.services.queue import QueueRow
from kesu_desk.sla import DeadlineState
from kesu_desk.widgets import outcomes
from kesu_desk.widgets.keys import localise_bindings
from kesu_desk.widgets.outcomes import RelaysWorkerFailures, outcome
from kesu_desk.widgets.text import fit, one_line

PAGE = 60  # rows a fetch brings: a screenful and some
_KEEP_ROWS = 4000  # rows kept in memory; the strips of fewer
_KEEP_STRIPS = 400

# Overdue, at risk and on time show by a symbol as well as a colour (16 colours, NO_COLOR).
DEADLINE_SYMBOLS = {DeadlineState.OVERDUE: "⚠", DeadlineState.AT_RISK: "◔", DeadlineState.ON_TIME: "✓"}


@dataclass(frozen=True)
class PageRequest:
    """What to fetch: the first or last page, the page after or before a known row, or (for a
    jump into the middle) the page at an offset. ``index`` is where the answer's first row goes
    (for "last" and "before": where its last row goes)."""

    kind: Literal["first", "after", "last", "before", "at"]
    index: int
    neighbour: QueueRow | None
    limit: int


Loader = Callable[[PageRequest], list[QueueRow]]


@dataclass(frozen=True)
class Column:
    key: str
    width: int
    short: bool = False  # the column shows its words' short forms (statuses, severities)


# Columns given up, first first, when the table is too narrow for them all and a summary of
# SUMMARY_MIN cells; the case number, status, severity and deadline always stay.
GIVEN_UP_FIRST = ("age", "department", "handler", "customer")
SUMMARY_MIN = 16
WIDE = 110  # from this table width on, columns are wide and words in full (120×40 is wide)
URGENT_MARK = "‼"


@dataclass(frozen=True)
class Words:
    """The table's words in one language: column headers, and statuses and severities in full
    and in short (the catalogue's queue.status_short, queue.severity_short)."""

    headers: dict[str, str]
    statuses: dict[Status, tuple[str, str]]
    severities: dict[Severity, tuple[str, str]]

    @staticmethod
    @cache
    def of(lang: str) -> Words:
        keys = ("number", "age", "status", "severity", "department", "customer", "summary", "due", "handler")
        return Words(
            headers={k: t(f"queue.col_{k}", lang) for k in keys},
            statuses={s: (t(f"status.{s.value}", lang), t(f"queue.status_short.{s.value}", lang)) for s in Status},
            severities={s: (t(f"severity.{s.value}", lang), t(f"queue.severity_short.{s.value}", lang))
                        for s in Severity},
        )


def _widest(texts: Iterable[str]) -> int:
    return max(cell_len(text) for text in texts)


def _worded(key: str, words: dict[Any, tuple[str, str]], header: str, wide: bool, extra: int = 0) -> Column:
    """A column of words: in full when the table is wide and the longest fits in 14 cells, else
    in short; never narrower than its header."""
    full = _widest(f for f, _ in words.values()) + extra
    if wide and full <= 14:
        return Column(key, max(full, cell_len(header)))
    return Column(key, max(_widest(s for _, s in words.values()) + extra, cell_len(header)), short=True)


def layout(width: int, words: Words) -> list[Column]:
    """Column widths for a table ``width`` cells wide: the summary takes what is left, and
    columns are given up (GIVEN_UP_FIRST) rather than cut to nothing."""
    wide = width >= WIDE
    h = words.headers

    def sized(key: str, narrow: int, broad: int) -> Column:
        return Column(key, max(cell_len(h[key]), broad if wide else narrow))

    columns = [
        sized("number", 16, 16), sized("age", 4, 4),
        _worded("status", words.statuses, h["status"], wide),
        _worded("severity", words.severities, h["severity"], wide, extra=cell_len(URGENT_MARK)),
        sized("department", 5, 5), sized("customer", 8, 12), Column("summary", 0),
        sized("due", 7, 9), sized("handler", 9, 12),
    ]
    summary = 0
    for given_up in (None, *GIVEN_UP_FIRST):
        columns = [c for c in columns if c.key != given_up]
        summary = width - sum(c.width for c in columns) - (len(columns) - 1)
        if summary >= SUMMARY_MIN:
            break
    if summary <= 0:  # narrower than the columns that always stay: they are cut on the right
        return [c for c in columns if c.key != "summary"]
    return [replace(c, width=summary) if c.key == "summary" else c for c in columns]


def age(registered: datetime, now: datetime) -> str:
    seconds = max(0, int((now - registered).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def due_in(due: datetime, now: datetime) -> str:
    """Time left before ``due`` ("3h"), or how late it is ("-2d"): a case late by seconds is a
    minute late ("-1m"), never "-0m" beside its overdue mark."""
    delta = due - now
    if delta < timedelta():
        return "-" + age(now - max(-delta, timedelta(minutes=1)), now)
    return age(now - delta, now)


class CaseTable(RelaysWorkerFailures, ScrollView, can_focus=True, inherit_bindings=False):
    """Rows come from a loader run in a worker; a row not yet fetched shows as "…"."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "case-table--header", "case-table--cursor", "case-table--overdue", "case-table--at-risk",
        "case-table--on-time", "case-table--urgent", "case-table--pending",
    }
    # Columns always fit the width (layout): nothing to scroll sideways to, and no horizontal
    # scrollbar to hide the last row under.
    DEFAULT_CSS = """
    CaseTable { height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 1; }
    CaseTable > .case-table--header { text-style: bold; background: $panel; }
    CaseTable > .case-table--cursor { background: $accent; color: $text; text-style: bold; }
    CaseTable:blur > .case-table--cursor { background: $panel; }
    CaseTable > .case-table--overdue { color: $error; text-style: bold; }
    CaseTable > .case-table--at-risk { color: $warning; }
    CaseTable > .case-table--on-time { color: $success; }
    CaseTable > .case-table--urgent { color: $error; text-style: bold; }
    CaseTable > .case-table--pending { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "first", "First", show=False, id="table.first"),
        Binding("end", "last", "Last", show=False, id="table.last"),
        Binding("enter", "open", "Open", id="table.open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Opened(Message):
        """Enter on a row."""

        def __init__(self, row: QueueRow) -> None:
            super().__init__()
            self.row = row

    class Loaded(Message):
        """A page arrived (tests and the screen's status line wait for it)."""

    class Failed(outcomes.Failed):
        """A page could not be read; the screen says why (the desk's refusal) or the app did."""

    class PageFetched(Message, bubble=False):
        """Rows of the list shown in ``generation``, for ``request``."""

        def __init__(self, generation: int, request: PageRequest, rows: list[QueueRow]) -> None:
            super().__init__()
            self.generation = generation
            self.request = request
            self.rows = rows

    def __init__(self, lang: str, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self.words = Words.of(lang)
        self.now = now
        self.total = 0
        self.open_ended = False  # search results: the total grows while pages come back full
        self._loader: Loader | None = None
        self._rows: OrderedDict[int, QueueRow] = OrderedDict()
        self._strips: OrderedDict[tuple[int, bool, int], Strip] = OrderedDict()
        self._in_flight: set[tuple[str, int]] = set()
        self._generation = 0
        localise_bindings(self, lang)

    # -- data ----------------------------------------------------------------------------------

    def reset(self, loader: Loader, total: int | None, *, keep_cursor: bool = False) -> None:
        """Show another list: ``total`` rows (None: unknown, grow as pages come)."""
        self._generation += 1
        self._loader = loader
        self._rows.clear()
        self._strips.clear()
        self._in_flight.clear()
        self.open_ended = total is None
        self.total = 0 if total is None else total
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = min(self.cursor, max(0, self.total - 1))
        self._resize()
        if self.open_ended:
            self._fetch(PageRequest("first", 0, None, PAGE))
        else:
            self.call_after_refresh(self._ensure_loaded)
        self.refresh()

    @property
    def current(self) -> QueueRow | None:
        return self._rows.get(self.cursor)

    def row_at(self, index: int) -> QueueRow | None:
        return self._rows.get(index)

    @property
    def _width(self) -> int:
        """Cells for the columns: the widget less its scrollbar."""
        return self.scrollable_content_region.width

    def _resize(self) -> None:
        self.virtual_size = Size(self._width, self.total + 1)  # +1: the header line

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._resize()
        self.call_after_refresh(self._ensure_loaded)

    def _visible(self) -> tuple[int, int]:
        top = int(self.scroll_y)
        return top, top + max(1, self.scrollable_content_region.height - 1)  # -1: the header

    def _ensure_loaded(self) -> None:
        if self._loader is None:
            return
        top, bottom = self._visible()
        start, end = max(0, top - PAGE // 4), min(self.total, bottom + PAGE // 4)
        missing = [i for i in range(start, end) if i not in self._rows]
        if not missing:
            return
        first, last = missing[0], missing[-1]
        if first == 0:
            request = PageRequest("first", 0, None, PAGE)
        elif first - 1 in self._rows:
            request = PageRequest("after", first, self._rows[first - 1], PAGE)
        elif not self.open_ended and last == self.total - 1:
            request = PageRequest("last", last, None, PAGE)
        elif last + 1 in self._rows:
            request = PageRequest("before", last, self._rows[last + 1], PAGE)
        elif not self.open_ended:
            request = PageRequest("at", first, None, PAGE)
        else:
            return
        self._fetch(request)

    def _fetch(self, request: PageRequest) -> None:
        tag = (request.kind, request.index)
        if tag in self._in_flight or self._loader is None:
            return
        self._in_flight.add(tag)
        self._load(self._loader, request, self._generation)

    @work(thread=True, exit_on_error=False, group="case-table")
    def _load(self, loader: Loader, request: PageRequest, generation: int) -> None:
        with outcome(self, self.Failed) as post:
            post(self.PageFetched(generation, request, loader(request)))

    @on(Failed)
    def _not_fetched(self, message: Failed) -> None:
        self._in_flight.clear()  # the next draw asks again; the message goes on to the screen

    @on(PageFetched)
    def _fetched(self, message: PageFetched) -> None:
        generation, request, rows = message.generation, message.request, message.rows
        self._in_flight.discard((request.kind, request.index))
        if generation != self._generation:
            return
        if request.kind in ("last", "before"):
            first = request.index - len(rows) + 1
        else:
            first = request.index
        if request.kind == "last":
            first = self.total - len(rows)
        for offset, row in enumerate(rows):
            index = first + offset
            if index >= 0:
                self._rows[index] = row
                self._rows.move_to_end(index)
                self._forget_strips(index)
        while len(self._rows) > _KEEP_ROWS:
            self._rows.popitem(last=False)
        if self.open_ended:
            # One row more than arrived while pages come back full: when it shows, the next
            # page is fetched.
            end = first + len(rows)
            self.total = end + 1 if len(rows) >= request.limit else end
            self._resize()
        self.refresh()
        self.post_message(self.Loaded())
        self.call_after_refresh(self._ensure_loaded)

    def _forget_strips(self, index: int) -> None:
        for key in [k for k in self._strips if k[0] == index]:
            del self._strips[key]

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self._width
        if y == 0:
            return self._header(width)
        index = int(self.scroll_y) + y - 1
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        row = self._rows.get(index)
        selected = index == self.cursor
        if row is None:
            self.call_later(self._ensure_loaded)
            style = self.get_component_rich_style("case-table--pending")
            if selected:
                style += self.get_component_rich_style("case-table--cursor")
            return Strip([Segment(fit(" …", width), style)], width)
        key = (index, selected, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._row_strip(row, selected, width)
            self._strips[key] = strip
            while len(self._strips) > _KEEP_STRIPS:
                self._strips.popitem(last=False)
        return strip

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("case-table--header")
        cells = [fit(self.words.headers[c.key], c.width) for c in layout(width, self.words)]
        return Strip([Segment(fit(" ".join(cells), width), style)], width)

    def _row_strip(self, row: QueueRow, selected: bool, width: int) -> Strip:
        now = self.now()
        base = self.rich_style
        if selected:
            base = base + self.get_component_rich_style("case-table--cursor")
        state = row.deadline_state(now)
        columns = layout(width, self.words)
        short = {c.key: int(c.short) for c in columns}  # 1: the short form, 0: in full
        texts = {
            "number": row.number,
            "age": age(row.registered_at, now),
            "status": self.words.statuses[row.status][short.get("status", 0)],
            "severity": (URGENT_MARK if row.urgent else "")
            + self.words.severities[row.severity][short.get("severity", 0)],
            "department": row.department or "-",
            "customer": one_line(row.customer),
            "summary": one_line(row.summary),
            "due": (DEADLINE_SYMBOLS[state] + " " + due_in(row.next_due_at, now)
                    if state is not None and row.next_due_at is not None else "-"),
            "handler": one_line(row.handler) or "-",
        }
        segments: list[Segment] = []
        for i, column in enumerate(columns):
            if i:
                segments.append(Segment(" ", base))
            style = base
            if column.key == "due" and state is not None:
                style = base + self._state_style(state)
            elif column.key == "severity" and row.urgent:
                style = base + self.get_component_rich_style("case-table--urgent")
            segments.append(Segment(fit(texts[column.key], column.width), style))
        return Strip(segments).adjust_cell_length(width, base)

    def _state_style(self, state: DeadlineState) -> Style:
        name = {DeadlineState.OVERDUE: "overdue", DeadlineState.AT_RISK: "at-risk",
                DeadlineState.ON_TIME: "on-time"}[state]
        return self.get_component_rich_style(f"case-table--{name}")

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    # -- moving --------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._forget_strips(old)
        self._forget_strips(new)
        top, bottom = self._visible()
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= bottom:
            self.scroll_to(y=new - (bottom - top) + 1, animate=False, immediate=True)
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.call_after_refresh(self._ensure_loaded)

    def _move_to(self, index: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, index))

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        top, bottom = self._visible()
        self._move_to(self.cursor + direction * max(1, bottom - top - 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(self.total - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._move_to(int(self.scroll_y) + event.y - 1)

    def scroll_to_cursor(self) -> None:
        self.scroll_to_region(Region(0, self.cursor + 1, 1, 1), animate=False)
