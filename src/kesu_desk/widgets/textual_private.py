"""Every use of Textual's private API in the desk, and only on the Textual it was written for.

Written against Textual 8.2.8 (pinned in pyproject.toml), where tests/ui/test_compositor.py and
test_footer.py check each against Textual's own behaviour. On any other version each falls back
to that behaviour — the desk works, repaints more per key, and shows key descriptions in
English — and the log says so once (``private_api``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

import textual
from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Footer, TextArea
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual._compositor import Compositor
else:
    try:
        from textual._compositor import Compositor
    except ImportError:  # another Textual: private_api() is False there, and this is never made
        Compositor = object

WRITTEN_FOR = "8.2.8"

__all__ = [
    "WRITTEN_FOR",
    "CroppedCompositor",
    "DeskCommandPalette",
    "QuietFooter",
    "StyledOnceTextArea",
    "crop_repaints",
    "mapped_bindings",
    "private_api",
    "replace_bindings",
]

log = logging.getLogger(__name__)


def running_version() -> str:
    return str(textual.__version__)


@cache
def private_api() -> bool:
    """Whether the running Textual is the one this module was written for. If not, the desk
    uses Textual's own behaviour, and the log says so (once)."""
    running = running_version()
    if running == WRITTEN_FOR:
        return True
    log.warning(
        "Textual %s is running; kesu-desk's use of Textual's private API was written for Textual %s. "
        "The desk uses Textual's own behaviour instead: whole widgets repainted for each key, key "
        "descriptions in English, the footer rebuilt for each change of the keys.",
        running, WRITTEN_FOR,
    )
    return False


# -- repainting only what changed ---------------------------------------------------------------


class CroppedCompositor(Compositor):
    """Textual's compositor, but a partial update renders only the widgets whose visible part
    meets the changed area.

    Textual 8.2.8 asks every widget whose *clip* meets it: inside a scrolling form that is every
    row of the form, the header and the footer, for each key typed into one field (on the intake
    form about a quarter of a key's cost). A widget whose visible part does not meet the changed
    area fills no part of it, so what reaches the terminal is the same (tests/ui/test_compositor.py
    compares both, widget by widget). ``_get_renders`` is Textual's own, not public API.
    """

    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None:  # a full update: every widget on screen
            yield from super()._get_renders(crop)
            return
        meets = crop.overlaps
        for widget, (region, clip) in self.visible_widgets.items():
            x, y, width, height = shown = region.intersection(clip)
            if width and height and meets(shown):
                yield region, clip, widget.render_lines(Region(x - region.x, y - region.y, width, height))


def crop_repaints(screen: Screen[Any]) -> None:
    """``screen`` repaints only the widgets a change meets (CroppedCompositor)."""
    if private_api():
        screen._compositor = CroppedCompositor()


# -- key bindings -------------------------------------------------------------------------------


def replace_bindings(node: DOMNode, change: Callable[[Binding], Binding]) -> None:
    """Each of ``node``'s own bindings replaced by ``change(binding)`` (its description in the
    user's language). Textual has no public way to change the bindings of one node: elsewhere
    they stay as declared."""
    if not private_api():
        return
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [change(b) for b in bindings]


def mapped_bindings(node: DOMNode) -> dict[str, list[Binding]]:
    """``node``'s bindings by key, as the app's keymap maps them (what a key press will do)."""
    if private_api():
        bindings = node._bindings.copy()
        keymap = node.app._keymap
        if keymap:
            bindings.apply_keymap(keymap)
        return bindings.key_to_bindings
    # Textual's own view: the keys active now on the node's screen that are the node's.
    found: dict[str, list[Binding]] = {}
    for key, active in node.screen.active_bindings.items():
        if active.node is node:
            found.setdefault(key, []).append(active.binding)
    return found


class QuietFooter(Footer):
    """Textual's footer, redrawn once for changes of the bindings that come together.

    Textual's Footer (8.2.8) rebuilds all its keys for each change of the screen's bindings; a
    screen coming up sends several (focus, the screen stack, each refresh of the bindings), and
    on the queue the rebuilds cost about a tenth of a second of start-up."""

    _rebuild_queued = False

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not private_api():
            super().bindings_changed(screen)
            return
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_queued:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        await self.recompose()


class StyledOnceTextArea(TextArea):
    """A TextArea that works out its colours when its styles change rather than on every key."""

    _styled_for: tuple[int, str] | None = None

    def notify_style_update(self) -> None:
        self._styled_for = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        if not private_api():
            return super().render_lines(crop)
        # TextArea (textual 8.2.8) applies its theme's CSS to itself on every render, about a
        # fifth of the cost of a key typed into it. The result changes only with the styles
        # (notify_style_update: CSS, focus, the app's theme) or a new TextArea theme.
        theme = self._theme
        styled_for = (id(theme), self.app.theme)
        if theme and styled_for != self._styled_for:
            theme.apply_css(self)
            self._styled_for = styled_for
        return super(TextArea, self).render_lines(crop)


# -- the command palette ------------------------------------------------------------------------


class DeskCommandPalette(CommandPalette):
    """Textual's command palette, saying "no matches" in the user's words.

    Textual 8.2.8 writes "No matches found" in ``_start_no_matches_countdown``, with no public way
    to change it (its placeholder is a public argument: the app passes it). Elsewhere the
    palette says it in English."""

    def __init__(self, *, no_matches: str, placeholder: str, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.no_matches = no_matches

    def _start_no_matches_countdown(self, search_value: str) -> None:
        if not private_api():
            super()._start_no_matches_countdown(search_value)
            return
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:  # as Textual's: nothing found for what was typed
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(self.no_matches, style="not bold")), disabled=True, id=self._NO_MATCHES,
                ))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
