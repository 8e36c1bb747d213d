"""What people typed, shown exactly as typed: never markup, never a terminal escape sequence."""

from __future__ import annotations

from rich.cells import cell_len
from rich.highlighter import Highlighter
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

from kesu_desk.text import CONTROL, pictures, visible, visible_line


def one_line(value: str | None) -> str:
    """``value`` on one line (for table cells and titles), control characters made visible."""
    return visible_line(value)


def plain(value: str | None, style: str = "") -> Text:
    """A Rich Text of what a user typed: no markup is parsed, nothing can escape."""
    return Text(visible(value), style=style)


def fit(value: str, width: int) -> str:
    """``value`` cut or padded to exactly ``width`` cells (a CJK character is two cells)."""
    if width <= 0:
        return ""
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


class TypedTextArea(TextArea):
    """A TextArea that draws control characters as pictures (see ControlPictures), and works
    out its colours when its styles change rather than on every key."""

    _styled_for: tuple[int, str] | None = None

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if CONTROL.search(line.plain):
            line.plain = pictures(line.plain)
        return line

    def notify_style_update(self) -> None:
        self._styled_for = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        # TextArea (textual 8.2.8) applies its theme's CSS to itself on every render, about a
        # fifth of the cost of a key typed into it. The result changes only with the styles
        # (notify_style_update: CSS, focus, the app's theme) or a new TextArea theme.
        theme = self._theme
        styled_for = (id(theme), self.app.theme)
        if theme and styled_for != self._styled_for:
            theme.apply_css(self)
            self._styled_for = styled_for
        return super(TextArea, self).render_lines(crop)

    def _on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        # Posted on every key as the cursor moves, and nothing in the desk listens: it stops here
        # instead of being dispatched to every container up to the app.
        event.stop()
