"""What people typed, shown exactly as typed: never markup, never a terminal escape sequence."""

from __future__ import annotations

from rich.cells import cell_len
from rich.highlighter import Highlighter
from rich.text import Text
from textual import events
from textual.widgets import Input, TextArea

from kesu_desk import text
from kesu_desk.text import CONTROL, pictures, steady
from kesu_desk.widgets.textual_private import StyledOnceTextArea


def visible(value: str | None) -> str:
    """What a user typed as the screen shows it: control characters made visible, and nothing
    a terminal draws at another width than Textual measures (kesu_desk.text.steady)."""
    return steady(text.visible(value))


def one_line(value: str | None) -> str:
    """``value`` on one line (for table cells and titles), control characters made visible."""
    return steady(text.visible_line(value))


def plain(value: str | None, style: str = "") -> Text:
    """A Rich Text of what a user typed: no markup is parsed, nothing can escape."""
    return Text(visible(value), style=style)


def fit(value: str, width: int) -> str:
    """``value`` cut or padded to exactly ``width`` cells (a CJK character is two cells)."""
    if width <= 0:
        return ""
    value = steady(value)  # then each code point is drawn on its own: none is cut from its emoji
    value = steady(value)  # then each code point is drawn on its own: none is cut from its emoji
    if cell_len(value) <= width:
        return value + " " * (width - cell_len(value))
    out: list[str] = []
    used = 0
    for ch in value:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


class ControlPictures(Highlighter):
    """Textual's Input draws what it holds as it is: an escape sequence pasted into it would
    reach the terminal. This draws the pictures instead; the value itself is untouched."""

    def highlight(self, text: Text) -> None:
        text.plain = pictures(text.plain)


def one_line_paste(text: str) -> str:
    """What a paste puts in a one-line field: every line of it, joined with spaces (blank lines
    and the spaces around each line left out); a one-line paste as it is."""
    lines = text.splitlines()
    if len(lines) <= 1:
        return text.rstrip("\r\n")
    return " ".join(line.strip() for line in lines if line.strip())


class OneLineInput(Input):
    """A one-line field. Textual's Input keeps only the first line of a paste and drops the
    rest unsaid; this one keeps every line, joined with spaces, so what the user sees is all they
    pasted."""

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # not Input's own paste, which keeps the first line
        text = one_line_paste(event.text)
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)


class TypedTextArea(StyledOnceTextArea):
    """A TextArea that draws control characters as pictures (see ControlPictures), and works
    out its colours when its styles change rather than on every key."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if CONTROL.search(line.plain):
            line.plain = pictures(line.plain)
        return line

    def _on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        # Posted on every key as the cursor moves, and nothing in the desk listens: it stops here
        # instead of being dispatched to every container up to the app.
        event.stop()
