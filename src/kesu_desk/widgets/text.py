"""What people typed, shown exactly as typed: never markup, never a terminal escape sequence."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.highlighter import Highlighter
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

from kesu_desk.text import one_line as _flat

# C0 controls (but tab and newline), DEL and the C1 controls. Escape sequences become visible
# pictures (ESC → ␛) instead of reaching the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _one_picture(code: int) -> str:
    """One visible character for a control character (ESC → ␛, DEL → ␡, C1 → �)."""
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    # Where nothing counts characters (a table cell, a timeline line) a C1 control says which it is.
    return f"\\x{code:02x}" if 0x80 <= code <= 0x9F else _one_picture(code)


def pictures(value: str) -> str:
    """``value`` with control characters as pictures, one for one, so that a text widget's
    cursor arithmetic (an index per character) still holds."""
    return _CONTROL.sub(lambda m: _one_picture(ord(m.group())), value)


def visible(value: str | None) -> str:
    """``value`` with control characters made visible; tabs become spaces."""
    if not value:
        return ""
    return _CONTROL.sub(_picture, value).replace("\t", "    ")


def one_line(value: str | None) -> str:
    """``value`` on one line (for table cells and titles), control characters made visible."""
    return _flat(visible(value))


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
        if _CONTROL.search(line.plain):
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
