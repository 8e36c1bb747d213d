"""Form rows: a label and its field on one line, built the same way in every dialog and screen
(the look is in the stylesheets: ``.field``, ``.field-label``, ``.field-hint``), and the fields
the case dialogs put in them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from kesu_desk.widgets.text import OneLineInput


def field_row(label: str, widget: Widget, *, required: bool = False, id: str | None = None,
              classes: str = "") -> Horizontal:
    """``widget`` with its label before it; ``*`` marks what the workflow will insist on. The
    label is shown as written, never read as markup."""
    return Horizontal(Label(label + (" *" if required else ""), classes="field-label", markup=False), widget,
                      classes=f"field {classes}".strip(), id=id)


def row(label: str, widget: Widget, *, required: bool = False, hint: str = "") -> Vertical:
    """A dialog's labelled field, with a line of help under it when ``hint`` is given."""
    # Multi-line text stands apart; one-line fields sit close so a form fits 24 rows.
    line = field_row(label, widget, required=required, classes="-text" if isinstance(widget, TextArea) else "")
    if hint:
        return Vertical(line, Static(Text(hint), classes="field-hint"), classes="field-block")
    return Vertical(line, classes="field-block")


def text_area(id: str, text: str = "", placeholder: str = "") -> TextArea:
    return TextArea(text, id=id, compact=True, soft_wrap=True, placeholder=placeholder,
                    classes="field-text")


def line_input(id: str, value: str = "", placeholder: str = "") -> Input:
    return OneLineInput(value, placeholder=placeholder, id=id, compact=True)


def choice(id: str, options: Iterable[tuple[str | Text, Any]], *, prompt: str = "",
           value: Any = Select.NULL, blank: bool = True) -> Select[Any]:
    return Select([(Text(label) if isinstance(label, str) else label, v) for label, v in options],
                  prompt=prompt, allow_blank=blank, value=value, id=id, compact=True)


class Form(VerticalScroll, can_focus=False):
    """The fields scroll on a small terminal; focus goes to the fields, not to the scroll area."""
