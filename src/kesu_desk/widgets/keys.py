"""Key bindings in the user's language."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer

from kesu_desk.i18n import catalogue


def localise_bindings(node: DOMNode, lang: str) -> None:
    """Footer and help texts in the user's language: each binding's description is looked up by
    its id (or, for Textual's own, its action) under [keys] in the catalogue."""
    names = catalogue(lang)
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_localised(b, names) for b in bindings]


def _localised(binding: Binding, names: dict[str, str]) -> Binding:
    # Textual's own bindings have no id: they are named by their action instead.
    for name in (f"keys.{binding.id}", f"keys.{binding.action}"):
        if name in names:
            return replace(binding, description=names[name])
    return binding


def mapped_bindings(node: DOMNode) -> dict[str, list[Binding]]:
    """``node``'s bindings by key, as the user's keymap maps them (what a key press will do)."""
    bindings = node._bindings.copy()
    keymap = node.app._keymap
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings.key_to_bindings


def key_of(node: DOMNode, binding_id: str) -> str:
    """The key that runs ``binding_id`` on ``node`` now, as the footer shows it (the config's
    keymap may have moved it); "" when ``node`` has no such binding."""
    for key, bindings in mapped_bindings(node).items():
        for b in bindings:
            if b.id == binding_id:
                return str(node.app.get_key_display(replace(b, key=key)))
    return ""


class DeskFooter(Footer):
    """Textual's footer, redrawn once for changes of the bindings that come together.

    Textual's Footer (8.2.8) rebuilds all its keys for each change of the screen's bindings; a
    screen coming up sends several (focus, the screen stack, each refresh of the bindings), and
    on the queue the rebuilds cost about a tenth of a second of start-up."""

    _rebuild_queued = False

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_queued:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        await self.recompose()
