"""Plain-text helpers shared by the services (reports, record forms), the command line and the
widgets: one line of text, control characters made visible, spreadsheet-safe CSV cells."""

from __future__ import annotations

import re

# C0 controls (but tab and newline), DEL and the C1 controls. Escape sequences become visible
# pictures (ESC → ␛) instead of reaching the terminal.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def one_line(value: str | None, limit: int | None = None) -> str:
    """``value`` on one line (newlines and runs of white space become one space, none at either
    end), cut to ``limit`` characters with an ellipsis when longer."""
    flat = " ".join((value or "").split())
    if limit is not None and len(flat) > limit:
        return flat[: limit - 1] + "…"
    return flat


# Code points terminals draw at different widths, so that a row holding them ends somewhere else
# than Textual measured and its border moves (issue 15 item 10): the skin tones of emoji (👍🏽 is
# two cells where the terminal joins them, four where it does not, as tmux), the zero-width
# joiner of emoji sequences (👨‍👩‍👧: one emoji or three) and the variation selectors (❤️: one cell
# or two).
UNSTEADY = re.compile("[\U0001F3FB-\U0001F3FF\u200d\ufe0e\ufe0f]")


def steady(value: str) -> str:
    """``value`` as every terminal draws it at the width Textual measures: without skin tones,
    emoji joiners and variation selectors (👍🏽 → 👍, 👨‍👩‍👧 → 👨👩👧, ❤️ → ❤). For the screen only:
    what is stored and exported keeps them."""
    return UNSTEADY.sub("", value)


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
    return CONTROL.sub(lambda m: _one_picture(ord(m.group())), value)


def visible(value: str | None) -> str:
    """``value`` with control characters made visible; tabs become spaces. What the command
    line prints and the screens show of anything a user typed goes through this: an escape
    sequence typed into a field never reaches a terminal."""
    if not value:
        return ""
    return CONTROL.sub(_picture, value).replace("\t", "    ")


def visible_line(value: str | None, limit: int | None = None) -> str:
    """``value`` on one line (see :func:`one_line`), control characters made visible first."""
    return one_line(visible(value), limit)


def json_controls_escaped(json_text: str) -> str:
    """JSON text (as ``json.dumps`` or pydantic write it, which escape C0 controls themselves)
    with DEL and the C1 controls written as ``\\u`` escapes too: the same value, and a JSON
    file that is safe to show on a terminal."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


# What makes a spreadsheet read a CSV cell as a formula (OWASP "CSV Injection": = + - @, tab and
# carriage return; a line feed and NUL as well), and the quote that neutralises them: a cell
# starting with the quote is quoted too, so import undoes exactly what export did.
_FORMULA_START = frozenset("=+-@\t\r\n\0'")
# A negative number is read as that number, never run: the desk's figures stay numbers.
NEGATIVE_NUMBER = re.compile(r"-\d+(?:\.\d+)?")


def csv_cell(value: str) -> str:
    """A CSV cell no spreadsheet runs: a quote before a cell that starts like a formula (or with
    a quote), e.g. ``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``; :func:`from_csv_cell` takes it off."""
    if value[:1] in _FORMULA_START and not NEGATIVE_NUMBER.fullmatch(value):
        return "'" + value
    return value


def from_csv_cell(cell: str) -> str:
    """The value :func:`csv_cell` wrote ``cell`` for (a cell it did not change is that value)."""
    if cell[:1] == "'" and cell[1:2] in _FORMULA_START:
        return cell[1:]
    return cell
