"""The list of the approval inbox and of the follow-up calls: one option per item, the desk's own
keys, deadlines as a symbol and a colour, and the highlight kept on its item when the list is
redrawn."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import ClassVar, Generic, TypeVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kesu_desk.sla import DeadlineState
from kesu_desk.widgets.case_table import DEADLINE_SYMBOLS, due_in
from kesu_desk.widgets.keys import localise_bindings

# Deadlines move with time even when nothing changes: a screen redraws its list this often.
REDRAW_SECONDS = 60.0

STATE_CLASSES = {DeadlineState.OVERDUE: "overdue", DeadlineState.AT_RISK: "at-risk",
                 DeadlineState.ON_TIME: "on-time"}

ItemT = TypeVar("ItemT")


def list_bindings(prefix: str) -> list[BindingType]:
    """Moving in a desk list; ids under ``prefix`` so each screen's keys can be remapped."""
    return [
        Binding("up", "cursor_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("down", "cursor_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("home", "first", "First", show=False, id=f"{prefix}.first"),
        Binding("end", "last", "Last", show=False, id=f"{prefix}.last"),
    ]


def deadline_cell(due: datetime | None, state: DeadlineState | None, now: datetime) -> tuple[str, str]:
    """The deadline as a symbol and a time left (``-2d``: two days overdue), and its style."""
    if due is None or state is None:
        return "–", ".desk-list--muted"
    return f"{DEADLINE_SYMBOLS[state]} {due_in(due, now)}", f".desk-list--{STATE_CLASSES[state]}"


class DeskList(OptionList, Generic[ItemT], inherit_bindings=False):
    """An OptionList of items whose keys are the desk's own: Enter, Space and the actions belong
    to the screen. Deadline states are styled by component class (16 colours, NO_COLOR: the
    symbol carries the state too). A subclass names its items' option ids (``key``) and its
    keys (``BINDINGS``, from ``list_bindings``)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "desk-list--overdue", "desk-list--at-risk", "desk-list--on-time", "desk-list--muted",
        "desk-list--marked", "desk-list--urgent", "desk-list--strong",
    }

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localise_bindings(self, lang)
        self._items: dict[str, ItemT] = {}

    def key(self, item: ItemT) -> str:
        """The option id of ``item``: unique in the list, the same for it on each redraw."""
        raise NotImplementedError

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    @property
    def current(self) -> ItemT | None:
        """The highlighted item."""
        option_id = self.highlighted_id
        return self._items.get(option_id) if option_id is not None else None

    def show(self, items: Iterable[ItemT], prompt: Callable[[ItemT], Content]) -> None:
        """Replace the items, keeping the highlight on the same one (or near where it was)."""
        self._items = {self.key(item): item for item in items}
        keep, index = self.highlighted_id, self.highlighted
        self.clear_options()
        self.add_options([Option(prompt(item), id=key) for key, item in self._items.items()])
        if not self._items:
            return
        ids = list(self._items)
        self.highlighted = ids.index(keep) if keep in ids else min(index or 0, len(ids) - 1)

    def redraw(self, item: ItemT, prompt: Content) -> None:
        """Draw ``item`` again (it was marked, say) without touching the others."""
        self.replace_option_prompt(self.key(item), prompt)
