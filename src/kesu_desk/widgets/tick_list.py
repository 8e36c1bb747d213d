"""A list of options to tick, each marked [x] or [ ]: seen without colour (NO_COLOR, 16 colours)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED, NOT_TICKED = "[x] ", "[ ] "


class TickList(SelectionList[str]):
    """Textual's SelectionList draws an X on every option, ticked or not, and tells them apart by
    colour alone; this one draws the conventional [x] and [ ] (as wide as Textual's button, so
    a click on it still ticks)."""

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the option's text, without Textual's button
        index = self.scroll_offset.y + y
        try:
            option = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        style = next(iter(line)).style or self.rich_style
        mark = TICKED if option.value in self.selected else NOT_TICKED
        return Strip([Segment(mark, style + Style(meta={"option": index})), *line])
