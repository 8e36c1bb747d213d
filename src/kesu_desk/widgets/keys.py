"""Key bindings in the user's language."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.dom import DOMNode
from textual.widget import Widget

from kesu_desk.i18n import catalogue
from kesu_desk.widgets.textual_private import QuietFooter, mapped_bindings, replace_bindings

__all__ = ["DeskFooter", "key_name", "key_of", "localise_bindings", "mapped_bindings"]


def localise_bindings(node: DOMNode, lang: str) -> None:
    """Footer and help texts in the user's language: each binding's description is looked up by
    its id (or, for Textual's own, its action) under [keys] in the catalogue."""
    names = catalogue(lang)
    replace_bindings(node, lambda binding: _localised(binding, names))


def key_name(shown: str, lang: str) -> str:
    """A key's name as the keyboard of ``lang`` labels it ("space" is 空格 in Chinese); a key
    without a name of its own (a letter, ^c) as Textual shows it."""
    return catalogue(lang).get(f"keys.name.{shown}", shown)


def _localised(binding: Binding, names: dict[str, str]) -> Binding:
    # Textual's own bindings have no id: they are named by their action instead.
    for name in (f"keys.{binding.id}", f"keys.{binding.action}"):
        if name in names:
            return replace(binding, description=names[name])
    return binding


def key_of(node: DOMNode, binding_id: str) -> str:
    """The key that runs ``binding_id`` on ``node`` now, as the footer shows it (the config's
    keymap may have moved it); "" when ``node`` has no such binding."""
    for key, bindings in mapped_bindings(node).items():
        for b in bindings:
            if b.id == binding_id:
                return str(node.app.get_key_display(replace(b, key=key)))
    return ""


class FooterKeys(HorizontalGroup):
    """The footer's keys up to where the command palette's key begins: those that fit whole
    (F1 lists them all), never a key cut in the middle of its word."""

    DEFAULT_CSS = """
    FooterKeys {
        width: 1fr;
        overflow: hidden hidden;
    }
    """

    def on_resize(self) -> None:
        # Every key first, then, once they are laid out, those that run past the edge hidden.
        for key in self.children:
            key.display = True
        self.call_after_refresh(self._hide_cut_keys)

    def _hide_cut_keys(self) -> None:
        right = self.region.right
        for key in self.children:
            if key.display and key.region.right > right:
                key.display = False


class DeskFooter(QuietFooter):
    """The desk's footer: the keys the screen offers now, redrawn once for changes that come
    together.

    Textual's footer (8.2.8) docks the command palette's key on the right over the key list,
    which runs on underneath it: in the compact footer every key keeps a margin on its right,
    that one too, so the list showed through in the last cell ("^p Commandsa"), and a key's
    edge under it split a Chinese character of "命令" in two (the compositor cuts each line
    wherever a widget begins or ends). Here the list is held in a box that ends where the
    palette's key begins."""

    DEFAULT_CSS = """
    DeskFooter.-compact FooterKey.-command-palette {
        margin-right: 0;
    }
    """

    def compose(self) -> ComposeResult:
        palette: list[Widget] = []
        with FooterKeys():
            for widget in super().compose():
                if widget.has_class("-command-palette"):  # Textual's class for that key
                    palette.append(widget)
                else:
                    yield widget
        yield from palette
