"""One line of user text, as the reports and the widgets show it: one flattening for both, the
widgets' version also making control characters visible."""

from __future__ import annotations

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
