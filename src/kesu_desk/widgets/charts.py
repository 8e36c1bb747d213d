"""Charts people would rather look at than read (textual-plotext), and aligned text tables.

Every series is told apart by its fill character as well as its colour, so a 16-colour or
NO_COLOR terminal loses nothing. Plotext counts every character as one cell, so only ASCII
goes inside a chart (dates, numbers, ASCII names); names in other scripts go in the legend and
the tables, laid out here with ``rich.cells.cell_len`` (a CJK character is two cells).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from kesu_desk.widgets.text import fit, one_line

__all__ = ["MARKERS", "Pareto", "Series", "StackedDays", "aligned_table", "int_ticks", "legend"]

# (fill character, colour) of each series, in order.
MARKERS: tuple[tuple[str, str], ...] = (
    ("█", "blue"),
    ("▒", "green"),
    ("░", "red"),
    ("#", "magenta"),
    ("+", "cyan"),
)
LINE_MARKER = ("•", "red")
AXIS_CELLS = 6  # roughly what the y axis and the frame take of the width


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


def int_ticks(maximum: float, steps: int = 4) -> list[int]:
    """Whole-number ticks from 0 to the first one at or past ``maximum``: counts of cases have
    no fractions."""
    if maximum <= 0:
        return [0, 1]
    step = max(1, math.ceil(maximum / steps))
    return list(range(0, step * math.ceil(maximum / step) + 1, step))


def ascii_label(name: str, width: int) -> str | None:
    """``name`` if it can go inside a chart (ASCII, at most ``width`` characters), else None."""
    if not name.isascii() or cell_len(name) != len(name):
        return None
    return name if len(name) <= width else (name[: width - 1] + "." if width > 2 else None)


def legend(entries: Sequence[tuple[str, str, str]]) -> Text:
    """``(marker, colour, name)`` entries on one line: what each fill character stands for."""
    text = Text()
    for i, (marker, colour, name) in enumerate(entries):
        if i:
            text.append("   ")
        text.append(marker * 2, style=colour)
        text.append(" ")
        text.append(one_line(name))
    return text


def aligned_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Collection[int] = (), *, gap: int = 2
) -> Text:
    """A plain-text table: columns as wide as their widest cell in terminal cells, numbers
    right-aligned, the header in bold. Cells are shown as typed (never markup)."""
    cells = [[one_line(c) for c in row] for row in rows]
    heads = [one_line(h) for h in headers]
    widths = [max([cell_len(h), *(cell_len(r[i]) for r in cells if i < len(r))])
              for i, h in enumerate(heads)]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, width in enumerate(widths):
            value = values[i] if i < len(values) else ""
            pad = " " * (width - cell_len(value))
            parts.append(pad + value if i in numeric else fit(value, width))
        return (" " * gap).join(parts).rstrip()

    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(line(heads), style="bold")
    for row in cells:
        text.append("\n" + line(row))
    return text


class _Chart(PlotextPlot, can_focus=True):
    """A chart drawn afresh at every size; focusable so the keyboard can bring it into view."""

    def render(self) -> RenderResult:
        self.plt.clear_figure()
        self.draw(self.size.width)
        return super().render()

    @property
    def figure(self) -> Any:
        """Plotext's figure, untyped: its annotations say one marker where it takes a list per
        series, and a number where it takes "left"/"right"."""
        return self.plt

    def draw(self, width: int) -> None:
        raise NotImplementedError


class StackedDays(_Chart):
    """Cases per day, one stacked bar a day, a fill character per series."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.days: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()

    def show(self, days: Sequence[str], series: Sequence[Series]) -> None:
        """``days`` as short ASCII labels ("11-25"); at most len(MARKERS) series."""
        self.days, self.series = tuple(days), tuple(series[: len(MARKERS)])
        self.refresh()

    def draw(self, width: int) -> None:
        plt, n = self.figure, len(self.days)
        if not n:
            return
        xs = list(range(1, n + 1))
        series = self.series or (Series("", (0,) * n),)
        used = MARKERS[: len(series)]
        plt.stacked_bar(xs, [list(s.values) for s in series], marker=[m for m, _ in used],
                        color=[c for _, c in used], width=0.8)
        totals = [sum(day) for day in zip(*(s.values for s in series), strict=True)]
        ticks = int_ticks(max(totals))
        plt.yticks(ticks)
        plt.ylim(0, ticks[-1])
        slot = max(1, (width - AXIS_CELLS) // n)
        every = max(1, math.ceil((max(len(d) for d in self.days) + 1) / slot))
        shown = xs[::-1][::every][::-1]  # always label today, the last day
        plt.xticks(shown, [self.days[x - 1] for x in shown])
        plt.xlim(0.5, n + 0.5)


class Pareto(_Chart):
    """A Pareto chart: bars of counts, most first (left axis), and the cumulative share as a
    line of dots (right axis, 0–100 %). Bars are named inside the chart when the names are
    ASCII and fit, else numbered 1, 2, … like the rows of the table beside it."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.names: tuple[str, ...] = ()
        self.counts: tuple[int, ...] = ()
        self.cumulative: tuple[float, ...] = ()

    def show(self, names: Sequence[str], counts: Sequence[int], cumulative: Sequence[float]) -> None:
        self.names, self.counts, self.cumulative = tuple(names), tuple(counts), tuple(cumulative)
        self.refresh()

    def labels(self, width: int) -> list[str]:
        slot = max(1, (width - 2 * AXIS_CELLS) // max(1, len(self.names)) - 1)
        named = [ascii_label(name, slot) for name in self.names]
        if all(named):
            return [n for n in named if n is not None]
        return [str(i) for i in range(1, len(self.names) + 1)]

    def draw(self, width: int) -> None:
        plt, n = self.figure, len(self.counts)
        if not n:
            return
        xs = list(range(1, n + 1))
        bar, bar_colour = MARKERS[0]
        dot, dot_colour = LINE_MARKER
        plt.bar(xs, list(self.counts), marker=bar, color=bar_colour, width=0.5)
        plt.plot(xs, list(self.cumulative), yside="right", marker=dot, color=dot_colour)
        ticks = int_ticks(max(self.counts))
        plt.yticks(ticks)
        plt.ylim(0, ticks[-1])
        plt.ylim(0, 100, yside="right")
        plt.yticks([0, 50, 100], ["0%", "50%", "100%"], yside="right")
        plt.xticks(xs, self.labels(width))
        plt.xlim(0.5, n + 0.5)
