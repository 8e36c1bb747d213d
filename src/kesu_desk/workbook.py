"""Excel workbooks (.xlsx, XlsxWriter) for supervisors: the period review and the case export.

Text is written as text, always (``write_string``): a cell that starts like a formula stays the
characters the customer typed and no spreadsheet runs it — formula injection is impossible by
construction, not by escaping. Numbers are numbers, dates and times are Excel dates; control
characters become visible pictures (ESC → ␛); the header row is frozen and the columns are as wide
as their text (a Chinese character takes two). Rows are written one by one and flushed to disk
(``constant_memory``), so a million cases cost no more memory than a hundred.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from kesu_desk.text import pictures

# Excel's own limits.
MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
_SHEET_NAME_CHARS = 31
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60  # characters: longer text wraps in the cell's own width when opened
_MIN_WIDTH = 6

Value = str | int | float | Decimal | bool | date | datetime | None


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet cell: wide (Chinese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_text(value: str) -> str:
    """``value`` as a cell shows it: line ends kept as line feeds, other control characters as
    pictures, cut to Excel's limit for a cell."""
    return pictures(value.replace("\r\n", "\n"))[:MAX_CELL_CHARS]


class Book:
    """One .xlsx file at ``path``, written sheet by sheet and row by row."""

    def __init__(self, path: Path, *, title: str = "") -> None:
        self._book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True,  # each row goes to disk once the next one starts
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        })
        if title:
            self._book.set_properties({"title": cell_text(title)})
        self._bold = self._book.add_format({"bold": True})
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self._time = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self._money = self._book.add_format({"num_format": "#,##0.00"})
        self._names: set[str] = set()
        self._sheets: list[Sheet] = []

    def sheet(self, name: str, headers: list[str]) -> Sheet:
        """A new sheet named after ``name`` (made a valid, unique sheet name), with ``headers`` as
        its frozen first row."""
        sheet = Sheet(self, self._book.add_worksheet(self._sheet_name(name)), headers)
        self._sheets.append(sheet)
        return sheet

    def close(self) -> None:
        """Every column as wide as its widest cell (up to a limit), and the file written."""
        for sheet in self._sheets:
            sheet.fit()
        self._book.close()

    def _sheet_name(self, name: str) -> str:
        base = (_BAD_SHEET_NAME.sub(" ", cell_text(name)).strip(" '") or "Sheet")[:_SHEET_NAME_CHARS]
        candidate, n = base, 2
        while candidate.lower() in self._names:
            suffix = f" ({n})"
            candidate, n = base[: _SHEET_NAME_CHARS - len(suffix)] + suffix, n + 1
        self._names.add(candidate.lower())
        return candidate


class Sheet:
    def __init__(self, book: Book, worksheet: Any, headers: list[str]) -> None:
        self._book = book
        self._ws = worksheet
        self._row = 0
        self._widths = [display_width(cell_text(h)) for h in headers]
        for col, header in enumerate(headers):
            self._ws.write_string(0, col, cell_text(header), book._bold)
        self._ws.freeze_panes(1, 0)

    @property
    def rows(self) -> int:
        """Rows written below the header."""
        return self._row

    def append(self, values: list[Value], *, money: frozenset[int] = frozenset()) -> None:
        """One row: text as text, numbers as numbers (``money`` columns with two decimals),
        dates and times as dates, booleans as TRUE/FALSE, None as an empty cell."""
        self._row += 1
        if self._row >= MAX_ROWS:
            raise OverflowError("more rows than an Excel sheet holds")
        for col, value in enumerate(values):
            self._cell(col, value, money)

    def _cell(self, col: int, value: Value, money: frozenset[int]) -> None:
        ws, book, row = self._ws, self._book, self._row
        shown = ""
        if value is None or value == "":
            return
        if isinstance(value, bool):
            ws.write_boolean(row, col, value)
            shown = "FALSE"
        elif isinstance(value, int | float | Decimal):
            ws.write_number(row, col, float(value), book._money if col in money else None)
            shown = f"{value:,.2f}" if col in money else str(value)
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value.replace(tzinfo=None), book._time)
            shown = "0000-00-00 00:00"
        elif isinstance(value, date):
            ws.write_datetime(row, col, datetime(value.year, value.month, value.day), book._date)
            shown = "0000-00-00"
        else:
            text = cell_text(value)
            ws.write_string(row, col, text)
            shown = max(text.split("\n"), key=len) if "\n" in text else text
        while len(self._widths) <= col:
            self._widths.append(0)
        if 2 * len(shown) > self._widths[col] < _MAX_WIDTH:  # else it cannot make the column wider
            self._widths[col] = max(self._widths[col], display_width(shown[:_MAX_WIDTH]))

    def fit(self) -> None:
        # Column widths are kept apart from the rows (which went to disk already), so they can
        # still be set once every row is known.
        for col, width in enumerate(self._widths):
            self._ws.set_column(col, col, max(_MIN_WIDTH, min(_MAX_WIDTH, width + 2)))
